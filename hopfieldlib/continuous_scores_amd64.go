//go:build amd64 && !purego

package hopfieldlib

import "golang.org/x/sys/cpu"

// contScoreKernel is implemented in continuous_scores_amd64.s.
//
//go:noescape
func contScoreKernel(q, p, out *float32, qStride, pStride, outStride, n, triples uintptr)

// scoreKernelAvailable reports whether contScoreKernel can run here (AVX2 and FMA3).
func scoreKernelAvailable() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA }

// contMax32 returns the largest of s[0:n], n a positive multiple of 32 (continuous_scores_amd64.s).
//
//go:noescape
func contMax32(s *float32, n uintptr) float32

// contFindGE8 returns the index of the first block of 8 values of s (of blocks) that holds a
// value ≥ cut, or blocks (continuous_scores_amd64.s).
//
//go:noescape
func contFindGE8(s *float32, blocks uintptr, cut float32) uintptr

// scoresMax returns the largest of s (non-empty, no NaN).
func scoresMax(s []float32) float32 {
	if !scoreKernelAvailable() || len(s) < 32 {
		return scoresMaxGo(s)
	}
	n := len(s) &^ 31
	m := contMax32(&s[0], uintptr(n))
	for _, v := range s[n:] {
		m = max(m, v)
	}
	return m
}

// scoresAbove appends to dst the indices of the values of s that are ≥ cut, stopping (and
// returning false) once dst would exceed limit entries.
func scoresAbove(dst []int32, s []float32, cut float32, limit int) ([]int32, bool) {
	if !scoreKernelAvailable() {
		return scoresAboveGo(dst, s, 0, cut, limit)
	}
	blocks := len(s) / 8
	for b := 0; b < blocks; b++ {
		b += int(contFindGE8(&s[8*b], uintptr(blocks-b), cut))
		if b == blocks {
			break
		}
		for j := 8 * b; j < 8*b+8; j++ {
			if s[j] >= cut {
				if len(dst) == limit {
					return dst, false
				}
				dst = append(dst, int32(j))
			}
		}
	}
	return scoresAboveGo(dst, s[8*blocks:], 8*blocks, cut, limit)
}
