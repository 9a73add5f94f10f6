// expect: clean
package main

import "fmt"

type counter struct{ n map[string]int }

func (c *counter) inc(k string) { c.n[k]++ }

func run() int {
	var c counter
	defer c.inc("exit")
	c.n = make(map[string]int)
	c.inc("start")
	return len(c.n)
}

func main() {
	fmt.Println(run())
}
