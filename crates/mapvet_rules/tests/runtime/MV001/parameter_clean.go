// expect: clean
package main

import "fmt"

func add(m map[string]int, k string) {
	if k == "" {
		return
	}
	m[k]++
}

func main() {
	m := map[string]int{}
	add(m, "a")
	add(nil, "")
	fmt.Println(m)
}
