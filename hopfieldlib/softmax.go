package hopfieldlib

import "math"

// Numerically stable softmax and log-sum-exp in float64. Every exponential in this package's
// continuous network goes through these two forms: the largest term is factored out first, so
// exp never sees a positive argument and never overflows, whatever β and the scores are.

// logSumExp returns lse(β, z) = β⁻¹ log Σ_μ exp(β z_μ), computed as m + β⁻¹ log Σ exp(β(z_μ − m))
// with m = max_μ z_μ. z must be non-empty and β > 0. max(z) ≤ lse(β, z) ≤ max(z) + β⁻¹ log len(z)
// (Ramsauer et al. 2020, Lemma A1).
func logSumExp(beta float64, z []float64) float64 {
	m := math.Inf(-1)
	for _, v := range z {
		m = max(m, v)
	}
	var sum float64
	for _, v := range z {
		sum += math.Exp(beta * (v - m))
	}
	return m + math.Log(sum)/beta
}

// softmaxInto writes p_μ = exp(β z_μ) / Σ_ν exp(β z_ν) into dst (len(dst) == len(z)),
// max-shifted, and returns lse(β, z) as a by-product.
func softmaxInto(dst []float64, beta float64, z []float64) float64 {
	m := math.Inf(-1)
	for _, v := range z {
		m = max(m, v)
	}
	var sum float64
	for i, v := range z {
		e := math.Exp(beta * (v - m))
		dst[i] = e
		sum += e
	}
	inv := 1 / sum
	for i := range dst {
		dst[i] *= inv
	}
	return m + math.Log(sum)/beta
}

// pow2Exponent returns e such that a·2^-e lies in [0.5, 1), for a > 0 finite; 0 for a = 0.
// Scaling by a power of two is exact in floating point (barring underflow), which is how the
// continuous network keeps float32 scores in range for any finite input.
func pow2Exponent(a float64) int {
	if a == 0 {
		return 0
	}
	_, e := math.Frexp(a)
	return e
}
