// expect: race
package main

import (
	"fmt"
	"sync"
)

type Registry struct {
	byName map[string]int
}

func (r *Registry) register(name string, id int) {
	r.byName[name] = id // want MV005 "`r.byName` \(in `register`\)"
}

// wg.Go starts one goroutine per name; all of them write r.byName.
func main() {
	r := &Registry{byName: map[string]int{}}
	var wg sync.WaitGroup
	for i := 0; i < 200; i++ {
		wg.Go(func() {
			r.register(fmt.Sprint("n", i), i)
		})
	}
	wg.Wait()
	fmt.Println(len(r.byName))
}
