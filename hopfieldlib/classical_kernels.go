package hopfieldlib

// The inner loops of asynchronous classical dynamics: a dot product (checking a unit against the
// overlaps) and an axpy (updating the overlaps or the fields after a flip). dot32 and axpy32
// dispatch to an AVX2 version when built with GOEXPERIMENT=simd on amd64 (see
// classical_kernels_simd.go) and to these portable loops otherwise. axpy multiplies and adds in
// two roundings in both versions (no fused multiply-add), so results are identical with and
// without SIMD; dot is only used on integer-valued data (Hebbian overlaps), where the order of
// the sums does not matter.

// dotScalar returns Σ_i a[i]·b[i]; len(b) must be ≥ len(a).
func dotScalar(a, b []float32) float32 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float32
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += a[i] * b[i]
		s1 += a[i+1] * b[i+1]
		s2 += a[i+2] * b[i+2]
		s3 += a[i+3] * b[i+3]
	}
	for ; i < len(a); i++ {
		s0 += a[i] * b[i]
	}
	return (s0 + s1) + (s2 + s3)
}

// axpyScalar sets y[i] += alpha·x[i]; len(x) must be ≥ len(y).
func axpyScalar(y []float32, alpha float32, x []float32) {
	x = x[:len(y)]
	i := 0
	for ; i+4 <= len(y); i += 4 {
		y[i] += alpha * x[i]
		y[i+1] += alpha * x[i+1]
		y[i+2] += alpha * x[i+2]
		y[i+3] += alpha * x[i+3]
	}
	for ; i < len(y); i++ {
		y[i] += alpha * x[i]
	}
}
