//go:build goexperiment.simd && amd64

package engine

import (
	"math/bits"
	"simd/archsimd"
)

// denseSIMD reports whether the dense kernels use SIMD instructions (AVX2, with FMA for MulAdd).
var denseSIMD = archsimd.X86.AVX2() && archsimd.X86.FMA()

// The loops below walk the slices by reslicing (x = x[16:]) and load through array pointers,
// which lets the compiler drop the bounds checks, and every kernel ends with VZEROUPPER
// (archsimd.ClearAVXUpperBits) before scalar code runs: a legacy SSE instruction while the upper
// halves of the YMM registers are dirty costs ≈ 120 ns here (measured), more than the whole
// loop at K = 100. For the same reason no scalar float code runs between the first AVX
// instruction and the VZEROUPPER (BroadcastFloat32x8(0) is such code: it compiles to XORPS).

// denseDisagree is denseDisagreeScalar with 8-lane AVX2 vectors: t = 1 − s·x (exactly 0 or 2),
// acc += t·g, with four accumulators so that the fused multiply-adds do not wait on each other.
func denseDisagree(x, g []float32, s float32) float32 {
	if !denseSIMD {
		return denseDisagreeScalar(x, g, s)
	}
	ns := archsimd.BroadcastFloat32x8(-s)
	one := archsimd.BroadcastFloat32x8(1)
	var a0, a1, a2, a3 archsimd.Float32x8
	for len(g) >= 32 && len(x) >= 32 {
		a0 = archsimd.LoadFloat32x8((*[8]float32)(x[0:8])).MulAdd(ns, one).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(g[0:8])), a0)
		a1 = archsimd.LoadFloat32x8((*[8]float32)(x[8:16])).MulAdd(ns, one).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(g[8:16])), a1)
		a2 = archsimd.LoadFloat32x8((*[8]float32)(x[16:24])).MulAdd(ns, one).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(g[16:24])), a2)
		a3 = archsimd.LoadFloat32x8((*[8]float32)(x[24:32])).MulAdd(ns, one).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(g[24:32])), a3)
		x, g = x[32:], g[32:]
	}
	if len(g) >= 16 && len(x) >= 16 {
		a0 = archsimd.LoadFloat32x8((*[8]float32)(x[0:8])).MulAdd(ns, one).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(g[0:8])), a0)
		a1 = archsimd.LoadFloat32x8((*[8]float32)(x[8:16])).MulAdd(ns, one).MulAdd(archsimd.LoadFloat32x8((*[8]float32)(g[8:16])), a1)
	}
	var out [4]float32
	a := a0.Add(a1).Add(a2.Add(a3))
	a.GetLo().Add(a.GetHi()).Store(&out)
	archsimd.ClearAVXUpperBits()
	return (out[0] + out[1]) + (out[2] + out[3])
}

// denseAddScaled sets m += a·x.
func denseAddScaled(m, x []float32, a float32) {
	if !denseSIMD {
		denseAddScaledScalar(m, x, a)
		return
	}
	va := archsimd.BroadcastFloat32x8(a)
	for len(m) >= 16 && len(x) >= 16 {
		m0, m1 := (*[8]float32)(m[0:8]), (*[8]float32)(m[8:16])
		archsimd.LoadFloat32x8((*[8]float32)(x[0:8])).MulAdd(va, archsimd.LoadFloat32x8(m0)).Store(m0)
		archsimd.LoadFloat32x8((*[8]float32)(x[8:16])).MulAdd(va, archsimd.LoadFloat32x8(m1)).Store(m1)
		m, x = m[16:], x[16:]
	}
	archsimd.ClearAVXUpperBits()
}

// denseReweigh multiplies w_μ by q where x_μ = s and by qinv elsewhere, and returns Σ w.
func denseReweigh(w, x []float32, s, q, qinv float32) float64 {
	if !denseSIMD {
		return denseReweighScalar(w, x, s, q, qinv)
	}
	vs := archsimd.BroadcastFloat32x8(s)
	vq := archsimd.BroadcastFloat32x8(q)
	vqi := archsimd.BroadcastFloat32x8(qinv)
	var a0, a1 archsimd.Float32x8
	for len(w) >= 16 && len(x) >= 16 {
		w0p, w1p := (*[8]float32)(w[0:8]), (*[8]float32)(w[8:16])
		x0 := archsimd.LoadFloat32x8((*[8]float32)(x[0:8]))
		x1 := archsimd.LoadFloat32x8((*[8]float32)(x[8:16]))
		w0 := archsimd.LoadFloat32x8(w0p).Mul(vq.Merge(vqi, x0.Equal(vs)))
		w1 := archsimd.LoadFloat32x8(w1p).Mul(vq.Merge(vqi, x1.Equal(vs)))
		w0.Store(w0p)
		w1.Store(w1p)
		a0 = a0.Add(w0)
		a1 = a1.Add(w1)
		w, x = w[16:], x[16:]
	}
	var out [4]float32
	a := a0.Add(a1)
	a.GetLo().Add(a.GetHi()).Store(&out)
	archsimd.ClearAVXUpperBits()
	return float64((out[0] + out[1]) + (out[2] + out[3]))
}

// densePowVec is densePow on 8 lanes (the same multiplications in the same order).
func densePowVec(v archsimd.Float32x8, n int) archsimd.Float32x8 {
	r := archsimd.BroadcastFloat32x8(1)
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			r = r.Mul(v)
		}
		v = v.Mul(v)
	}
	return r
}

