package engine

import (
	"math"
	"testing"
)

// TestAllFiniteAgrees: AllFinite (SIMD where built) and allFinitePortable against the definition,
// for NaN, ±Inf, the largest float32 and subnormals at every position of slices around the
// 8- and 32-value steps.
func TestAllFiniteAgrees(t *testing.T) {
	specials := []float32{float32(math.NaN()), float32(math.Inf(1)), float32(math.Inf(-1)),
		math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, 0, float32(math.Copysign(0, -1))}
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100} {
		for pos := range n {
			for _, s := range specials {
				x := randomSlice(n, -3, 3, uint64(n))
				x[pos] = s
				want := !math.IsNaN(float64(s)) && !math.IsInf(float64(s), 0)
				if got := AllFinite(x); got != want {
					t.Fatalf("AllFinite: n=%d, %v at %d: got %v, want %v", n, s, pos, got, want)
				}
				if got := allFinitePortable(x); got != want {
					t.Fatalf("allFinitePortable: n=%d, %v at %d: got %v, want %v", n, s, pos, got, want)
				}
			}
		}
		if x := randomSlice(n, -3, 3, 1); !AllFinite(x) || !allFinitePortable(x) {
			t.Fatalf("n=%d: finite values reported as not finite", n)
		}
	}
}

// TestAbsMaxSumSqAgrees: absMaxSumSq (SIMD where built) gives bit for bit what the portable version
// gives, and that is the largest magnitude and a sum of squares within float64 rounding of the
// exact one, for lengths around the 8-value steps and magnitudes from subnormal to 2¹²⁷.
func TestAbsMaxSumSqAgrees(t *testing.T) {
	for _, n := range []int{1, 7, 8, 9, 15, 16, 17, 100, 784} {
		for _, scale := range []float64{0x1p-140, 1, 0x1p120} {
			x := randomSlice(n, -1, 1, uint64(n))
			var want float64
			var wantMax float32
			for j := range x {
				x[j] = float32(float64(x[j]) * scale)
				want += float64(x[j]) * float64(x[j])
				wantMax = max(wantMax, float32(math.Abs(float64(x[j]))))
			}
			mb, sq := absMaxSumSq(x)
			pmb, psq := absMaxSumSqPortable(x)
			if mb != pmb || math.Float64bits(sq) != math.Float64bits(psq) {
				t.Fatalf("n=%d, scale %g: got (%#x, %v), portable (%#x, %v)", n, scale, mb, sq, pmb, psq)
			}
			if got := math.Float32frombits(mb); got != wantMax {
				t.Fatalf("n=%d, scale %g: largest |x| %g, want %g", n, scale, got, wantMax)
			}
			if math.Abs(sq-want) > float64(n)*0x1p-52*want {
				t.Fatalf("n=%d, scale %g: Σx² = %v, want %v", n, scale, sq, want)
			}
		}
	}
}
