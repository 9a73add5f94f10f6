// expect: panic "nil pointer dereference"
package main

import "fmt"

func build(keys []string) (out *map[string]int) {
	for _, k := range keys {
		(*out)[k] = 1 // want MV002 "named result `out` starts out nil"
	}
	return out
}

func main() {
	fmt.Println(build([]string{"a"}))
}
