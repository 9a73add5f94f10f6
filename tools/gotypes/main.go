// Command gotypes is the go/types oracle for mapvet's semantic parity tests.
//
//	gotypes map-idents DIR
//
// map-idents type-checks every package directory under DIR with go/types
// (non-test files selected by go/build with cgo disabled) and prints, for
// every identifier (definition or use) whose object is a variable, parameter,
// result, receiver or struct field of map or pointer-to-map type:
//
//	relpath:line:col map|ptrmap NAME
//
// preceded by one `FILE relpath` line per file of a package that type-checked
// without error. Paths are relative to the current directory; positions are
// raw (no //line remapping), columns in bytes, 1-based. Lines are sorted by
// (path bytes, line, column) and deduplicated, like `mapvet debug map-idents`.
// Packages with any type error are skipped (`SKIP dir: error` on stderr); a
// summary `packages N skipped M files F idents I` ends stderr.
//
// Directories named testdata or vendor, or starting with `.` or `_`, are not
// walked (the same directories `mapvet` skips); vendored packages are still
// type-checked as dependencies. Run it with cwd = DIR (e.g. GOROOT/src) and
// CGO_ENABLED=0.
//
// Standard library only.

// The module says go 1.22, whose GODEBUG default is gotypesalias=0: go/types
// would then reject generic type aliases. Represent aliases as go1.23+ does.
//
//go:debug gotypesalias=1
package main

import (
	"errors"
	"fmt"
	"go/ast"
	"go/build"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: gotypes map-idents DIR")
	os.Exit(2)
}

func main() {
	if len(os.Args) != 3 || os.Args[1] != "map-idents" {
		usage()
	}
	if err := mapIdents(os.Args[2]); err != nil {
		fmt.Fprintln(os.Stderr, "gotypes:", err)
		os.Exit(2)
	}
}

// packageDirs returns every directory under root that may hold a package,
// sorted, skipping testdata, vendor, and names starting with `.` or `_`.
func packageDirs(root string) ([]string, error) {
	var dirs []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if d != nil && d.IsDir() && p != root {
				return filepath.SkipDir // unreadable directory
			}
			return err
		}
		if !d.IsDir() {
			return nil
		}
		if p != root {
			name := d.Name()
			if name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") {
				return filepath.SkipDir
			}
		}
		dirs = append(dirs, p)
		return nil
	})
	sort.Strings(dirs)
	return dirs, err
}

type ident struct {
	path      string
	line, col int
	kind      string
	name      string
}

func mapIdents(root string) error {
	cwd, err := os.Getwd()
	if err != nil {
		return err
	}
	dirs, err := packageDirs(root)
	if err != nil {
		return err
	}
	build.Default.CgoEnabled = false
	fset := token.NewFileSet()
	// One importer for the whole run: every dependency is type-checked once
	// (from source, bodies ignored). It resolves imports with go/build from
	// the importing directory, so GOROOT's src/vendor and src/cmd/vendor work.
	imp := importer.ForCompiler(fset, "source", nil)

	var (
		files    []string
		idents   []ident
		packages int
		skipped  int
	)
	for _, dir := range dirs {
		abs, err := filepath.Abs(dir)
		if err != nil {
			return err
		}
		bp, err := build.Default.ImportDir(abs, 0)
		var noGo *build.NoGoError
		if errors.As(err, &noGo) || (err == nil && len(bp.GoFiles) == 0) {
			continue // not a package (for this configuration)
		}
		packages++
		if err != nil { // e.g. *build.MultiplePackageError, a bad //go:build line
			skipped++
			fmt.Fprintf(os.Stderr, "SKIP %s: %v\n", rel(cwd, abs), err)
			continue
		}
		pkgFiles, pkgIdents, err := checkPackage(fset, imp, cwd, bp)
		if err != nil {
			skipped++
			fmt.Fprintf(os.Stderr, "SKIP %s: %v\n", rel(cwd, abs), err)
			continue
		}
		files = append(files, pkgFiles...)
		idents = append(idents, pkgIdents...)
	}

	sort.Strings(files)
	sort.Slice(idents, func(i, j int) bool {
		a, b := idents[i], idents[j]
		if a.path != b.path {
			return a.path < b.path
		}
		if a.line != b.line {
			return a.line < b.line
		}
		if a.col != b.col {
			return a.col < b.col
		}
		if a.kind != b.kind {
			return a.kind < b.kind
		}
		return a.name < b.name
	})
	out := newWriter()
	for _, f := range files {
		out.printf("FILE %s\n", f)
	}
	n := 0
	for i, id := range idents {
		if i > 0 && id == idents[i-1] {
			continue
		}
		n++
		out.printf("%s:%d:%d %s %s\n", id.path, id.line, id.col, id.kind, id.name)
	}
	if err := out.flush(); err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "packages %d skipped %d files %d idents %d\n",
		packages, skipped, len(files), n)
	return nil
}

