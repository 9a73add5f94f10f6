// expect: panic "assignment to entry in nil map"
package main

import "fmt"

type Config struct {
	name  string
	items map[string]int
}

func load(keys []string) Config {
	var cfg Config
	cfg.name = "default"
	for _, k := range keys {
		cfg.items[k] = len(k) // want MV001 "`var cfg Config` leaves field `items` nil"
	}
	return cfg
}

func main() {
	fmt.Println(load([]string{"x", "yy"}))
}
