//go:build goexperiment.simd && amd64

package engine

import "simd/archsimd"

// classicalSIMD reports whether the classical network's SIMD kernels (AVX2) can run here.
var classicalSIMD = archsimd.X86.AVX2()

// The loops below advance by reslicing (a = a[16:]) rather than by an index, which lets the
// compiler drop most bounds checks, and end with VZEROUPPER: returning to scalar SSE code with
// dirty upper halves of the YMM registers costs ~100 cycles per call on some CPUs.

// axpy32SIMD sets y[i] += alpha·x[i] (a multiply, then an add: no fused multiply-add, so the result
// is bit-identical to the portable loop); len(x) must be ≥ len(y).
func axpy32SIMD(y []float32, alpha float32, x []float32) {
	if len(y) < 8 {
		axpy32Portable(y, alpha, x)
		return
	}
	x = x[:len(y)]
	va := archsimd.BroadcastFloat32x8(alpha)
	for len(y) >= 16 && len(x) >= 16 {
		y0 := archsimd.LoadFloat32x8((*[8]float32)(y[0:8])).Add(va.Mul(archsimd.LoadFloat32x8((*[8]float32)(x[0:8]))))
		y1 := archsimd.LoadFloat32x8((*[8]float32)(y[8:16])).Add(va.Mul(archsimd.LoadFloat32x8((*[8]float32)(x[8:16]))))
		y0.Store((*[8]float32)(y[0:8]))
		y1.Store((*[8]float32)(y[8:16]))
		y, x = y[16:], x[16:]
	}
	if len(y) >= 8 && len(x) >= 8 {
		archsimd.LoadFloat32x8((*[8]float32)(y[0:8])).Add(va.Mul(archsimd.LoadFloat32x8((*[8]float32)(x[0:8])))).Store((*[8]float32)(y[0:8]))
		y, x = y[8:], x[8:]
	}
	archsimd.ClearAVXUpperBits()
	axpy32Portable(y, alpha, x)
}

// overlapDot returns Σ_j row[j]·m[j] over the len(row) entries (a multiple of 16), with
// VPMADDWD: 16 int16 products summed in pairs into 8 int32 lanes per instruction; two
// accumulators, 32 entries per iteration.
func overlapDot(row, m []int16) int32 {
	var acc0, acc1 archsimd.Int32x8
	for len(row) >= 32 && len(m) >= 32 {
		acc0 = acc0.Add(archsimd.LoadInt16x16((*[16]int16)(row[:16])).DotProductPairs(archsimd.LoadInt16x16((*[16]int16)(m[:16]))))
		acc1 = acc1.Add(archsimd.LoadInt16x16((*[16]int16)(row[16:32])).DotProductPairs(archsimd.LoadInt16x16((*[16]int16)(m[16:32]))))
		row, m = row[32:], m[32:]
	}
	if len(row) >= 16 && len(m) >= 16 {
		acc0 = acc0.Add(archsimd.LoadInt16x16((*[16]int16)(row[:16])).DotProductPairs(archsimd.LoadInt16x16((*[16]int16)(m[:16]))))
	}
	acc := acc0.Add(acc1)
	q := acc.GetLo().Add(acc.GetHi())
	q = q.AddPairs(q)
	q = q.AddPairs(q)
	return q.GetElem(0)
}

// sweepOverlapsSIMD is sweepOverlapsPortable with AVX2. The loop uses only integer registers
// outside the vector operations (no scalar float code), so nothing pays an AVX→SSE transition
// until the VZEROUPPER at the end.
func sweepOverlapsSIMD(o *Overlaps, s []int32, m []int16, order []int32) int {
	kp, k, xt, sel := o.kp, int32(o.k), o.xt16, o.thSel
	m = m[:kp]
	flips := 0
	for _, i := range order {
		row := xt[int(i)*kp : int(i)*kp+kp]
		si := s[i]
		if si*overlapDot(row, m)-k >= sel[2*int(i)+int(uint32(si)>>31)] {
			continue // the field agrees with the unit (or is zero)
		}
		s[i] = -si
		two := archsimd.BroadcastInt16x16(int16(-2 * si))
		r, mm := row, m
		for len(r) >= 16 && len(mm) >= 16 {
			p := (*[16]int16)(mm[:16])
			archsimd.LoadInt16x16(p).Add(archsimd.LoadInt16x16((*[16]int16)(r[:16])).Mul(two)).Store(p)
			r, mm = r[16:], mm[16:]
		}
		flips++
	}
	archsimd.ClearAVXUpperBits()
	return flips
}

// stableOverlapsSIMD is stableOverlapsPortable with AVX2, 8 units at a time from the blocked
// table xb: one VPMADDWD per pattern pair gives 8 units' partial sums at once (no horizontal
// sums), then the 8 fields are compared with their thresholds in one go. s has n8 entries, zero
// padded.
func stableOverlapsSIMD(o *Overlaps, s []int32, m []int16) bool {
	pairs := o.kp / 2
	// Every pair (m_2a, m_2a+1) repeated 8 times, the other operand of VPMADDWD.
	var buf [64 * 16]int16
	mp := buf[:]
	if pairs*16 > len(buf) {
		mp = make([]int16, pairs*16)
	}
	mp = mp[:pairs*16]
	for a := range pairs {
		for j := 0; j < 16; j += 2 {
			mp[a*16+j], mp[a*16+j+1] = m[2*a], m[2*a+1]
		}
	}
	kv := archsimd.BroadcastInt32x8(int32(o.k))
	var zero archsimd.Int32x8
	xb, lo, hi := o.xb, o.thLo, o.thHi
	stable := true
	for blk := 0; blk+8 <= len(s) && blk+8 <= len(lo) && blk+8 <= len(hi); blk += 8 {
		rows := xb[blk*pairs*2 : (blk+8)*pairs*2]
		var acc archsimd.Int32x8
		for mm := mp; len(rows) >= 16 && len(mm) >= 16; rows, mm = rows[16:], mm[16:] {
			acc = acc.Add(archsimd.LoadInt16x16((*[16]int16)(rows[:16])).DotProductPairs(archsimd.LoadInt16x16((*[16]int16)(mm[:16]))))
		}
		sv := archsimd.LoadInt32x8((*[8]int32)(s[blk : blk+8]))
		e := acc.Sub(kv.CopySign(sv)) // D − K s
		flipUp := e.Greater(archsimd.LoadInt32x8((*[8]int32)(hi[blk : blk+8]))).And(zero.Greater(sv))
		flipDown := archsimd.LoadInt32x8((*[8]int32)(lo[blk : blk+8])).Greater(e).And(sv.Greater(zero))
		if flipUp.Or(flipDown).ToBits() != 0 {
			stable = false
			break
		}
	}
	archsimd.ClearAVXUpperBits()
	return stable
}

// startOverlapsSIMD is startOverlapsPortable with AVX2 (VPMADDWD over 16 units at a time).
func startOverlapsSIMD(o *Overlaps, s, m []int16) {
	for mu := range o.k {
		m[mu] = int16(overlapDot(o.x16[mu*o.n16:(mu+1)*o.n16], s))
	}
	archsimd.ClearAVXUpperBits()
}
