//go:build !goexperiment.simd || !amd64

package engine

// classicalSIMD reports whether the classical network's SIMD kernels are built in: not without
// GOEXPERIMENT=simd on amd64. The functions below are never called then.
const classicalSIMD = false

func axpy32SIMD(y []float32, alpha float32, x []float32) { axpy32Portable(y, alpha, x) }

func sweepOverlapsSIMD(o *Overlaps, s []int32, m []int16, order []int32) int {
	return sweepOverlapsPortable(o, s, m, order)
}

func stableOverlapsSIMD(o *Overlaps, s []int32, m []int16) bool {
	return stableOverlapsPortable(o, s, m)
}

func startOverlapsSIMD(o *Overlaps, s, m []int16) { startOverlapsPortable(o, s, m) }
