// expect: panic "assignment to entry in nil map"
package main

import (
	"fmt"
	"sync"
)

type registry struct {
	mu    sync.Mutex
	name  string
	count int
	byKey map[string]int
}

func (r *registry) rename(n string) {
	r.name = n
	r.count++
}

func main() {
	var r registry
	r.rename("main")
	r.mu.Lock()
	r.byKey["a"] = r.count // want MV001 "store into nil map `r.byKey`: `var r registry` leaves field `byKey` nil"
	r.mu.Unlock()
	fmt.Println(r.name)
}
