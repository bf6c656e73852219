// Package measure computes how close states are to patterns and how spread softmax weights are,
// on values already checked: the model floor (hopfieldlib's Retrieved, Cosine, Entropy, …)
// validates its arguments once and calls these, and so do the experiments, which validate at
// their own entry and then measure many recalls without checking the same patterns again.
//
// Patterns are rows of a row-major float32 matrix, n values each. Every function here assumes
// finite values and matching lengths; it does not check them.
package measure

import (
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// Cosine is a·b / (‖a‖ ‖b‖), clamped to [−1, 1], and 0 when either vector is all zeros.
func Cosine(a, b []float32) float64 {
	na, nb := engine.Dot64(a, a), engine.Dot64(b, b)
	if na == 0 || nb == 0 {
		return 0
	}
	return max(-1, min(1, engine.Dot64(a, b)/math.Sqrt(na*nb)))
}

// Retrieved reports, for every state b (rows of states), whether max_i |s_i − ξ_i| ≤ tol with
// ξ the stored row want[b].
func Retrieved(stored, states []float32, n int, want []int, tol float64) []bool {
	ok := make([]bool, len(want))
	for b, mu := range want {
		s, x := states[b*n:(b+1)*n], stored[mu*n:(mu+1)*n]
		ok[b] = true
		for i := range s {
			if math.Abs(float64(s[i])-float64(x[i])) > tol {
				ok[b] = false
				break
			}
		}
	}
	return ok
}

// Fraction is the fraction of true values (0 for none).
func Fraction(ok []bool) float64 {
	if len(ok) == 0 {
		return 0
	}
	c := 0
	for _, v := range ok {
		if v {
			c++
		}
	}
	return float64(c) / float64(len(ok))
}

// RowSum is Σ p_μ in float64.
func RowSum(p []float32) float64 {
	var s float64
	for _, v := range p {
		s += float64(v)
	}
	return s
}

// Entropy is H(p) = −Σ_μ q_μ log q_μ (nats, 0 log 0 = 0) of one row of weights renormalized to
// q = p / sum (sum > 0, p ≥ 0).
func Entropy(p []float32, sum float64) float64 {
	var h float64
	for _, v := range p {
		if v > 0 {
			q := float64(v) / sum
			h -= q * math.Log(q)
		}
	}
	return max(h, 0)
}

// ParticipationRatio is 1 / Σ_μ q_μ² for q = p / sum.
func ParticipationRatio(p []float32, sum float64) float64 {
	var sq float64
	for _, v := range p {
		q := float64(v) / sum
		sq += q * q
	}
	return 1 / sq
}
