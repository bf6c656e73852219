//go:build goexperiment.simd && amd64

package hopfieldlib

import "simd/archsimd"

// simdKernels reports whether dot32 and axpy32 use SIMD instructions.
var simdKernels = archsimd.X86.AVX2()

// dot32 returns Σ_i a[i]·b[i]; len(b) must be ≥ len(a).
func dot32(a, b []float32) float32 {
	if !simdKernels || len(a) < 16 {
		return dotScalar(a, b)
	}
	b = b[:len(a)]
	var acc0, acc1 archsimd.Float32x8
	i := 0
	for ; i+16 <= len(a); i += 16 {
		acc0 = acc0.Add(archsimd.LoadFloat32x8Slice(a[i:]).Mul(archsimd.LoadFloat32x8Slice(b[i:])))
		acc1 = acc1.Add(archsimd.LoadFloat32x8Slice(a[i+8:]).Mul(archsimd.LoadFloat32x8Slice(b[i+8:])))
	}
	if i < len(a) {
		acc0 = acc0.Add(archsimd.LoadFloat32x8SlicePart(a[i:]).Mul(archsimd.LoadFloat32x8SlicePart(b[i:])))
		if i+8 < len(a) {
			acc1 = acc1.Add(archsimd.LoadFloat32x8SlicePart(a[i+8:]).Mul(archsimd.LoadFloat32x8SlicePart(b[i+8:])))
		}
	}
	acc := acc0.Add(acc1)
	q := acc.GetLo().Add(acc.GetHi())
	return (q.GetElem(0) + q.GetElem(1)) + (q.GetElem(2) + q.GetElem(3))
}

// axpy32 sets y[i] += alpha·x[i] (a multiply, then an add: no fused multiply-add, so the result
// is bit-identical to the portable loop); len(x) must be ≥ len(y).
func axpy32(y []float32, alpha float32, x []float32) {
	if !simdKernels || len(y) < 8 {
		axpyScalar(y, alpha, x)
		return
	}
	x = x[:len(y)]
	va := archsimd.BroadcastFloat32x8(alpha)
	i := 0
	for ; i+16 <= len(y); i += 16 {
		y0 := archsimd.LoadFloat32x8Slice(y[i:]).Add(va.Mul(archsimd.LoadFloat32x8Slice(x[i:])))
		y1 := archsimd.LoadFloat32x8Slice(y[i+8:]).Add(va.Mul(archsimd.LoadFloat32x8Slice(x[i+8:])))
		y0.StoreSlice(y[i:])
		y1.StoreSlice(y[i+8:])
	}
	for ; i+8 <= len(y); i += 8 {
		archsimd.LoadFloat32x8Slice(y[i:]).Add(va.Mul(archsimd.LoadFloat32x8Slice(x[i:]))).StoreSlice(y[i:])
	}
	if i < len(y) {
		axpyScalar(y[i:], alpha, x[i:])
	}
}
