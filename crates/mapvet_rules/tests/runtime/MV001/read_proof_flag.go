// expect: panic "assignment to entry in nil map"
package main

import (
	"fmt"
	"os"
)

// `>= 0` holds for what a nil map reads as too: it proves nothing.
func main() {
	var counts map[string]int
	if len(os.Args) > 5 {
		counts = map[string]int{"a": 1}
	}
	nonNegative := counts["a"] >= 0
	if nonNegative {
		counts["a"]++ // want MV001 "`var counts map\[string\]int` leaves it nil"
	}
	fmt.Println(counts)
}
