// expect: clean
package main

import "fmt"

type set map[string]struct{}

func (s set) add(k string) { s[k] = struct{}{} }

type counter struct{ n map[string]int }

func (c *counter) inc(k string) { c.n[k]++ }

type labels struct {
	set
	counter
}

func main() {
	var l labels
	l.set = set{}
	l.n = map[string]int{}
	l.add("x")
	l.inc("x")
	byOwner := map[string]set{}
	for _, o := range []string{"a", "b"} {
		if byOwner[o] == nil {
			byOwner[o] = set{}
		}
		byOwner[o].add(o)
	}
	fmt.Println(len(l.set), len(l.n), len(byOwner))
}
