// expect: clean
package main

import "fmt"

func main() {
	var seen map[string]bool
	mark := func(k string) {
		seen[k] = true
	}
	seen = make(map[string]bool)
	for _, k := range []string{"a", "b"} {
		mark(k)
	}
	fmt.Println(len(seen))
}
