// Package checks gives the course's exercises their immediate feedback: a check cell after an
// exercise calls the student's code through an Exercise, compares what came with what was
// expected, and ends with Done, which prints one line when everything passed or, when something
// did not, a list of what is wrong in plain words on stderr.
//
//	ex := checks.Start("Exercise 1: Hebbian weights")
//	var w [][]float64
//	if ex.Run(func() { w = HebbianWeights(stored) }) {
//		checks.Equal(ex, "the number of rows of W", len(w), 4)
//		ex.Close("W[0][1] for the two patterns of the text", w[0][1], 0.5, 1e-6)
//	}
//	ex.Done()
//
// Feedback is written for a student: a value that differs is printed with enough digits to see
// how (never "392, expected 392"), with the difference and the tolerance; a slice names the
// first entry that differs and how many do; an exercise that still has its stub says only that.
//
// A failed check is reported on stderr because that is what graders read as a failed test cell
// (hopfield grade, and nbgrader from 0.6.2 on); the passing line goes to stdout. Done does not
// end the process with a non-zero status: GoNB would print a bare "exit status 1" under the
// feedback, and stderr alone already fails the cell. Unlike the rest of hopfieldlib this
// package prints: that is its job. It is meant for notebook cells, where each cell is a process
// of its own; tests build an Exercise with NewExercise and their own writers.
package checks

import (
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"
)

// NotImplemented is the panic value of a released exercise stub (`panic("not implemented")`).
const NotImplemented = "not implemented"

// StubFeedback is what Done writes (after the exercise's name) when the exercise still has its
// stub; tools that run student versions recognize the expected failure by it.
const StubFeedback = "not implemented yet. Replace `panic(\"not implemented\")` in the exercise cell above with your code, run that cell, then run this one again."

// Exercise collects the results of the checks of one exercise.
type Exercise struct {
	name     string
	out, err io.Writer
	checks   int
	failures []string
	stub     bool // the student's code is still the released stub
	stopped  bool // the student's code did not run to its end: later checks are moot
}

// Start begins the checks of the named exercise, reporting on os.Stdout and os.Stderr.
func Start(name string) *Exercise { return NewExercise(name, os.Stdout, os.Stderr) }

