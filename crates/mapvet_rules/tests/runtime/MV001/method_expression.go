// expect: panic "assignment to entry in nil map"
package main

import "fmt"

type set map[string]struct{}

func (s set) add(k string) { s[k] = struct{}{} }

// The method called through a method expression: the receiver is the first argument.
func main() {
	var seen set
	apply := []string{"a"}
	for _, k := range apply {
		set.add(seen, k) // want MV001 "call to `set.add` stores into nil map `seen`"
	}
	fmt.Println(len(seen))
}
