package hopfieldlib

import (
	"fmt"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// DenseConfig configures [NewDense]. The zero value is ready to use.
type DenseConfig struct {
	// Backend runs the batched overlaps m = Xσ of Energy and LogEnergy; nil means the backend
	// named by $GOMLX_BACKEND (see [NewBackend]).
	Backend compute.Backend
}

// Dense is a dense associative memory (Krotov & Hopfield 2016, "Dense associative memory for
// pattern recognition"; Demircigil et al. 2017, "On a model of associative memory with huge
// storage capacity"): K stored ±1 patterns ξ^μ of N units and the energy
//
//	E(σ) = −Σ_μ F(m_μ),  m_μ = ξ^μ·σ,
//
// for a separation function F ([Polynomial], [RectifiedPolynomial], [Exponential]). Its dynamics
// flip σ_i exactly when the flip lowers E; ties keep σ_i.
//
// # Why not the naive rule
//
// Written down directly, the update of unit i evaluates E twice, once with σ_i = +1 and once with
// σ_i = −1, each from scratch: O(N·K) for one unit, O(N²·K) for a sweep, 1.2·10¹¹ operations for
// one sweep of 100 probes at N = 784, K = 1000. It also overflows: at N = 784 the overlap of a
// stored pattern with itself is 784, and exp(784) ≈ 10³⁴⁰ is beyond float64 (1.8·10³⁰⁸), let alone
// float32 (3.4·10³⁸); 784³⁰ ≈ 10⁸⁷ is beyond float32. Both energies become +Inf, their difference
// NaN, and the network freezes or flips at random. Subtracting two huge, nearly equal energies
// would also lose every digit of the small difference that decides the flip.
//
// Dense instead keeps the overlaps m of every probe and works with the energy difference itself.
// A flip of unit i changes every overlap by ±2: m_μ → m_μ − 2σ_iξ_i^μ. So
//
//	ΔS = Σ_μ [F(m_μ − 2σ_iξ_i^μ) − F(m_μ)] = Σ_μ d_μ + Σ_{μ: ξ_i^μ ≠ σ_i} g_μ,
//	d_μ = F(m_μ − 2) − F(m_μ),  g_μ = F(m_μ + 2) − F(m_μ − 2),
//
// and the unit flips iff ΔS > 0 (E = −S drops). Deciding costs one pass over the K gains g
// (a masked sum), and a flip updates the overlaps in O(K): O(N·K) per sweep instead of O(N²·K).
// For F = exp(βx) the gains are the weights w_μ = e^(β(m_μ − m_max)) times a constant, the rule
// reduces to "flip iff D·(1 + e^(2β)) > W" with W = Σ_μ w_μ and D the sum of the weights whose
// pattern disagrees with σ_i (a comparison of two log-sum-exps), and a flip just multiplies every
// weight by e^(±2β): after the first evaluation the dynamics need no exp at all, only
// multiply-adds over K. Nothing overflows: the terms are taken relative to the largest (e^(β·m_max)
// for the exponential, (N+2)ⁿ for the polynomials).
//
// The decisions are exact: a flip happens iff it lowers E, except that for the exponential a
// change within float64 rounding of the terms involved (about K·2⁻⁵⁰ of them) counts as a tie and
// keeps σ_i (the polynomials settle those in exact integers), so the energy never increases. How
// they are made fast (float32 sums with a rigorous error bound, redone in float64 or in integers
// when the bound cannot decide; only the patterns whose weight is not negligible visited) is
// hopfieldlib/internal/engine's Dense.
//
// A Dense is safe for concurrent use.
type Dense struct {
	n, k   int
	f      Separation
	stored *Patterns
	eng    *engine.Dense

	backend     compute.Backend
	xTensor     *tensors.Tensor
	overlapExec *graph.Exec
}

// NewDense stores the K rows of stored (±1 spins) in a dense associative memory with
// separation function f. It returns an error wrapping [ErrEmpty] for no patterns, [ErrNotSpin]
// for values other than ±1, [ErrParameter] for an invalid f (see [Separation.Check]),
// [ErrShape] for N ≥ 2^24 units (overlaps must stay exact in float32), and [ErrBackend] if the
// backend cannot be created.
func NewDense(stored *Patterns, f Separation, cfg DenseConfig) (*Dense, error) {
	if stored == nil || stored.Len() == 0 {
		return nil, fmt.Errorf("%w: NewDense needs at least one pattern to store, got none", ErrEmpty)
	}
	if err := stored.CheckSpins(); err != nil {
		return nil, fmt.Errorf("NewDense: stored patterns: %w", err)
	}
	if err := f.Check(); err != nil {
		return nil, fmt.Errorf("NewDense: %w", err)
	}
	n, k := stored.Dim(), stored.Len()
	if err := denseSizeCheck(n); err != nil {
		return nil, fmt.Errorf("NewDense: %w", err)
	}
	backend, err := backendOrDefault(cfg.Backend)
	if err != nil {
		return nil, err
	}
	d := &Dense{n: n, k: k, f: f, stored: stored.Clone(), backend: backend}
	d.eng = engine.NewDense(d.stored.data, k, n, f.engine(), engine.DenseOptions{ISA: engine.Best()})
	d.xTensor = toTensor(d.stored)
	d.overlapExec, err = newExec(backend, "DenseOverlaps", func(s, x *graph.Node) *graph.Node {
		return graph.Einsum("bn,kn->bk", s, x)
	})
	if err != nil {
		return nil, err
	}
	return d, nil
}

// denseSizeCheck rejects networks too large for the numerics: overlaps must be exact in float32,
// so N < 2^24 (see engine.DenseMaxUnits).
func denseSizeCheck(n int) error {
	if n > engine.DenseMaxUnits {
		return fmt.Errorf("%w: %d units: overlaps must stay exact in float32, so N < 2^24", ErrShape, n)
	}
	return nil
}

// Dim is the number of units N.
func (d *Dense) Dim() int { return d.n }

// Stored returns a copy of the stored patterns.
func (d *Dense) Stored() *Patterns { return d.stored.Clone() }

// Separation returns the separation function F.
func (d *Dense) Separation() Separation { return d.f }

// overlaps returns m = σXᵀ for every row of states, [B×K] row-major, as one GoMLX matmul; the
// values are exact integers (float32 holds integers up to 2^24 exactly, and N < 2^24).
func (d *Dense) overlaps(states *Patterns) ([]float32, error) {
	out, err := execute(d.overlapExec, toTensor(states), d.xTensor)
	if err != nil {
		return nil, err
	}
	data, err := tensors.CopyFlatData[float32](out[0])
	_ = out[0].FinalizeAll()
	if err != nil {
		return nil, fmt.Errorf("%w: reading overlaps: %w", ErrBackend, err)
	}
	return data, nil
}

// Energy returns, for every row σ of states (±1 spins, N units), the energy
// E(σ) = −Σ_μ F(ξ^μ·σ) in float64.
//
// The sum is formed in a scaled form that cannot overflow (a max-shifted log-sum-exp for the
// exponential, terms divided by (N+2)ⁿ for the polynomials) and is within 4 ulp of the exact
// value (every term rounded once, compensated sums; tested against big-integer and 256-bit
// references) whenever |E| ≤ e^700 ≈ 1.01·10³⁰⁴. That covers every polynomial of degree ≤ 30 at N = 784 (|E| ≤
// K·784³⁰ ≈ K·10⁸⁷). Beyond it, where the true value overflows float64 (the exponential at
// N = 784: e^784 ≈ 10³⁴⁰), Energy returns the log-compressed continuation
//
//	E = −sign(S)·e^700·(1 + ln(1 + L − 700)),  L = ln|S|  (see [Dense.LogEnergy]),
//
// which is continuous, strictly decreasing in S like the true energy, and finite for every
// state: energies still compare and plot correctly, and Energy never returns NaN or ±Inf. Use
// LogEnergy for readable values in that regime.
//
// The overlaps of the whole batch are one GoMLX matmul; the reduction runs in float64.
// Errors wrap [ErrEmpty], [ErrShape] or [ErrNotSpin] for bad states and [ErrBackend] if the
// backend fails.
func (d *Dense) Energy(states *Patterns) ([]float64, error) {
	return d.energies("Energy", states, d.eng.Energy)
}

// LogEnergy returns, for every row σ of states, L(σ) = ln Σ_μ F(ξ^μ·σ) = ln(−E(σ)), computed
// as a max-shifted log-sum-exp for the exponential (L = β·m_max + ln Σ_μ e^(β(m_μ − m_max)))
// and from normalized terms for the polynomials, so it is finite and accurate for every state:
// at N = 784 with F = exp it is about the largest overlap, where E itself is ≈ −e^784. Lower
// energy means higher L.
//
// It needs F ≥ 0: for an odd [Polynomial] the sum can be negative and the error wraps
// [ErrParameter]. Where the sum is exactly 0 (every overlap ≤ 0 under [RectifiedPolynomial], or
// all overlaps 0 under an even polynomial) the logarithm is −∞; LogEnergy reports
// −math.MaxFloat64 instead. Other errors are those of [Dense.Energy].
func (d *Dense) LogEnergy(states *Patterns) ([]float64, error) {
	if !d.f.nonNegative() {
		return nil, fmt.Errorf("%w: Dense.LogEnergy needs F ≥ 0, but %s takes negative values: use Energy",
			ErrParameter, d.f)
	}
	return d.energies("LogEnergy", states, func(m []float32) float64 { return engine.LogValue(d.eng.ScaledSum(m)) })
}

func (d *Dense) energies(method string, states *Patterns, value func(m []float32) float64) ([]float64, error) {
	if err := checkProbes("states", states, d.n, true); err != nil {
		return nil, fmt.Errorf("Dense.%s: %w", method, err)
	}
	m, err := d.overlaps(states)
	if err != nil {
		return nil, err
	}
	out := make([]float64, states.Len())
	for b := range out {
		out[b] = value(m[b*d.k : (b+1)*d.k])
	}
	return out, nil
}
