package hopfieldlib

import (
	"fmt"
	"math"

	"github.com/gomlx/compute"
	"github.com/gomlx/compute/dtypes"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// ClassicalConfig configures [NewClassical]. The zero value is a Hebbian network without
// thresholds on the backend named by $GOMLX_BACKEND.
type ClassicalConfig struct {
	// Rule turns patterns into weights: Hebbian (default), Storkey or PseudoInverse.
	Rule LearningRule
	// Thresholds θ, one per unit: nil for none, otherwise of length N and finite.
	Thresholds []float32
	// Backend runs the graphs (weights, synchronous updates, energies); nil means NewBackend().
	Backend compute.Backend

	// forceISA and isa choose the instruction set of the asynchronous kernels (tests compare the
	// SIMD and portable ones).
	forceISA bool
	isa      engine.ISA
}

// Classical is the Hopfield (1982) network of N ±1 units with symmetric weights W (zero
// diagonal) and thresholds θ:
//
//	E(s) = -½ sᵀWs + θᵀs,    s_i ← sign(Σ_j W_ij s_j − θ_i),
//
// where a zero local field keeps s_i unchanged. Hopfield, "Neural networks and physical systems
// with emergent collective computational abilities", PNAS 79 (1982).
//
// With the Hebbian rule the network keeps N·W, whose entries are integers, so local fields are
// computed exactly in float32 (for N·K < 2²⁴): a zero field is exactly zero, and synchronous,
// asynchronous and energy results do not depend on summation order. The other rules have real
// weights; their fields carry float32 rounding (relative ~1e-6).
//
// A Classical is immutable after construction and safe for concurrent use.
type Classical struct {
	n, k   int
	rule   LearningRule
	stored *Patterns // K×N copy of the patterns
	// scale·W, row-major N×N, symmetric with zero diagonal. scale is N for Hebbian (integer
	// entries), 1 otherwise.
	wn     []float32
	scale  float32
	theta  []float32 // θ as given (nil for none)
	stheta []float32 // scale·θ, length N (zeros for none)

	// overlapFields: Hebbian with 2K < N computes scale·W·s as (s Xᵀ) X − K s, O(NK) instead of
	// O(N²) per state. overlaps, when not nil: Hebbian asynchronous dynamics keep the overlaps
	// m = Xσ in exact integers instead of the fields (see engine.UseOverlaps).
	overlapFields bool
	overlaps      *engine.Overlaps
	isa           engine.ISA // of the asynchronous kernels

	backend compute.Backend
	// memTensor is X (overlapFields) or scale·W: the matrix the field graph multiplies by.
	memTensor, sthetaTensor, thetaTensor, xTensor *tensors.Tensor
	fieldsExec, syncExec, energyExec              *graph.Exec
}

// NewClassical builds a classical Hopfield network that stores the K×N ±1 patterns with the
// rule and thresholds of cfg. The Hebbian weights W = (1/N) XᵀX with zero diagonal are a GoMLX
// graph (XᵀX, exact in float32, scaled by 1/N when read); see [LearningRule] for the other rules.
//
// Errors: ErrEmpty for no patterns; ErrNotSpin for a value other than ±1; ErrShape for
// thresholds of the wrong length; ErrNotFinite for a NaN or Inf threshold; ErrParameter for
// an unknown rule; ErrBackend if the backend cannot be created or fails.
func NewClassical(stored *Patterns, cfg ClassicalConfig) (*Classical, error) {
	if stored == nil || stored.Len() == 0 {
		return nil, fmt.Errorf("%w: NewClassical needs at least one pattern to store, got none", ErrEmpty)
	}
	if err := stored.CheckSpins(); err != nil {
		return nil, fmt.Errorf("NewClassical: stored patterns: %w", err)
	}
	if err := cfg.Rule.check(); err != nil {
		return nil, fmt.Errorf("NewClassical: %w", err)
	}
	n, k := stored.Dim(), stored.Len()
	if cfg.Thresholds != nil {
		if len(cfg.Thresholds) != n {
			return nil, fmt.Errorf("%w: NewClassical: %d thresholds for a network of %d units (want nil or %d)",
				ErrShape, len(cfg.Thresholds), n, n)
		}
		for i, v := range cfg.Thresholds {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return nil, fmt.Errorf("%w: NewClassical: threshold %d is %v", ErrNotFinite, i, v)
			}
		}
	}
	backend, err := backendOrDefault(cfg.Backend)
	if err != nil {
		return nil, err
	}
	c := &Classical{
		n: n, k: k, rule: cfg.Rule, stored: stored.Clone(), scale: 1, backend: backend,
		stheta: make([]float32, n), isa: engine.Best(),
	}
	if cfg.forceISA {
		c.isa = cfg.isa
	}
	if cfg.Thresholds != nil {
		c.theta = append([]float32(nil), cfg.Thresholds...)
	}
	c.xTensor = toTensor(c.stored)
	switch cfg.Rule {
	case Hebbian:
		c.scale = float32(n)
		c.overlapFields = 2*k < n
		if c.wn, err = c.hebbianGraph(); err != nil {
			return nil, err
		}
	case Storkey:
		c.wn = storkeyWeights(c.stored)
	case PseudoInverse:
		c.wn, _ = pseudoInverseWeights(c.stored)
	}
	thetaOrZero := make([]float32, n)
	copy(thetaOrZero, c.theta)
	for i, v := range thetaOrZero {
		// Clamped so that N·θ stays finite in float32; any field is far smaller than 1e30, so
		// the clamp changes no update.
		c.stheta[i] = float32(max(-1e30, min(1e30, float64(c.scale)*float64(v))))
	}
	if c.rule == Hebbian && engine.UseOverlaps(k, n) {
		c.overlaps = engine.NewOverlaps(c.stored.data, k, n, c.stheta, c.isa)
	}
	c.thetaTensor = tensors.FromFlatDataAndDimensions(thetaOrZero, n)
	c.sthetaTensor = tensors.FromFlatDataAndDimensions(c.stheta, n)
	if c.overlapFields {
		c.memTensor = c.xTensor
	} else {
		c.memTensor = tensors.FromFlatDataAndDimensions(c.wn, n, n)
	}
	if err := c.buildExecs(); err != nil {
		return nil, err
	}
	return c, nil
}

