// expect: panic "assignment to entry in nil map"
package main

import "fmt"

type set map[string]struct{}

func (s set) add(k string) { s[k] = struct{}{} }

type labels struct {
	set
	owner string
}

func main() {
	var l labels
	l.owner = "me"
	l.add("x") // want MV001 "call to `set.add` stores into nil map `l.set`: `var l labels` leaves field `set` nil"
	fmt.Println(len(l.set))
}
