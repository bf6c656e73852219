package grading

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/scanner"
	"go/token"
	"sort"
	"strings"
)

// The markers and stubs of the course's notebooks (the same strings nbgrader_config.py sets).
const (
	BeginSolution = "// BEGIN SOLUTION"
	EndSolution   = "// END SOLUTION"
	BeginHidden   = "// BEGIN HIDDEN TESTS"
	EndHidden     = "// END HIDDEN TESTS"
	// CodeStub replaces a solution region: it compiles in any function body and fails the cell.
	CodeStub = `panic("not implemented") // YOUR CODE HERE`
	// AnswerStub replaces a Markdown answer.
	AnswerStub = "YOUR ANSWER HERE"
)

// Sentinel errors of release. Every error about a cell is a *CellError wrapping one of them.
var (
	// ErrMarker reports a solution or hidden-test marker that release cannot apply: unbalanced,
	// nested, outside a function body, in the wrong kind of cell, or a region whose removal
	// would leave code that does not compile.
	ErrMarker = errors.New("grading: misplaced marker")
	// ErrMetadata reports nbgrader cell metadata that grading cannot work with: a graded or
	// solution cell without a grade_id, a grade_id used twice, negative points.
	ErrMetadata = errors.New("grading: bad nbgrader metadata")
)

// CellError says which notebook, cell and line a release problem is in.
type CellError struct {
	Err      error  // ErrMarker or ErrMetadata
	Notebook string // file name
	Cell     int    // index of the cell in the notebook
	GradeID  string // the cell's nbgrader grade_id, if any
	Line     int    // 1-based line in the cell, 0 if the problem is the whole cell
	Msg      string
}

