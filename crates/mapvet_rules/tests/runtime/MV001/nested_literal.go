// expect: panic "assignment to entry in nil map"
package main

import "fmt"

type Pool struct {
	name  string
	conns map[string]int
}

type Service struct {
	Pool  Pool
	label string
}

func main() {
	s := Service{Pool: Pool{name: "api"}, label: "x"}
	s.Pool.conns["k"] = 1 // want MV001 "store into nil map `s.Pool.conns`: `Pool\{name: \"api\"\}` leaves field `conns` nil"
	fmt.Println(s.label)
}
