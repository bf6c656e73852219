package hopfieldlib

import (
	"fmt"
	"math"

	"github.com/gomlx/compute"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// MaxBeta is the largest inverse temperature β the continuous network accepts. Every result stays
// finite up to it for any finite input; beyond it the softmax is a hard argmax anyway.
const MaxBeta = 1e4

// ContinuousConfig configures [NewContinuous]. The zero value is ready to use.
type ContinuousConfig struct {
	// Backend is the GoMLX backend; nil means [NewBackend] ($GOMLX_BACKEND, default "go"). On
	// the pure-Go backend the step runs on this package's CPU kernels; on any other (a GPU) its
	// two matrix products are GoMLX graphs on that backend.
	Backend compute.Backend
	// Dense makes every step weigh all K patterns through the two matrix products, the textbook
	// two-matmul update, instead of finishing queries that keep few patterns exactly in float64.
	// Both stay within the accuracy described at [Continuous]; Dense is slower at large β and
	// is there to compare against.
	Dense bool

	// forceISA and isa choose the kernels' instruction set (tests cover every one a CPU has);
	// graphs makes the products GoMLX graphs even on the pure-Go backend.
	forceISA bool
	isa      engine.ISA
	graphs   bool
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
// Accuracy, for every finite input: the softmax weights of each state are within 2⁻¹¹ of the
// exact ones in ℓ1 (the sum of the absolute errors; plus float32 rounding, 2⁻²⁴), so each unit j
// of Step is within 2⁻¹²·(max_μ x_μj − min_μ x_μj) + (65 + ⌈K/64⌉)·2⁻²⁴·max_μ|x_μj| of the exact
// update (plus its own float32 rounding), and E within 2⁻¹¹/β; "exact" is the formula evaluated
// in float64 on the same float32 inputs. These are worst-case bounds, the same on every
// instruction set the kernels run on (their float32 sums round differently, within them); the
// errors measured on MNIST-sized data are about 10⁻⁷. Where float32 scores could not keep that
// promise (nearly tied patterns of large norm at large β) the weights that matter are computed
// in float64. The kernels behind it, and how they are chosen, are in hopfieldlib/internal/engine
// (see the package documentation).
//
// A Continuous is safe for concurrent use.
type Continuous struct {
	stored  *Patterns // X, K×d: the stored patterns (keys)
	values  *Patterns // V, K×dv: what a step averages (X itself for the memory; values in attention)
	beta    float64
	maxNorm float64 // M = max_μ ‖x_μ‖
	eng     *engine.Attention
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
	c := &Continuous{stored: x, values: v, beta: beta}
	for mu := range x.Len() {
		var sq float64
		for _, a := range x.Row(mu) {
			sq += float64(a) * float64(a)
		}
		c.maxNorm = max(c.maxNorm, math.Sqrt(sq))
	}
	opt := engine.Options{ISA: engine.Best(), Dense: cfg.Dense}
	if cfg.forceISA {
		opt.ISA = cfg.isa
	}
	if cfg.graphs || backend.String() != "go" {
		opt.Products = func(xs, vs []float32) engine.Products {
			return &graphProducts{backend: backend, k: x.Len(), d: x.Dim(), dv: v.Dim(), xs: xs, vs: vs}
		}
	}
	c.eng = engine.NewAttention(x.data, x.Len(), x.Dim(), v.data, v.Dim(), beta, opt)
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
	r, err := c.eng.Evaluate(states.data, states.rows, engine.Want{Next: true})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBackend, err)
	}
	return &Patterns{rows: states.rows, cols: c.values.Dim(), data: r.Next}, nil
}

// Energy returns E(ξ) = −lse(β, Xξ) + ½ξᵀξ + β⁻¹ log K + ½M² for every row ξ of states, in
// float64, with −lse + β⁻¹ log K formed as one term (−β⁻¹ log of the mean of exp(β x_μ·ξ)) so
// that it stays accurate as β → 0.
func (c *Continuous) Energy(states *Patterns) ([]float64, error) {
	if err := checkProbes("states", states, c.Dim(), false); err != nil {
		return nil, err
	}
	return c.energies(states)
}

// energies is Energy on validated states.
func (c *Continuous) energies(states *Patterns) ([]float64, error) {
	r, err := c.eng.Evaluate(states.data, states.rows, engine.Want{LogMeanExp: true})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBackend, err)
	}
	for b, lme := range r.LogMeanExp {
		r.LogMeanExp[b] = -lme + halfNormsq(states.Row(b)) + 0.5*c.maxNorm*c.maxNorm
	}
	return r.LogMeanExp, nil
}

// halfNormsq is ½ξᵀξ in float64.
func halfNormsq(state []float32) float64 {
	var sq float64
	for _, a := range state {
		sq += float64(a) * float64(a)
	}
	return 0.5 * sq
}

// Weights returns the softmax weights p = softmax(β X ξ) of every row ξ of queries: a B×K set,
// row b holding how much each stored pattern contributes to the update of query b. Each row sums
// to 1 and is within 2⁻¹¹ of the exact weights in ℓ1, plus float32 rounding (see [Continuous]).
func (c *Continuous) Weights(queries *Patterns) (*Patterns, error) {
	if err := checkProbes("queries", queries, c.Dim(), false); err != nil {
		return nil, err
	}
	r, err := c.eng.Evaluate(queries.data, queries.rows, engine.Want{Weights: true})
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrBackend, err)
	}
	return &Patterns{rows: queries.rows, cols: c.Len(), data: r.Weights}, nil
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
		r, err := c.eng.Evaluate(cur.data, cur.rows, engine.Want{Next: step < maxSteps, LogMeanExp: opts.RecordEnergy})
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrBackend, err)
		}
		if opts.RecordEnergy {
			for i, b := range pending {
				e := -r.LogMeanExp[i] + halfNormsq(cur.Row(i)) + 0.5*c.maxNorm*c.maxNorm
				res.Energies[b] = append(res.Energies[b], e)
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
			old, nw := cur.Row(i), r.Next[i*d:(i+1)*d]
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
