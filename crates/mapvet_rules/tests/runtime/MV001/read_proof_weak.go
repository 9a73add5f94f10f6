// expect: panic "assignment to entry in nil map"
package main

import "os"

// A nil map reads 0, and 0 >= 0.
func main() {
	var counts map[string]int
	if len(os.Args) > 5 {
		counts = map[string]int{"a": 1}
	}
	c := counts["a"]
	if c >= 0 {
		counts["a"] = c + 1 // want MV001
	}
}
