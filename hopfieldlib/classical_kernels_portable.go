//go:build !goexperiment.simd || !amd64

package hopfieldlib

// simdKernels reports whether dot32 and axpy32 use SIMD instructions.
const simdKernels = false

func dot32(a, b []float32) float32 { return dotScalar(a, b) }

func axpy32(y []float32, alpha float32, x []float32) { axpyScalar(y, alpha, x) }

func sweepOverlaps(c *Classical, s []int32, m []int16, order []int32) int {
	return sweepOverlapsScalar(c, s, m, order)
}

func stableOverlaps(c *Classical, s []int32, m []int16) bool { return stableOverlapsScalar(c, s, m) }

func startOverlaps(c *Classical, s, m []int16) { startOverlapsScalar(c, s, m) }
