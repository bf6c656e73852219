//go:build !amd64 || purego

package hopfieldlib

// contScoreKernel exists only on amd64; scoreKernelAvailable keeps it from being called.
func contScoreKernel(q, p, out *float32, qStride, pStride, outStride, n, triples uintptr) {
	panic("hopfieldlib: contScoreKernel called without a kernel")
}

// scoreKernelAvailable reports whether contScoreKernel can run here: never on this platform, where
// the scores come from a GoMLX graph.
func scoreKernelAvailable() bool { return false }

// scoresMax returns the largest of s (non-empty, no NaN).
func scoresMax(s []float32) float32 { return scoresMaxGo(s) }

// scoresAbove appends to dst the indices of the values of s that are ≥ cut, stopping (and
// returning false) once dst would exceed limit entries.
func scoresAbove(dst []int32, s []float32, cut float32, limit int) ([]int32, bool) {
	return scoresAboveGo(dst, s, 0, cut, limit)
}
