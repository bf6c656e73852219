package hopfieldlib

import (
	"errors"
	"fmt"
	"math"
	"testing"

	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/layers/attention"
	"github.com/gomlx/gomlx/ml/model"
)

// contAttentionReference is softmax(β Q Kᵀ) V in float64, straight from the formula.
func contAttentionReference(q, k, v *Patterns, beta float64) [][]float64 {
	out := make([][]float64, q.Len())
	for b := range q.Len() {
		next, _, _ := contReference(k, v, beta, q.Row(b))
		out[b] = next
	}
	return out
}

func TestAttentionAgreesWithFloat64Reference(t *testing.T) {
	for _, sz := range []struct{ b, k, d, dv int }{{1, 1, 1, 1}, {4, 7, 5, 3}, {33, 200, 64, 16}, {10, 1000, 784, 10}} {
		for _, beta := range []float64{0.125, 1, 8} {
			t.Run(fmt.Sprintf("B=%d/K=%d/d=%d/dv=%d/beta=%g", sz.b, sz.k, sz.d, sz.dv, beta), func(t *testing.T) {
				q := contRandom(t, sz.b, sz.d, -1, 1, 1)
				k := contRandom(t, sz.k, sz.d, -1, 1, 2)
				v := contRandom(t, sz.k, sz.dv, -5, 5, 3)
				got, err := Attention(q, k, v, beta)
				if err != nil {
					t.Fatal(err)
				}
				if got.Len() != sz.b || got.Dim() != sz.dv {
					t.Fatalf("Attention is %v, want %d×%d", got, sz.b, sz.dv)
				}
				want := contAttentionReference(q, k, v, beta)
				for b := range sz.b {
					for j := range sz.dv {
						if d := math.Abs(float64(got.At(b, j)) - want[b][j]); d > 1e-5 {
							t.Fatalf("[%d,%d] = %v, float64 reference %v (|Δ| = %.3g > 1e-5)", b, j, got.At(b, j), want[b][j], d)
						}
					}
				}
			})
		}
	}
}

