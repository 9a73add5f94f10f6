// expect: panic "nil pointer dereference"
package main

import "fmt"

func main() {
	var p *map[string]bool
	n := 0
	for range *p { // want MV002
		n++
	}
	fmt.Println(n)
}
