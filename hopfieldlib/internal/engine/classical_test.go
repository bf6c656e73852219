package engine

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// spins returns k×n random ±1 values, seeded.
func spins(k, n int, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 17))
	out := make([]float32, k*n)
	for i := range out {
		out[i] = float32(2*r.IntN(2) - 1)
	}
	return out
}

// TestClassicalKernelsAgree: the SIMD kernels of the classical network (where this build has
// them: GOEXPERIMENT=simd on amd64 with AVX2) and the portable loops compute the same integers
// and flip the same units, bit for bit: starting overlaps, a sweep, the stability check (at a
// fixed point and one flip away from it), and the fields' axpy.
func TestClassicalKernelsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 1))
	for _, k := range []int{1, 10, 16, 17, 40} {
		n := 10*k + 7
		x := spins(k, n, uint64(k))
		stheta := make([]float32, n)
		for i := range stheta {
			stheta[i] = float32(r.NormFloat64() * 0.02 * float64(n))
		}
		fast, slow := NewOverlaps(x, k, n, stheta, Best()), NewOverlaps(x, k, n, stheta, Portable)
		probe := spins(1, n, uint64(k)+100)
		pf, ps := fast.NewProbe(), slow.NewProbe()
		pf.Load(probe)
		ps.Load(probe)
		for mu := range k {
			var want int
			for i := range n {
				want += int(x[mu*n+i] * probe[i])
			}
			if int(pf.m[mu]) != want || int(ps.m[mu]) != want {
				t.Fatalf("K=%d: starting overlap %d: %d and %d (portable), want %d", k, mu, pf.m[mu], ps.m[mu], want)
			}
		}
		order := make([]int32, n)
		for i := range order {
			order[i] = int32(i)
		}
		r.Shuffle(n, func(i, j int) { order[i], order[j] = order[j], order[i] })
		f1, f2 := pf.Sweep(order), ps.Sweep(order)
		if f1 != f2 || !slices.Equal(pf.s32, ps.s32) || !slices.Equal(pf.m, ps.m) || f1 == 0 {
			t.Fatalf("K=%d: sweeps flipped %d and %d (portable) units, states equal %v", k, f1, f2, slices.Equal(pf.s32, ps.s32))
		}
		if a, b := pf.Stable(), ps.Stable(); a != b {
			t.Errorf("K=%d: Stable %v, portable %v", k, a, b)
		}
		for ps.Sweep(order) > 0 {
		}
		if !ps.Stable() {
			t.Fatalf("K=%d: a fixed point is not stable", k)
		}
		for _, u := range []int{0, n / 2, n - 1} { // one unit flipped back: its field opposes it
			pf.s32, pf.m = slices.Clone(ps.s32), slices.Clone(ps.m)
			pf.s32[u] = -pf.s32[u]
			for mu := range k {
				pf.m[mu] += int16(2 * pf.s32[u] * int32(x[mu*n+u]))
			}
			q := &OverlapProbe{o: slow, s32: pf.s32, s16: pf.s16, m: pf.m}
			if a, b := pf.Stable(), q.Stable(); a != b {
				t.Errorf("K=%d, unit %d flipped: Stable %v, portable %v", k, u, a, b)
			}
		}
	}
	for _, n := range []int{0, 1, 7, 8, 15, 16, 17, 50, 784} {
		x, y := randomSlice(n, -1, 1, uint64(n)), randomSlice(n, -1, 1, uint64(n)+1)
		y1, y2 := slices.Clone(y), slices.Clone(y)
		if classicalSIMD {
			axpy32SIMD(y1, 0.375, x)
		} else {
			axpy32Portable(y1, 0.375, x)
		}
		axpy32Portable(y2, 0.375, x)
		if !slices.Equal(y1, y2) {
			t.Errorf("n=%d: the SIMD axpy differs from the portable one", n)
		}
	}
}
