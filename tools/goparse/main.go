// Command goparse is the go/parser oracle for mapvet's parity tests.
//
//	goparse check PATH...          accept/reject report (same format as `mapvet debug parse`)
//	goparse dump FILE              canonical AST dump (docs/AST_DUMP.md)
//	goparse hash PATH...           FNV-1a 64 of the dump of every accepted file
//	goparse bench [-n N] PATH...   single-threaded parse throughput
//
// Standard library only.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"
)

const mode = parser.ParseComments | parser.SkipObjectResolution

func usage() {
	fmt.Fprintln(os.Stderr, "usage: goparse check PATH... | dump FILE | hash PATH... | bench [-n N] PATH...")
	os.Exit(2)
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	args := os.Args[2:]
	switch os.Args[1] {
	case "check":
		if len(args) == 0 {
			usage()
		}
		os.Exit(cmdCheck(args))
	case "dump":
		if len(args) != 1 {
			usage()
		}
		os.Exit(cmdDump(args[0]))
	case "hash":
		if len(args) == 0 {
			usage()
		}
		os.Exit(cmdHash(args))
	case "bench":
		os.Exit(cmdBench(args))
	default:
		usage()
	}
}

// ---------------------------------------------------------------------------
// File collection

// collect returns every *.go file under the given paths (a file argument is
// taken as is, whatever its name), sorted byte-wise. Symlinked directories
// below an argument are not followed; an argument that is itself a symlink to
// a directory is walked.
func collect(paths []string) ([]string, error) {
	var out []string
	for _, root := range paths {
		st, err := os.Stat(root)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			out = append(out, root)
			continue
		}
		walkRoot := root
		if lst, err := os.Lstat(root); err == nil && lst.Mode()&fs.ModeSymlink != 0 {
			// WalkDir does not follow a symlinked root; a trailing separator makes it.
			walkRoot = root + string(filepath.Separator)
		}
		err = filepath.WalkDir(walkRoot, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				if d != nil && d.IsDir() && p != walkRoot {
					return nil // unreadable directory: nothing to report
				}
				return err
			}
			if d.IsDir() || !strings.HasSuffix(d.Name(), ".go") {
				return nil
			}
			if d.Type()&fs.ModeSymlink != 0 {
				if t, err := os.Stat(p); err == nil && t.IsDir() {
					return nil // symlinked directory named *.go: not followed
				}
			}
			out = append(out, p)
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(out)
	return out, nil
}

// result of parsing one file.
type result struct {
	path  string
	size  int
	err   string // "" when accepted
	dump  []byte // only for hash
	accOK bool
}

// parseAll parses every file (in parallel, results in input order).
func parseAll(files []string, wantHash bool) []result {
	res := make([]result, len(files))
	workers := runtime.NumCPU()
	if workers > len(files) {
		workers = len(files)
	}
	var wg sync.WaitGroup
	next := make(chan int)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var buf bytes.Buffer
			for i := range next {
				res[i] = parseOne(files[i], wantHash, &buf)
			}
		}()
	}
	for i := range files {
		next <- i
	}
	close(next)
	wg.Wait()
	return res
}

func parseOne(path string, wantHash bool, buf *bytes.Buffer) result {
	r := result{path: path}
	src, err := os.ReadFile(path)
	if err != nil {
		r.err = err.Error()
		return r
	}
	r.size = len(src)
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, src, mode)
	if err != nil {
		r.err = firstError(fset, err)
		return r
	}
	r.accOK = true
	if wantHash {
		buf.Reset()
		dump(buf, fset, f)
		h := fnv.New64a()
		h.Write(buf.Bytes())
		r.dump = []byte(fmt.Sprintf("%016x", h.Sum64()))
	}
	return r
}

// firstError formats the first error as "line:col: msg", with the raw
// (not //line-adjusted) position.
func firstError(fset *token.FileSet, err error) string {
	var list scanner.ErrorList
	if errors.As(err, &list) && len(list) > 0 {
		e := list[0]
		line, col := e.Pos.Line, e.Pos.Column
		fset.Iterate(func(tf *token.File) bool {
			if e.Pos.Offset >= 0 && e.Pos.Offset <= tf.Size() {
				p := tf.PositionFor(tf.Pos(e.Pos.Offset), false)
				line, col = p.Line, p.Column
			}
			return false
		})
		return fmt.Sprintf("%d:%d: %s", line, col, e.Msg)
	}
	return err.Error()
}

// ---------------------------------------------------------------------------
// Subcommands

func cmdCheck(paths []string) int {
	files, err := collect(paths)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goparse:", err)
		return 1
	}
	res := parseAll(files, false)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	rejected, total := 0, 0
	for _, r := range res {
		total += r.size
		if !r.accOK {
			rejected++
			fmt.Fprintf(w, "REJECT %s: %s\n", r.path, r.err)
		}
	}
	fmt.Fprintf(w, "files %d rejected %d bytes %d\n", len(res), rejected, total)
	return 0
}

