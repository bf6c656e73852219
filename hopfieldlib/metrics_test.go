package hopfieldlib_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

func TestPairMetrics(t *testing.T) {
	tests := []struct {
		name       string
		a, b       []float32
		overlap    float64 // (1/N) Σ a_i b_i, by hand
		cosine     float64 // a·b / (‖a‖‖b‖), by hand
		hamming    int     // #{i : a_i ≠ b_i}, by hand
		tolOverlap float64
	}{
		{"equal spins", []float32{1, -1, 1, -1}, []float32{1, -1, 1, -1}, 1, 1, 0, 0},
		{"opposite spins", []float32{1, -1, 1, -1}, []float32{-1, 1, -1, 1}, -1, -1, 4, 0},
		{"one of four differs", []float32{1, 1, 1, 1}, []float32{1, 1, 1, -1}, 0.5, 0.5, 1, 0},
		// a·b = 3+8 = 11, ‖a‖ = √5, ‖b‖ = 5: cos = 11/(5√5) ≈ 0.98387.
		{"real vectors", []float32{1, 2}, []float32{3, 4}, 5.5, 11 / (5 * math.Sqrt(5)), 2, 1e-12},
		{"zero vector", []float32{0, 0}, []float32{3, 4}, 0, 0, 2, 0},
	}
	for _, tc := range tests {
		m, err := hopfieldlib.Overlap(tc.a, tc.b)
		if err != nil || math.Abs(m-tc.overlap) > tc.tolOverlap {
			t.Errorf("%s: Overlap = %v (%v), want %v", tc.name, m, err, tc.overlap)
		}
		c, err := hopfieldlib.Cosine(tc.a, tc.b)
		if err != nil || math.Abs(c-tc.cosine) > 1e-12 {
			t.Errorf("%s: Cosine = %v (%v), want %v", tc.name, c, err, tc.cosine)
		}
		d, err := hopfieldlib.Hamming(tc.a, tc.b)
		if err != nil || d != tc.hamming {
			t.Errorf("%s: Hamming = %v (%v), want %v", tc.name, d, err, tc.hamming)
		}
	}
}

// TestOverlapHammingProperty: for ±1 spins m = 1 - 2d/N (seeded random pairs).
func TestOverlapHammingProperty(t *testing.T) {
	p, _ := hopfieldlib.RandomSpins(40, 37, utilRand(11))
	for b := 0; b < p.Len(); b += 2 {
		m, _ := hopfieldlib.Overlap(p.Row(b), p.Row(b+1))
		d, _ := hopfieldlib.Hamming(p.Row(b), p.Row(b+1))
		if want := 1 - 2*float64(d)/37; math.Abs(m-want) > 1e-12 {
			t.Fatalf("pair %d: overlap %v, 1-2d/N %v", b, m, want)
		}
	}
}

func TestNearestAndAccuracy(t *testing.T) {
	stored := utilSet(t,
		[]float32{1, 1, 1, 1, 1, 1},
		[]float32{1, 1, 1, -1, -1, -1},
		[]float32{1, -1, 1, -1, 1, -1},
	)
	states := utilSet(t,
		[]float32{1, 1, 1, 1, 1, -1},     // 1 bit from ξ0, 2 from ξ1 and 2 from ξ2 → 0
		[]float32{1, 1, 1, -1, -1, -1},   // ξ1 exactly → 1
		[]float32{-1, 1, -1, 1, -1, 1},   // -ξ2: unsigned nearest is ξ0 or ξ1 at distance 3 → 0; signed → 2, negated
		[]float32{-1, -1, -1, -1, -1, 1}, // 1 bit from -ξ0, 5 from ξ0, 4 from ξ1 and ξ2 → unsigned 1 (tie: lowest); signed 0, negated
	)
	idx, err := hopfieldlib.Nearest(stored, states)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int{0, 1, 0, 1}; !slices.Equal(idx, want) {
		t.Errorf("Nearest = %v, want %v", idx, want)
	}
	sidx, neg, err := hopfieldlib.NearestSigned(stored, states)
	if err != nil {
		t.Fatal(err)
	}
	if want, wantNeg := []int{0, 1, 2, 0}, []bool{false, false, true, true}; !slices.Equal(sidx, want) || !slices.Equal(neg, wantNeg) {
		t.Errorf("NearestSigned = %v %v, want %v %v", sidx, neg, want, wantNeg)
	}

	m, err := hopfieldlib.OverlapMatrix(stored, states)
	if err != nil {
		t.Fatal(err)
	}
	// Row 0 against ξ0, ξ1, ξ2: (6-2)/6, (6-4)/6, (6-4)/6, by hand (d = 1, 2, 2).
	if want := []float64{4.0 / 6, 2.0 / 6, 2.0 / 6}; !closeAll(m[0], want, 1e-12) {
		t.Errorf("OverlapMatrix row 0 = %v, want %v", m[0], want)
	}

	want := []int{0, 1, 2, 0}
	tests := []struct {
		name string
		fn   func() (float64, error)
		want float64
	}{
		{"exact", func() (float64, error) { return hopfieldlib.Accuracy(stored, states, want, 0) }, 0.25}, // only state 1
		{"tol 1.9: a wrong spin is off by 2", func() (float64, error) { return hopfieldlib.Accuracy(stored, states, want, 1.9) }, 0.25},
		{"nearest", func() (float64, error) { return hopfieldlib.NearestAccuracy(stored, states, want) }, 0.5},      // states 0, 1
		{"nil targets", func() (float64, error) { return hopfieldlib.Accuracy(stored, states.Clone(), nil, 0) }, 0}, // 4 states, 3 stored: error below
	}
	for _, tc := range tests[:3] {
		got, err := tc.fn()
		if err != nil || got != tc.want {
			t.Errorf("%s: accuracy = %v (%v), want %v", tc.name, got, err, tc.want)
		}
	}
	if _, err := tests[3].fn(); !errors.Is(err, hopfieldlib.ErrShape) {
		t.Errorf("nil targets with more states than patterns: got %v, want ErrShape", err)
	}
	ok, err := hopfieldlib.Retrieved(stored, stored, nil, 0)
	if err != nil || !slices.Equal(ok, []bool{true, true, true}) {
		t.Errorf("Retrieved(stored, stored, nil) = %v (%v), want all true", ok, err)
	}
	// A continuous state 0.01 away from the pattern in every unit.
	near := utilSet(t, []float32{0.99, 0.99, 0.99, 0.99, 0.99, 0.99})
	for _, tc := range []struct {
		tol  float64
		want bool
	}{{0, false}, {0.005, false}, {0.02, true}} {
		ok, err := hopfieldlib.Retrieved(stored, near, nil, tc.tol)
		if err != nil || ok[0] != tc.want {
			t.Errorf("Retrieved at tol %v = %v (%v), want %v", tc.tol, ok, err, tc.want)
		}
	}
}

