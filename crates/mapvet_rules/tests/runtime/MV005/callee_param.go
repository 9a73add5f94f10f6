// expect: race
package main

import (
	"fmt"
	"sync"
)

// record writes the map it is given; every goroutine is given the same map.
func record(seen map[int]bool, k int, wg *sync.WaitGroup) {
	defer wg.Done()
	seen[k] = true // want MV005 "`seen` \(in `record`\)"
}

func main() {
	seen := make(map[int]bool)
	var wg sync.WaitGroup
	for i := 0; i < 200; i++ {
		wg.Add(1)
		go record(seen, i, &wg)
	}
	wg.Wait()
	fmt.Println(len(seen))
}
