package hopfieldlib

import (
	"fmt"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/measure"
)

// This file measures how close states are to patterns: overlap, cosine similarity, Hamming
// distance, the nearest stored pattern, and retrieval accuracy. The definitions are the ones the
// course's tables use when comparing with published numbers; each doc comment gives its formula.

// checkPair validates two vectors compared unit by unit: same non-zero length, finite values.
func checkPair(fn string, a, b []float32) error {
	if len(a) == 0 || len(b) == 0 {
		return fmt.Errorf("%w: %s needs two non-empty vectors, got %d and %d units", ErrEmpty, fn, len(a), len(b))
	}
	if len(a) != len(b) {
		return fmt.Errorf("%w: %s of vectors of %d and %d units", ErrShape, fn, len(a), len(b))
	}
	for i := range a {
		for _, v := range [2]float32{a[i], b[i]} {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return fmt.Errorf("%w: %s: unit %d is %v", ErrNotFinite, fn, i, v)
			}
		}
	}
	return nil
}

// Overlap is m = (1/N) Σ_i a_i b_i, the order parameter of Amit, Gutfreund & Sompolinsky (1985):
// for ±1 spins it is 1 for equal patterns, -1 for opposite ones, about 0 for unrelated random
// ones, and 1 - 2d/N at Hamming distance d.
func Overlap(a, b []float32) (float64, error) {
	if err := checkPair("Overlap", a, b); err != nil {
		return 0, err
	}
	return engine.Dot64(a, b) / float64(len(a)), nil
}

// Cosine is the cosine similarity a·b / (‖a‖ ‖b‖), in [-1, 1]; for ±1 spins it equals the
// [Overlap]. It is defined as 0 when either vector is all zeros (a fully masked probe, say).
func Cosine(a, b []float32) (float64, error) {
	if err := checkPair("Cosine", a, b); err != nil {
		return 0, err
	}
	return measure.Cosine(a, b), nil
}

// Hamming is the number of units where a and b differ (a_i ≠ b_i): for ±1 spins,
// d = N(1 - m)/2 with m the [Overlap]. Compare continuous states after [Binarize].
func Hamming(a, b []float32) (int, error) {
	if err := checkPair("Hamming", a, b); err != nil {
		return 0, err
	}
	d := 0
	for i := range a {
		if a[i] != b[i] {
			d++
		}
	}
	return d, nil
}

// checkAgainst validates a set of states compared with a set of stored patterns.
func checkAgainst(fn string, stored, states *Patterns) error {
	if err := checkSet(fn+": stored", stored); err != nil {
		return err
	}
	if err := checkSet(fn+": states", states); err != nil {
		return err
	}
	if stored.Dim() != states.Dim() {
		return fmt.Errorf("%w: %s: states have %d units, the stored patterns %d", ErrShape, fn, states.Dim(), stored.Dim())
	}
	return nil
}

// OverlapMatrix returns m[b][μ] = (1/N) Σ_i s^b_i ξ^μ_i, the [Overlap] of every state (row of
// states) with every stored pattern: the quantity that shows retrieval (one m near 1) and mixture
// states (several |m| near ½ for a mixture of three).
func OverlapMatrix(stored, states *Patterns) ([][]float64, error) {
	if err := checkAgainst("OverlapMatrix", stored, states); err != nil {
		return nil, err
	}
	out := make([][]float64, states.Len())
	n := float64(stored.Dim())
	parallelFor(states.Len(), func(b int) {
		row := make([]float64, stored.Len())
		s := states.Row(b)
		for mu := range row {
			row[mu] = engine.Dot64(s, stored.Row(mu)) / n
		}
		out[b] = row
	})
	return out, nil
}

// nearest returns, for every state, the stored pattern at the smallest Euclidean distance and,
// when signed, whether its negation -ξ^μ is closer still (then the index is of the pattern whose
// negation is nearest). ‖s - ξ‖² = ‖s‖² - 2 s·ξ + ‖ξ‖², so the comparison is over ‖ξ‖² ∓ 2 s·ξ,
// decided as in float64 (engine.Nearest). Ties go to the lowest index, and to the pattern itself
// before its negation.
func nearest(stored, states *Patterns, signed bool) ([]int, []bool) {
	nn := engine.NewNearest(stored.data, stored.Len(), stored.Dim())
	idx := make([]int, states.Len())
	neg := make([]bool, states.Len())
	parallelFor(states.Len(), func(b int) {
		idx[b], neg[b] = nn.Find(states.Row(b), signed)
	})
	return idx, neg
}

