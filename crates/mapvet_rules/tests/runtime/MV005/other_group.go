// expect: race
package main

import (
	"fmt"
	"sync"
)

// Waiting on another WaitGroup does not wait for the writer.
func main() {
	m := map[string]int{}
	var wg, other sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for _, k := range []string{"a", "b", "c", "d"} {
			m[k] = len(k) // want MV005
		}
	}()
	other.Wait()
	fmt.Println(m["a"])
	wg.Wait()
}
