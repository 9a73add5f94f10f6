// expect: clean
package main

import "fmt"

func size(p *map[string]int) int {
	if p == nil {
		return 0
	}
	return len(*p)
}

func main() {
	var p *map[string]int
	fmt.Println(size(p))
	if p != nil {
		fmt.Println(len(*p))
	}
}