func cmdHash(paths []string) int {
	files, err := collect(paths)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goparse:", err)
		return 1
	}
	res := parseAll(files, true)
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for _, r := range res {
		if r.accOK {
			fmt.Fprintf(w, "%s %s\n", r.path, r.dump)
		}
	}
	return 0
}

func cmdDump(path string) int {
	src, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "goparse:", err)
		return 1
	}
	fset := token.NewFileSet()
	f, perr := parser.ParseFile(fset, path, src, mode)
	if perr != nil {
		fmt.Fprintf(os.Stderr, "goparse: %s: %s\n", path, firstError(fset, perr))
	}
	var buf bytes.Buffer
	if f != nil {
		dump(&buf, fset, f)
	}
	os.Stdout.Write(buf.Bytes())
	return 0
}

func cmdBench(args []string) int {
	fl := flag.NewFlagSet("bench", flag.ExitOnError)
	n := fl.Int("n", 3, "number of runs (best is reported)")
	fl.Parse(args)
	if fl.NArg() == 0 || *n < 1 {
		usage()
	}
	files, err := collect(fl.Args())
	if err != nil {
		fmt.Fprintln(os.Stderr, "goparse:", err)
		return 1
	}
	srcs := make([][]byte, len(files))
	total := 0
	for i, p := range files {
		srcs[i], _ = os.ReadFile(p)
		total += len(srcs[i])
	}
	runtime.GOMAXPROCS(1)
	best := time.Duration(1<<63 - 1)
	for run := 0; run < *n; run++ {
		runtime.GC()
		start := time.Now()
		for i, src := range srcs {
			fset := token.NewFileSet()
			parser.ParseFile(fset, files[i], src, mode)
		}
		if d := time.Since(start); d < best {
			best = d
		}
	}
	s := best.Seconds()
	fmt.Printf("files %d bytes %d best_seconds %.4f mb_per_s %.1f\n", len(files), total, s, float64(total)/1e6/s)
	return 0
}

// ---------------------------------------------------------------------------
// Canonical dump (docs/AST_DUMP.md)

func dump(w *bytes.Buffer, fset *token.FileSet, f *ast.File) {
	base := 1
	if tf := fset.File(f.Package); tf != nil {
		base = tf.Base()
	} else {
		fset.Iterate(func(tf *token.File) bool { base = tf.Base(); return false })
	}
	off := func(p token.Pos) int { return int(p) - base }
	depth := 0
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			depth--
			return false
		}
		switch n.(type) {
		case *ast.Comment, *ast.CommentGroup:
			return false
		}
		for i := 0; i < depth; i++ {
			w.WriteString("  ")
		}
		var start, end token.Pos
		if file, ok := n.(*ast.File); ok {
			start, end = file.Package, safeEnd(file)
		} else {
			start, end = n.Pos(), n.End()
		}
		fmt.Fprintf(w, "%s %d %d", reflect.TypeOf(n).Elem().Name(), off(start), off(end))
		if x := extra(n); x != "" {
			w.WriteByte(' ')
			w.WriteString(x)
		}
		w.WriteByte('\n')
		depth++
		return true
	})
}

// safeEnd is File.End(), tolerating the nil Name of a file with a broken
// package clause.
func safeEnd(f *ast.File) token.Pos {
	if n := len(f.Decls); n > 0 {
		return f.Decls[n-1].End()
	}
	if f.Name == nil {
		return f.Package
	}
	return f.End()
}

func extra(n ast.Node) string {
	switch n := n.(type) {
	case *ast.Ident:
		return n.Name
	case *ast.BasicLit:
		return n.Kind.String()
	case *ast.BinaryExpr:
		return n.Op.String()
	case *ast.UnaryExpr:
		return n.Op.String()
	case *ast.AssignStmt:
		return n.Tok.String()
	case *ast.IncDecStmt:
		return n.Tok.String()
	case *ast.BranchStmt:
		return n.Tok.String()
	case *ast.GenDecl:
		return n.Tok.String()
	case *ast.ChanType:
		switch n.Dir {
		case ast.SEND:
			return "send"
		case ast.RECV:
			return "recv"
		default:
			return "both"
		}
	case *ast.EmptyStmt:
		if n.Implicit {
			return "implicit"
		}
		return "explicit"
	case *ast.CallExpr:
		if n.Ellipsis.IsValid() {
			return "..."
		}
	case *ast.RangeStmt:
		if n.Key == nil {
			return "none"
		}
		return n.Tok.String()
	case *ast.SliceExpr:
		if n.Slice3 {
			return "3"
		}
		return "2"
	}
	return ""
}
