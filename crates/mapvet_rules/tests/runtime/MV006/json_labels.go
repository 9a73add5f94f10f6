// expect: panic "interface conversion: interface {} is map[string]interface {}, not map[string]string"
package main

import (
	"encoding/json"
	"fmt"
)

func labels(raw []byte) map[string]string {
	var v any
	if err := json.Unmarshal(raw, &v); err != nil {
		return nil
	}
	// A decoded JSON object is a map[string]interface{}, never a map[string]string.
	return v.(map[string]string) // want MV006
}

func main() {
	fmt.Println(labels([]byte(`{"app": "web"}`)))
}
