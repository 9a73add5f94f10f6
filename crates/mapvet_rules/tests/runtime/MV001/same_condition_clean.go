// expect: clean
package main

import (
	"fmt"
	"os"
)

func main() {
	debug := len(os.Args) > 3
	var trace map[string]int
	if debug {
		trace = make(map[string]int)
	}
	fmt.Println("working")
	if debug {
		trace["steps"]++
	}
	fmt.Println(trace)
}