// densePolyUpdate is densePolyUpdateScalar with 8-lane AVX2 vectors, the overlap update fused
// in; the last partial block is loaded zero-filled and its extra lanes masked out of the sums.
func densePolyUpdate(m, g, x []float32, a float32, k, n int, rect bool) (dsum, abs float64) {
	if !denseSIMD {
		return densePolyUpdateScalar(m, g, x, a, k, n, rect)
	}
	// Set up everything scalar before the first AVX instruction: the tail mask ([8−r:] starts
	// with r ones, then zeros) and no BroadcastFloat32x8(0), which compiles to a legacy XORPS.
	ones := [16]float32{1, 1, 1, 1, 1, 1, 1, 1}
	var zero archsimd.Float32x8
	two := archsimd.BroadcastFloat32x8(2)
	va := archsimd.BroadcastFloat32x8(a)
	nonNeg := rect || n%2 == 0
	var ds, ab archsimd.Float32x8
	mv, gv := m[:k], g[:k]
	var xv []float32
	if x != nil {
		xv = x[:k]
	}
	for len(mv) > 0 {
		var v archsimd.Float32x8
		full := len(mv) >= 8 && len(gv) >= 8
		if full {
			v = archsimd.LoadFloat32x8((*[8]float32)(mv[0:8]))
			if xv != nil {
				v = archsimd.LoadFloat32x8((*[8]float32)(xv[0:8])).MulAdd(va, v)
				v.Store((*[8]float32)(mv[0:8]))
			}
		} else {
			v = archsimd.LoadFloat32x8SlicePart(mv)
			if xv != nil {
				v = archsimd.LoadFloat32x8SlicePart(xv).MulAdd(va, v)
				v.StoreSlicePart(mv)
			}
		}
		pa, pb, pc := v.Add(two), v.Sub(two), v
		if rect {
			pa, pb, pc = pa.Max(zero), pb.Max(zero), pc.Max(zero)
		}
		var fa, fb, fc archsimd.Float32x8
		switch n { // inline the common degrees; the same products as densePow
		case 1:
			fa, fb, fc = pa, pb, pc
		case 2:
			fa, fb, fc = pa.Mul(pa), pb.Mul(pb), pc.Mul(pc)
		case 3:
			fa, fb, fc = pa.Mul(pa.Mul(pa)), pb.Mul(pb.Mul(pb)), pc.Mul(pc.Mul(pc))
		default:
			fa, fb, fc = densePowVec(pa, n), densePowVec(pb, n), densePowVec(pc, n)
		}
		d := fb.Sub(fc)
		var t archsimd.Float32x8
		if nonNeg {
			t = fa.Add(fb.Add(fb)).Add(fc)
		} else {
			aa, bb := fa.Max(zero.Sub(fa)), fb.Max(zero.Sub(fb))
			t = aa.Add(bb.Add(bb)).Add(fc.Max(zero.Sub(fc)))
		}
		if full {
			fa.Sub(fb).Store((*[8]float32)(gv[0:8]))
			mv, gv = mv[8:], gv[8:]
			if xv != nil {
				xv = xv[8:]
			}
		} else {
			// Lanes past the end were loaded as 0: keep them out of the sums (×0 is exact).
			mask := archsimd.LoadFloat32x8Slice(ones[8-len(mv):])
			d, t = d.Mul(mask), t.Mul(mask)
			fa.Sub(fb).StoreSlicePart(gv)
			mv = nil
		}
		ds = ds.Add(d)
		ab = ab.Add(t)
	}
	var o1, o2 [8]float32
	ds.Store(&o1)
	ab.Store(&o2)
	archsimd.ClearAVXUpperBits()
	for j := range 8 {
		dsum += float64(o1[j])
		abs += float64(o2[j])
	}
	return dsum, abs
}

// denseMax returns the largest entry of m (m non-empty).
func denseMax(m []float32) float32 {
	if !denseSIMD || len(m) < 8 {
		return denseMaxScalar(m)
	}
	best := archsimd.LoadFloat32x8((*[8]float32)(m[0:8]))
	rest := m[8:]
	for len(rest) >= 8 {
		best = best.Max(archsimd.LoadFloat32x8((*[8]float32)(rest[0:8])))
		rest = rest[8:]
	}
	var out [8]float32
	best.Store(&out)
	archsimd.ClearAVXUpperBits()
	b := denseMaxScalar(out[:])
	if len(rest) > 0 {
		b = max(b, denseMaxScalar(rest))
	}
	return b
}

// denseCollect appends to out, in increasing order, the indices μ with m[μ] ≥ thr: eight
// comparisons at a time, then a loop over the set bits only.
func denseCollect(m []float32, thr float32, out []int32) []int32 {
	if !denseSIMD {
		return denseCollectScalar(m, thr, out)
	}
	vt := archsimd.BroadcastFloat32x8(thr)
	base := 0
	rest := m
	for len(rest) >= 8 {
		mask := archsimd.LoadFloat32x8((*[8]float32)(rest[0:8])).GreaterEqual(vt).ToBits()
		for mask != 0 {
			out = append(out, int32(base+bits.TrailingZeros8(mask)))
			mask &= mask - 1
		}
		rest = rest[8:]
		base += 8
	}
	archsimd.ClearAVXUpperBits()
	for j, v := range rest {
		if v >= thr {
			out = append(out, int32(base+j))
		}
	}
	return out
}
