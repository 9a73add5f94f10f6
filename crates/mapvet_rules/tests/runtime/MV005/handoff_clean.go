// expect: clean
package main

import "fmt"

// The caller hands the map to the goroutine and never touches it again.
func start(out chan<- int) {
	m := map[int]int{}
	for i := 0; i < 10; i++ {
		m[i] = i
	}
	go func() {
		for i := 10; i < 1000; i++ {
			m[i] = i
		}
		out <- len(m)
	}()
}

func main() {
	out := make(chan int)
	start(out)
	fmt.Println(<-out)
}
