package checks

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func run(f func(e *Exercise)) (stdout, stderr string, status int) {
	var out, errw bytes.Buffer
	status = -1
	e := NewExercise("Exercise 1", &out, &errw, func(code int) { status = code })
	f(e)
	e.Done()
	return out.String(), errw.String(), status
}

func TestAllPassed(t *testing.T) {
	stdout, stderr, status := run(func(e *Exercise) {
		if e.Run(func() {}) {
			Equal(e, "rows", 3, 3)
			e.Close("w", 0.5, 0.5000001, 1e-6)
			CloseSlices(e, "state", []float32{1, -1}, []float32{1, -1}, 0)
			e.Check(true, "never shown")
			e.NoError("call", nil)
		}
	})
	if stdout != "✓ Exercise 1: all 6 checks passed\n" || stderr != "" || status != -1 {
		t.Fatalf("stdout %q, stderr %q, status %d", stdout, stderr, status)
	}
}

func TestFailures(t *testing.T) {
	tests := []struct {
		name string
		do   func(e *Exercise)
		want string
	}{
		{"not implemented", func(e *Exercise) { e.Run(func() { panic(NotImplemented) }) }, "panic: not implemented: the exercise still has its stub"},
		{"other panic", func(e *Exercise) { e.Run(func() { panic("index out of range") }) }, "your code panicked: index out of range"},
		{"equal", func(e *Exercise) { Equal(e, "the number of steps", 4, 2) }, "the number of steps is 4, expected 2"},
		{"close", func(e *Exercise) { e.Close("the energy", -1.5, -2, 1e-6) }, "the energy is -1.5, expected -2"},
		{"NaN", func(e *Exercise) { e.Close("the energy", math.NaN(), 0, 1) }, "the energy is NaN, expected the finite value 0"},
		{"length", func(e *Exercise) { CloseSlices(e, "ξ", []float64{1}, []float64{1, 2}, 0) }, "ξ has 1 entries, expected 2"},
		{"entry", func(e *Exercise) { CloseSlices(e, "ξ", []float64{1, 3}, []float64{1, 2}, 0.1) }, "ξ differs at entry 1: 3, expected 2"},
		{"check", func(e *Exercise) { e.Check(false, "W[%d][%d] should be 0", 2, 2) }, "W[2][2] should be 0"},
		{"error", func(e *Exercise) { e.NoError("NewClassical", errTest) }, "NewClassical returned an error: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr, status := run(tt.do)
			if stdout != "" || status != 1 || !strings.Contains(stderr, tt.want) || !strings.HasPrefix(stderr, "✗ Exercise 1: 1 of 1 checks failed") {
				t.Fatalf("stdout %q, stderr %q, status %d; want stderr containing %q", stdout, stderr, status, tt.want)
			}
		})
	}
}

type testError string

func (e testError) Error() string { return string(e) }

const errTest = testError("boom")
