// expect: panic "assignment to entry in nil map"
package main

import "fmt"

type Counter struct {
	counts map[string]int
}

func (c *Counter) Inc(k string) {
	c.counts[k]++
}

func main() {
	var c Counter
	c.Inc("requests") // want MV001 "call to `\(\*Counter\).Inc` stores into nil map `c.counts`"
	fmt.Println(c.counts)
}
