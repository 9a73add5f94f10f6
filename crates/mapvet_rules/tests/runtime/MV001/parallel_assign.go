// expect: panic "assignment to entry in nil map"
package main

import "fmt"

// swap exchanges the maps: afterwards `fresh` is the one that was nil.
func swap(k string) map[string]int {
	fresh := make(map[string]int)
	var old map[string]int
	fresh, old = old, fresh
	old[k] = 1
	fresh[k] = 2 // want MV001 "it holds the value of `old`"
	return fresh
}

func main() {
	fmt.Println(swap("a"))
}
