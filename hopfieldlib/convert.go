package hopfieldlib

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// This file converts between the three kinds of pattern the models use: gray images with values
// in [0, 1] (the continuous network's raw pixels), ±1 spins (the classical and dense networks),
// and random patterns of either kind.

// checkSet validates a whole set given to a utility: non-nil, non-empty, every value finite.
// what names the argument in messages ("images", "spins", "stored").
func checkSet(what string, p *Patterns) error {
	if err := p.CheckFinite(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}

// Binarize turns any finite patterns into ±1 spins: s_i = +1 if x_i > threshold, else -1.
// Use threshold 0.5 for images in [0, 1] and 0 to take the sign of states in [-1, 1] (a unit
// exactly at the threshold becomes -1). The input is not changed.
func Binarize(p *Patterns, threshold float32) (*Patterns, error) {
	if err := checkSet("Binarize", p); err != nil {
		return nil, err
	}
	if t := float64(threshold); math.IsNaN(t) || math.IsInf(t, 0) {
		return nil, fmt.Errorf("%w: Binarize threshold must be finite, got %v", ErrNotFinite, threshold)
	}
	out := p.Clone()
	for i, v := range out.data {
		if v > threshold {
			out.data[i] = 1
		} else {
			out.data[i] = -1
		}
	}
	return out, nil
}

// ToSpins turns images with values in [0, 1] into ±1 spins by thresholding at ½:
// s_i = +1 if x_i > 0.5, else -1, so a binary {0, 1} image maps to s = 2x - 1 exactly. A value
// outside [0, 1] (pixels in 0…255, say) is an error wrapping [ErrParameter]: scale first, or use
// [Binarize] with a threshold of your choice.
func ToSpins(images *Patterns) (*Patterns, error) {
	if err := checkSet("ToSpins", images); err != nil {
		return nil, err
	}
	for idx, v := range images.data {
		if v < 0 || v > 1 {
			return nil, fmt.Errorf("%w: ToSpins wants images with values in [0, 1], pattern %d, unit %d is %v "+
				"(divide 0…255 pixels by 255, or use Binarize)", ErrParameter, idx/images.cols, idx%images.cols, v)
		}
	}
	return Binarize(images, 0.5)
}

// SpinsToImages maps states in [-1, 1] to images in [0, 1] with x_i = (s_i + 1)/2: spin -1 is
// black (0), +1 is white (1), and a continuous state's value in between is a gray level. Values
// outside [-1, 1] are clipped to the nearest end. The input is not changed.
func SpinsToImages(states *Patterns) (*Patterns, error) {
	if err := checkSet("SpinsToImages", states); err != nil {
		return nil, err
	}
	out := states.Clone()
	for i, v := range out.data {
		out.data[i] = min(max((v+1)/2, 0), 1)
	}
	return out, nil
}

// checkDims validates the sizes and random source of a random set.
func checkDims(fn string, k, n int, r *rand.Rand) error {
	if k <= 0 || n <= 0 {
		return fmt.Errorf("%w: %s needs k ≥ 1 patterns of n ≥ 1 units, got k=%d, n=%d", ErrEmpty, fn, k, n)
	}
	if r == nil {
		return fmt.Errorf("%w: %s needs a random source, got nil: pass e.g. rand.New(rand.NewPCG(1, 2))", ErrParameter, fn)
	}
	return nil
}

// RandomSpins returns k patterns of n independent, unbiased ±1 units (each +1 with probability
// ½): the random patterns of capacity studies (Amit, Gutfreund & Sompolinsky 1985).
func RandomSpins(k, n int, r *rand.Rand) (*Patterns, error) {
	if err := checkDims("RandomSpins", k, n, r); err != nil {
		return nil, err
	}
	p := &Patterns{rows: k, cols: n, data: make([]float32, k*n)}
	// One random bit per unit, 64 units per draw.
	var bits uint64
	for i := range p.data {
		if i%64 == 0 {
			bits = r.Uint64()
		}
		p.data[i] = float32(int(bits&1)*2 - 1)
		bits >>= 1
	}
	return p, nil
}

// RandomUniform returns k patterns of n independent units uniform in [0, 1): random "images"
// for the continuous network.
func RandomUniform(k, n int, r *rand.Rand) (*Patterns, error) {
	if err := checkDims("RandomUniform", k, n, r); err != nil {
		return nil, err
	}
	p := &Patterns{rows: k, cols: n, data: make([]float32, k*n)}
	for i := range p.data {
		p.data[i] = r.Float32()
	}
	return p, nil
}
