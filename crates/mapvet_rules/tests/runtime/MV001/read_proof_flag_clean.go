// expect: clean
package main

import (
	"fmt"
	"os"
)

// A comparison of a value read out of the map, kept in a variable: true only if the map
// exists (a nil map reads as 0).
func main() {
	var counts map[string]int
	if len(os.Args) > 5 {
		counts = map[string]int{"a": 1}
	}
	seen := counts["a"] > 0
	if seen {
		counts["a"]++
	}
	known := counts["b"] != 0
	if known {
		counts["b"] = 0
	}
	fmt.Println(counts)
}
