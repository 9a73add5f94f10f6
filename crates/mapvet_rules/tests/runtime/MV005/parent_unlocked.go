// expect: race
package main

import (
	"fmt"
	"sync"
	"time"
)

type Server struct {
	mu       sync.Mutex
	sessions map[int]time.Time
}

func (s *Server) reap(wg *sync.WaitGroup) {
	defer wg.Done()
	s.mu.Lock()
	defer s.mu.Unlock()
	for id := range s.sessions {
		if id%2 == 0 {
			delete(s.sessions, id)
		}
	}
}

// The reaper locks, the caller does not: the lock protects nothing.
func main() {
	s := &Server{sessions: map[int]time.Time{}}
	for i := 0; i < 100; i++ {
		s.sessions[i] = time.Now()
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go s.reap(&wg)
	for i := 100; i < 200; i++ {
		s.sessions[i] = time.Now() // want MV005 "map `s.sessions` is written.*without the lock"
	}
	wg.Wait()
	fmt.Println(len(s.sessions))
}
