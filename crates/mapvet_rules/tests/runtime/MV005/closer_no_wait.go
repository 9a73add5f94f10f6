// expect: race
package main

import (
	"fmt"
	"sync"
)

// The signalling goroutine closes done without waiting: the parent's write races.
func fill(keys []string) map[string]int {
	m := map[string]int{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, k := range keys {
			m[k] = len(k) // want MV005
		}
	}()
	done := make(chan struct{})
	go func() {
		close(done)
	}()
	<-done
	m["n"] = len(keys)
	wg.Wait()
	return m
}

func main() {
	keys := make([]string, 50)
	for i := range keys {
		keys[i] = fmt.Sprint("k", i)
	}
	for i := 0; i < 300; i++ {
		fill(keys)
	}
	fmt.Println("ok")
}
