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
		{"entry", [][]float64{{0, 0.5}, {0.25, 0}}, false, "W differs at [1][0]: 0.25, expected 0.5"},
		{"NaN", [][]float64{{math.NaN(), 0.5}, {0.5, 0}}, false, "W differs at [0][0]: NaN"},
		{"Inf", [][]float64{{0, 0.5}, {0.5, math.Inf(1)}}, false, "W differs at [1][1]: +Inf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var ok bool
			stdout, stderr, status := run(func(e *Exercise) { ok = CloseMatrix(e, "W", tt.got, want, 1e-6) })
			if ok != tt.ok {
				t.Fatalf("CloseMatrix = %v, want %v (stderr %q)", ok, tt.ok, stderr)
			}
			if tt.ok {
				if status != -1 || !strings.Contains(stdout, "all 1 checks passed") {
					t.Fatalf("stdout %q, status %d", stdout, status)
				}
				return
			}
			if status != 1 || !strings.Contains(stderr, tt.message) {
				t.Fatalf("stderr %q does not contain %q (status %d)", stderr, tt.message, status)
			}
		})
	}
}

func TestCloseMatrixFloat32(t *testing.T) {
	_, stderr, status := run(func(e *Exercise) {
		CloseMatrix(e, "W", [][]float32{{1, 2}}, [][]float32{{1, 2}}, 0)
	})
	if status != -1 || stderr != "" {
		t.Fatalf("stderr %q, status %d", stderr, status)
	}
}
