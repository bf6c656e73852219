//go:build goexperiment.simd && amd64

package hopfieldlib

import "simd/archsimd"

// denseSIMD reports whether the dense kernels use SIMD instructions (AVX2).
var denseSIMD = archsimd.X86.AVX2()

// denseDisagree is denseDisagreeScalar with 8-lane AVX2 vectors: t = 1 − s·x (exactly 0 or 2),
// acc += t·g.
func denseDisagree(x, g []float32, s float32) float32 {
	if !denseSIMD {
		return denseDisagreeScalar(x, g, s)
	}
	x = x[:len(g)]
	ns := archsimd.BroadcastFloat32x8(-s)
	one := archsimd.BroadcastFloat32x8(1)
	var a0, a1 archsimd.Float32x8
	for k := 0; k+16 <= len(g); k += 16 {
		t0 := archsimd.LoadFloat32x8Slice(x[k:]).MulAdd(ns, one)
		t1 := archsimd.LoadFloat32x8Slice(x[k+8:]).MulAdd(ns, one)
		a0 = t0.MulAdd(archsimd.LoadFloat32x8Slice(g[k:]), a0)
		a1 = t1.MulAdd(archsimd.LoadFloat32x8Slice(g[k+8:]), a1)
	}
	a := a0.Add(a1)
	h := a.GetLo().Add(a.GetHi())
	return (h.GetElem(0) + h.GetElem(1)) + (h.GetElem(2) + h.GetElem(3))
}

// denseAddScaled sets m += a·x.
func denseAddScaled(m, x []float32, a float32) {
	if !denseSIMD {
		denseAddScaledScalar(m, x, a)
		return
	}
	x = x[:len(m)]
	va := archsimd.BroadcastFloat32x8(a)
	for k := 0; k+16 <= len(m); k += 16 {
		archsimd.LoadFloat32x8Slice(x[k:]).MulAdd(va, archsimd.LoadFloat32x8Slice(m[k:])).StoreSlice(m[k:])
		archsimd.LoadFloat32x8Slice(x[k+8:]).MulAdd(va, archsimd.LoadFloat32x8Slice(m[k+8:])).StoreSlice(m[k+8:])
	}
}

// denseReweigh multiplies w_μ by q where x_μ = s and by qinv elsewhere, and returns Σ w.
func denseReweigh(w, x []float32, s, q, qinv float32) float64 {
	if !denseSIMD {
		return denseReweighScalar(w, x, s, q, qinv)
	}
	x = x[:len(w)]
	vs := archsimd.BroadcastFloat32x8(s)
	vq := archsimd.BroadcastFloat32x8(q)
	vqi := archsimd.BroadcastFloat32x8(qinv)
	var a0, a1 archsimd.Float32x8
	for k := 0; k+16 <= len(w); k += 16 {
		x0 := archsimd.LoadFloat32x8Slice(x[k:])
		x1 := archsimd.LoadFloat32x8Slice(x[k+8:])
		w0 := archsimd.LoadFloat32x8Slice(w[k:]).Mul(vq.Merge(vqi, x0.Equal(vs)))
		w1 := archsimd.LoadFloat32x8Slice(w[k+8:]).Mul(vq.Merge(vqi, x1.Equal(vs)))
		w0.StoreSlice(w[k:])
		w1.StoreSlice(w[k+8:])
		a0 = a0.Add(w0)
		a1 = a1.Add(w1)
	}
	a := a0.Add(a1)
	h := a.GetLo().Add(a.GetHi())
	return float64((h.GetElem(0) + h.GetElem(1)) + (h.GetElem(2) + h.GetElem(3)))
}
