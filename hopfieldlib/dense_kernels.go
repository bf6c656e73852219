package hopfieldlib

// Inner loops of the dense asynchronous dynamics over flat float32 data. Every slice has the
// padded pattern count kp, a multiple of denseLanes, and padding entries of g and w are 0.
// The SIMD versions (dense_kernels_simd.go, with GOEXPERIMENT=simd on amd64) and the portable
// ones below compute the same elementwise products exactly; only the order of the additions in
// the sums differs, which the callers' error bounds allow for.

// denseLanes is the padding granularity of the pattern axis: two 8-lane float32 vectors.
const denseLanes = 16

// denseDisagreeScalar returns Σ_μ (1 − s·x_μ)·g_μ: twice the sum of g over the patterns whose
// unit disagrees with s (x, s = ±1, so 1 − s·x is exactly 0 or 2 and every product is exact).
func denseDisagreeScalar(x, g []float32, s float32) float32 {
	x = x[:len(g)]
	var a0, a1, a2, a3 float32
	for k := 0; k+4 <= len(g); k += 4 {
		a0 += (1 - s*x[k]) * g[k]
		a1 += (1 - s*x[k+1]) * g[k+1]
		a2 += (1 - s*x[k+2]) * g[k+2]
		a3 += (1 - s*x[k+3]) * g[k+3]
	}
	return (a0 + a1) + (a2 + a3)
}

// denseAddScaledScalar sets m += a·x (exact for integer overlaps below 2^24).
func denseAddScaledScalar(m, x []float32, a float32) {
	x = x[:len(m)]
	for k := range m {
		m[k] += a * x[k]
	}
}

// denseReweighScalar multiplies w_μ by q where x_μ = s and by qinv elsewhere, and returns Σ w.
func denseReweighScalar(w, x []float32, s, q, qinv float32) float64 {
	x = x[:len(w)]
	var a0, a1 float32
	for k := 0; k+2 <= len(w); k += 2 {
		f0, f1 := qinv, qinv
		if x[k] == s {
			f0 = q
		}
		if x[k+1] == s {
			f1 = q
		}
		w[k] *= f0
		w[k+1] *= f1
		a0 += w[k]
		a1 += w[k+1]
	}
	return float64(a0) + float64(a1)
}
