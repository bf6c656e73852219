package checks

import (
	"math"
	"strings"
	"testing"
)

func TestCloseMatrix(t *testing.T) {
	want := [][]float64{{0, 0.5}, {0.5, 0}}
	tests := []struct {
		name    string
		got     [][]float64
		ok      bool
		message string // part of the failure message
	}{
		{"equal", [][]float64{{0, 0.5}, {0.5, 0}}, true, ""},
		{"within tol", [][]float64{{0, 0.5000001}, {0.5, 0}}, true, ""},
		{"rows", [][]float64{{0, 0.5}}, false, "W has 1 rows, expected 2"},
		{"nil", nil, false, "W has 0 rows, expected 2"},
		{"ragged", [][]float64{{0, 0.5}, {0.5}}, false, "W: row 1 has 1 entries, expected 2"},
		{"entry", [][]float64{{0, 0.5}, {0.25, 0}}, false, "W: 1 of 4 entries differs; the first is [1][0], which is 0.25, expected 0.5"},
		{"NaN", [][]float64{{math.NaN(), 0.5}, {0.5, 0}}, false, "the first is [0][0], which is NaN"},
		{"Inf", [][]float64{{0, 0.5}, {0.5, math.Inf(1)}}, false, "the first is [1][1], which is +Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ok bool
			stdout, stderr := run(func(e *Exercise) { ok = CloseMatrix(e, "W", tt.got, want, 1e-6) })
			if ok != tt.ok {
				t.Fatalf("CloseMatrix = %v, want %v (stderr %q)", ok, tt.ok, stderr)
			}
			if tt.ok {
				if !strings.Contains(stdout, "all 1 checks passed") {
					t.Fatalf("stdout %q", stdout)
				}
				return
			}
			if !strings.Contains(stderr, tt.message) {
				t.Fatalf("stderr %q does not contain %q", stderr, tt.message)
			}
		})
	}
}

func TestCloseMatrixFloat32(t *testing.T) {
	_, stderr := run(func(e *Exercise) {
		CloseMatrix(e, "W", [][]float32{{1, 2}}, [][]float32{{1, 2}}, 0)
	})
	if stderr != "" {
		t.Fatalf("stderr %q", stderr)
	}
}
