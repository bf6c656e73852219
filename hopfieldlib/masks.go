package hopfieldlib

import (
	"fmt"
	"math"
	"math/rand/v2"
)

// Mask marks the hidden units of a pattern of N units: Mask[i] is true when unit i is hidden
// (occluded). Masks for images of h×w pixels index the pixels row by row (i = row·w + col), the
// layout of [Patterns] built from images. Apply a mask with [Mask.Apply]; masks combine with
// [Mask.Or] and [Mask.Not].
type Mask []bool

// checkImage validates the height and width of an image.
func checkImage(fn string, h, w int) error {
	if h <= 0 || w <= 0 {
		return fmt.Errorf("%w: %s needs an image of h ≥ 1 by w ≥ 1 pixels, got %d×%d", ErrEmpty, fn, h, w)
	}
	return nil
}

// RectMask hides the pixels of rows [top, top+height) and columns [left, left+width) of an h×w
// image: a corner is RectMask(h, w, 0, 0, h/2, w/2) (top-left quarter), and so on. The rectangle
// must lie inside the image.
func RectMask(h, w, top, left, height, width int) (Mask, error) {
	if err := checkImage("RectMask", h, w); err != nil {
		return nil, err
	}
	if top < 0 || left < 0 || height < 0 || width < 0 || top+height > h || left+width > w {
		return nil, fmt.Errorf("%w: RectMask rectangle rows [%d, %d) × columns [%d, %d) does not fit a %d×%d image",
			ErrShape, top, top+height, left, left+width, h, w)
	}
	m := make(Mask, h*w)
	for y := top; y < top+height; y++ {
		for x := left; x < left+width; x++ {
			m[y*w+x] = true
		}
	}
	return m, nil
}

// BottomHalf hides the bottom ⌊h/2⌋ rows of an h×w image (for odd h the middle row stays
// visible): the half-masked probe of the MNIST retrieval demos, rows 14…27 of a 28×28 digit.
func BottomHalf(h, w int) (Mask, error) {
	if err := checkImage("BottomHalf", h, w); err != nil {
		return nil, err
	}
	return RectMask(h, w, h-h/2, 0, h/2, w)
}

// RightHalf hides the right ⌊w/2⌋ columns of an h×w image (for odd w the middle column stays
// visible).
func RightHalf(h, w int) (Mask, error) {
	if err := checkImage("RightHalf", h, w); err != nil {
		return nil, err
	}
	return RectMask(h, w, 0, w-w/2, h, w/2)
}

// Occlusion keeps the first round(visible·h·w) pixels of an h×w image in reading order (top rows
// first) and hides the rest: Occlusion(h, w, 0.7) is "70% visible", the bottom 30% of the pixels
// occluded. visible must be in [0, 1].
func Occlusion(h, w int, visible float64) (Mask, error) {
	if err := checkImage("Occlusion", h, w); err != nil {
		return nil, err
	}
	if err := checkFraction("Occlusion visible", visible); err != nil {
		return nil, err
	}
	m := make(Mask, h*w)
	for i := unitsFor(visible, h*w); i < len(m); i++ {
		m[i] = true
	}
	return m, nil
}

// RandomMask hides exactly round(fraction·n) distinct units of n, chosen uniformly at random.
// For "a random 70% visible", pass fraction 0.3. fraction must be in [0, 1].
func RandomMask(n int, fraction float64, r *rand.Rand) (Mask, error) {
	if n <= 0 {
		return nil, fmt.Errorf("%w: RandomMask needs n ≥ 1 units, got %d", ErrEmpty, n)
	}
	if err := checkFraction("RandomMask", fraction); err != nil {
		return nil, err
	}
	if err := checkRand("RandomMask", r); err != nil {
		return nil, err
	}
	m := make(Mask, n)
	for _, i := range pickUnits(identity(n), unitsFor(fraction, n), r) {
		m[i] = true
	}
	return m, nil
}

// Hidden is the number of hidden units.
func (m Mask) Hidden() int {
	c := 0
	for _, h := range m {
		if h {
			c++
		}
	}
	return c
}

// Not returns the complementary mask: hidden units become visible and the other way round.
func (m Mask) Not() Mask {
	out := make(Mask, len(m))
	for i, h := range m {
		out[i] = !h
	}
	return out
}

// Or returns the union of two masks of the same length: a unit is hidden if either hides it.
func (m Mask) Or(other Mask) (Mask, error) {
	if len(m) != len(other) {
		return nil, fmt.Errorf("%w: Mask.Or of masks of %d and %d units", ErrShape, len(m), len(other))
	}
	out := make(Mask, len(m))
	for i := range m {
		out[i] = m[i] || other[i]
	}
	return out, nil
}

// Apply returns a copy of p with the hidden units of every row set to fill: −1 (or +1) for spins,
// 0 for images and continuous states (a zero unit adds nothing to any dot product). The
// classical and dense networks take only ±1 spins and reject a probe with a 0 (ErrNotSpin): mask
// their probes with −1. The mask must have p.Dim() units and fill must be finite.
func (m Mask) Apply(p *Patterns, fill float32) (*Patterns, error) {
	if err := checkSet("Mask.Apply", p); err != nil {
		return nil, err
	}
	if len(m) != p.Dim() {
		return nil, fmt.Errorf("%w: Mask.Apply: the mask has %d units, the patterns have %d", ErrShape, len(m), p.Dim())
	}
	if math.IsNaN(float64(fill)) || math.IsInf(float64(fill), 0) {
		return nil, fmt.Errorf("%w: Mask.Apply fill must be finite, got %v", ErrNotFinite, fill)
	}
	out := p.Clone()
	for b := range out.rows {
		row := out.Row(b)
		for i, h := range m {
			if h {
				row[i] = fill
			}
		}
	}
	return out, nil
}

// MaskRandom returns a copy of p in which every row has its own random set of exactly
// round(fraction·N) hidden units set to fill (a fresh [RandomMask] per row).
func MaskRandom(p *Patterns, fraction float64, fill float32, r *rand.Rand) (*Patterns, error) {
	if err := checkFraction("MaskRandom", fraction); err != nil {
		return nil, err
	}
	if err := checkRand("MaskRandom", r); err != nil {
		return nil, err
	}
	if math.IsNaN(float64(fill)) || math.IsInf(float64(fill), 0) {
		return nil, fmt.Errorf("%w: MaskRandom fill must be finite, got %v", ErrNotFinite, fill)
	}
	if err := checkSet("MaskRandom", p); err != nil {
		return nil, err
	}
	out := p.Clone()
	n := out.cols
	idx := identity(n)
	for b := range out.rows {
		row := out.Row(b)
		for _, i := range pickUnits(idx, unitsFor(fraction, n), r) {
			row[i] = fill
		}
	}
	return out, nil
}
