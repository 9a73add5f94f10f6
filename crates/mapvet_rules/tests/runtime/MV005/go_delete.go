// expect: race
package main

import (
	"fmt"
	"time"
)

// evict drops every expired key, each in a goroutine of its own: `go` on the builtin
// itself, no function literal.
func evict(cache map[int]string, expired []int) {
	for _, k := range expired {
		go delete(cache, k) // want MV005 "goroutines started in a loop all write map `cache`"
	}
}

func main() {
	cache := make(map[int]string)
	var keys []int
	for i := 0; i < 500; i++ {
		cache[i] = "v"
		keys = append(keys, i)
	}
	evict(cache, keys)
	time.Sleep(100 * time.Millisecond)
	fmt.Println("left:", len(cache))
}
