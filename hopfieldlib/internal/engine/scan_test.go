package engine

import (
	"math"
	"math/rand/v2"
	"testing"
)

// TestAllFiniteAgrees: AllFinite (SIMD where built) and allFinitePortable against the definition,
// for NaN, ±Inf, the largest float32 and subnormals at every position of slices around the
// 8- and 32-value steps.
func TestAllFiniteAgrees(t *testing.T) {
	specials := []float32{float32(math.Inf(1)), float32(math.Inf(-1)),
		math.MaxFloat32, -math.MaxFloat32, math.SmallestNonzeroFloat32, 0, float32(math.Copysign(0, -1))}
	// NaNs with the smallest and largest payloads, quiet and signalling, of either sign.
	for _, b := range []uint32{0x7fc00000, 0x7f800001, 0x7fbfffff, 0x7fffffff, 0xffc00000, 0xff800001, 0xffffffff} {
		specials = append(specials, math.Float32frombits(b))
	}
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

// absMaxSumSqReference is absMaxSumSq's definition: the largest |x_j|'s bits, and Σ x_j² in eight
// float64 partial sums over j mod 8, added as ((s0+s4) + (s1+s5)) + ((s2+s6) + (s3+s7)).
func absMaxSumSqReference(x []float32) (uint32, float64) {
	var mb uint32
	var s [8]float64
	for j, v := range x {
		mb = max(mb, math.Float32bits(v)&^(1<<31))
		s[j%8] += float64(v) * float64(v)
	}
	return mb, ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]))
}

// TestAbsMaxSumSqAgrees: absMaxSumSq (SIMD where built) and absMaxSumSqPortable give bit for bit
// what the definition gives, over 20,000 random rows of 0-130 values mixing ±0, subnormals and
// magnitudes from 2⁻¹⁴⁰ to 2⁶⁰ (so that the order of the additions shows in the last bits), an
// all-zero row, and a row whose sum of squares is within float64 rounding of the exact one.
func TestAbsMaxSumSqAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	value := func() float32 {
		switch rng.IntN(8) {
		case 0:
			return 0
		case 1:
			return float32(math.Copysign(0, -1))
		case 2:
			return float32(rng.NormFloat64() * 0x1p-140) // subnormal
		}
		return float32(rng.NormFloat64() * math.Ldexp(1, rng.IntN(80)-20))
	}
	check := func(x []float32) {
		t.Helper()
		wmb, wsq := absMaxSumSqReference(x)
		for _, f := range []struct {
			name string
			fn   func([]float32) (uint32, float64)
		}{{"absMaxSumSq", absMaxSumSq}, {"absMaxSumSqPortable", absMaxSumSqPortable}} {
			if mb, sq := f.fn(x); mb != wmb || math.Float64bits(sq) != math.Float64bits(wsq) {
				t.Fatalf("%s of %d values %v: got (%#x, %v), want (%#x, %v)", f.name, len(x), x, mb, sq, wmb, wsq)
			}
		}
	}
	for range 20000 {
		x := make([]float32, rng.IntN(131))
		for j := range x {
			x[j] = value()
		}
		check(x)
	}
	check(make([]float32, 100))
	x := randomSlice(784, -1, 1, 9)
	var exact float64
	for _, v := range x {
		exact += float64(v) * float64(v)
	}
	if _, sq := absMaxSumSq(x); math.Abs(sq-exact) > 784*0x1p-52*exact {
		t.Fatalf("Σx² = %v, want %v within float64 rounding", sq, exact)
	}
}
