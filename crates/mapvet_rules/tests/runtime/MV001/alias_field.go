// expect: panic "assignment to entry in nil map"
package main

import "fmt"

type index struct {
	byKey map[string]int
	n     int
}

func main() {
	var ix index
	p := &ix
	p.n++
	p.byKey["a"] = p.n // want MV001 "`p.byKey` \(`p` points to `ix`\): `var ix index` leaves field `byKey` nil"
	fmt.Println(ix.n)
}
