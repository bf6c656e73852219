package checks

import (
	"bytes"
	"math"
	"strings"
	"testing"
)

func run(f func(e *Exercise)) (stdout, stderr string) {
	var out, errw bytes.Buffer
	e := NewExercise("Exercise 1", &out, &errw)
	f(e)
	e.Done()
	return out.String(), errw.String()
}

func TestAllPassed(t *testing.T) {
	stdout, stderr := run(func(e *Exercise) {
		if e.Run(func() {}) {
			Equal(e, "rows", 3, 3)
			e.Close("w", 0.5, 0.5000001, 1e-6)
			CloseSlices(e, "state", []float32{1, -1}, []float32{1, -1}, 0)
			e.Check(true, "never shown")
			e.NoError("call", nil)
		}
	})
	if stdout != "✓ Exercise 1: all 6 checks passed\n" || stderr != "" {
		t.Fatalf("stdout %q, stderr %q", stdout, stderr)
	}
}

func TestFailures(t *testing.T) {
	tests := []struct {
		name string
		do   func(e *Exercise)
		want string
	}{
		{"other panic", func(e *Exercise) { e.Run(func() { panic("index out of range") }) }, "your code panicked: index out of range"},
		{"equal", func(e *Exercise) { Equal(e, "the number of steps", 4, 2) }, "the number of steps is 4, expected 2"},
		{"equal floats that print alike", func(e *Exercise) { Equal(e, "s", float32(1.0000001), 1) }, "s is 1.0000001, expected 1"},
		{"close", func(e *Exercise) { e.Close("the energy", -1.5, -2, 1e-6) }, "the energy is -1.5, expected -2 (off by 0.5, allowed 1e-06)"},
		{"close, equal to 6 digits", func(e *Exercise) { e.Close("the sum", 392.0004, 392, 1e-6) }, "the sum is 392.0004, expected 392 (off by 0.0004, allowed 1e-06)"},
		{"close, exact", func(e *Exercise) { e.Close("the count", 3, 2, 0) }, "the count is 3, expected exactly 2 (off by 1)"},
		{"NaN", func(e *Exercise) { e.Close("the energy", math.NaN(), 0, 1) }, "the energy is NaN, expected the finite value 0"},
		{"length", func(e *Exercise) { CloseSlices(e, "ξ", []float64{1}, []float64{1, 2}, 0) }, "ξ has 1 entries, expected 2"},
		{"entry", func(e *Exercise) { CloseSlices(e, "ξ", []float64{1, 3, 4}, []float64{1, 2, 4}, 0.1) }, "ξ: 1 of 3 entries differs; the first is entry 1, which is 3, expected 2 (off by 1, allowed 0.1)"},
		{"entries", func(e *Exercise) { CloseSlices(e, "ξ", []float64{0, 3, 5}, []float64{1, 2, 4}, 0) }, "ξ: 3 of 3 entries differ; the first is entry 0, which is 0, expected exactly 1"},
		{"check", func(e *Exercise) { e.Check(false, "W[%d][%d] should be 0", 2, 2) }, "W[2][2] should be 0"},
		{"error", func(e *Exercise) { e.NoError("NewClassical", errTest) }, "NewClassical returned an error: boom"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			stdout, stderr := run(tt.do)
			if stdout != "" || !strings.Contains(stderr, tt.want) || !strings.HasPrefix(stderr, "✗ Exercise 1: 1 of 1 checks failed") {
				t.Fatalf("stdout %q, stderr %q; want stderr containing %q", stdout, stderr, tt.want)
			}
		})
	}
}

// A released stub reports that the exercise is not implemented, and nothing about check counts.
func TestStubSaysNotImplemented(t *testing.T) {
	stdout, stderr := run(func(e *Exercise) {
		if e.Run(func() { panic(NotImplemented) }) {
			e.Check(false, "never reached")
		}
		if e.Run(func() { panic(NotImplemented) }) {
			e.Check(false, "never reached")
		}
	})
	if stdout != "" || !strings.HasPrefix(stderr, "✗ Exercise 1: not implemented yet.") || strings.Contains(stderr, "checks failed") ||
		strings.Count(stderr, "\n") != 1 {
		t.Fatalf("stdout %q, stderr %q", stdout, stderr)
	}
	// A stub beside a real failure lists both.
	_, stderr = run(func(e *Exercise) {
		e.Run(func() { panic(NotImplemented) })
		e.Check(false, "W should be symmetric")
	})
	if !strings.Contains(stderr, "1 of 2 checks failed") || !strings.Contains(stderr, "W should be symmetric") || !strings.Contains(stderr, "still panics with \"not implemented\"") {
		t.Fatalf("stderr %q", stderr)
	}
}

func TestFailedCountsTheStub(t *testing.T) {
	e := NewExercise("x", &bytes.Buffer{}, &bytes.Buffer{})
	e.Run(func() { panic(NotImplemented) })
	if !e.Failed() {
		t.Error("Failed() is false after the stub panicked")
	}
}

func TestPair(t *testing.T) {
	tenth, fifth := 0.1, 0.2 // variables: 0.1 + 0.2 as constants is exactly 0.3
	for _, tc := range []struct {
		got, want float64
		g, w      string
	}{
		{392.0004, 392, "392.0004", "392"},
		{tenth + fifth, 0.3, "0.30000000000000004", "0.3"},
		{1, 1, "1", "1"},
		{-2.5e-8, 1e-8, "-2.5e-08", "1e-08"},
		{math.Inf(1), 3, "+Inf", "3"},
	} {
		if g, w := Pair(tc.got, tc.want); g != tc.g || w != tc.w {
			t.Errorf("Pair(%v, %v) = %q, %q; want %q, %q", tc.got, tc.want, g, w, tc.g, tc.w)
		}
	}
}

type testError string

func (e testError) Error() string { return string(e) }

const errTest = testError("boom")
