// expect: clean
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
	s := Service{Pool: Pool{name: "api", conns: map[string]int{}}, label: "x"}
	s.Pool.conns["k"] = 1
	t := Service{Pool: Pool{name: "web"}}
	if t.Pool.conns == nil {
		t.Pool.conns = make(map[string]int)
	}
	t.Pool.conns["k"] = 2
	fmt.Println(s.label, len(s.Pool.conns), len(t.Pool.conns))
}
