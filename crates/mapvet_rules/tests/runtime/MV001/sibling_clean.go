// expect: clean
package main

import (
	"fmt"
	"os"
)

func main() {
	var names, sizes map[string]int
	if len(os.Args) > 3 {
		names, sizes = make(map[string]int), make(map[string]int)
	}
	if names != nil {
		sizes["args"] = len(os.Args)
	}
	fmt.Println(names, sizes)
}
