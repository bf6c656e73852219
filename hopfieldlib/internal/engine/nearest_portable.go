//go:build !goexperiment.simd || !amd64

package engine

// dot4 returns s·x0, s·x1, s·x2, s·x3 in float32; every x must be as long as s.
func dot4(s, x0, x1, x2, x3 []float32) (float32, float32, float32, float32) {
	return dot4Scalar(s, x0, x1, x2, x3)
}
