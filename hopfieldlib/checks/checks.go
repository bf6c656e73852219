// Package checks gives the course's exercises their immediate feedback: a check cell after an
// exercise calls the student's code through an Exercise, compares what came with what was
// expected, and ends with Done, which prints one line when everything passed or, when something
// did not, a list of what is wrong in plain words on stderr and ends the cell with exit status 1.
//
//	ex := checks.Start("Exercise 1: Hebbian weights")
//	var w *hopfieldlib.Patterns
//	if ex.Run(func() { w = HebbianWeights(stored) }) {
//		ex.Equal("the number of rows of W", w.Len(), 4)
//		ex.Close("W[0][1] for the two patterns of the text", float64(w.At(0, 1)), 0.5, 1e-6)
//	}
//	ex.Done()
//
// A failed check is reported on stderr because that is what the grader (and nbgrader, through
// the cell's error) reads as a failed test cell; the passing line goes to stdout. Unlike the rest
// of hopfieldlib, this package prints: that is its job. It is meant for notebook cells, where each
// cell is a process of its own; tests build an Exercise with NewExercise and their own writers.
package checks

import (
	"fmt"
	"io"
	"math"
	"os"
	"strings"
)

// NotImplemented is the panic value of a released exercise stub (`panic("not implemented")`).
const NotImplemented = "not implemented"

// Exercise collects the results of the checks of one exercise.
type Exercise struct {
	name     string
	out, err io.Writer
	exit     func(int)
	checks   int
	failures []string
	stopped  bool // the student's code did not run to its end: later checks are moot
}

// Start begins the checks of the named exercise, reporting on os.Stdout and os.Stderr and ending
// the process with os.Exit(1) when a check failed.
func Start(name string) *Exercise { return NewExercise(name, os.Stdout, os.Stderr, os.Exit) }

// NewExercise is Start with the writers and the exit function given (for tests and tools).
func NewExercise(name string, stdout, stderr io.Writer, exit func(int)) *Exercise {
	return &Exercise{name: name, out: stdout, err: stderr, exit: exit}
}

// Run calls the student's code f and reports whether it returned normally. A panic is recovered
// and becomes a failure: "not implemented" (the released stub) says where to write the code; any
// other panic is quoted. Checks that use f's results belong inside `if ex.Run(...) { ... }`.
func (e *Exercise) Run(f func()) (ok bool) {
	e.checks++
	defer func() {
		if r := recover(); r != nil {
			ok = false
			e.stopped = true
			if s, isString := r.(string); isString && s == NotImplemented {
				e.fail("panic: not implemented: the exercise still has its stub; replace `panic(\"not implemented\")` with your code in the cell above and run that cell again")
				return
			}
			e.fail(fmt.Sprintf("your code panicked: %v", r))
		}
	}()
	f()
	return true
}

// Check records a condition; when it is false, the failure message is format with args: write it
// as what is wrong and, where it helps, what to look at ("the diagonal of W should be zero, W[2][2] = 0.25").
func (e *Exercise) Check(ok bool, format string, args ...any) bool {
	e.checks++
	if !ok {
		e.fail(fmt.Sprintf(format, args...))
	}
	return ok
}

// NoError checks that err is nil; what names the call ("NewClassical on the four patterns").
func (e *Exercise) NoError(what string, err error) bool {
	e.checks++
	if err != nil {
		e.fail(fmt.Sprintf("%s returned an error: %v", what, err))
		return false
	}
	return true
}

// Equal checks got == want for integers, strings and booleans; what names the quantity.
func Equal[T comparable](e *Exercise, what string, got, want T) bool {
	e.checks++
	if got != want {
		e.fail(fmt.Sprintf("%s is %v, expected %v", what, got, want))
		return false
	}
	return true
}

// Close checks |got − want| ≤ tol (NaN and ±Inf never pass); what names the quantity.
func (e *Exercise) Close(what string, got, want, tol float64) bool {
	e.checks++
	if math.IsNaN(got) || math.IsInf(got, 0) {
		e.fail(fmt.Sprintf("%s is %v, expected the finite value %.6g", what, got, want))
		return false
	}
	if math.Abs(got-want) > tol {
		e.fail(fmt.Sprintf("%s is %.6g, expected %.6g (within %.2g)", what, got, want, tol))
		return false
	}
	return true
}

// CloseSlices checks that got and want have the same length and agree within tol entry by entry,
// naming the first entry that does not.
func CloseSlices[F float32 | float64](e *Exercise, what string, got, want []F, tol float64) bool {
	e.checks++
	if len(got) != len(want) {
		e.fail(fmt.Sprintf("%s has %d entries, expected %d", what, len(got), len(want)))
		return false
	}
	if i := firstMismatch(got, want, tol); i >= 0 {
		e.fail(fmt.Sprintf("%s differs at entry %d: %.6g, expected %.6g (within %.2g)", what, i, float64(got[i]), float64(want[i]), tol))
		return false
	}
	return true
}

// firstMismatch returns the first index at which got (NaN, ±Inf, or off by more than tol) does
// not match want, or -1; got and want have the same length.
func firstMismatch[F float32 | float64](got, want []F, tol float64) int {
	for i := range got {
		g, w := float64(got[i]), float64(want[i])
		if math.IsNaN(g) || math.IsInf(g, 0) || math.Abs(g-w) > tol {
			return i
		}
	}
	return -1
}

// Failed reports whether a check has failed so far.
func (e *Exercise) Failed() bool { return len(e.failures) > 0 }

// Done reports: one line on stdout when every check passed; otherwise every failure on stderr,
// then the exit function with status 1 (the cell fails, and so does its test when graded).
func (e *Exercise) Done() {
	if len(e.failures) == 0 {
		fmt.Fprintf(e.out, "✓ %s: all %d checks passed\n", e.name, e.checks)
		return
	}
	var b strings.Builder
	fmt.Fprintf(&b, "✗ %s: %d of %d checks failed\n", e.name, len(e.failures), e.checks)
	for _, f := range e.failures {
		fmt.Fprintf(&b, "  - %s\n", f)
	}
	if e.stopped {
		b.WriteString("  (checks that need your code's results were not run)\n")
	}
	io.WriteString(e.err, b.String())
	e.exit(1)
}

func (e *Exercise) fail(msg string) { e.failures = append(e.failures, msg) }
