// expect: panic "nil pointer dereference"
package main

import "fmt"

func main() {
	var target *map[string]string
	*target = map[string]string{"k": "v"} // want MV002 "`var target \*map\[string\]string` leaves it nil"
	fmt.Println(len(*target))
}