// closeAll reports whether got and want have the same length and agree within tol.
func closeAll(got, want []float64, tol float64) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if math.Abs(got[i]-want[i]) > tol {
			return false
		}
	}
	return true
}

func TestMetricsErrors(t *testing.T) {
	stored := utilSet(t, []float32{1, -1}, []float32{-1, 1})
	wide := utilSet(t, []float32{1, -1, 1})
	nan := float32(math.NaN())
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"Overlap empty", second(hopfieldlib.Overlap(nil, []float32{1})), hopfieldlib.ErrEmpty},
		{"Overlap lengths", second(hopfieldlib.Overlap([]float32{1}, []float32{1, 1})), hopfieldlib.ErrShape},
		{"Overlap NaN", second(hopfieldlib.Overlap([]float32{1, nan}, []float32{1, 1})), hopfieldlib.ErrNotFinite},
		{"Cosine Inf", second(hopfieldlib.Cosine([]float32{1, 1}, []float32{float32(math.Inf(1)), 1})), hopfieldlib.ErrNotFinite},
		{"Cosine lengths", second(hopfieldlib.Cosine([]float32{1}, []float32{1, 1})), hopfieldlib.ErrShape},
		{"Hamming lengths", second(hopfieldlib.Hamming([]float32{1, 1, 1}, []float32{1, 1})), hopfieldlib.ErrShape},
		{"Hamming empty", second(hopfieldlib.Hamming([]float32{}, []float32{})), hopfieldlib.ErrEmpty},
		{"OverlapMatrix dims", second(hopfieldlib.OverlapMatrix(stored, wide)), hopfieldlib.ErrShape},
		{"Nearest nil stored", second(hopfieldlib.Nearest(nil, wide)), hopfieldlib.ErrEmpty},
		{"Nearest dims", second(hopfieldlib.Nearest(stored, wide)), hopfieldlib.ErrShape},
		{"Nearest NaN", second(hopfieldlib.Nearest(stored, utilNaN(t))), hopfieldlib.ErrNotFinite},
		{"NearestSigned dims", third(hopfieldlib.NearestSigned(stored, wide)), hopfieldlib.ErrShape},
		{"Accuracy want length", second(hopfieldlib.Accuracy(stored, stored, []int{0}, 0)), hopfieldlib.ErrShape},
		{"Accuracy want range", second(hopfieldlib.Accuracy(stored, stored, []int{0, 2}, 0)), hopfieldlib.ErrShape},
		{"Accuracy want negative", second(hopfieldlib.Accuracy(stored, stored, []int{-1, 0}, 0)), hopfieldlib.ErrShape},
		{"Accuracy tol < 0", second(hopfieldlib.Accuracy(stored, stored, nil, -1)), hopfieldlib.ErrParameter},
		{"Accuracy tol NaN", second(hopfieldlib.Accuracy(stored, stored, nil, math.NaN())), hopfieldlib.ErrParameter},
		{"Accuracy dims", second(hopfieldlib.Accuracy(stored, wide, nil, 0)), hopfieldlib.ErrShape},
		{"Retrieved empty states", second(hopfieldlib.Retrieved(stored, &hopfieldlib.Patterns{}, nil, 0)), hopfieldlib.ErrEmpty},
		{"NearestAccuracy want", second(hopfieldlib.NearestAccuracy(stored, stored, []int{5, 0})), hopfieldlib.ErrShape},
		{"NearestAccuracy dims", second(hopfieldlib.NearestAccuracy(stored, wide, nil)), hopfieldlib.ErrShape},
	}
	for _, tc := range tests {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: got %v, want an error wrapping %v", tc.name, tc.err, tc.want)
		}
	}
}

// third returns the error of a (value, value, error) triple.
func third[T, U any](_ T, _ U, err error) error { return err }
