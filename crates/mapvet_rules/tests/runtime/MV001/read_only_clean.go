// expect: clean
package main

import "fmt"

func main() {
	var m map[string]int
	n := m["missing"] + len(m)
	for k, v := range m {
		n += len(k) + v
	}
	delete(m, "missing")
	if v, ok := m["x"]; ok {
		m["x"] = v + 1
	}
	fmt.Println(n)
}
