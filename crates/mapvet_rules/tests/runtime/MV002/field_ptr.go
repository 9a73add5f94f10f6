// expect: panic "nil pointer dereference"
package main

import "fmt"

type Holder struct {
	name  string
	index *map[string]int
}

func main() {
	var h Holder
	h.name = "x"
	(*h.index)["k"] = 1 // want MV002 "`var h Holder` leaves field `index` nil"
	fmt.Println(h.name)
}
