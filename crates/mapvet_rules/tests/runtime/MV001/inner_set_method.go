// expect: panic "assignment to entry in nil map"
package main

import "fmt"

type set map[string]struct{}

func (s set) add(k string) { s[k] = struct{}{} }

func main() {
	byOwner := map[string]set{}
	for _, o := range []string{"a", "b"} {
		byOwner[o].add(o) // want MV001 "create the inner map first: `byOwner\[o\] = make\(set\)`"
	}
	fmt.Println(len(byOwner))
}
