// expect: panic "assignment to entry in nil map"
package main

import "os"

// `a && b` false leaves the map nil while `a` alone is true.
func main() {
	a, b := len(os.Args) > 0, len(os.Args) > 5
	var m map[string]int
	if a && b {
		m = map[string]int{}
	}
	if a {
		m["x"] = 1 // want MV001
	}
}
