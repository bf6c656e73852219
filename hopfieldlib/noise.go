package hopfieldlib

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// This file corrupts patterns to make probes: bit flips for spins, Gaussian noise for any
// pattern, salt-and-pepper noise for images. Every function returns a new set and leaves its
// input unchanged; the random source is the caller's.

// checkFraction validates a fraction of units in [0, 1].
func checkFraction(fn string, fraction float64) error {
	if math.IsNaN(fraction) || fraction < 0 || fraction > 1 {
		return fmt.Errorf("%w: %s fraction must be in [0, 1], got %v", ErrParameter, fn, fraction)
	}
	return nil
}

// checkRand validates a random source.
func checkRand(fn string, r *rand.Rand) error {
	if r == nil {
		return fmt.Errorf("%w: %s needs a random source, got nil: pass e.g. rand.New(rand.NewPCG(1, 2))", ErrParameter, fn)
	}
	return nil
}

// unitsFor is the number of units a fraction of n selects: round(fraction·n), halves away from
// zero (math.Round), so 10% of 784 units is 78 and 50% of 5 units is 3.
func unitsFor(fraction float64, n int) int { return int(math.Round(fraction * float64(n))) }

// pickUnits fills idx[:m] with m distinct units of [0, len(idx)) chosen uniformly at random
// (a partial Fisher-Yates shuffle of idx, which must hold a permutation on entry).
func pickUnits(idx []int, m int, r *rand.Rand) []int {
	for i := range m {
		j := i + r.IntN(len(idx)-i)
		idx[i], idx[j] = idx[j], idx[i]
	}
	return idx[:m]
}

// identity returns [0, 1, …, n-1].
func identity(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return idx
}

// FlipBits returns a copy of spins with exactly round(fraction·N) distinct units of every row
// negated, chosen uniformly at random and independently for each row: fraction 0.2 of N = 100
// flips 20 units, so the overlap with the original is exactly 1 - 2·0.2 = 0.6. The rows must be
// ±1 spins ([ErrNotSpin] otherwise) and fraction must be in [0, 1].
func FlipBits(spins *Patterns, fraction float64, r *rand.Rand) (*Patterns, error) {
	if err := checkFraction("FlipBits", fraction); err != nil {
		return nil, err
	}
	if err := checkRand("FlipBits", r); err != nil {
		return nil, err
	}
	if err := spins.CheckSpins(); err != nil {
		return nil, fmt.Errorf("FlipBits: %w", err)
	}
	out := spins.Clone()
	n := out.cols
	m := unitsFor(fraction, n)
	idx := identity(n)
	for b := range out.rows {
		row := out.Row(b)
		for _, i := range pickUnits(idx, m, r) {
			row[i] = -row[i]
		}
	}
	return out, nil
}

// GaussianNoise returns a copy of p with independent Gaussian noise of standard deviation sigma
// added to every unit: x_i + σ·z_i, z_i ~ N(0, 1). sigma must be finite and ≥ 0; 0 returns an
// unchanged copy. The result is not clipped: use [SpinsToImages] or [Binarize] afterwards if the
// model needs a range.
func GaussianNoise(p *Patterns, sigma float64, r *rand.Rand) (*Patterns, error) {
	if math.IsNaN(sigma) || math.IsInf(sigma, 0) || sigma < 0 {
		return nil, fmt.Errorf("%w: GaussianNoise sigma must be finite and ≥ 0, got %v", ErrParameter, sigma)
	}
	if err := checkRand("GaussianNoise", r); err != nil {
		return nil, err
	}
	if err := checkSet("GaussianNoise", p); err != nil {
		return nil, err
	}
	out := p.Clone()
	for i := range out.data {
		out.data[i] += float32(sigma * r.NormFloat64())
	}
	if err := out.CheckFinite(); err != nil { // only for huge inputs plus noise overflowing float32
		return nil, fmt.Errorf("GaussianNoise: %w", err)
	}
	return out, nil
}

// SaltAndPepper returns a copy of p in which exactly round(fraction·N) distinct units of every
// row, chosen uniformly at random, are replaced by low or high with probability ½ each: impulse
// noise on images (low 0, high 1) or random spins (low -1, high +1; about half of the chosen units
// keep their value, so fraction f flips about f/2 of the bits). fraction must be in [0, 1] and
// low, high finite.
func SaltAndPepper(p *Patterns, fraction float64, low, high float32, r *rand.Rand) (*Patterns, error) {
	if err := checkFraction("SaltAndPepper", fraction); err != nil {
		return nil, err
	}
	if err := checkRand("SaltAndPepper", r); err != nil {
		return nil, err
	}
	for _, v := range []float32{low, high} {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return nil, fmt.Errorf("%w: SaltAndPepper low and high must be finite, got %v and %v", ErrNotFinite, low, high)
		}
	}
	if err := checkSet("SaltAndPepper", p); err != nil {
		return nil, err
	}
	out := p.Clone()
	n := out.cols
	m := unitsFor(fraction, n)
	idx := identity(n)
	for b := range out.rows {
		row := out.Row(b)
		for _, i := range pickUnits(idx, m, r) {
			if r.IntN(2) == 0 {
				row[i] = low
			} else {
				row[i] = high
			}
		}
	}
	return out, nil
}
