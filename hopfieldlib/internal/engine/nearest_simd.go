//go:build goexperiment.simd && amd64

package engine

import "simd/archsimd"

// dot4 returns s·x0, s·x1, s·x2, s·x3 in float32 (AVX2 when the CPU has it); every x must be as
// long as s. Its rounding differs from dot4Scalar's, within the bound of dot32Bound.
func dot4(s, x0, x1, x2, x3 []float32) (float32, float32, float32, float32) {
	if len(s) < 8 || !archsimd.X86.AVX2() {
		return dot4Scalar(s, x0, x1, x2, x3)
	}
	x0, x1, x2, x3 = x0[:len(s)], x1[:len(s)], x2[:len(s)], x3[:len(s)]
	var a0, a1, a2, a3 archsimd.Float32x8
	for len(s) >= 8 && len(x0) >= 8 && len(x1) >= 8 && len(x2) >= 8 && len(x3) >= 8 {
		v := archsimd.LoadFloat32x8((*[8]float32)(s[0:8]))
		a0 = a0.Add(v.Mul(archsimd.LoadFloat32x8((*[8]float32)(x0[0:8]))))
		a1 = a1.Add(v.Mul(archsimd.LoadFloat32x8((*[8]float32)(x1[0:8]))))
		a2 = a2.Add(v.Mul(archsimd.LoadFloat32x8((*[8]float32)(x2[0:8]))))
		a3 = a3.Add(v.Mul(archsimd.LoadFloat32x8((*[8]float32)(x3[0:8]))))
		s, x0, x1, x2, x3 = s[8:], x0[8:], x1[8:], x2[8:], x3[8:]
	}
	var l0, l1, l2, l3 [8]float32
	a0.Store(&l0)
	a1.Store(&l1)
	a2.Store(&l2)
	a3.Store(&l3)
	archsimd.ClearAVXUpperBits()
	t0, t1, t2, t3 := dot4Scalar(s, x0, x1, x2, x3)
	return hsum8(&l0) + t0, hsum8(&l1) + t1, hsum8(&l2) + t2, hsum8(&l3) + t3
}

// hsum8 adds the eight lanes pairwise.
func hsum8(l *[8]float32) float32 {
	return ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]))
}