// rel returns p relative to cwd when it is below it, else p.
func rel(cwd, p string) string {
	if r, err := filepath.Rel(cwd, p); err == nil && !strings.HasPrefix(r, "..") {
		return r
	}
	return p
}

// checkPackage parses and type-checks one package; it returns the package's
// files (relative paths) and its map identifiers, or the first error.
func checkPackage(fset *token.FileSet, imp types.Importer, cwd string, bp *build.Package) ([]string, []ident, error) {
	var (
		paths []string
		astFs []*ast.File
	)
	for _, name := range bp.GoFiles {
		p := rel(cwd, filepath.Join(bp.Dir, name))
		f, err := parser.ParseFile(fset, p, nil, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, nil, err
		}
		paths = append(paths, p)
		astFs = append(astFs, f)
	}
	var firstErr error
	conf := types.Config{
		Importer: imp,
		Error: func(err error) {
			if firstErr == nil {
				firstErr = err
			}
		},
	}
	info := &types.Info{
		Defs: make(map[*ast.Ident]types.Object),
		Uses: make(map[*ast.Ident]types.Object),
	}
	_, err := conf.Check(bp.ImportPath, fset, astFs, info)
	if firstErr != nil {
		return nil, nil, firstErr
	}
	if err != nil {
		return nil, nil, err
	}
	var idents []ident
	add := func(id *ast.Ident, obj types.Object) {
		v, ok := obj.(*types.Var)
		if !ok || id.Name == "_" {
			return
		}
		kind := classify(v.Type())
		if kind == "" {
			return
		}
		pos := fset.PositionFor(id.Pos(), false)
		idents = append(idents, ident{pos.Filename, pos.Line, pos.Column, kind, id.Name})
	}
	for id, obj := range info.Defs {
		add(id, obj)
	}
	for id, obj := range info.Uses {
		add(id, obj)
	}
	return paths, idents, nil
}

// classify returns "map", "ptrmap" or "".
func classify(t types.Type) string {
	if isMap(t) {
		return "map"
	}
	if p, ok := t.Underlying().(*types.Pointer); ok && isMap(p.Elem()) {
		return "ptrmap"
	}
	return ""
}

// isMap reports whether t's underlying type is a map, or t is a type
// parameter whose constraint's type set has a map core type.
func isMap(t types.Type) bool {
	t = types.Unalias(t)
	if tp, ok := t.(*types.TypeParam); ok {
		iface, ok := tp.Constraint().Underlying().(*types.Interface)
		if !ok {
			return false
		}
		var terms []types.Type
		if !collectTerms(iface, &terms, 0) || len(terms) == 0 {
			return false
		}
		var first *types.Map
		for _, term := range terms {
			m, ok := term.Underlying().(*types.Map)
			if !ok {
				return false
			}
			if first == nil {
				first = m
			} else if !types.Identical(first.Key(), m.Key()) || !types.Identical(first.Elem(), m.Elem()) {
				return false
			}
		}
		return true
	}
	_, ok := t.Underlying().(*types.Map)
	return ok
}

// collectTerms appends the type terms of the embedded elements of iface
// (flattening embedded interfaces and interface terms of unions) to terms.
// It returns false when some element cannot be a map (e.g. a type parameter).
func collectTerms(iface *types.Interface, terms *[]types.Type, depth int) bool {
	if depth > 16 {
		return false
	}
	for i := 0; i < iface.NumEmbeddeds(); i++ {
		if !collectTerm(iface.EmbeddedType(i), terms, depth) {
			return false
		}
	}
	return true
}

func collectTerm(t types.Type, terms *[]types.Type, depth int) bool {
	switch e := types.Unalias(t).(type) {
	case *types.Union:
		for i := 0; i < e.Len(); i++ {
			n := len(*terms)
			if !collectTerm(e.Term(i).Type(), terms, depth) {
				return false
			}
			if len(*terms) == n {
				return false // a term without type terms (like any): all types
			}
		}
		return true
	case *types.TypeParam:
		return false
	}
	if in, ok := t.Underlying().(*types.Interface); ok {
		return collectTerms(in, terms, depth+1)
	}
	*terms = append(*terms, t)
	return true
}
