// expect: clean
package main

import (
	"fmt"
	"sync"
)

// Each goroutine builds its own map; the results are merged after the join. Reads of a
// shared map from many goroutines are fine.
func main() {
	shared := map[int]int{1: 1, 2: 4, 3: 9}
	results := make(chan map[int]int, 100)
	var wg sync.WaitGroup
	for i := 0; i < 100; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			local := make(map[int]int)
			for j := 0; j < 100; j++ {
				local[j] = shared[j%3+1] + i
			}
			results <- local
		}()
	}
	fmt.Println(shared[2])
	wg.Wait()
	close(results)
	total := map[int]int{}
	for r := range results {
		for k, v := range r {
			total[k] += v
		}
	}
	fmt.Println(len(total))
}
