package hopfieldlib

import (
	"fmt"

	"github.com/gomlx/compute"
)

// Transformer attention as the update of a continuous Hopfield network (Ramsauer et al. 2020, §3):
// in hflayers' vocabulary the stored patterns are the keys, the state patterns are the queries,
// the pattern projection is the values and the scaling is β. Here the projections W_Q, W_K, W_V
// of a transformer layer are already applied: the functions take the projected sets.

// Attention returns softmax(β Q Kᵀ) V: row b is Σ_μ p_bμ v_μ with p_b = softmax(β K q_b). It is one
// update of the continuous Hopfield network that stores the keys (K×d), starting from the
// queries (B×d) and projecting the result on the values (K×dv) instead of the keys. The result is
// B×dv. With values = keys it is [Continuous.Step].
//
// Transformers use β = 1/√d_k ("scaled dot-product attention", Vaswani et al. 2017). GoMLX's
// layers.MultiHeadAttention (ml/layers/attention, v0.28.1) with identity projections computes
// exactly Attention(Q, K, V, 1/√headDim): it scales the scores once, by
// WithQueryKeyScale(s) or by default 1/√headDim, on the fused and on the decomposed path (checked
// numerically by this package's tests). Its effective β is therefore 1/√d_k per head, not 1/d_k.
//
// The energy of the queries as Hopfield states is [Continuous.Energy] of NewContinuous(keys, β).
// Rows with very different scores make softmax almost one-hot: at large β, attention retrieves
// the value of the key nearest each query (in the dot-product sense).
func Attention(queries, keys, values *Patterns, beta float64) (*Patterns, error) {
	return AttentionSteps(queries, keys, values, beta, 1)
}

// AttentionSteps evaluates attention steps times: it updates each query steps − 1 times in key
// space, ξ ← Kᵀ softmax(β K ξ) (the Hopfield retrieval among the keys), and then reads the values
// once, softmax(β K ξ)ᵀ V. steps = 1 is [Attention]. More steps let a query that is ambiguous
// between keys settle on one (or on a metastable mixture) before the value is read out.
//
// steps counts evaluations of the softmax, as [Continuous.Step] counts updates: it is one more
// than hflayers' update_steps_max, which counts the updates after the first softmax
// (update_steps_max = 0 is plain attention, update_steps_max = n is AttentionSteps with n + 1).
// hflayers also stops early once the weights change by less than update_steps_eps; AttentionSteps
// always takes its steps (for a tolerance, use [Continuous.Recall] among the keys).
func AttentionSteps(queries, keys, values *Patterns, beta float64, steps int) (*Patterns, error) {
	if steps < 1 {
		return nil, fmt.Errorf("%w: AttentionSteps needs steps ≥ 1, got %d", ErrParameter, steps)
	}
	keyNet, valueNet, backend, err := attentionNets(queries, keys, values, beta)
	if err != nil {
		return nil, err
	}
	defer backend.Finalize()
	state := queries
	for range steps - 1 {
		if state, err = keyNet.Step(state, RecallOptions{}); err != nil {
			return nil, err
		}
	}
	return valueNet.Step(state, RecallOptions{})
}

// AttentionWeights returns softmax(β Q Kᵀ): B×K, row b the attention of query b over the keys
// (each row sums to 1), e.g. for a heatmap or [Entropy].
func AttentionWeights(queries, keys *Patterns, beta float64) (*Patterns, error) {
	keyNet, _, backend, err := attentionNets(queries, keys, keys, beta)
	if err != nil {
		return nil, err
	}
	defer backend.Finalize()
	return keyNet.Weights(queries)
}

// HopfieldPooling pools a set of patterns (K×d, e.g. the instances of a bag or the tokens of a
// sequence) into one vector per query (B×d): softmax(β q setᵀ) set, each output a weighted
// average of the set, weighted by how well each member matches the query. In hflayers'
// HopfieldPooling the query is a learned state pattern and the set, projected, is both the stored
// patterns and the pattern projection; here the query is given and the projections are identity.
func HopfieldPooling(set, query *Patterns, beta float64) (*Patterns, error) {
	return Attention(query, set, set, beta)
}

// attentionNets validates the arguments of the attention functions and returns the network that
// updates queries among the keys and the one that projects on the values. They share one new
// backend, which the caller finalizes.
func attentionNets(queries, keys, values *Patterns, beta float64) (keyNet, valueNet *Continuous, backend compute.Backend, err error) {
	if keys == nil || keys.Len() == 0 {
		return nil, nil, nil, fmt.Errorf("%w: attention needs at least one key, got none", ErrEmpty)
	}
	if err := keys.CheckFinite(); err != nil {
		return nil, nil, nil, fmt.Errorf("keys: %w", err)
	}
	if values == nil || values.Len() == 0 {
		return nil, nil, nil, fmt.Errorf("%w: attention needs values, got none", ErrEmpty)
	}
	if values.Len() != keys.Len() {
		return nil, nil, nil, fmt.Errorf("%w: %d values for %d keys: need one value per key", ErrShape, values.Len(), keys.Len())
	}
	if err := values.CheckFinite(); err != nil {
		return nil, nil, nil, fmt.Errorf("values: %w", err)
	}
	if err := checkProbes("queries", queries, keys.Dim(), false); err != nil {
		return nil, nil, nil, err
	}
	if err := checkBeta(beta); err != nil {
		return nil, nil, nil, err
	}
	backend, err = NewBackend()
	if err != nil {
		return nil, nil, nil, err
	}
	cfg := ContinuousConfig{Backend: backend}
	// The networks only read keys and values during this call: no copies.
	if keyNet, err = newContinuous(keys, keys, beta, cfg); err != nil {
		backend.Finalize()
		return nil, nil, nil, err
	}
	valueNet = keyNet
	if values != keys {
		if valueNet, err = newContinuous(keys, values, beta, cfg); err != nil {
			backend.Finalize()
			return nil, nil, nil, err
		}
	}
	return keyNet, valueNet, backend, nil
}
