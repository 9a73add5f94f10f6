// expect: panic "assignment to entry in nil map"
package main

import "fmt"

type edge struct{ from, to string }

func adjacency(edges []edge) map[string]map[string]bool {
	adj := make(map[string]map[string]bool)
	for _, e := range edges {
		adj[e.from][e.to] = true // want MV001 "every inner map read from it is nil"
	}
	return adj
}

func main() {
	fmt.Println(adjacency([]edge{{"a", "b"}, {"b", "c"}}))
}
