// expect: panic "assignment to entry in nil map"
package main

import "fmt"

func process(jobs []string) (n int) {
	var status map[string]string
	defer func() {
		status["summary"] = fmt.Sprint(n) // want MV001 "deferred closure"
	}()
	for range jobs {
		n++
	}
	return n
}

func main() {
	fmt.Println(process([]string{"a", "b"}))
}
