// expect: panic "assignment to entry in nil map"
package main

import "fmt"

func main() {
	var counts map[string]int
	p := &counts
	(*p)["a"]++ // want MV001 "store into nil map `\(\*p\)` \(`p` points to `counts`\)"
	fmt.Println(len(counts))
}