func (e *CellError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%v: %s: cell %d", e.Err, e.Notebook, e.Cell)
	if e.GradeID != "" {
		fmt.Fprintf(&b, " (%s)", e.GradeID)
	}
	if e.Line > 0 {
		fmt.Fprintf(&b, ", line %d", e.Line)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func (e *CellError) Unwrap() error { return e.Err }

// region is a marked block of a cell: the 0-based line indexes of its BEGIN and END lines.
type region struct {
	begin, end int
}

// markerKind names a pair of delimiters.
type markerKind struct {
	name       string // "solution" or "hidden tests"
	begin, end string
}

var (
	solutionMarkers = markerKind{"solution", BeginSolution, EndSolution}
	hiddenMarkers   = markerKind{"hidden tests", BeginHidden, EndHidden}
)

// findRegions returns the balanced, non-nested regions of kind k in lines. A line that mentions a
// delimiter without being exactly it (after trimming blanks) is an error too: a mistyped marker
// would otherwise ship a solution.
func findRegions(lines []string, k markerKind) ([]region, *CellError) {
	var out []region
	open := -1
	bare := func(s string) string { return strings.TrimPrefix(s, "// ") }
	for i, line := range lines {
		t := strings.TrimSpace(line)
		switch {
		case t == k.begin:
			if open >= 0 {
				return nil, &CellError{Err: ErrMarker, Line: i + 1, Msg: fmt.Sprintf("%q inside the region opened on line %d (regions cannot nest)", k.begin, open+1)}
			}
			open = i
		case t == k.end:
			if open < 0 {
				return nil, &CellError{Err: ErrMarker, Line: i + 1, Msg: fmt.Sprintf("%q without a %q before it", k.end, k.begin)}
			}
			out = append(out, region{open, i})
			open = -1
		case strings.Contains(t, bare(k.begin)) || strings.Contains(t, bare(k.end)):
			return nil, &CellError{Err: ErrMarker, Line: i + 1, Msg: fmt.Sprintf("a %s marker must be alone on its line, exactly %q or %q; found %q", k.name, k.begin, k.end, t)}
		}
	}
	if open >= 0 {
		return nil, &CellError{Err: ErrMarker, Line: open + 1, Msg: fmt.Sprintf("%q without a matching %q", k.begin, k.end)}
	}
	return out, nil
}

// mentionsMarkers reports whether any line names a delimiter of kind k.
func mentionsMarkers(lines []string, k markerKind) int {
	for i, line := range lines {
		if strings.Contains(line, strings.TrimPrefix(k.begin, "// ")) || strings.Contains(line, strings.TrimPrefix(k.end, "// ")) {
			return i + 1
		}
	}
	return 0
}

// isMainLine reports whether a GoNB cell line starts the cell's main body ("%%" or "%main" at the
// start of the line, optionally behind GoNB's "//gonb:" comment prefix): every line after it is
// inside func main.
func isMainLine(line string) bool {
	t := strings.TrimRight(strings.TrimPrefix(line, "//gonb:"), " \t\r")
	if strings.HasPrefix(t, "%main") {
		return true
	}
	return strings.HasPrefix(t, "%%") && (len(t) == 2 || t[2] == ' ' || t[2] == '\t')
}

// isSpecialLine reports whether a GoNB cell line is a special command (%…) or shell line (!…),
// which GoNB does not compile as Go: as GoNB reads them (internal/specialcmd), the "%" or "!"
// is the line's first character (behind an optional "//gonb:"), so an indented "!ok" is Go.
func isSpecialLine(line string) bool {
	t := strings.TrimPrefix(line, "//gonb:")
	return len(t) > 1 && (t[0] == '%' || t[0] == '!')
}

// goFile turns a GoNB cell into the Go file GoNB compiles from it: "package main", special lines
// blanked, "%%" opening func main (closed at the end). Line i of the cell is line i+2 of the file.
func goFile(lines []string) string {
	var b strings.Builder
	b.WriteString("package main\n")
	inMain := false
	for _, line := range lines {
		switch {
		case isMainLine(line) && !inMain:
			b.WriteString("func main() {")
			inMain = true
		case isSpecialLine(line), strings.HasPrefix(line, "package"):
		default:
			b.WriteString(line)
		}
		b.WriteByte('\n')
	}
	if inMain {
		b.WriteString("}\n")
	}
	return b.String()
}

// bodyFrames returns, for each line of the cell, the chain of function bodies open at the start
// of that line, as a string of body ids ("" outside any function). It tokenizes the cell with
// go/scanner, so braces in strings and comments do not count, and works on code that does not
// parse. A "{" is a function body when it follows "func" and its signature at the same nesting;
// the main body of "%%" counts as a function.
func bodyFrames(lines []string) []string {
	src := goFile(lines)
	fset := token.NewFileSet()
	file := fset.AddFile("cell.go", -1, len(src))
	var s scanner.Scanner
	s.Init(file, []byte(src), func(token.Position, string) {}, 0)

	type brace struct {
		id   int
		body bool
	}
	type pending struct{ braces, parens int }
	var (
		stack    []brace
		funcs    []pending
		parens   int
		nextID   int
		prev     token.Token
		frames   = make([]string, len(lines)+3)
		lastLine = 0
	)
	chain := func() string {
		var b strings.Builder
		for _, br := range stack {
			if br.body {
				fmt.Fprintf(&b, "%d.", br.id)
			}
		}
		return b.String()
	}
	record := func(upTo int) {
		for l := lastLine + 1; l <= upTo && l < len(frames); l++ {
			frames[l] = chain()
		}
		if upTo > lastLine {
			lastLine = upTo
		}
	}
	for {
		pos, tok, _ := s.Scan()
		if tok == token.EOF {
			break
		}
		// Every line up to this token's starts with the stack as it is now.
		record(fset.Position(pos).Line)
		switch tok {
		case token.FUNC:
			funcs = append(funcs, pending{len(stack), parens})
		case token.LPAREN:
			parens++
		case token.RPAREN:
			parens--
			for len(funcs) > 0 && funcs[len(funcs)-1].parens > parens {
				funcs = funcs[:len(funcs)-1]
			}
		case token.SEMICOLON:
			for len(funcs) > 0 && funcs[len(funcs)-1].braces == len(stack) && funcs[len(funcs)-1].parens == parens {
				funcs = funcs[:len(funcs)-1]
			}
		case token.LBRACE:
			nextID++
			br := brace{id: nextID}
			if prev != token.STRUCT && prev != token.INTERFACE && len(funcs) > 0 {
				top := funcs[len(funcs)-1]
				if top.braces == len(stack) && top.parens == parens {
					br.body = true
					for len(funcs) > 0 && funcs[len(funcs)-1].braces == len(stack) {
						funcs = funcs[:len(funcs)-1]
					}
				}
			}
			stack = append(stack, br)
		case token.RBRACE:
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			for len(funcs) > 0 && funcs[len(funcs)-1].braces > len(stack) {
				funcs = funcs[:len(funcs)-1]
			}
		}
		prev = tok
	}
	record(len(frames) - 1)
	// File line l+2 is cell line l.
	out := make([]string, len(lines))
	for i := range lines {
		out[i] = frames[i+2]
	}
	return out
}

// checkInFunction verifies that each region's BEGIN and END lines sit directly in the same
// function body, so that replacing the region by one statement keeps the code well formed.
func checkInFunction(lines []string, regions []region, k markerKind) *CellError {
	frames := bodyFrames(lines)
	for _, r := range regions {
		if frames[r.begin] == "" {
			return &CellError{Err: ErrMarker, Line: r.begin + 1, Msg: fmt.Sprintf("%q is outside a function body; put the %s inside the body of the function the student writes", k.begin, k.name)}
		}
		if frames[r.begin] != frames[r.end] {
			return &CellError{Err: ErrMarker, Line: r.end + 1, Msg: fmt.Sprintf("%q is not in the same block as the %q on line %d; the region must open and close inside one function body", k.end, k.begin, r.begin+1)}
		}
	}
	return nil
}

// checkRemovable verifies, when the cell parses as Go, that removing the regions leaves code that
// still compiles as far as names go: no local variable declared before a region and used only
// inside it ("declared and not used" after release), and nothing declared inside a region and
// used after it ("undefined" after release).
func checkRemovable(lines []string, regions []region, k markerKind) *CellError {
	if len(regions) == 0 {
		return nil
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "cell.go", goFile(lines), 0)
	if err != nil {
		return nil // GoNB reports what does not parse when the source notebook runs.
	}
	cellLine := func(p token.Pos) int { return fset.Position(p).Line - 2 } // 0-based cell line
	in := func(r region, p token.Pos) bool { l := cellLine(p); return l > r.begin && l < r.end }

	// Uses of each object declared in the file, by its declaring identifier.
	uses := map[*ast.Object][]*ast.Ident{}
	ast.Inspect(f, func(n ast.Node) bool {
		if id, ok := n.(*ast.Ident); ok && id.Obj != nil && id.Obj.Pos() != id.Pos() {
			uses[id.Obj] = append(uses[id.Obj], id)
		}
		return true
	})
	// Local variables: objects declared inside some function body.
	var bodies []*ast.BlockStmt
	ast.Inspect(f, func(n ast.Node) bool {
		switch fn := n.(type) {
		case *ast.FuncDecl:
			if fn.Body != nil {
				bodies = append(bodies, fn.Body)
			}
		case *ast.FuncLit:
			bodies = append(bodies, fn.Body)
		}
		return true
	})
	local := func(p token.Pos) bool {
		for _, b := range bodies {
			if p > b.Lbrace && p < b.Rbrace {
				return true
			}
		}
		return false
	}
	objs := make([]*ast.Object, 0, len(uses))
	for obj := range uses {
		objs = append(objs, obj)
	}
	sort.Slice(objs, func(i, j int) bool { return objs[i].Pos() < objs[j].Pos() })
	for _, obj := range objs {
		ids := uses[obj]
		decl := obj.Pos()
		if !decl.IsValid() {
			continue
		}
		for _, r := range regions {
			switch {
			case in(r, decl):
				for _, id := range ids {
					if cellLine(id.Pos()) > r.end {
						return &CellError{Err: ErrMarker, Line: cellLine(id.Pos()) + 1, Msg: fmt.Sprintf("%s is declared inside the %s region (lines %d-%d) and used after it: the released cell would not compile", obj.Name, k.name, r.begin+1, r.end+1)}
					}
				}
			case obj.Kind == ast.Var && local(decl) && cellLine(decl) < r.begin:
				inside, outside := 0, 0
				for _, id := range ids {
					if in(r, id.Pos()) {
						inside++
					} else {
						outside++
					}
				}
				if inside > 0 && outside == 0 {
					return &CellError{Err: ErrMarker, Line: cellLine(decl) + 1, Msg: fmt.Sprintf("variable %s is used only inside the %s region (lines %d-%d): the released cell would not compile (declared and not used); declare it inside the region", obj.Name, k.name, r.begin+1, r.end+1)}
				}
			}
		}
	}
	return nil
}
