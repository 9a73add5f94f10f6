// expect: clean
package main

import (
	"fmt"
	"os"
)

// The deferred closure runs only after its `defer`, and the map is made right after it.
func stat(path string) (n int, err error) {
	var stats map[string]int
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer func() {
		stats["closed"]++
		f.Close()
	}()
	stats = map[string]int{}
	return len(stats), nil
}

func main() {
	_, err := stat("/definitely/not/here")
	fmt.Println(err != nil)
	n, _ := stat(os.Args[0])
	fmt.Println(n)
}
