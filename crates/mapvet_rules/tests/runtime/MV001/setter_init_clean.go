// expect: clean
package main

import "fmt"

type registry struct {
	name  string
	byKey map[string]int
}

func (r *registry) ensure() {
	if r.byKey == nil {
		r.byKey = map[string]int{}
	}
}

func (r *registry) rename(n string) {
	r.name = n
	r.ensure()
}

func main() {
	var r registry
	r.rename("main")
	r.byKey["a"] = 1
	fmt.Println(r.name, len(r.byKey))
}
