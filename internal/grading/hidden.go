package grading

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
)

// HiddenOnly returns the hidden tests of a check cell as a cell source of their own, which runs
// them without the visible checks: the mistakes test needs to know whether the hidden tests
// alone reject a mistake. ok is false when the cell has no hidden tests.
//
// The convention that makes this possible (checked by release for the checks of every exercise
// that lists mistakes): the hidden tests sit at the top level of the cell's main body (after
// "%%"), not inside an if, a loop or a block; they may use what the visible part declares with
// := or var (the exercise's checks.Start, a shared matrix), not values that visible checks
// compute; and what follows "// END HIDDEN TESTS" closes the check (ex.Done()), as it runs
// with the hidden tests too. The result keeps the cell's declarations before "%%", the visible
// declarations the hidden tests and what follows them use (each followed by "_ = name", so an
// unused one still compiles), the hidden tests and what follows them; every other visible
// statement is left out.
func HiddenOnly(source string) (hidden string, ok bool, err *CellError) {
	lines := strings.Split(source, "\n")
	regions, err := findRegions(lines, hiddenMarkers)
	if err != nil || len(regions) == 0 {
		return "", false, err
	}
	bad := func(line int, format string, args ...any) (string, bool, *CellError) {
		return "", false, &CellError{Err: ErrMarker, Line: line + 1, Msg: fmt.Sprintf(format, args...)}
	}
	mainLine := -1
	for i, l := range lines {
		if isMainLine(l) {
			mainLine = i
			break
		}
	}
	if mainLine < 0 || regions[0].begin < mainLine {
		return bad(regions[0].begin, "hidden tests that are run alone (this exercise lists mistakes) belong in the cell's main body, after a %%%% line")
	}
	fset := token.NewFileSet()
	f, perr := parser.ParseFile(fset, "cell.go", goFile(lines), 0)
	if perr != nil {
		return bad(regions[0].begin, "the check cell does not parse as Go, so its hidden tests cannot be run alone: %v", perr)
	}
	var body []ast.Stmt
	for _, d := range f.Decls {
		if fn, isFunc := d.(*ast.FuncDecl); isFunc && fn.Name.Name == "main" && fn.Recv == nil && fn.Body != nil {
			body = fn.Body.List
		}
	}
	cellLine := func(p token.Pos) int { return fset.Position(p).Line - 2 } // goFile puts cell line i on file line i+2
	last := regions[len(regions)-1].end
	type stmtInfo struct {
		stmt       ast.Stmt
		start, end int // cell lines
		visible    bool
		kept       bool
	}
	stmts := make([]*stmtInfo, len(body))
	for i, s := range body {
		si := &stmtInfo{stmt: s, start: cellLine(s.Pos()), end: cellLine(s.End())}
		for _, r := range regions {
			for _, marker := range []int{r.begin, r.end} {
				if si.start < marker && si.end > marker {
					return bad(marker, "%q is inside the statement that starts on line %d (an if, a loop or a block): hidden tests that are run alone must sit at the top level of the main body",
						strings.TrimSpace(lines[marker]), si.start+1)
				}
			}
		}
		si.visible = si.start < last
		for _, r := range regions {
			if si.start > r.begin && si.end < r.end {
				si.visible = false
			}
		}
		si.kept = !si.visible
		stmts[i] = si
	}
	// What the kept statements use, and the visible declarations that provide it, to a fixpoint.
	needed := map[*ast.Object]bool{}
	use := func(n ast.Node) {
		ast.Inspect(n, func(n ast.Node) bool {
			if id, isIdent := n.(*ast.Ident); isIdent && id.Obj != nil {
				needed[id.Obj] = true
			}
			return true
		})
	}
	for _, si := range stmts {
		if si.kept {
			use(si.stmt)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, si := range stmts {
			if si.kept {
				continue
			}
			for _, obj := range declares(si.stmt) {
				if needed[obj] {
					si.kept, changed = true, true
					use(si.stmt)
					break
				}
			}
		}
	}
	out := append([]string(nil), lines[:mainLine+1]...)
	keepVisible := func(from, to int) { // visible statements that start in [from, to)
		for _, si := range stmts {
			if si.visible && si.kept && si.start >= from && si.start < to {
				out = append(out, lines[si.start:si.end+1]...)
				pad := lines[si.start][:len(lines[si.start])-len(strings.TrimLeft(lines[si.start], " \t"))]
				for _, obj := range declares(si.stmt) {
					if obj.Kind == ast.Var || obj.Kind == ast.Con {
						out = append(out, pad+"_ = "+obj.Name)
					}
				}
			}
		}
	}
	from := mainLine + 1
	for _, r := range regions {
		keepVisible(from, r.begin)
		out = append(out, lines[r.begin+1:r.end]...)
		from = r.end + 1
	}
	out = append(out, lines[last+1:]...)
	return strings.Join(out, "\n"), true, nil
}

// declares returns the objects a statement declares (":=", var, const, type), not "_".
func declares(s ast.Stmt) []*ast.Object {
	var out []*ast.Object
	add := func(id *ast.Ident) {
		if id != nil && id.Name != "_" && id.Obj != nil {
			out = append(out, id.Obj)
		}
	}
	switch s := s.(type) {
	case *ast.AssignStmt:
		if s.Tok == token.DEFINE {
			for _, e := range s.Lhs {
				if id, ok := e.(*ast.Ident); ok && id.Obj != nil && id.Obj.Decl == s {
					add(id)
				}
			}
		}
	case *ast.DeclStmt:
		if g, ok := s.Decl.(*ast.GenDecl); ok {
			for _, spec := range g.Specs {
				switch sp := spec.(type) {
				case *ast.ValueSpec:
					for _, id := range sp.Names {
						add(id)
					}
				case *ast.TypeSpec:
					add(sp.Name)
				}
			}
		}
	}
	return out
}
