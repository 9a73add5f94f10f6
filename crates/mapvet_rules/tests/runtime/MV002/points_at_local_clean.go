// expect: clean
package main

import "fmt"

func main() {
	m := map[string]int{}
	p := &m
	(*p)["a"] = 1
	var q *map[string]int
	q = p
	fmt.Println(len(*q), len(*p))
}
