// expect: clean
package main

import (
	"encoding/json"
	"fmt"
)

func labels(raw []byte) (map[string]string, bool) {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil, false
	}
	m, ok := v.(map[string]string)
	return m, ok
}

func main() {
	m, ok := labels([]byte(`{"app": "web"}`))
	fmt.Println(m, ok)
}
