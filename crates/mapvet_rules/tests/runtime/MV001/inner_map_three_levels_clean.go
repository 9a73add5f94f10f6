// expect: clean
package main

import "fmt"

type hit struct{ host, path, method string }

// Counts hits per host, path and method; each level is created when first needed.
func tally(hits []hit) map[string]map[string]map[string]int {
	counts := map[string]map[string]map[string]int{}
	for _, h := range hits {
		if counts[h.host] == nil {
			counts[h.host] = map[string]map[string]int{}
		}
		if counts[h.host][h.path] == nil {
			counts[h.host][h.path] = map[string]int{}
		}
		counts[h.host][h.path][h.method]++
	}
	return counts
}

func main() {
	fmt.Println(tally([]hit{{"example.com", "/", "GET"}}))
}
