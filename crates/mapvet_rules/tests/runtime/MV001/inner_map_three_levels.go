// expect: panic "assignment to entry in nil map"
package main

import "fmt"

type hit struct{ host, path, method string }

// Counts hits per host, path and method; no level is ever created.
func tally(hits []hit) map[string]map[string]map[string]int {
	counts := map[string]map[string]map[string]int{}
	for _, h := range hits {
		counts[h.host][h.path][h.method]++ // want MV001 "every inner map read from it is nil"
	}
	return counts
}

func main() {
	fmt.Println(tally([]hit{{"example.com", "/", "GET"}}))
}
