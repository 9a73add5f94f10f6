// expect: clean
package main

import "fmt"

func main() {
	p := new(map[string]int)
	*p = make(map[string]int)
	(*p)["a"] = 1
	fmt.Println(len(*p))
}
