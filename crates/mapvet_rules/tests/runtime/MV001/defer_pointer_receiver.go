// expect: panic "assignment to entry in nil map"
package main

type Counter struct{ counts map[string]int }

func (c *Counter) Inc(k string) { c.counts[k]++ }

func run() {
	var c Counter
	defer c.Inc("exit") // want MV001
}

func main() {
	run()
}
