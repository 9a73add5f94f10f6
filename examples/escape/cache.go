// Package cache shows where the Go compiler puts maps; run `mapvet escape` on it.
package cache

import "fmt"

// Cache holds its entries in a map.
type Cache struct {
	entries map[string][]byte
}

// New returns a cache: the struct and its map outlive the call.
func New() *Cache {
	return &Cache{entries: make(map[string][]byte)}
}

// Distinct counts distinct words; the map never leaves the function.
func Distinct(words []string) int {
	seen := make(map[string]bool)
	for _, w := range words {
		seen[w] = true
	}
	return len(seen)
}

// Debug prints word counts.
func Debug(words []string) {
	counts := make(map[string]int)
	for _, w := range words {
		counts[w]++
	}
	fmt.Println(counts)
}
