package main

import (
	"bufio"
	"fmt"
	"os"
)

type writer struct {
	w   *bufio.Writer
	err error
}

func newWriter() *writer { return &writer{w: bufio.NewWriterSize(os.Stdout, 1<<16)} }

func (w *writer) printf(format string, args ...any) {
	if w.err == nil {
		_, w.err = fmt.Fprintf(w.w, format, args...)
	}
}

func (w *writer) flush() error {
	if w.err != nil {
		return w.err
	}
	return w.w.Flush()
}
