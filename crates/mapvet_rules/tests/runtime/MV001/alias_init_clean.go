// expect: clean
package main

import "fmt"

type index struct{ byKey map[string]int }

func main() {
	var m map[string]int
	p := &m
	if *p == nil {
		*p = make(map[string]int)
	}
	(*p)["a"] = 1
	m["b"] = 2

	var ix index
	q := &ix.byKey
	ix.byKey = map[string]int{}
	(*q)["c"] = 3
	fmt.Println(len(m), len(ix.byKey))
}
