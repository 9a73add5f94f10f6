// expect: panic "assignment to entry in nil map"
package main

import (
	"fmt"
	"os"
)

func main() {
	var opts map[string]string
	if len(os.Args) > 3 {
		opts = make(map[string]string)
	}
	opts["mode"] = "fast" // want MV001 "store into nil map `opts`"
	fmt.Println(opts)
}
