// expect: panic "assignment to entry in nil map"
package main

import "os"

// Deferred before the map is made; the early return runs it with the map still nil.
func stat(path string) error {
	var stats map[string]int
	defer func() {
		stats["closed"]++ // want MV001
	}()
	if _, err := os.Stat(path); err != nil {
		return err
	}
	stats = map[string]int{}
	return nil
}

func main() {
	_ = stat("/definitely/not/here")
}
