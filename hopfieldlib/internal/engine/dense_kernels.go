package engine

import "math"

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

// densePow returns v^n by binary exponentiation (multiplications only, in a fixed order, so the
// SIMD version gives bit-identical results).
func densePow(v float32, n int) float32 {
	switch n { // the products binary exponentiation forms, written out for the common degrees
	case 1:
		return v
	case 2:
		return v * v
	case 3:
		return v * (v * v)
	}
	r := float32(1)
	for ; n > 0; n >>= 1 {
		if n&1 == 1 {
			r *= v
		}
		v *= v
	}
	return r
}

// densePolyTerms returns F(v+2), F(v−2) and F(v) for F(x) = xⁿ or, with rect, max(x, 0)ⁿ
// (v an integer).
func densePolyTerms(v float32, n int, rect bool) (a, b, c float32) {
	pa, pb, pc := v+2, v-2, v
	if rect {
		pa, pb, pc = relu32(pa), relu32(pb), relu32(pc)
	}
	return densePow(pa, n), densePow(pb, n), densePow(pc, n)
}

// relu32 returns max(v, 0) for an integer-valued v without a branch: (v + |v|)/2 is exact.
func relu32(v float32) float32 { return (v + abs32(v)) * 0.5 }

// abs32 returns |v| by clearing the sign bit (Go's max compiles to a longer NaN-aware sequence).
func abs32(v float32) float32 { return math.Float32frombits(math.Float32bits(v) &^ (1 << 31)) }

// densePolyUpdateScalar sets m_μ += a·x_μ (x nil: no update) and the gains
// g_μ = F(m_μ+2) − F(m_μ−2) in float32 for the first k entries, leaving the rest alone. It
// returns Σ_μ [F(m_μ−2) − F(m_μ)] and Σ_μ (|F(m_μ+2)| + 2|F(m_μ−2)| + |F(m_μ)|), the scale of the
// rounding errors.
func densePolyUpdateScalar(m, g, x []float32, a float32, k, n int, rect bool) (dsum, abs float64) {
	m, g = m[:k], g[:k]
	if x != nil {
		denseAddScaledScalar(m, x[:k], a)
	}
	nonNeg := rect || n%2 == 0
	var ds, ab float32
	for mu, v := range m {
		fa, fb, fc := densePolyTerms(v, n, rect)
		g[mu] = fa - fb
		ds += fb - fc
		if nonNeg {
			ab += (fa + (fb + fb)) + fc
		} else {
			ab += (abs32(fa) + (abs32(fb) + abs32(fb))) + abs32(fc)
		}
	}
	return float64(ds), float64(ab)
}

// denseMaxScalar returns the largest entry of m (m non-empty).
func denseMaxScalar(m []float32) float32 {
	best := m[0]
	for _, v := range m[1:] {
		best = max(best, v)
	}
	return best
}

// denseCollectScalar appends to out, in increasing order, the indices μ with m[μ] ≥ thr.
func denseCollectScalar(m []float32, thr float32, out []int32) []int32 {
	for mu, v := range m {
		if v >= thr {
			out = append(out, int32(mu))
		}
	}
	return out
}
