package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestDot4AgreesWithinBound: the SIMD dot products (GOEXPERIMENT=simd on amd64) and the portable
// ones stay within dot32Bound of float64, the bound the nearest-pattern screening relies on.
func TestDot4AgreesWithinBound(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for _, n := range []int{1, 7, 8, 9, 63, 784, 1000} {
		g := make([][]float32, 5)
		for i := range g {
			g[i] = make([]float32, n)
			for j := range g[i] {
				g[i][j] = float32(r.Float64() + 3*r.NormFloat64())
			}
		}
		s := g[0]
		for _, dot := range []func(s, x0, x1, x2, x3 []float32) (float32, float32, float32, float32){dot4, dot4Scalar} {
			a0, a1, a2, a3 := dot(s, g[1], g[2], g[3], g[4])
			for j, got := range []float32{a0, a1, a2, a3} {
				exact := dot64Portable(s, g[j+1])
				bound := dot32Bound(n) * math.Sqrt(dot64Portable(s, s)*dot64Portable(g[j+1], g[j+1]))
				if math.Abs(float64(got)-exact) > bound {
					t.Errorf("n=%d, pattern %d: %v, float64 %v, bound %v", n, j, got, exact, bound)
				}
			}
		}
	}
}