// hebbianGraph computes N·W = XᵀX with the diagonal set to zero as a GoMLX graph; the entries are
// integers (sums of K products of ±1), exact in float32.
func (c *Classical) hebbianGraph() ([]float32, error) {
	exec, err := newExec(c.backend, "HebbianWeights", func(x *graph.Node) *graph.Node {
		g := x.Graph()
		n := x.Shape().Dimensions[1]
		xtx := graph.Einsum("kn,km->nm", x, x)
		return graph.Where(graph.Diagonal(g, n), graph.ScalarZero(g, x.DType()), xtx)
	})
	if err != nil {
		return nil, err
	}
	defer exec.Finalize()
	out, err := execute(exec, c.xTensor)
	if err != nil {
		return nil, err
	}
	return tensorData(out[0])
}

// tensorData copies a float32 tensor's data and releases the tensor.
func tensorData(t *tensors.Tensor) ([]float32, error) {
	data, err := tensors.CopyFlatData[float32](t)
	_ = t.FinalizeAll()
	if err != nil {
		return nil, fmt.Errorf("%w: reading result: %w", ErrBackend, err)
	}
	return data, nil
}

// fieldsNode builds scale·W·s for states s [B, N]: (s Xᵀ) X − K s when mem is X (Hebbian with
// 2K < N: the overlaps, then back), or s·(scale·W) when mem is the weight matrix (symmetric).
func (c *Classical) fieldsNode(s, mem *graph.Node) *graph.Node {
	if c.overlapFields {
		m := graph.Einsum("bn,kn->bk", s, mem)
		return graph.Sub(graph.Einsum("bk,kn->bn", m, mem), graph.MulScalar(s, float64(c.k)))
	}
	return graph.Einsum("bn,nm->bm", s, mem)
}