// NewExercise is Start with the writers given (for tests and tools).
func NewExercise(name string, stdout, stderr io.Writer) *Exercise {
	return &Exercise{name: name, out: stdout, err: stderr}
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
				e.stub = true
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
// Floating-point values print with enough digits to tell them apart.
func Equal[T comparable](e *Exercise, what string, got, want T) bool {
	e.checks++
	if got != want {
		g, w := fmt.Sprint(got), fmt.Sprint(want)
		switch x := any(got).(type) {
		case float32:
			g, w = Pair(float64(x), float64(any(want).(float32)))
		case float64:
			g, w = Pair(x, any(want).(float64))
		}
		e.fail(fmt.Sprintf("%s is %s, expected %s", what, g, w))
		return false
	}
	return true
}

// Close checks |got − want| ≤ tol (NaN and ±Inf never pass); what names the quantity.
func (e *Exercise) Close(what string, got, want, tol float64) bool {
	e.checks++
	if msg := differs(got, want, tol); msg != "" {
		e.fail(what + " " + msg)
		return false
	}
	return true
}

// CloseSlices checks that got and want have the same length and agree within tol entry by entry,
// naming the first entry that does not and how many do not.
func CloseSlices[F float32 | float64](e *Exercise, what string, got, want []F, tol float64) bool {
	e.checks++
	if len(got) != len(want) {
		e.fail(fmt.Sprintf("%s has %d entries, expected %d", what, len(got), len(want)))
		return false
	}
	if i, n := mismatches(got, want, tol); n > 0 {
		e.fail(fmt.Sprintf("%s: %s; the first is entry %d, which %s", what, countOf(n, len(got), "entry", "entries"), i,
			differs(float64(got[i]), float64(want[i]), tol)))
		return false
	}
	return true
}

// mismatches returns the first index at which got (NaN, ±Inf, or off by more than tol) does not
// match want, and how many do not; got and want have the same length.
func mismatches[F float32 | float64](got, want []F, tol float64) (first, n int) {
	first = -1
	for i := range got {
		if differs(float64(got[i]), float64(want[i]), tol) != "" {
			if first < 0 {
				first = i
			}
			n++
		}
	}
	return first, n
}

// differs describes how got differs from want beyond tol ("is 392.0004, expected 392 (off by
// 4e-04, allowed 1e-06)"), or returns "" when it does not.
func differs(got, want, tol float64) string {
	if math.IsNaN(got) || math.IsInf(got, 0) {
		if got == want { // an expected infinity
			return ""
		}
		return fmt.Sprintf("is %v, expected the finite value %s (NaN or ±Inf usually means an overflow, or 0·∞, or 0/0)", got, short(want))
	}
	d := math.Abs(got - want)
	if d <= tol {
		return ""
	}
	g, w := Pair(got, want)
	if tol == 0 {
		return fmt.Sprintf("is %s, expected exactly %s (off by %.3g)", g, w, d)
	}
	return fmt.Sprintf("is %s, expected %s (off by %.3g, allowed %.2g)", g, w, d, tol)
}

// Pair formats two numbers with the fewest significant digits (at least 6) at which they read
// differently, so that a failure never shows two equal-looking numbers.
func Pair(got, want float64) (string, string) {
	for prec := 6; prec <= 15; prec++ {
		g, w := strconv.FormatFloat(got, 'g', prec, 64), strconv.FormatFloat(want, 'g', prec, 64)
		if g != w || got == want {
			return trim(g), trim(w)
		}
	}
	// The shortest representations that read back exactly always differ for different numbers.
	return strconv.FormatFloat(got, 'g', -1, 64), strconv.FormatFloat(want, 'g', -1, 64)
}

// short formats one number with up to 6 significant digits.
func short(v float64) string { return trim(strconv.FormatFloat(v, 'g', 6, 64)) }

// trim drops trailing zeros of a decimal fraction ("0.500000" → "0.5"), keeping exponents.
func trim(s string) string {
	mant, exp, hasExp := strings.Cut(s, "e")
	if strings.Contains(mant, ".") {
		mant = strings.TrimRight(strings.TrimRight(mant, "0"), ".")
	}
	if hasExp {
		return mant + "e" + exp
	}
	return mant
}

// countOf writes "1 of 4 entries differs" or "3 of 4 entries differ".
func countOf(n, total int, one, many string) string {
	noun := many
	if total == 1 {
		noun = one
	}
	verb := "differ"
	if n == 1 {
		verb = "differs"
	}
	return fmt.Sprintf("%d of %d %s %s", n, total, noun, verb)
}

// Failed reports whether a check has failed so far (the released stub counts as a failure).
func (e *Exercise) Failed() bool { return len(e.failures) > 0 || e.stub }

// Done reports: one line on stdout when every check passed; otherwise, on stderr, either that
// the exercise still has its stub, or every failure. The cell fails (stderr), and so does its
// test when graded.
func (e *Exercise) Done() {
	switch {
	case e.stub && len(e.failures) == 0:
		fmt.Fprintf(e.err, "✗ %s: %s\n", e.name, StubFeedback)
	case len(e.failures) == 0:
		fmt.Fprintf(e.out, "✓ %s: all %d checks passed\n", e.name, e.checks)
	default:
		var b strings.Builder
		fmt.Fprintf(&b, "✗ %s: %d of %d checks failed\n", e.name, len(e.failures), e.checks)
		for _, f := range e.failures {
			fmt.Fprintf(&b, "  - %s\n", f)
		}
		if e.stub {
			b.WriteString("  - a part of your code still panics with \"not implemented\"\n")
		}
		if e.stopped {
			b.WriteString("  (checks that need your code's results were not run)\n")
		}
		io.WriteString(e.err, b.String())
	}
}

func (e *Exercise) fail(msg string) { e.failures = append(e.failures, msg) }
