//go:build !goexperiment.simd || !amd64

package engine

// denseSIMD reports whether the dense kernels use SIMD instructions.
const denseSIMD = false

func denseDisagree(x, g []float32, s float32) float32 { return denseDisagreeScalar(x, g, s) }

func denseAddScaled(m, x []float32, a float32) { denseAddScaledScalar(m, x, a) }

func denseReweigh(w, x []float32, s, q, qinv float32) float64 {
	return denseReweighScalar(w, x, s, q, qinv)
}

func densePolyUpdate(m, g, x []float32, a float32, k, n int, rect bool) (dsum, abs float64) {
	return densePolyUpdateScalar(m, g, x, a, k, n, rect)
}

func denseMax(m []float32) float32 { return denseMaxScalar(m) }

func denseCollect(m []float32, thr float32, out []int32) []int32 {
	return denseCollectScalar(m, thr, out)
}
