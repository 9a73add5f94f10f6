// expect: clean
package main

import (
	"fmt"
	"sync"
)

// The caller waits for the goroutine (wg.Wait, then a receive) before touching the map.
func load(keys []string) map[string]string {
	cfg := map[string]string{}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, k := range keys {
			cfg[k] = "default"
		}
	}()
	wg.Wait()
	cfg["mode"] = "fast"

	done := make(chan struct{})
	go func() {
		defer close(done)
		cfg["late"] = "yes"
	}()
	<-done
	fmt.Println(cfg["late"])
	return cfg
}

func main() {
	keys := make([]string, 1000)
	for i := range keys {
		keys[i] = fmt.Sprint("key", i)
	}
	fmt.Println(len(load(keys)))
}
