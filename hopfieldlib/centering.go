package hopfieldlib

import (
	"fmt"
	"math"
)

// Preprocessing for the continuous network. Its similarity is the dot product x_μᵀξ, which
// rewards bright pixels as much as matching ones: with raw images in [0, 1] the stored digit with
// the most ink where the probe has ink wins, not the digit that matches. Centring (subtracting the
// mean pattern) turns the dot product into a covariance, and a hidden unit set to 0 afterwards
// means "the average value here", which carries no evidence either way.

// MeanPattern returns the mean of the rows of p, (1/K) Σ_μ x_μ, summed in float64.
func MeanPattern(p *Patterns) ([]float32, error) {
	if err := p.CheckFinite(); err != nil {
		return nil, err
	}
	sum := make([]float64, p.cols)
	for i := range p.rows {
		for j, v := range p.Row(i) {
			sum[j] += float64(v)
		}
	}
	mean := make([]float32, p.cols)
	for j, s := range sum {
		mean[j] = float32(s / float64(p.rows))
	}
	return mean, nil
}

// Center returns the rows of p minus their mean, and the mean. The centred rows sum to zero in
// every unit (up to float32 rounding). Apply the same mean to probes with Shift(probes, mean, -1)
// and undo it for display with Shift(states, mean, 1).
func Center(p *Patterns) (centred *Patterns, mean []float32, err error) {
	mean, err = MeanPattern(p)
	if err != nil {
		return nil, nil, err
	}
	centred, err = Shift(p, mean, -1)
	return centred, mean, err
}

// Shift returns a copy of p with a·v added to every row: x_μ + a·v. v must have p.Dim() finite
// entries and a must be finite.
func Shift(p *Patterns, v []float32, a float32) (*Patterns, error) {
	if err := p.CheckFinite(); err != nil {
		return nil, err
	}
	if len(v) != p.cols {
		return nil, fmt.Errorf("%w: Shift got a vector of %d units for patterns of %d", ErrShape, len(v), p.cols)
	}
	if math.IsNaN(float64(a)) || math.IsInf(float64(a), 0) {
		return nil, fmt.Errorf("%w: Shift's factor is %v", ErrNotFinite, a)
	}
	for j, x := range v {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, fmt.Errorf("%w: Shift's vector has %v at unit %d", ErrNotFinite, x, j)
		}
	}
	out := p.Clone()
	for i := range out.rows {
		row := out.Row(i)
		for j := range row {
			row[j] += a * v[j]
		}
	}
	return out, out.CheckFinite()
}

// Normalize returns a copy of p with every row scaled to unit Euclidean norm, x_μ/‖x_μ‖ (norms in
// float64). A row of zeros stays zero. The dot product of normalised rows is their Cosine; the
// continuous network then needs a larger β, since the scores lie in [-1, 1].
func Normalize(p *Patterns) (*Patterns, error) {
	if err := p.CheckFinite(); err != nil {
		return nil, err
	}
	return withRowNorm(p, 1), nil
}

// withRowNorm returns a copy of p with every non-zero row scaled to Euclidean norm `norm`
// (computed in float64); zero rows stay zero, and so do zero entries (masked units stay masked).
func withRowNorm(p *Patterns, norm float64) *Patterns {
	out := p.Clone()
	for i := range out.Len() {
		row := out.Row(i)
		var ss float64
		for _, x := range row {
			ss += float64(x) * float64(x)
		}
		if ss == 0 {
			continue
		}
		scale := norm / math.Sqrt(ss)
		for j, x := range row {
			row[j] = float32(float64(x) * scale)
		}
	}
	return out
}
