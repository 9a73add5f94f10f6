// expect: clean
package main

import (
	"fmt"
	"os"
)

type entry struct{ n int }

// Values read out of a nil map are zero: a non-zero one proves the map exists.
func main() {
	big := len(os.Args) > 5
	var counts map[string]int
	var lists map[string][]int
	var ptrs map[string]*entry
	var structs map[string]entry
	if big {
		counts = map[string]int{"a": 1}
		lists = map[string][]int{"a": {1}}
		ptrs = map[string]*entry{"a": {}}
		structs = map[string]entry{"a": {1}}
	}
	c := counts["a"]
	if c > 0 {
		counts["a"] = c - 1
	}
	if v := counts["a"]; v != 0 {
		counts["b"] = v
	}
	if lists["a"] != nil {
		lists["a"] = nil
	}
	if len(lists["a"]) > 0 {
		lists["b"] = nil
	}
	if p := ptrs["a"]; p != nil {
		ptrs["b"] = p
	}
	if structs["a"].n > 0 {
		structs["b"] = entry{}
	}
	fmt.Println(len(counts), len(lists), len(ptrs), len(structs))
}
