// expect: race
package main

import (
	"fmt"
	"sync"
)

type Cache struct {
	mu    sync.RWMutex
	items map[int]string
}

// A read lock does not keep other readers out: two warmers write at once.
func (c *Cache) warm(k int, wg *sync.WaitGroup) {
	defer wg.Done()
	c.mu.RLock()
	c.items[k] = fmt.Sprint(k) // want MV005 "read lock \(RLock\)"
	c.mu.RUnlock()
}

func main() {
	c := &Cache{items: map[int]string{}}
	var wg sync.WaitGroup
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go c.warm(i, &wg)
	}
	wg.Wait()
	fmt.Println(len(c.items))
}
