// expect: race
package main

import (
	"fmt"
	"strings"
	"sync"
)

// Goroutines started in a loop all increment the same map.
func countWords(docs []string) map[string]int {
	counts := make(map[string]int)
	var wg sync.WaitGroup
	for _, d := range docs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, w := range strings.Fields(d) {
				counts[w]++ // want MV005 "goroutines started in a loop all write map `counts`"
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
