// expect: panic "assignment to entry in nil map"
package main

import (
	"fmt"
	"strings"
)

func wordCounts(text string) map[string]int {
	var counts map[string]int
	for _, w := range strings.Fields(text) {
		counts[w]++ // want MV001 "store into nil map `counts`"
	}
	return counts
}

func main() {
	fmt.Println(wordCounts("a b a"))
}
