package hopfieldlib

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// naiveNearest is the float64 scan that nearest must reproduce exactly: smallest ‖ξ‖² ∓ 2 s·ξ,
// ties to the lowest index and to ξ before −ξ.
func naiveNearest(stored *Patterns, s []float32, signed bool) (int, bool) {
	best, bestNeg, bestD := 0, false, math.Inf(1)
	for mu := range stored.Len() {
		x := stored.Row(mu)
		nrm, d := engine.Dot64(x, x), engine.Dot64(s, x)
		if v := nrm - 2*d; v < bestD {
			best, bestNeg, bestD = mu, false, v
		}
		if v := nrm + 2*d; signed && v < bestD {
			best, bestNeg, bestD = mu, true, v
		}
	}
	return best, bestNeg
}

// TestNearestMatchesFloat64Scan: the float32 screening with error bounds picks exactly what the
// float64 scan picks, on random images, on spins (many exact ties) and on near-ties (states
// halfway between two patterns, up to float32 rounding). Fixed seeds.
func TestNearestMatchesFloat64Scan(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	cases := map[string]func() (*Patterns, *Patterns){
		"uniform images": func() (*Patterns, *Patterns) {
			x, _ := RandomUniform(37, 101, r)
			s, _ := RandomUniform(50, 101, r)
			return x, s
		},
		"spins with ties": func() (*Patterns, *Patterns) {
			x, _ := RandomSpins(30, 12, r)
			s, _ := RandomSpins(200, 12, r)
			return x, s
		},
		"midpoints": func() (*Patterns, *Patterns) {
			x, _ := RandomUniform(9, 784, r)
			s, _ := Zeros(40, 784)
			for b := range 40 {
				a, c := x.Row(r.IntN(9)), x.Row(r.IntN(9))
				for i := range 784 {
					s.Row(b)[i] = (a[i] + c[i]) / 2
				}
			}
			return x, s
		},
		"duplicated patterns": func() (*Patterns, *Patterns) {
			x, _ := RandomUniform(5, 64, r)
			x, _ = x.Subset(0, 1, 1, 2, 3, 3, 4, 0)
			s, _ := GaussianNoise(x, 0.01, r)
			return x, s
		},
	}
	for name, make := range cases {
		stored, states := make()
		for _, signed := range []bool{false, true} {
			idx, neg := nearest(stored, states, signed)
			for b := range states.Len() {
				wi, wn := naiveNearest(stored, states.Row(b), signed)
				if idx[b] != wi || neg[b] != wn {
					t.Errorf("%s, signed %v, state %d: nearest (%d, %v), float64 scan (%d, %v)", name, signed, b, idx[b], neg[b], wi, wn)
				}
			}
		}
	}
}
