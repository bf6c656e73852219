package hopfieldlib

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func TestScoresMaxAndAbove(t *testing.T) {
	// The assembly helpers (where they run) against plain loops, at lengths around their block
	// sizes (8 and 32), with cuts that keep none, some and all values.
	r := rand.New(rand.NewPCG(1, 2))
	for _, n := range []int{1, 7, 8, 9, 31, 32, 33, 64, 100, 1000, 1027} {
		s := make([]float32, n)
		for i := range s {
			s[i] = float32(r.NormFloat64() * 10)
		}
		if got, want := scoresMax(s), scoresMaxGo(s); got != want {
			t.Errorf("n=%d: scoresMax = %v, want %v", n, got, want)
		}
		for _, cut := range []float32{-1e30, -5, 0, 12, 1e30} {
			want, _ := scoresAboveGo(nil, s, 0, cut, n)
			got, ok := scoresAbove(nil, s, cut, n)
			if !ok || !slices.Equal(got, want) {
				t.Errorf("n=%d cut=%v: scoresAbove = %v (ok %v), want %v", n, cut, got, ok, want)
			}
			if len(want) > 1 {
				got, ok := scoresAbove(nil, s, cut, len(want)-1)
				if ok || len(got) != len(want)-1 {
					t.Errorf("n=%d cut=%v limit %d: got %d indices, ok %v; want the limit and false", n, cut, len(want)-1, len(got), ok)
				}
			}
		}
	}
}

func TestScoreKernelAgreesWithFloat64Reference(t *testing.T) {
	// The kernel (or, without it, the graph) against float64 dot products, on shapes that are not
	// multiples of its blocks (3 states, 4 patterns, 8 units) and on column spans.
	for _, sz := range []struct{ k, d, b int }{{1, 1, 1}, {5, 9, 4}, {33, 17, 50}, {130, 784, 97}} {
		t.Run(fmt.Sprintf("K=%d/d=%d/B=%d", sz.k, sz.d, sz.b), func(t *testing.T) {
			x := contRandom(t, sz.k, sz.d, -1, 1, 5)
			q := contRandom(t, sz.b, sz.d, -1, 1, 6)
			for b := range sz.b { // states whose second half is zero, as for a masked probe
				if b%2 == 0 {
					clear(q.Row(b)[sz.d/2:])
				}
			}
			net, err := NewContinuous(x, 1, ContinuousConfig{Backend: contBackend(t)})
			if err != nil {
				t.Fatal(err)
			}
			// Weights of a state over K patterns at β = 1: exp(s − max)/Z; compare the scores
			// through log ratios, which the float32 rounding of a weight keeps to ~1e-6.
			w, err := net.Weights(q)
			if err != nil {
				t.Fatal(err)
			}
			for b := range sz.b {
				_, ref, _ := contReference(x, x, 1, q.Row(b))
				for mu := range sz.k {
					got := float64(w.At(b, mu))
					if math.Abs(got-ref[mu]) > 1e-6*max(1, ref[mu]) {
						t.Fatalf("state %d pattern %d: weight %v, float64 %v", b, mu, got, ref[mu])
					}
				}
			}
		})
	}
}
