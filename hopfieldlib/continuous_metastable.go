package hopfieldlib

import (
	"fmt"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/measure"
)

// Measures of metastability: how many stored patterns a state mixes. Ramsauer et al. (2020), §2
// and Appendix A.1.5, distinguish three kinds of fixed points of the continuous update: near a
// single pattern (β large, patterns well separated: one weight ≈ 1), metastable states averaging
// a subset of similar patterns, and the global fixed point averaging all of them (β small). The
// softmax weights p = softmax(β X ξ) of [Continuous.Weights] tell them apart; these functions
// turn each row of weights into one number.

// weightsTolerance is how far a row of weights may sum from 1 (float32 sums of many weights).
const weightsTolerance = 1e-3

// checkWeights validates rows of softmax weights: non-empty, finite, non-negative, each row
// summing to 1 within weightsTolerance. It returns the row sums.
func checkWeights(what string, weights *Patterns) ([]float64, error) {
	if weights == nil || weights.Len() == 0 {
		return nil, fmt.Errorf("%w: %s: need at least one row of weights, got none", ErrEmpty, what)
	}
	if err := weights.CheckFinite(); err != nil {
		return nil, fmt.Errorf("%s: %w", what, err)
	}
	sums := make([]float64, weights.Len())
	for b := range weights.Len() {
		for mu, p := range weights.Row(b) {
			if p < 0 {
				return nil, fmt.Errorf("%w: %s: weight %d of row %d is %v, want ≥ 0 (a probability)",
					ErrParameter, what, mu, b, p)
			}
		}
		sums[b] = measure.RowSum(weights.Row(b))
		if math.Abs(sums[b]-1) > weightsTolerance {
			return nil, fmt.Errorf("%w: %s: row %d sums to %v, want 1 (softmax weights, e.g. from Continuous.Weights)",
				ErrParameter, what, b, sums[b])
		}
	}
	return sums, nil
}

// Entropy returns, for each row p of weights (softmax weights such as [Continuous.Weights]
// returns: non-negative, summing to 1), the Shannon entropy H(p) = −Σ_μ p_μ log p_μ in nats
// (0 log 0 = 0). H = 0 when a single pattern is retrieved; H = log K for the uniform mixture of
// all K patterns (the global fixed point). Rows are renormalized to sum exactly 1 first.
func Entropy(weights *Patterns) ([]float64, error) {
	sums, err := checkWeights("Entropy", weights)
	if err != nil {
		return nil, err
	}
	out := make([]float64, weights.Len())
	for b := range out {
		out[b] = measure.Entropy(weights.Row(b), sums[b])
	}
	return out, nil
}

// EffectiveCount returns, for each row p of weights, exp(H(p)): the number of patterns a state
// effectively mixes (the perplexity of p). It is 1 for a retrieved pattern, n for an even mixture
// of n patterns, and K at the global fixed point; a metastable state lies in between.
func EffectiveCount(weights *Patterns) ([]float64, error) {
	sums, err := checkWeights("EffectiveCount", weights)
	if err != nil {
		return nil, err
	}
	out := make([]float64, weights.Len())
	for b := range out {
		out[b] = math.Exp(measure.Entropy(weights.Row(b), sums[b]))
	}
	return out, nil
}

// ParticipationRatio returns, for each row p of weights, 1 / Σ_μ p_μ²: another count of the
// patterns mixed, which weighs the largest weights more than [EffectiveCount] does (for an even
// mixture of n patterns both give n; otherwise 1 ≤ ParticipationRatio ≤ EffectiveCount).
func ParticipationRatio(weights *Patterns) ([]float64, error) {
	sums, err := checkWeights("ParticipationRatio", weights)
	if err != nil {
		return nil, err
	}
	out := make([]float64, weights.Len())
	for b := range out {
		out[b] = measure.ParticipationRatio(weights.Row(b), sums[b])
	}
	return out, nil
}
