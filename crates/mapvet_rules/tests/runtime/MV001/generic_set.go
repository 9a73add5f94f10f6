// expect: panic "assignment to entry in nil map"
package main

type set[K comparable] map[K]struct{}

func (s set[K]) add(k K) { s[k] = struct{}{} }

// The zero value of a generic map type is a nil map too.
func main() {
	var s set[string]
	s.add("a") // want MV001
}
