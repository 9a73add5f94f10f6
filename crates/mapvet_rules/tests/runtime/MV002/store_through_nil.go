// expect: panic "nil pointer dereference"
package main

import "fmt"

func collect(words []string) {
	var counts *map[string]int
	for _, w := range words {
		(*counts)[w]++ // want MV002 "dereference of nil map pointer `counts`"
	}
}

func main() {
	collect([]string{"a"})
	fmt.Println("unreachable")
}
