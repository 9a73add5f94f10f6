// expect: clean
package main

const cacheEnabled = true

const debug = false

func lookupAll(keys []string) map[string]int {
	var cache map[string]int
	if cacheEnabled {
		cache = make(map[string]int, len(keys))
	}
	for i, k := range keys {
		cache[k] = i
	}
	return cache
}

func work(keys []string) int {
	var t map[string]int
	for _, k := range keys {
		if debug {
			t[k]++
		}
	}
	return len(t)
}

func main() {
	lookupAll([]string{"a", "b"})
	work([]string{"a", "b"})
}
