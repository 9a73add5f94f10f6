// expect: panic "nil pointer dereference"
package main

import "fmt"

func fill(p *map[string]int, keys []string) {
	*p = make(map[string]int, len(keys))
	for _, k := range keys {
		(*p)[k] = len(k)
	}
}

func main() {
	fill(nil, []string{"a"}) // want MV002 "call to `fill` dereferences a nil map pointer: `nil` is passed for its parameter `p`"
	fmt.Println("unreachable")
}
