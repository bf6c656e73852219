package hopfieldlib

import (
	"fmt"
	"math"

	"github.com/gomlx/compute/shapes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
)

// Helpers for the transformer side of attention (Ramsauer et al. 2020, §3): the linear projections
// W_Q, W_K, W_V that turn tokens into queries, keys and values, and running a GoMLX attention
// layer on patterns, to compare it with [Attention].

// Project returns x·w: each row of x (n×d) multiplied by the d×e matrix w (row i of w holds the
// weights from input unit i to the e outputs), an n×e set. It is the linear map of a transformer
// layer, Q = X W_Q, K = X W_K, V = X W_V, without bias. Sums run in float64.
func Project(x, w *Patterns) (*Patterns, error) {
	if err := checkSet("Project: x", x); err != nil {
		return nil, err
	}
	if err := checkSet("Project: w", w); err != nil {
		return nil, err
	}
	if x.Dim() != w.Len() {
		return nil, fmt.Errorf("%w: Project: x has %d columns but w has %d rows (x is n×d, w must be d×e)", ErrShape, x.Dim(), w.Len())
	}
	n, d, e := x.Len(), x.Dim(), w.Dim()
	out := make([]float32, n*e)
	acc := make([]float64, e)
	for r := range n {
		clear(acc)
		xr := x.Row(r)
		for i := range d {
			xi := float64(xr[i])
			if xi == 0 {
				continue
			}
			for j, wij := range w.Row(i) {
				acc[j] += xi * float64(wij)
			}
		}
		for j, a := range acc {
			out[r*e+j] = float32(a)
		}
	}
	return &Patterns{rows: n, cols: e, data: out}, nil
}

// RMSNorm returns a copy of p with every row scaled to a root mean square of 1, x ← x / √(mean_i x_i²),
// so that its norm is √d: the normalization (without gain) that transformers such as Llama apply
// before attention, and the regime β = 1/√d_k was made for (dot products of order √d_k·√d_k).
// Scaling keeps zeros zero, so a masked probe stays masked. An all-zero row stays zero.
func RMSNorm(p *Patterns) (*Patterns, error) {
	if err := checkSet("RMSNorm", p); err != nil {
		return nil, err
	}
	return withRowNorm(p, math.Sqrt(float64(p.Dim()))), nil
}

// IdentityInitializer is a GoMLX variable initializer that sets a weight of shape [n, a, b, …]
// with a·b·… = n to the identity matrix (reshaped). A layers.Dense (or an attention projection)
// initialized with it and without bias passes its input through unchanged, so that
// layers.MultiHeadAttention with one head computes plain softmax(scale·QKᵀ)V. A shape whose
// trailing dimensions do not multiply to n panics while the graph is built, which [RunQKV]
// reports as an error.
func IdentityInitializer(g *graph.Graph, shape shapes.Shape) *graph.Node {
	n := shape.Dimensions[0]
	eye := graph.ConvertDType(graph.Diagonal(g, n), shape.DType)
	return graph.Reshape(eye, shape.Dimensions...)
}

// QKVGraph is a GoMLX graph function of one sequence's queries, keys and values, each a
// [1, rows, dim] node (a batch of one), returning a [1, rows, dv] node: the signature of an
// attention layer. Variables created in scope start from IdentityInitializer.
type QKVGraph func(scope *model.Scope, q, k, v *graph.Node) *graph.Node

// RunQKV builds fn with a fresh variable store whose initializer is [IdentityInitializer], runs it
// on the backend of [NewBackend] with queries (B×d), keys (K×d) and values (K×dv) as a batch of one
// sequence, and returns the output rows (B×dout). A panic while building or running the graph
// is returned as an error wrapping ErrBackend.
func RunQKV(fn QKVGraph, queries, keys, values *Patterns) (out *Patterns, err error) {
	if fn == nil {
		return nil, fmt.Errorf("%w: RunQKV needs a graph function, got nil", ErrParameter)
	}
	for _, s := range []struct {
		what string
		p    *Patterns
	}{{"queries", queries}, {"keys", keys}, {"values", values}} {
		if err := checkSet("RunQKV: "+s.what, s.p); err != nil {
			return nil, err
		}
	}
	if keys.Len() != values.Len() {
		return nil, fmt.Errorf("%w: RunQKV: %d values for %d keys: need one value per key", ErrShape, values.Len(), keys.Len())
	}
	backend, err := NewBackend()
	if err != nil {
		return nil, err
	}
	defer backend.Finalize()
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("%w: RunQKV: %v", ErrBackend, r)
		}
	}()
	store := model.NewStore()
	exec, err := model.NewExec(backend, store, func(scope *model.Scope, q, k, v *graph.Node) *graph.Node {
		return fn(scope.WithInitializer(IdentityInitializer), q, k, v)
	})
	if err != nil {
		return nil, fmt.Errorf("%w: RunQKV: %w", ErrBackend, err)
	}
	seq := func(p *Patterns) *tensors.Tensor {
		return tensors.FromFlatDataAndDimensions(append([]float32(nil), p.Flat()...), 1, p.Len(), p.Dim())
	}
	outs, err := exec.Call(seq(queries), seq(keys), seq(values))
	if err != nil {
		return nil, fmt.Errorf("%w: RunQKV: %w", ErrBackend, err)
	}
	if len(outs) != 1 || outs[0].Shape().Rank() != 3 || outs[0].Shape().Dimensions[0] != 1 || outs[0].Shape().Dimensions[1] != queries.Len() {
		return nil, fmt.Errorf("%w: RunQKV: the graph must return one [1, %d, dv] node", ErrShape, queries.Len())
	}
	dims := outs[0].Shape().Dimensions
	data, err := tensors.CopyFlatData[float32](outs[0])
	if err != nil {
		return nil, fmt.Errorf("%w: RunQKV: reading the output: %w", ErrBackend, err)
	}
	return &Patterns{rows: dims[1], cols: dims[2], data: data}, nil
}
