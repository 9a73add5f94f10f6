// expect: clean
package main

import (
	"fmt"
	"strings"
)

func wordCounts(text string) map[string]int {
	var counts map[string]int
	for _, w := range strings.Fields(text) {
		if counts == nil {
			counts = make(map[string]int)
		}
		counts[w]++
	}
	return counts
}

func main() {
	fmt.Println(wordCounts("a b a"))
	fmt.Println(wordCounts(""))
}
