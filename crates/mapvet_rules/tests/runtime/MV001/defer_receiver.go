// expect: panic "assignment to entry in nil map"
package main

import "fmt"

type set map[string]struct{}

func (s set) add(k string) { s[k] = struct{}{} }

func collect(keys []string) set {
	var seen set
	defer seen.add("done") // want MV001 "deferred call to `set.add` stores into nil map `seen`"
	seen = make(set)
	for _, k := range keys {
		seen.add(k)
	}
	return seen
}

func main() {
	fmt.Println(len(collect([]string{"a", "b"})))
}
