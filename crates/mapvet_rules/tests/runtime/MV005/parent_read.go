// expect: race
package main

import (
	"fmt"
	"sync"
)

// The goroutine fills the map while the caller still reads it: the join comes too late.
func load(keys []string) map[string]string {
	cfg := map[string]string{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, k := range keys {
			cfg[k] = "default" // want MV005 "while the function that started it still reads it"
		}
	}()
	n := 0
	for i := 0; i < 1000; i++ {
		if _, ok := cfg[keys[i%len(keys)]]; ok {
			n++
		}
	}
	wg.Wait()
	fmt.Println(n)
	return cfg
}

func main() {
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprint("key", i)
	}
	fmt.Println(len(load(keys)))
}
