// expect: clean
package main

import "fmt"

// swap exchanges the maps: afterwards `old` holds the made one, and only it is written.
func swap(k string) map[string]int {
	fresh := make(map[string]int)
	var old map[string]int
	fresh, old = old, fresh
	old[k] = 1
	return old
}

func main() {
	fmt.Println(swap("a"))
}
