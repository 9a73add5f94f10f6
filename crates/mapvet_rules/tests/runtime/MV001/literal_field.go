// expect: panic "assignment to entry in nil map"
package main

import "fmt"

type Server struct {
	addr   string
	routes map[string]func() string
}

func newServer(addr string) *Server {
	s := &Server{addr: addr}
	s.routes["/health"] = func() string { return "ok" } // want MV001 "`&Server\{addr: addr\}` leaves field `routes` nil"
	return s
}

func main() {
	fmt.Println(newServer(":8080").addr)
}
