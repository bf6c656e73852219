package hopfieldlib

import (
	"fmt"
	"math"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// MaxBeta is the largest inverse temperature β the continuous network accepts. Every result stays
// finite up to it for any finite input; beyond it the softmax is a hard argmax anyway.
const MaxBeta = 1e4

// ContinuousConfig configures [NewContinuous]. The zero value is ready to use.
type ContinuousConfig struct {
	// Backend runs the GoMLX graphs; nil means [NewBackend] ($GOMLX_BACKEND, default "go").
	Backend compute.Backend
	// Dense turns off pruning: every step weighs all K patterns and computes the full product
	// X^T softmax(β X ξ), the textbook two-matmul update. The results agree with the default to
	// float32 rounding; Dense is slower at large β and is there to compare against.
	Dense bool

	// noKernel makes the scores come from the GoMLX graph even where the assembly kernel can run
	// (tests use it to cover both paths on one machine).
	noKernel bool
}

// Continuous is the continuous modern Hopfield network of Ramsauer et al. (2020), "Hopfield
// Networks is All You Need", ICLR 2021. It stores K real-valued patterns x_μ ∈ ℝ^d, the rows of
// X, and updates a state ξ by
//
//	ξ ← Xᵀ softmax(β X ξ)
//
// which never increases the energy
//
//	E(ξ) = −lse(β, Xξ) + ½ ξᵀξ + β⁻¹ log K + ½ M²,  lse(β, z) = β⁻¹ log Σ_μ exp(β z_μ),
//
// with M = max_μ ‖x_μ‖ (the constants make E ≥ 0). Large β retrieves the stored pattern nearest
// the state in one step; small β averages many patterns (metastable states), and as β → 0 every
// state goes to the mean of the patterns. The update is one step of transformer attention with
// the stored patterns as keys and values: see [Attention].
//
// States are batched: Step, Energy, Recall and Weights take one state per row.
//
// How a step is computed. The scores Xξ dominate the cost (2·K·d flops per state). On amd64 with
// AVX2 and the "go" backend they come from an assembly kernel, elsewhere from a GoMLX graph; the
// dot products only cover the columns where the batch's states are not all zero (a half-masked
// probe costs half). Then, for each state, the patterns whose softmax weight cannot reach float32
// resolution are dropped: a pattern is kept when β(max_ν s_ν − s_μ) ≤ log K + 27 log 2 plus a
// margin for the rounding of the float32 scores, so the dropped weights add up to at most 2⁻²⁷ and
// change no output by more than 2⁻²⁶·max|x|. When few patterns remain (the usual case at large β)
// their scores, weights and the weighted sum are recomputed exactly in float64; when many remain
// (small β) the weights come from the float32 scores, the heaviest (up to 1024) recomputed in
// float64, and the product Xᵀp is a GoMLX matmul. Either way the result agrees with a float64
// evaluation of the formula to float32 rounding (the tests check 1e-5 on MNIST-sized data).
//
// A Continuous is safe for concurrent use.
type Continuous struct {
	stored  *Patterns // X, K×d: the stored patterns (keys)
	values  *Patterns // V, K×dv: what a step averages (X itself for the memory; values in attention)
	beta    float64
	maxNorm float64 // M = max_μ ‖x_μ‖
	dense   bool
	backend compute.Backend
	kernel  bool // scores from contScoreKernel instead of a graph

	// xs is X scaled by 2^-xExp, in rows of xStride ≥ d float32 (zero padded); it aliases
	// stored's data when neither scaling nor padding is needed. xsNorm = max_μ ‖x_μ 2^-xExp‖.
	xs      []float32
	xStride int
	xExp    int
	xsNorm  float64
	// vExp scales the values given to the product graph: V·2^-vExp keeps float32 sums in range.
	vExp int

	mu          sync.Mutex // guards the lazily built graph state below
	xTensor     *tensors.Tensor
	vTensor     *tensors.Tensor
	scoresExec  *graph.Exec
	productExec *graph.Exec
	scratch     sync.Pool // *contScratch: score buffers reused across calls
}

// NewContinuous stores the rows of stored (K×d, finite, non-empty; copied) in a continuous modern
// Hopfield network with inverse temperature beta (0 < β ≤ [MaxBeta]).
func NewContinuous(stored *Patterns, beta float64, cfg ContinuousConfig) (*Continuous, error) {
	if stored == nil || stored.Len() == 0 {
		return nil, fmt.Errorf("%w: NewContinuous needs at least one stored pattern, got none", ErrEmpty)
	}
	if err := stored.CheckFinite(); err != nil {
		return nil, fmt.Errorf("stored patterns: %w", err)
	}
	if err := checkBeta(beta); err != nil {
		return nil, err
	}
	x := stored.Clone()
	return newContinuous(x, x, beta, cfg)
}

// checkBeta validates an inverse temperature.
func checkBeta(beta float64) error {
	if math.IsNaN(beta) || math.IsInf(beta, 0) || beta <= 0 || beta > MaxBeta {
		return fmt.Errorf("%w: β must be in (0, %g], got %v", ErrParameter, MaxBeta, beta)
	}
	return nil
}

// newContinuous builds the network on validated keys x and values v (same number of rows); it
// keeps both without copying.
func newContinuous(x, v *Patterns, beta float64, cfg ContinuousConfig) (*Continuous, error) {
	backend, err := backendOrDefault(cfg.Backend)
	if err != nil {
		return nil, err
	}
	c := &Continuous{
		stored:  x,
		values:  v,
		beta:    beta,
		dense:   cfg.Dense,
		backend: backend,
		kernel:  !cfg.noKernel && scoreKernelAvailable() && backend.String() == "go", // the pure-Go backend: a GPU backend keeps the graph
	}
	k, d := x.Len(), x.Dim()
	var maxAbs float64
	for mu := range k {
		var sq float64
		for _, a := range x.Row(mu) {
			sq += float64(a) * float64(a)
			maxAbs = max(maxAbs, math.Abs(float64(a)))
		}
		c.maxNorm = max(c.maxNorm, math.Sqrt(sq))
	}
	// Scale only data whose scores could overflow or underflow float32; typical data is used as is.
	if maxAbs > 0x1p60 || (maxAbs > 0 && maxAbs < 0x1p-60) {
		c.xExp = pow2Exponent(maxAbs)
	}
	c.xsNorm = math.Ldexp(c.maxNorm, -c.xExp)
	c.xStride = d
	if c.kernel {
		c.xStride = (d + 7) &^ 7
	}
	if c.xExp == 0 && c.xStride == d {
		c.xs = x.data
	} else {
		c.xs = make([]float32, k*c.xStride)
		for mu := range k {
			dst := c.xs[mu*c.xStride : mu*c.xStride+d]
			for j, a := range x.Row(mu) {
				dst[j] = float32(math.Ldexp(float64(a), -c.xExp))
			}
		}
	}
	var maxV float64
	for _, a := range v.data {
		maxV = max(maxV, math.Abs(float64(a)))
	}
	if maxV > 0x1p60 || (maxV > 0 && maxV < 0x1p-60) {
		c.vExp = pow2Exponent(maxV)
	}
	return c, nil
}

// Dim is the pattern dimension d.
func (c *Continuous) Dim() int { return c.stored.Dim() }

// Len is the number of stored patterns K.
func (c *Continuous) Len() int { return c.stored.Len() }

// Stored returns a copy of the stored patterns.
func (c *Continuous) Stored() *Patterns { return c.stored.Clone() }

// Beta is the inverse temperature β.
func (c *Continuous) Beta() float64 { return c.beta }

// MaxNorm is M = max_μ ‖x_μ‖, the largest norm of a stored pattern (the energy's ½M² term).
func (c *Continuous) MaxNorm() float64 { return c.maxNorm }

// Step applies one update ξ ← Xᵀ softmax(β X ξ) to every row of states and returns the new
// states. opts is not used: the continuous update is synchronous and deterministic.
func (c *Continuous) Step(states *Patterns, opts RecallOptions) (*Patterns, error) {
	if err := checkProbes("states", states, c.Dim(), false); err != nil {
		return nil, err
	}
	r, err := c.evaluate(states, contWant{next: true})
	if err != nil {
		return nil, err
	}
	return r.next, nil
}

// Energy returns E(ξ) = −lse(β, Xξ) + ½ξᵀξ + β⁻¹ log K + ½M² for every row ξ of states, computed
// in float64 (the dominant scores exactly; −lse + β⁻¹ log K as one term, so that it stays
// accurate as β → 0).
func (c *Continuous) Energy(states *Patterns) ([]float64, error) {
	if err := checkProbes("states", states, c.Dim(), false); err != nil {
		return nil, err
	}
	r, err := c.evaluate(states, contWant{energy: true})
	if err != nil {
		return nil, err
	}
	return r.energy, nil
}

// Weights returns the softmax weights p = softmax(β X ξ) of every row ξ of queries: a B×K set,
// row b holding how much each stored pattern contributes to the update of query b. Each row sums
// to 1. Weights below float32 resolution relative to the largest are computed from float32
// scores, the others exactly.
func (c *Continuous) Weights(queries *Patterns) (*Patterns, error) {
	if err := checkProbes("queries", queries, c.Dim(), false); err != nil {
		return nil, err
	}
	r, err := c.evaluate(queries, contWant{weights: true})
	if err != nil {
		return nil, err
	}
	return r.weights, nil
}

// Recall updates every probe until ‖ξ_new − ξ‖₂ < opts.Tol (default [DefaultTol]) or opts.MaxSteps
// steps (default [DefaultMaxSteps]). Probes that converged stop being updated. With
// opts.RecordEnergy the energy after every step is kept (it never increases: the update is a
// concave-convex procedure, Ramsauer et al. Theorem 1); with opts.RecordTrajectory the states.
// Dynamics, Rand and TrajectoryStride are not used.
func (c *Continuous) Recall(probes *Patterns, opts RecallOptions) (*RecallResult, error) {
	if err := checkProbes("probes", probes, c.Dim(), false); err != nil {
		return nil, err
	}
	maxSteps, err := opts.maxSteps()
	if err != nil {
		return nil, err
	}
	tol := opts.Tol
	if math.IsNaN(tol) || math.IsInf(tol, 0) || tol < 0 {
		return nil, fmt.Errorf("%w: Tol must be ≥ 0 and finite (0 means %g), got %v", ErrParameter, DefaultTol, tol)
	}
	if tol == 0 {
		tol = DefaultTol
	}
	nb, d := probes.Len(), probes.Dim()
	states := probes.Clone()
	res := &RecallResult{Steps: make([]int, nb), Converged: make([]bool, nb)}
	if opts.RecordTrajectory {
		res.Trajectory = []*Patterns{probes.Clone()}
	}
	if opts.RecordEnergy {
		res.Energies = make([][]float64, nb)
	}
	// active probes are still updating; pending ones need an evaluation at this step: the active
	// ones, plus (with RecordEnergy) those that just converged and need their final energy.
	active := make([]bool, nb)
	pending := make([]int, nb)
	for b := range nb {
		active[b], pending[b] = true, b
	}
	for step := 0; len(pending) > 0; step++ {
		if step == maxSteps && !opts.RecordEnergy {
			break
		}
		cur := states
		if len(pending) < nb {
			if cur, err = states.Subset(pending...); err != nil {
				return nil, err
			}
		}
		r, err := c.evaluate(cur, contWant{next: step < maxSteps, energy: opts.RecordEnergy})
		if err != nil {
			return nil, err
		}
		if opts.RecordEnergy {
			for i, b := range pending {
				res.Energies[b] = append(res.Energies[b], r.energy[i])
			}
		}
		if step == maxSteps {
			break
		}
		var next []int
		moved := false
		for i, b := range pending {
			if !active[b] {
				continue
			}
			old, nw := cur.Row(i), r.next.Row(i)
			var sq float64
			for j := range d {
				diff := float64(nw[j]) - float64(old[j])
				sq += diff * diff
			}
			copy(states.Row(b), nw)
			moved = true
			if math.Sqrt(sq) < tol {
				res.Converged[b], active[b] = true, false
				if opts.RecordEnergy {
					next = append(next, b)
				}
				continue
			}
			res.Steps[b]++
			next = append(next, b)
		}
		if opts.RecordTrajectory && moved {
			res.Trajectory = append(res.Trajectory, states.Clone())
		}
		pending = next
	}
	if opts.RecordEnergy {
		// Probes that stopped early repeat their last energy, so every row has the same length.
		longest := 0
		for _, e := range res.Energies {
			longest = max(longest, len(e))
		}
		for b, e := range res.Energies {
			for len(e) < longest {
				e = append(e, e[len(e)-1])
			}
			res.Energies[b] = e
		}
	}
	res.States = states
	return res, nil
}
