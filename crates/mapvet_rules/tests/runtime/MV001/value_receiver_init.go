// expect: panic "assignment to entry in nil map"
package main

type registry struct{ entries map[string]int }

// A value receiver initializes a copy; the caller's field stays nil.
func (r registry) init() { r.entries = map[string]int{} }

func main() {
	var r registry
	r.init()
	r.entries["a"] = 1 // want MV001
}
