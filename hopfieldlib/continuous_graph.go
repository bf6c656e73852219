package hopfieldlib

import (
	"fmt"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// graphProducts computes the two matrix products of a continuous step as GoMLX graphs, for a
// backend other than the pure-Go one (a GPU): the scores X'q and the weighted sums wV', with
// the keys and values the engine scaled. The engine does everything else (see [Continuous]).
type graphProducts struct {
	backend  compute.Backend
	k, d, dv int
	xs, vs   []float32
	once     sync.Once
	err      error
	x, v     *tensors.Tensor
	scores   *graph.Exec
	weighted *graph.Exec
}

func (g *graphProducts) init() error {
	g.once.Do(func() {
		g.x = tensors.FromFlatDataAndDimensions(g.xs, g.k, g.d)
		g.v = tensors.FromFlatDataAndDimensions(g.vs, g.k, g.dv)
		// scores[b, μ] = Σ_j q[b, j]·x[μ, j]
		g.scores, g.err = newExec(g.backend, "ContinuousScores", func(q, x *graph.Node) *graph.Node {
			return graph.DotGeneral(q, []int{1}, nil, x, []int{1}, nil)
		})
		if g.err != nil {
			return
		}
		// out[b, j] = Σ_μ w[b, μ]·v[μ, j]
		g.weighted, g.err = newExec(g.backend, "ContinuousProduct", func(w, v *graph.Node) *graph.Node {
			return graph.DotGeneral(w, []int{1}, nil, v, []int{0}, nil)
		})
	})
	return g.err
}

// Scores returns X'q for the rows × d queries q (row-major).
func (g *graphProducts) Scores(q []float32, rows int) ([]float32, error) {
	if err := g.init(); err != nil {
		return nil, err
	}
	return g.product(g.scores, q, rows, g.d, g.x, g.k)
}

// Weighted returns wV' for the rows × K weights w (row-major).
func (g *graphProducts) Weighted(w []float32, rows int) ([]float32, error) {
	if err := g.init(); err != nil {
		return nil, err
	}
	return g.product(g.weighted, w, rows, g.k, g.v, g.dv)
}

// product runs exec (built by init) on in (rows × cols, padded to a power of two rows so that few shapes get
// compiled) and m, and returns the first rows × out results.
func (g *graphProducts) product(exec *graph.Exec, in []float32, rows, cols int, m *tensors.Tensor, out int) ([]float32, error) {
	padded := 1
	for padded < rows {
		padded <<= 1
	}
	buf := make([]float32, padded*cols)
	copy(buf, in[:rows*cols])
	t := tensors.FromFlatDataAndDimensions(buf, padded, cols)
	defer func() { _ = t.FinalizeAll() }()
	res, err := execute(exec, t, m)
	if err != nil {
		return nil, err
	}
	defer func() { _ = res[0].FinalizeAll() }()
	data, err := tensors.CopyFlatData[float32](res[0])
	if err != nil {
		return nil, fmt.Errorf("%w: reading %s: %w", ErrBackend, exec.Name(), err)
	}
	return data[:rows*out], nil
}
