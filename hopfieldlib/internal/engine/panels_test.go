package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// TestPanels checks packPanel and unpackPanel against their element formulas, bit for bit, for
// every count of live queries around the 16-unit blocks and the 32 lanes, factors that make
// products subnormal or overflow float32, and the clamp on and off: every lane of a packed panel
// is written (dead lanes zero), and only the listed queries' updates are.
func TestPanels(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	value := func() float32 { return float32(rng.NormFloat64() * math.Ldexp(1, rng.IntN(40)-20)) }
	for _, d := range []int{1, 15, 16, 17, 33, 784} {
		for _, live := range []int{1, 15, 16, 17, 31, 32} {
			t.Run(fmt.Sprintf("d=%d/live=%d", d, live), func(t *testing.T) {
				var rows [tileCols][]float32
				var f32 [tileCols]float32
				var f64 [tileCols]float64
				var lanes []int
				for i := range live {
					rows[i] = make([]float32, d)
					for j := range rows[i] {
						rows[i][j] = value()
					}
					f32[i] = float32(math.Ldexp(1, rng.IntN(300)-150)) // from 0 (2⁻¹⁵⁰) to 2¹⁴⁹
					f64[i] = rng.Float64() * math.Ldexp(1, rng.IntN(300)-150)
					if rng.IntN(3) > 0 {
						lanes = append(lanes, i)
					}
				}
				dst := make([]float32, d*tileCols)
				for i := range dst {
					dst[i] = -1
				}
				packPanel(dst, &rows, &f32, live, d)
				for j := range d {
					for i := range tileCols {
						want := float32(0)
						if i < live {
							want = rows[i][j] * f32[i]
						}
						if got := dst[j*tileCols+i]; math.Float32bits(got) != math.Float32bits(want) {
							t.Fatalf("pack: unit %d, lane %d: got %g, want %g", j, i, got, want)
						}
					}
				}
				ot := make([]float32, d*tileCols)
				for i := range ot {
					ot[i] = value()
				}
				for _, clamp := range []bool{false, true} {
					var outs [tileCols][]float32
					for i := range tileCols {
						outs[i] = make([]float32, d)
						for j := range outs[i] {
							outs[i][j] = -1
						}
					}
					unpackPanel(&outs, lanes, &f64, ot, d, clamp)
					listed := map[int]bool{}
					for _, i := range lanes {
						listed[i] = true
					}
					for i := range tileCols {
						for j := range d {
							want := float32(-1)
							if listed[i] {
								p := float64(ot[j*tileCols+i]) * f64[i]
								want = float32(p)
								if clamp {
									want = float32(max(-math.MaxFloat32, min(math.MaxFloat32, p)))
								}
							}
							if got := outs[i][j]; math.Float32bits(got) != math.Float32bits(want) {
								t.Fatalf("unpack (clamp %v): lane %d, unit %d: got %g, want %g", clamp, i, j, got, want)
							}
						}
					}
				}
			})
		}
	}
}
