// expect: clean
package main

import "fmt"

type Set map[string]struct{}

func (s *Set) Add(k string) {
	if *s == nil {
		*s = make(Set)
	}
	(*s)[k] = struct{}{}
}

type Counter struct {
	counts map[string]int
}

func (c *Counter) Inc(k string) {
	if c.counts == nil {
		c.counts = make(map[string]int)
	}
	c.counts[k]++
}

func main() {
	var s Set
	s.Add("a")
	var c Counter
	c.Inc("a")
	fmt.Println(len(s), c.counts)
}
