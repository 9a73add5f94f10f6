// expect: clean
package main

import (
	"fmt"
	"strings"
	"sync"
)

// Every write holds the mutex.
func countWords(docs []string) map[string]int {
	counts := make(map[string]int)
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, d := range docs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, w := range strings.Fields(d) {
				mu.Lock()
				counts[w]++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return counts
}

func main() {
	docs := make([]string, 64)
	for i := range docs {
		docs[i] = strings.Repeat("go map race ", 200)
	}
	fmt.Println(len(countWords(docs)))
}
