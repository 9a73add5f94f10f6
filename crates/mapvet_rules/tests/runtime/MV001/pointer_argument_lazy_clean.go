// expect: clean
package main

import "fmt"

func putViaLazy(p *map[string]int, k string) {
	if *p == nil {
		*p = make(map[string]int)
	}
	(*p)[k] = 1
}

func main() {
	var m map[string]int
	putViaLazy(&m, "a")
	fmt.Println(len(m))
}
