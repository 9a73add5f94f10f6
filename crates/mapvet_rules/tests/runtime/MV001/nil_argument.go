// expect: panic "assignment to entry in nil map"
package main

import "fmt"

func tally(counts map[string]int, words ...string) {
	counts["total"] += len(words)
	for _, w := range words {
		counts[w]++
	}
}

func main() {
	tally(nil, "a", "b") // want MV001 "call to `tally` stores into nil map: `nil` is passed for its parameter `counts`"
	fmt.Println("unreachable")
}
