// expect: panic "nil pointer dereference"
package main

import "fmt"

type Index map[string]int

func size() int {
	var idx *Index
	return len(*idx) // want MV002
}

func main() {
	fmt.Println(size())
}
