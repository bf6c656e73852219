package datasets

import (
	"math"
	"slices"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// backgroundTolerance is how far from the background level a pixel must be to count as drawn.
const backgroundTolerance = 0.02

// SpinsAdaptive returns the images as ±1 spins, each binarized by its own contrast with its
// background rather than at a fixed level:
//
//   - the background level b is the median of the image's border pixels;
//   - drawn pixels are those with |v - b| > 0.02, and m is the median of |v - b| over them;
//   - a pixel with |v - b| ≥ m (the stronger half of the drawing) gets the sign opposite to
//     the background's, every other pixel the background's sign (+1 if b > 0.5, else -1).
//
// A fixed threshold of 0.5 leaves light drawings (the pig, the unicorn, light skin tones) almost
// blank and dark ones solid; this keeps about half of every drawing, whatever its colours. Use
// it for sprites and faces; MNIST is fine with [Set.Spins].
func (s *Set) SpinsAdaptive() (*hopfieldlib.Patterns, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if err := s.Images.CheckFinite(); err != nil {
		return nil, err
	}
	out := s.Images.Clone()
	dist := make([]float64, 0, s.Images.Dim())
	border := make([]float32, 0, 2*(s.Height+s.Width))
	for i := range out.Len() {
		row := out.Row(i)
		border = border[:0]
		for y := range s.Height {
			for x := range s.Width {
				if y == 0 || x == 0 || y == s.Height-1 || x == s.Width-1 {
					border = append(border, row[y*s.Width+x])
				}
			}
		}
		slices.Sort(border)
		bg := float64(border[(len(border)-1)/2])
		dist = dist[:0]
		for _, v := range row {
			if d := math.Abs(float64(v) - bg); d > backgroundTolerance {
				dist = append(dist, d)
			}
		}
		bgSign := float32(-1)
		if bg > DefaultThreshold {
			bgSign = 1
		}
		m := math.Inf(1)
		if len(dist) > 0 {
			slices.Sort(dist)
			m = dist[(len(dist)-1)/2]
		}
		for j, v := range row {
			if d := math.Abs(float64(v) - bg); d > backgroundTolerance && d >= m {
				row[j] = -bgSign
			} else {
				row[j] = bgSign
			}
		}
	}
	return out, nil
}
