// expect: panic "assignment to entry in nil map"
package main

func group(items []string) map[byte]map[string]int {
	byFirst := map[byte]map[string]int{}
	for _, it := range items {
		inner, ok := byFirst[it[0]]
		_ = ok
		inner[it]++ // want MV001
	}
	return byFirst
}

func main() {
	group([]string{"ab"})
}
