// expect: panic "assignment to entry in nil map"
package main

import "fmt"

func putVia(p *map[string]int, k string) {
	(*p)[k] = 1
}

func main() {
	var m map[string]int
	putVia(&m, "a") // want MV001 "call to `putVia` stores into nil map `m` \(passed as `&m`\)"
	fmt.Println(len(m))
}
