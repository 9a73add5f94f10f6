// expect: panic "assignment to entry in nil map"
package main

import (
	"fmt"
	"strings"
)

func index(words []string) (byFirst map[byte][]string) {
	for _, w := range words {
		if w == "" {
			continue
		}
		byFirst[w[0]] = append(byFirst[w[0]], strings.ToLower(w)) // want MV001 "named result `byFirst` starts out nil"
	}
	return byFirst
}

func main() {
	fmt.Println(index([]string{"Apple", "avocado", "Banana"}))
}