// buildExecs creates the graphs used by the dynamics and the energy. Each compiles on first use
// for a batch size and is reused after that.
func (c *Classical) buildExecs() error {
	var err error
	// Scaled local fields scale·(Ws − θ), the start of asynchronous dynamics with fields.
	c.fieldsExec, err = newExec(c.backend, "ClassicalFields", func(s, mem, stheta *graph.Node) *graph.Node {
		return graph.Sub(c.fieldsNode(s, mem), graph.ExpandAxes(stheta, 0))
	})
	if err != nil {
		return err
	}
	// One synchronous update: s ← sign(Ws − θ), keeping s_i where the field is zero.
	c.syncExec, err = newExec(c.backend, "ClassicalSyncStep", func(s, mem, stheta *graph.Node) *graph.Node {
		g := s.Graph()
		h := graph.Sub(c.fieldsNode(s, mem), graph.ExpandAxes(stheta, 0))
		zero := graph.ScalarZero(g, h.DType())
		up := graph.Where(graph.GreaterThan(h, zero), graph.ScalarOne(g, s.DType()), s)
		return graph.Where(graph.LessThan(h, zero), graph.Scalar(g, s.DType(), -1), up)
	})
	if err != nil {
		return err
	}
	// E = -½ sᵀWs + θᵀs per row, summed in float64 (the scaled fields are exact for Hebbian).
	c.energyExec, err = newExec(c.backend, "ClassicalEnergy", func(s, mem, theta *graph.Node) *graph.Node {
		f := graph.ConvertDType(c.fieldsNode(s, mem), dtypes.Float64)
		s64 := graph.ConvertDType(s, dtypes.Float64)
		quad := graph.ReduceSum(graph.Mul(s64, f), 1)
		lin := graph.ReduceSum(graph.Mul(s64, graph.ExpandAxes(graph.ConvertDType(theta, dtypes.Float64), 0)), 1)
		return graph.Add(graph.MulScalar(quad, -0.5/float64(c.scale)), lin)
	})
	return err
}

// Dim is the number of units N.
func (c *Classical) Dim() int { return c.n }

// Stored returns a copy of the stored patterns.
func (c *Classical) Stored() *Patterns { return c.stored.Clone() }

// Rule returns the learning rule the weights were built with.
func (c *Classical) Rule() LearningRule { return c.rule }

// Weights returns a copy of W as an N×N set (row i holds W_i·).
func (c *Classical) Weights() *Patterns {
	w := make([]float32, len(c.wn))
	for i, v := range c.wn {
		w[i] = v / c.scale
	}
	return &Patterns{rows: c.n, cols: c.n, data: w}
}

// Thresholds returns a copy of θ, or nil if the network has none.
func (c *Classical) Thresholds() []float32 {
	if c.theta == nil {
		return nil
	}
	return append([]float32(nil), c.theta...)
}

// Energy returns E = -½ sᵀWs + θᵀs for every row s of states, computed as one batched GoMLX
// graph (sums in float64). States need N finite values each; they need not be ±1.
func (c *Classical) Energy(states *Patterns) ([]float64, error) {
	if err := checkProbes("states", states, c.n, false); err != nil {
		return nil, fmt.Errorf("Classical.Energy: %w", err)
	}
	out, err := execute(c.energyExec, toTensor(states), c.memTensor, c.thetaTensor)
	if err != nil {
		return nil, err
	}
	e, err := tensors.CopyFlatData[float64](out[0])
	_ = out[0].FinalizeAll()
	if err != nil {
		return nil, fmt.Errorf("%w: reading energies: %w", ErrBackend, err)
	}
	return e, nil
}

// runGraph runs exec on the states and the network's matrix and returns the [B, ·] result.
func (c *Classical) runGraph(exec *graph.Exec, states *Patterns, args ...any) ([]float32, error) {
	out, err := execute(exec, append([]any{toTensor(states)}, args...)...)
	if err != nil {
		return nil, err
	}
	return tensorData(out[0])
}
