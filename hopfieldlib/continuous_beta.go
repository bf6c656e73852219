package hopfieldlib

import (
	"fmt"
	"math"
)

// What β has to beat. Ramsauer et al. (2020), eq. (5), define the separation of stored pattern
// x_i from the others as
//
//	Δ_i = x_iᵀx_i − max_{j≠i} x_iᵀx_j,
//
// and show (Theorems 4 and 5) that the update retrieves x_i in one step, with an error below
// 2(K−1)·M·exp(−β(Δ_i − …)), when βΔ_i is large: at ξ = x_i every other weight is at most
// exp(−βΔ_i) times the weight of x_i. So β is measured in units of 1/Δ: the same β that
// retrieves well-separated random patterns averages similar ones (MNIST digits). Δ_i < 0 means
// another pattern has a larger dot product with x_i than x_i itself (a larger norm in a similar
// direction): at large β the state x_i then moves to that pattern, and x_i is not retrieved at
// any β.

// PatternSeparations returns Δ_i = x_iᵀx_i − max_{j≠i} x_iᵀx_j for every stored pattern (row)
// x_i, computed in float64, and for each the index j of the closest rival (the argmax; ties:
// the lowest index). It needs at least two patterns.
func PatternSeparations(stored *Patterns) (delta []float64, rival []int, err error) {
	if stored == nil || stored.Len() < 2 {
		n := 0
		if stored != nil {
			n = stored.Len()
		}
		return nil, nil, fmt.Errorf("%w: PatternSeparations needs at least two patterns, got %d", ErrEmpty, n)
	}
	if err := stored.CheckFinite(); err != nil {
		return nil, nil, fmt.Errorf("PatternSeparations: %w", err)
	}
	k := stored.Len()
	gram := make([]float64, k*k) // symmetric: fill both halves from one dot product
	for i := range k {
		xi := stored.Row(i)
		for j := i; j < k; j++ {
			var d float64
			for u, v := range stored.Row(j) {
				d += float64(xi[u]) * float64(v)
			}
			gram[i*k+j], gram[j*k+i] = d, d
		}
	}
	delta, rival = make([]float64, k), make([]int, k)
	for i := range k {
		best, arg := math.Inf(-1), -1
		for j := range k {
			if j != i && gram[i*k+j] > best {
				best, arg = gram[i*k+j], j
			}
		}
		delta[i], rival[i] = gram[i*k+i]-best, arg
	}
	return delta, rival, nil
}

// DistinctStates groups the rows of states that agree within tol in every unit (max_i |a_i − b_i|
// ≤ tol with the group's first member) and returns the first member of each group and the
// number of rows in it, groups in order of first appearance: the census of the fixed points that
// recall from many starts reaches (one global average at small β, metastable mixtures, or one
// state per stored pattern at large β). tol must be finite and ≥ 0.
func DistinctStates(states *Patterns, tol float64) (reps *Patterns, counts []int, err error) {
	if states == nil || states.Len() == 0 {
		return nil, nil, fmt.Errorf("%w: DistinctStates needs at least one state, got none", ErrEmpty)
	}
	if !(tol >= 0) || math.IsInf(tol, 0) {
		return nil, nil, fmt.Errorf("%w: DistinctStates: tol must be finite and ≥ 0, got %v", ErrParameter, tol)
	}
	if err := states.CheckFinite(); err != nil {
		return nil, nil, fmt.Errorf("DistinctStates: %w", err)
	}
	var first []int // row index of each group's first member
	for b := range states.Len() {
		s, found := states.Row(b), false
		for g, r := range first {
			if rowMaxAbsDiff(s, states.Row(r)) <= tol {
				counts[g]++
				found = true
				break
			}
		}
		if !found {
			first, counts = append(first, b), append(counts, 1)
		}
	}
	reps, err = states.Subset(first...)
	return reps, counts, err
}

// rowMaxAbsDiff is max_i |a_i − b_i| for slices of equal length.
func rowMaxAbsDiff(a, b []float32) float64 {
	var m float64
	for i := range a {
		m = max(m, math.Abs(float64(a[i])-float64(b[i])))
	}
	return m
}
