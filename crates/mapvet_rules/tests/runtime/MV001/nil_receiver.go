// expect: panic "assignment to entry in nil map"
package main

import "fmt"

type Set map[string]struct{}

func (s Set) Add(k string) {
	s[k] = struct{}{}
}

func unique(words []string) Set {
	var seen Set
	for _, w := range words {
		seen.Add(w) // want MV001 "call to `Set.Add` stores into nil map `seen`"
	}
	return seen
}

func main() {
	fmt.Println(len(unique([]string{"a", "a", "b"})))
}