func TestAttentionHandCalculated(t *testing.T) {
	// Keys e1, e2 in 2-D, values 10 and 20, query e1, β = 1: weights (e, 1)/(e+1), output
	// 10·0.7310585786300049 + 20·0.2689414213699951 = 12.689414213699951.
	keys := contPatterns(t, [][]float32{{1, 0}, {0, 1}})
	values := contPatterns(t, [][]float32{{10}, {20}})
	q := contPatterns(t, [][]float32{{1, 0}})
	out, err := Attention(q, keys, values, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := float64(out.At(0, 0)); math.Abs(got-12.689414213699951) > 1e-5 {
		t.Errorf("Attention = %v, want 12.689414213699951", got)
	}
	w, err := AttentionWeights(q, keys, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(w.At(0, 0))-0.7310585786300049) > 1e-6 {
		t.Errorf("AttentionWeights = %v, want [0.7310585786300049 0.2689414213699951]", w.Row(0))
	}
	// Pooling the set {(1,0), (0,1)} with the query (1,0), β = 1: the same weights on the set
	// itself: (0.7310585786300049, 0.2689414213699951).
	pooled, err := HopfieldPooling(keys, q, 1)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(float64(pooled.At(0, 0))-0.7310585786300049) > 1e-6 || math.Abs(float64(pooled.At(0, 1))-0.2689414213699951) > 1e-6 {
		t.Errorf("HopfieldPooling = %v, want [0.7310585786300049 0.2689414213699951]", pooled.Row(0))
	}
}

func TestAttentionStepsSettlesAmbiguousQueries(t *testing.T) {
	// A query halfway between two keys reads a blend of their values in one step; iterating the
	// state among the keys first (β large enough to separate them) lets it settle on the nearer
	// key, so the read-out is that key's value. Keys (1,0), (0,1); query (0.6, 0.4); β = 10.
	keys := contPatterns(t, [][]float32{{1, 0}, {0, 1}})
	values := contPatterns(t, [][]float32{{1}, {-1}})
	q := contPatterns(t, [][]float32{{0.6, 0.4}})
	one, err := AttentionSteps(q, keys, values, 10, 1)
	if err != nil {
		t.Fatal(err)
	}
	// One step: weights ∝ (e^6, e^4) → 0.8807970779778823 − 0.11920292202211755 = 0.7615941559557649.
	if math.Abs(float64(one.At(0, 0))-0.7615941559557649) > 1e-6 {
		t.Errorf("1 step: %v, want 0.7615941559557649 (tanh(1))", one.At(0, 0))
	}
	three, err := AttentionSteps(q, keys, values, 10, 3)
	if err != nil {
		t.Fatal(err)
	}
	if got := three.At(0, 0); got < 0.9999 {
		t.Errorf("3 steps: %v, want ≈ 1 (settled on the first key)", got)
	}
}

func TestAttentionErrors(t *testing.T) {
	k := contPatterns(t, [][]float32{{1, 0}, {0, 1}})
	v := contPatterns(t, [][]float32{{1}, {2}})
	q := contPatterns(t, [][]float32{{1, 0}})
	v3 := contPatterns(t, [][]float32{{1}, {2}, {3}})
	q3 := contPatterns(t, [][]float32{{1, 0, 0}})
	nan := contPatterns(t, [][]float32{{1}, {2}})
	nan.Set(1, 0, float32(math.NaN()))
	for _, tc := range []struct {
		name    string
		q, k, v *Patterns
		beta    float64
		steps   int
		want    error
	}{
		{"nil keys", q, nil, v, 1, 1, ErrEmpty},
		{"nil values", q, k, nil, 1, 1, ErrEmpty},
		{"nil queries", nil, k, v, 1, 1, ErrEmpty},
		{"values per key", q, k, v3, 1, 1, ErrShape},
		{"query dim", q3, k, v, 1, 1, ErrShape},
		{"NaN values", q, k, nan, 1, 1, ErrNotFinite},
		{"beta 0", q, k, v, 0, 1, ErrParameter},
		{"beta NaN", q, k, v, math.NaN(), 1, ErrParameter},
		{"steps 0", q, k, v, 1, 0, ErrParameter},
	} {
		if _, err := AttentionSteps(tc.q, tc.k, tc.v, tc.beta, tc.steps); !errors.Is(err, tc.want) {
			t.Errorf("AttentionSteps(%s): err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := Attention(q, k, v3, 1); !errors.Is(err, ErrShape) {
		t.Errorf("Attention(3 values for 2 keys): err = %v, want ErrShape", err)
	}
	if _, err := HopfieldPooling(k, q3, 1); !errors.Is(err, ErrShape) {
		t.Errorf("HopfieldPooling(query of dim 3 for a set of dim 2): err = %v, want ErrShape", err)
	}
	if _, err := AttentionWeights(q, k, -1); !errors.Is(err, ErrParameter) {
		t.Errorf("AttentionWeights(β = −1): err = %v, want ErrParameter", err)
	}
}

// identityInitializer initializes a weight of shape [n, a, b, ...] with a·b·… = n to the identity
// (reshaped): a Dense layer with it and no bias passes its input through unchanged.
func identityInitializer(g *graph.Graph, shape shapes.Shape) *graph.Node {
	n := shape.Dimensions[0]
	eye := graph.ConvertDType(graph.Diagonal(g, n), shape.DType)
	return graph.Reshape(eye, shape.Dimensions...)
}

// TestAttentionMatchesGoMLXMultiHeadAttention relates Attention to GoMLX's
// layers/attention.MultiHeadAttention: one head of dimension d, all projections (query, key,
// value, output) set to the identity and no biases, so that the layer computes
// softmax(scale·QKᵀ)V with its own scale. The test finds which β reproduces it: 1/√d (one
// division by √d_k, what GoMLX v0.28.1 does on both the fused and the decomposed paths) and not
// 1/d.
func TestAttentionMatchesGoMLXMultiHeadAttention(t *testing.T) {
	const nq, nk, d = 5, 9, 16
	q := contRandom(t, nq, d, -2, 2, 21)
	k := contRandom(t, nk, d, -2, 2, 22)
	v := contRandom(t, nk, d, -1, 1, 23)
	backend := contBackend(t)
	for _, fused := range []bool{true, false} {
		t.Run(fmt.Sprintf("fusion=%v", fused), func(t *testing.T) {
			exec, err := model.NewExec(backend, model.NewStore(), func(scope *model.Scope, q, k, v *graph.Node) *graph.Node {
				scope = scope.WithInitializer(identityInitializer)
				return attention.MultiHeadAttention(scope, q, k, v, 1, d).
					UseProjectionBias(false).WithFusion(fused).Done()
			})
			if err != nil {
				t.Fatal(err)
			}
			in := func(p *Patterns) *tensors.Tensor { // [1, rows, d]: a batch of one sequence
				return tensors.FromFlatDataAndDimensions(append([]float32(nil), p.Flat()...), 1, p.Len(), p.Dim())
			}
			outs, err := exec.Call(in(q), in(k), in(v))
			if err != nil {
				t.Fatal(err)
			}
			if got := outs[0].Shape(); got.DType != dtypes.Float32 || got.Rank() != 3 || got.Dimensions[1] != nq || got.Dimensions[2] != d {
				t.Fatalf("MultiHeadAttention output shape %s, want [1, %d, %d]", got, nq, d)
			}
			mha, err := tensors.CopyFlatData[float32](outs[0])
			if err != nil {
				t.Fatal(err)
			}
			maxDiff := func(beta float64) float64 {
				ref := contAttentionReference(q, k, v, beta)
				var worst float64
				for b := range nq {
					for j := range d {
						worst = max(worst, math.Abs(float64(mha[b*d+j])-ref[b][j]))
					}
				}
				return worst
			}
			sqrtD, oneOverD := maxDiff(1/math.Sqrt(d)), maxDiff(1.0/d)
			if sqrtD > 1e-5 {
				t.Errorf("MultiHeadAttention vs Attention(β = 1/√d): max |Δ| = %.3g, want ≤ 1e-5", sqrtD)
			}
			if oneOverD < 1e-3 {
				t.Errorf("MultiHeadAttention also matches β = 1/d (max |Δ| = %.3g): the test data cannot tell the scalings apart", oneOverD)
			}
			t.Logf("max |Δ| vs Attention: β = 1/√d: %.3g; β = 1/d: %.3g", sqrtD, oneOverD)
		})
	}
}

// hflayersAssociate is hflayers' Hopfield association loop (hflayers/functional.py,
// hopfield_core_forward, without projections or normalisation) in float64: ξ = softmax(β q Kᵀ);
// while the step count is below update_steps_max: q = ξ K, ξ = softmax(β q Kᵀ); then ξ V.
func hflayersAssociate(q, keys, values *Patterns, beta float64, updateStepsMax int) [][]float64 {
	out := make([][]float64, q.Len())
	for b := range q.Len() {
		state := make([]float64, q.Dim())
		for j, v := range q.Row(b) {
			state[j] = float64(v)
		}
		softmax := func(s []float64) []float64 {
			w := make([]float64, keys.Len())
			m := math.Inf(-1)
			for mu := range keys.Len() {
				for j, v := range keys.Row(mu) {
					w[mu] += float64(v) * s[j]
				}
				w[mu] *= beta
				m = max(m, w[mu])
			}
			var z float64
			for mu := range w {
				w[mu] = math.Exp(w[mu] - m)
				z += w[mu]
			}
			for mu := range w {
				w[mu] /= z
			}
			return w
		}
		xi := softmax(state)
		for step := 0; step < updateStepsMax; step++ {
			next := make([]float64, keys.Dim())
			for mu, w := range xi {
				for j, v := range keys.Row(mu) {
					next[j] += w * float64(v)
				}
			}
			xi = softmax(next)
		}
		out[b] = make([]float64, values.Dim())
		for mu, w := range xi {
			for j, v := range values.Row(mu) {
				out[b][j] += w * float64(v)
			}
		}
	}
	return out
}

// TestAttentionStepsCountsLikeHflayersPlusOne: AttentionSteps with steps is hflayers' association
// with update_steps_max = steps − 1 (the convention its doc states), for steps 1 to 4, on queries
// ambiguous between keys at a β where the steps matter.
func TestAttentionStepsCountsLikeHflayersPlusOne(t *testing.T) {
	keys := contRandom(t, 12, 6, -1, 1, 41)
	values := contRandom(t, 12, 3, -1, 1, 42)
	q := contRandom(t, 5, 6, -1, 1, 43)
	for steps := 1; steps <= 4; steps++ {
		got, err := AttentionSteps(q, keys, values, 2, steps)
		if err != nil {
			t.Fatal(err)
		}
		want := hflayersAssociate(q, keys, values, 2, steps-1)
		other := hflayersAssociate(q, keys, values, 2, steps) // the off-by-one the doc rules out
		var diff, off float64
		for b := range q.Len() {
			for j := range values.Dim() {
				diff = max(diff, math.Abs(float64(got.At(b, j))-want[b][j]))
				off = max(off, math.Abs(float64(got.At(b, j))-other[b][j]))
			}
		}
		if diff > 1e-5 {
			t.Errorf("steps %d: max |AttentionSteps − hflayers(update_steps_max = %d)| = %g", steps, steps-1, diff)
		}
		if off < 1e-3 {
			t.Errorf("steps %d: also matches update_steps_max = %d (%g): the case does not tell the conventions apart", steps, steps, off)
		}
	}
}
