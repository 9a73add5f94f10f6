// expect: panic "assignment to entry in nil map"
package main

const (
	debug   = false
	verbose = !debug
)

func work(keys []string) int {
	var t map[string]int
	for _, k := range keys {
		if verbose {
			t[k]++ // want MV001
		}
	}
	return len(t)
}

func main() {
	work([]string{"a"})
}
