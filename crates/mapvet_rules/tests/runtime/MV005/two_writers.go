// expect: race
package main

import (
	"fmt"
	"sync"
)

// Two go statements, two goroutines writing the same map.
func main() {
	m := map[int]int{}
	var wg sync.WaitGroup
	wg.Add(2)
	go func() {
		defer wg.Done()
		for i := 0; i < 1000; i++ {
			m[i] = i // want MV005 "another goroutine started by the same function writes it"
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 1000; i++ {
			m[-i] = i // want MV005 "another goroutine"
		}
	}()
	wg.Wait()
	fmt.Println(len(m))
}
