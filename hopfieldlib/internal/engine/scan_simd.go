//go:build goexperiment.simd && amd64

package engine

import "simd/archsimd"

// AllFinite reports whether every value of x is finite (no NaN, no ±Inf): allFinitePortable's
// test, 32 values per step in AVX2 registers when the CPU has them (the same answer: it is exact).
func AllFinite(x []float32) bool {
	if len(x) < 32 || !archsimd.X86.AVX2() {
		return allFinitePortable(x)
	}
	mask, one := archsimd.BroadcastUint32x8(expMask), archsimd.BroadcastUint32x8(expOne)
	var a0, a1, a2, a3 archsimd.Uint32x8
	for len(x) >= 32 {
		a0 = a0.Or(archsimd.LoadFloat32x8((*[8]float32)(x[0:8])).AsUint32x8().And(mask).Add(one))
		a1 = a1.Or(archsimd.LoadFloat32x8((*[8]float32)(x[8:16])).AsUint32x8().And(mask).Add(one))
		a2 = a2.Or(archsimd.LoadFloat32x8((*[8]float32)(x[16:24])).AsUint32x8().And(mask).Add(one))
		a3 = a3.Or(archsimd.LoadFloat32x8((*[8]float32)(x[24:32])).AsUint32x8().And(mask).Add(one))
		x = x[32:]
	}
	var l [8]uint32
	a0.Or(a1).Or(a2).Or(a3).Store(&l)
	archsimd.ClearAVXUpperBits()
	acc := l[0] | l[1] | l[2] | l[3] | l[4] | l[5] | l[6] | l[7]
	return acc&(1<<31) == 0 && allFinitePortable(x)
}

// absMaxSumSq is absMaxSumSqPortable, eight values per step in AVX2 registers when the CPU has
// them: lanes 0-3 of a step hold partial sums 0-3, and lanes 4-7 sums 4-7, each square exact in
// float64, so the result is bit-identical for finite values (with NaNs, which the callers have
// ruled out, the NaN's payload may differ).
func absMaxSumSq(x []float32) (uint32, float64) {
	if len(x) < 8 || !archsimd.X86.AVX2() {
		return absMaxSumSqPortable(x)
	}
	abs := archsimd.BroadcastUint32x8(1<<31 - 1)
	var m archsimd.Uint32x8
	var s0, s1 archsimd.Float64x4
	for len(x) >= 8 {
		v := archsimd.LoadFloat32x8((*[8]float32)(x[0:8]))
		m = m.Max(v.AsUint32x8().And(abs))
		lo, hi := v.GetLo().ConvertToFloat64(), v.GetHi().ConvertToFloat64()
		s0, s1 = s0.Add(lo.Mul(lo)), s1.Add(hi.Mul(hi))
		x = x[8:]
	}
	var mb [8]uint32
	var s [8]float64
	m.Store(&mb)
	s0.Store((*[4]float64)(s[0:4]))
	s1.Store((*[4]float64)(s[4:8]))
	archsimd.ClearAVXUpperBits()
	return absMaxSumSqTail(x, max(mb[0], mb[1], mb[2], mb[3], mb[4], mb[5], mb[6], mb[7]), &s)
}
