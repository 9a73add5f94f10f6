// expect: clean
package main

import "fmt"

func main() {
	var p *map[string]int
	if p == nil {
		p = new(map[string]int)
	}
	if *p == nil {
		*p = map[string]int{}
	}
	(*p)["a"]++
	fmt.Println(*p)
}
