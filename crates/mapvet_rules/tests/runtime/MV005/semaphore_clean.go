// expect: clean
package main

import (
	"fmt"
	"sync"
)

type Registry struct {
	sync.RWMutex
	byName map[string]int
}

func (r *Registry) get(name string) int {
	r.RLock()
	defer r.RUnlock()
	return r.byName[name]
}

func (r *Registry) put(name string, id int) {
	r.Lock()
	r.byName[name] = id
	r.Unlock()
}

// A channel of capacity 1 used as a semaphore, and an embedded RWMutex: reads under
// RLock, writes under Lock.
func main() {
	sem := make(chan struct{}, 1)
	m := map[int]int{}
	r := &Registry{byName: map[string]int{}}
	var wg sync.WaitGroup
	for i := 0; i < 200; i++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			m[i] = i * i
			<-sem
		}()
		go func() {
			defer wg.Done()
			r.put(fmt.Sprint(i), i)
			_ = r.get(fmt.Sprint(i - 1))
		}()
	}
	wg.Wait()
	fmt.Println(len(m), len(r.byName))
}