// Nearest returns, for every row of states, the index of the stored pattern at the smallest
// Euclidean distance ‖s - ξ^μ‖ (ties: the lowest index). For ±1 spins this is also the smallest
// Hamming distance and the largest [Overlap]. To count a negated pattern -ξ^μ as a match, use
// [NearestSigned].
func Nearest(stored, states *Patterns) ([]int, error) {
	if err := checkAgainst("Nearest", stored, states); err != nil {
		return nil, err
	}
	idx, _ := nearest(stored, states, false)
	return idx, nil
}

// NearestSigned is [Nearest] over the 2K candidates ±ξ^μ: for every row of states the index μ
// and whether -ξ^μ (rather than ξ^μ) is the closest. The classical network stores every pattern
// together with its negation, so its final states are judged this way in a census of spurious
// states.
func NearestSigned(stored, states *Patterns) (index []int, negated []bool, err error) {
	if err := checkAgainst("NearestSigned", stored, states); err != nil {
		return nil, nil, err
	}
	index, negated = nearest(stored, states, true)
	return index, negated, nil
}

// targets validates want against states and stored, or builds the identity targets for nil.
func targets(fn string, stored, states *Patterns, want []int) ([]int, error) {
	if want == nil {
		if states.Len() > stored.Len() {
			return nil, fmt.Errorf("%w: %s with nil targets compares state b with stored pattern b, "+
				"but there are %d states and only %d stored patterns", ErrShape, fn, states.Len(), stored.Len())
		}
		return identity(states.Len()), nil
	}
	if len(want) != states.Len() {
		return nil, fmt.Errorf("%w: %s: %d targets for %d states", ErrShape, fn, len(want), states.Len())
	}
	for b, mu := range want {
		if mu < 0 || mu >= stored.Len() {
			return nil, fmt.Errorf("%w: %s: target %d of state %d is outside [0, %d)", ErrShape, fn, mu, b, stored.Len())
		}
	}
	return want, nil
}

// Retrieved reports, for every row b of states, whether it matches its target stored pattern
// ξ = stored.Row(want[b]) within tol in every unit: max_i |s_i - ξ_i| ≤ tol. With tol = 0 the
// state must equal the pattern exactly (the criterion for spins). want nil means want[b] = b
// (the probes were made from the first stored patterns, in order). tol must be finite and ≥ 0.
func Retrieved(stored, states *Patterns, want []int, tol float64) ([]bool, error) {
	if err := checkAgainst("Retrieved", stored, states); err != nil {
		return nil, err
	}
	if math.IsNaN(tol) || math.IsInf(tol, 0) || tol < 0 {
		return nil, fmt.Errorf("%w: Retrieved tol must be finite and ≥ 0, got %v", ErrParameter, tol)
	}
	want, err := targets("Retrieved", stored, states, want)
	if err != nil {
		return nil, err
	}
	return measure.Retrieved(stored.data, states.data, stored.Dim(), want, tol), nil
}

// Accuracy is the fraction of states that [Retrieved] their target: #{b : max_i |s^b_i -
// ξ^{want[b]}_i| ≤ tol} / B. With tol = 0 it counts exact recalls ("fraction retrieved
// perfectly"), the strict measure used for spins; with a small tol (1e-2, say) it counts
// continuous states that reached the pattern up to a residual mixture. For "the closest stored
// pattern is the right one", use [NearestAccuracy].
func Accuracy(stored, states *Patterns, want []int, tol float64) (float64, error) {
	ok, err := Retrieved(stored, states, want, tol)
	if err != nil {
		return 0, fmt.Errorf("Accuracy: %w", err)
	}
	return measure.Fraction(ok), nil
}

// NearestAccuracy is the fraction of states whose [Nearest] stored pattern (Euclidean distance)
// is their target: a looser measure than [Accuracy] that counts a state as retrieved when it is
// closer to the right pattern than to any other, even if it is not equal to it. want nil means
// want[b] = b.
func NearestAccuracy(stored, states *Patterns, want []int) (float64, error) {
	if err := checkAgainst("NearestAccuracy", stored, states); err != nil {
		return 0, err
	}
	want, err := targets("NearestAccuracy", stored, states, want)
	if err != nil {
		return 0, err
	}
	idx, _ := nearest(stored, states, false)
	ok := make([]bool, len(idx))
	for b := range idx {
		ok[b] = idx[b] == want[b]
	}
	return measure.Fraction(ok), nil
}
