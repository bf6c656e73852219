package hopfieldlib

import (
	"errors"
	"math"
	"testing"
)

func TestPatternSeparations(t *testing.T) {
	tests := []struct {
		name  string
		rows  [][]float32
		delta []float64
		rival []int
	}{
		// Orthonormal: Δ = 1 − 0 for each, the rival is the lowest other index.
		{"orthonormal", [][]float32{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}, []float64{1, 1, 1}, []int{1, 0, 0}},
		// By hand: x1·x1 = 4, x1·x2 = 3.2, x2·x2 = 4, x1·x3 = −2.6, x2·x3 = −0.28 (x3 = (−1.3, 1.5)),
		// x3·x3 = 3.94: Δ1 = 0.8, Δ2 = 0.8, Δ3 = 3.94 − (−0.28) = 4.22.
		{"2-D", [][]float32{{2, 0}, {1.6, 1.2}, {-1.3, 1.5}}, []float64{0.8, 0.8, 4.22}, []int{1, 0, 1}},
		// A bolder copy in the same direction wins: Δ1 = 1 − 2 = −1, Δ2 = 4 − 2 = 2.
		{"negative", [][]float32{{1, 0}, {2, 0}}, []float64{-1, 2}, []int{1, 0}},
	}
	for _, tc := range tests {
		p, err := NewPatterns(tc.rows)
		if err != nil {
			t.Fatal(err)
		}
		d, r, err := PatternSeparations(p)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		for i := range d {
			if math.Abs(d[i]-tc.delta[i]) > 1e-5 || r[i] != tc.rival[i] {
				t.Errorf("%s: pattern %d: Δ = %v, rival %d; want %v, %d", tc.name, i, d[i], r[i], tc.delta[i], tc.rival[i])
			}
		}
	}
}

func TestPatternSeparationsPredictsRetrieval(t *testing.T) {
	// Property (Ramsauer et al. Theorem 5): with βΔ_i ≥ ln(K−1) + 10 the weight of x_i at ξ = x_i
	// is at least 1 − e^{−10}, so one update from x_i stays within 2e^{−10}·M of x_i.
	x := contRandom(t, 40, 64, 0, 1, 7)
	d, _, err := PatternSeparations(x)
	if err != nil {
		t.Fatal(err)
	}
	minD := math.Inf(1)
	for _, v := range d {
		minD = min(minD, v)
	}
	if minD <= 0 {
		t.Fatalf("random uniform patterns should be separated, min Δ = %v", minD)
	}
	beta := (math.Log(float64(x.Len()-1)) + 10) / minD
	net, err := NewContinuous(x, beta, ContinuousConfig{Backend: contBackend(t)})
	if err != nil {
		t.Fatal(err)
	}
	w, err := net.Weights(x)
	if err != nil {
		t.Fatal(err)
	}
	for i := range x.Len() {
		if p := float64(w.At(i, i)); p < 1-math.Exp(-10)-1e-6 {
			t.Errorf("pattern %d: own weight %v at β = %v, want ≥ 1 − e^-10", i, p, beta)
		}
	}
}

func TestPatternSeparationsErrors(t *testing.T) {
	one, err := NewPatterns([][]float32{{1, 2}})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := PatternSeparations(one); !errors.Is(err, ErrEmpty) {
		t.Errorf("one pattern: err = %v, want ErrEmpty", err)
	}
	if _, _, err := PatternSeparations(nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("nil: err = %v, want ErrEmpty", err)
	}
	if _, _, err := PatternSeparations(&Patterns{}); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: err = %v, want ErrEmpty", err)
	}
}

func TestDistinctStates(t *testing.T) {
	p, err := NewPatterns([][]float32{{0, 0}, {1, 1}, {0.001, 0}, {1, 1.002}, {5, 5}})
	if err != nil {
		t.Fatal(err)
	}
	reps, counts, err := DistinctStates(p, 0.01)
	if err != nil {
		t.Fatal(err)
	}
	// Groups in order of first appearance: {0, 2}, {1, 3}, {4}.
	if reps.Len() != 3 || reps.At(1, 0) != 1 || reps.At(2, 0) != 5 || len(counts) != 3 ||
		counts[0] != 2 || counts[1] != 2 || counts[2] != 1 {
		t.Errorf("DistinctStates = %v %v, want representatives (0,0), (1,1), (5,5) with counts 2, 2, 1", reps.Rows(), counts)
	}
	// tol 0: every row differs.
	if _, counts, _ := DistinctStates(p, 0); len(counts) != 5 {
		t.Errorf("tol 0: %d groups, want 5", len(counts))
	}
	if _, _, err := DistinctStates(p, -1); !errors.Is(err, ErrParameter) {
		t.Errorf("tol -1: err = %v, want ErrParameter", err)
	}
	if _, _, err := DistinctStates(&Patterns{}, 0.1); !errors.Is(err, ErrEmpty) {
		t.Errorf("empty: err = %v, want ErrEmpty", err)
	}
}

func TestDistinctStatesGlobalFixedPoint(t *testing.T) {
	// Property: at tiny β every start goes to the one global fixed point (Ramsauer et al.,
	// Lemma A7); at large β to one fixed point per well-separated pattern.
	x, err := NewPatterns([][]float32{{2, 0}, {-1.3, 1.5}, {-0.7, -1.9}})
	if err != nil {
		t.Fatal(err)
	}
	starts := contRandom(t, 60, 2, -3, 3, 5)
	for _, tc := range []struct {
		beta float64
		want int
	}{{0.05, 1}, {10, 3}} {
		net, err := NewContinuous(x, tc.beta, ContinuousConfig{Backend: contBackend(t)})
		if err != nil {
			t.Fatal(err)
		}
		res, err := net.Recall(starts, RecallOptions{MaxSteps: 1000, Tol: 1e-7})
		if err != nil {
			t.Fatal(err)
		}
		_, counts, err := DistinctStates(res.States, 1e-3)
		if err != nil {
			t.Fatal(err)
		}
		if len(counts) != tc.want {
			t.Errorf("β = %v: %d distinct fixed points %v, want %d", tc.beta, len(counts), counts, tc.want)
		}
	}
}
