// expect: panic "assignment to entry in nil map"
package main

import "fmt"

var handlers map[string]func() string

func handle(name string, h func() string) {
	handlers[name] = h // want MV001 "package-level `handlers`"
}

func main() {
	handle("hello", func() string { return "hi" })
	fmt.Println(len(handlers))
}
