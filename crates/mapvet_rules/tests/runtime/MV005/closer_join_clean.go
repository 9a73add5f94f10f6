// expect: clean
package main

import (
	"fmt"
	"sync"
)

// A closer goroutine waits for the writer and closes done; the parent writes after <-done.
func fill(keys []string) map[string]int {
	m := map[string]int{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, k := range keys {
			m[k] = len(k)
		}
	}()
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	<-done
	m["n"] = len(keys)
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
