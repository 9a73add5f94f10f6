// expect: clean
package main

import (
	"fmt"
	"os"
)

type options struct{ verbose, debug, trace, stats, dump bool }

// Five optional maps, each made and used under its own flag; a compound condition twice.
func run(o options, events []string) int {
	var verbose, debug, trace, stats, dump map[string]int
	if o.verbose {
		verbose = map[string]int{}
	}
	if o.debug {
		debug = map[string]int{}
	}
	if o.trace {
		trace = map[string]int{}
	}
	if o.stats {
		stats = map[string]int{}
	}
	if o.dump {
		dump = map[string]int{}
	}
	var both map[string]int
	if o.verbose && o.debug {
		both = map[string]int{}
	}
	for _, e := range events {
		if o.verbose {
			verbose[e]++
		}
		if o.debug {
			debug[e]++
		}
		if o.trace {
			trace[e]++
		}
		if o.stats {
			stats[e]++
		}
		if o.dump {
			dump[e]++
		}
		if o.verbose && o.debug {
			both[e]++
		}
	}
	return len(verbose) + len(debug) + len(trace) + len(stats) + len(dump) + len(both)
}

func main() {
	n := len(os.Args)
	fmt.Println(run(options{verbose: n > 0, trace: n > 5}, []string{"a", "b"}))
}
