package hopfieldlib

import (
	"fmt"
	"math"
	"math/big"
	"math/bits"
	"sync"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
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
// Nothing overflows: the polynomial terms stay in float32 as they are where (N+4)ⁿ allows it
// (x³ at N = 784), and are otherwise read from float64 tables of F(m)/(N+2)ⁿ and scaled by a
// per-probe power of two; the exponential's are taken relative to e^(β·m_max). For
// F = exp(βx) the gains are the weights
// w_μ = e^(β(m_μ − m_max)) times a constant, the rule reduces to "flip iff D·(1 + e^(2β)) > W"
// with W = Σ_μ w_μ and D the sum of the weights whose pattern disagrees with σ_i (a comparison of
// two log-sum-exps), and a flip just multiplies every weight by e^(±2β): after the first
// evaluation the dynamics need no exp at all, only multiply-adds over K.
//
// The sums run in float32 (SIMD with GOEXPERIMENT=simd) with a rigorous bound on their
// rounding error; a decision inside that bound is redone in float64 from the exact integer
// overlaps (for the exponential, if terms underflowed, in the log domain; for the polynomials,
// if still too close, in exact integers). For the exponential, only the patterns whose weight
// is not negligible (overlap within 82·ln 2/β of the best one: weights above 2⁻⁸²) can matter;
// near a stored pattern they are few, and the decisions visit only them. The starting overlaps
// are exact integers from XOR and popcount over bit-packed spins. A flip whose energy change is
// within float64 rounding of the terms involved (about K·2⁻⁵⁰ of them) counts as a tie and keeps
// σ_i (exponential only; the polynomials settle those in integers), so the energy never
// increases.
//
// A Dense is safe for concurrent use.
type Dense struct {
	n, k, kp int // units, patterns, patterns padded to a multiple of denseLanes
	f        Separation
	stored   *Patterns
	xt       []float32 // N×kp, unit-major: xt[i·kp + μ] = ξ_i^μ, zero padding
	words    int       // ⌈N/64⌉
	bits     []uint64  // K×words: bit i of pattern μ is set iff ξ_i^μ = +1
	tab      denseTables

	backend     compute.Backend
	xTensor     *tensors.Tensor
	overlapExec *graph.Exec

	// probes recycles the per-probe working memory (overlaps, gains, orders: ≈ 8·K + 4·N
	// bytes each) between probes and calls, which keeps a sweep of 100 probes from allocating
	// a megabyte and waking the garbage collector.
	probes sync.Pool

	portable bool // tests: use the portable kernels even when SIMD ones are compiled in
	noSparse bool // tests: never restrict the exponential's decisions to the listed patterns
}

// denseTables holds what the dynamics and the energy read instead of evaluating F.
type denseTables struct {
	// Exponential, indexed by k = (m_max − m)/2 ∈ [0, N]: w[k] = e^(−2βk).
	w []float64
	// rho = −e^(−2β)/(1 + e^(−2β)): the flip rule is Σ_dis w + rho·Σ w > 0.
	rho float64
	// log1pq = log(1 + e^(2β)), for decisions in the log domain.
	log1pq float64
	// q32, qinv32 = e^(±2β) in float32, and reweighs the number of multiplicative weight updates
	// allowed between exact refreshes (0: refresh after every flip).
	q32, qinv32 float32
	reweighs    int
	// gapCut = 82·ln 2/β: a pattern whose overlap is further than this below the largest has a
	// weight below 2⁻⁸², which the refresh rounds to 0.
	gapCut float64

	// Polynomials, indexed by m + N + 2 for m ∈ [−N−2, N+2], all divided by (N+2)ⁿ:
	// f = F(m), g = F(m+2) − F(m−2) (for m ∈ [−N, N]), d = F(m−2) − F(m) (for m ≥ −N).
	f, g, d []float64
	// logScale = n·log(N+2), the logarithm of that divisor.
	logScale float64
	// polyFast: (N+4)ⁿ·4K < 2¹²⁰, so the gains can be evaluated directly in float32 from the
	// overlaps (SIMD, no tables, no scaling) after every flip.
	polyFast bool
	// The exact integers F(m), same index: in int64 when K·(N+2)ⁿ < 2⁶² (then every sum of K
	// differences is exact in int64), otherwise as big integers.
	exact    []int64
	exactBig []*big.Int
}

// denseRefreshLog2 bounds the growth of float32 weights between refreshes: e^(2β·reweighs) ≤ 2⁴⁰.
const denseRefreshLog2 = 40

// Underflow guards, branch-free (a data-dependent branch per pattern mispredicts half the time):
// (v + snap) − snap in float64 rounds v to a multiple of ulp(snap)/2 or ulp(snap), so tiny values
// become exactly 0 and the rest stay clear of float32's subnormal range (slow on x86). The
// absolute error, at most ulp(snap), is part of the error bounds of the decisions.
const (
	// denseFlushSnap rounds exponential weights (≤ 1 after a refresh) to multiples of 2⁻⁸⁰ or
	// 2⁻⁷⁹: reweighs can then shrink them by 2⁻⁴⁰ and stay above 2⁻¹²⁶.
	denseFlushSnap = 0x1p-27
	// denseSnap rounds polynomial gains (scaled into [−1, 1]) to multiples of 2⁻¹²⁶ or 2⁻¹²⁵.
	denseSnap = 0x1p-73
)

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
	kp := (k + denseLanes - 1) / denseLanes * denseLanes
	d := &Dense{n: n, k: k, kp: kp, f: f, stored: stored.Clone(), backend: backend, xt: make([]float32, n*kp)}
	for mu := range k {
		for i, v := range d.stored.Row(mu) {
			d.xt[i*kp+mu] = v
		}
	}
	d.words = (n + 63) / 64
	d.bits = make([]uint64, k*d.words)
	for mu := range k {
		packSpins(d.stored.Row(mu), d.bits[mu*d.words:(mu+1)*d.words])
	}
	d.tab = newDenseTables(f, n, k)
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
// so N < 2^24. That also keeps n·log(N+2) ≤ 40·log(2^24) ≈ 665 for every degree, so the
// normalized polynomial terms (m/(N+2))ⁿ never underflow float64.
func denseSizeCheck(n int) error {
	if n >= 1<<24 {
		return fmt.Errorf("%w: %d units: overlaps must stay exact in float32, so N < 2^24", ErrShape, n)
	}
	return nil
}

// newDenseTables precomputes the tables of f for a network of n units and k patterns.
func newDenseTables(f Separation, n, k int) denseTables {
	var t denseTables
	if f.IsExponential() {
		beta := f.beta
		t.w = make([]float64, n+1)
		for k := range t.w {
			t.w[k] = math.Exp(-2 * beta * float64(k))
		}
		e := math.Exp(-2 * beta)
		t.rho = -e / (1 + e)
		t.log1pq = 2*beta + math.Log1p(e)
		t.gapCut = 82 * math.Ln2 / beta
		if log2q := 2 * beta / math.Ln2; log2q <= denseRefreshLog2 {
			t.reweighs = min(32, int(denseRefreshLog2/log2q))
			t.q32, t.qinv32 = float32(math.Exp(2*beta)), float32(e)
		}
		return t
	}
	// Polynomials: exact integers F(m) for m ∈ [−N−2, N+2], differences taken exactly, each
	// divided by (N+2)ⁿ and rounded once to float64.
	size := 2*n + 5
	deg := big.NewInt(int64(f.degree))
	exact := make([]*big.Int, size)
	for idx := range exact {
		m := int64(idx - n - 2)
		if f.kind == sepRectified && m < 0 {
			m = 0
		}
		exact[idx] = new(big.Int).Exp(big.NewInt(m), deg, nil)
	}
	top := new(big.Int).Exp(big.NewInt(int64(n+2)), deg, nil)
	scale := new(big.Float).SetPrec(256).SetInt(top)
	ratio := func(v *big.Int) float64 {
		q := new(big.Float).SetPrec(256).SetInt(v)
		out, _ := q.Quo(q, scale).Float64()
		return out
	}
	t.f = make([]float64, size)
	t.g = make([]float64, size)
	t.d = make([]float64, size)
	diff := new(big.Int)
	for idx := range size {
		t.f[idx] = ratio(exact[idx])
		if idx >= 2 {
			t.d[idx] = ratio(diff.Sub(exact[idx-2], exact[idx]))
			if idx+2 < size {
				t.g[idx] = ratio(diff.Sub(exact[idx+2], exact[idx-2]))
			}
		}
	}
	t.logScale = float64(f.degree) * math.Log(float64(n+2))
	t.polyFast = float64(f.degree)*math.Log2(float64(n+4))+math.Log2(4*float64(k)) <= 120
	if new(big.Int).Mul(top, big.NewInt(int64(k))).BitLen() <= 62 {
		t.exact = make([]int64, size)
		for idx, v := range exact {
			t.exact[idx] = v.Int64()
		}
	} else {
		t.exactBig = exact
	}
	return t
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

// packSpins sets bit i of words iff s_i = +1 (words zeroed first; len(words) = ⌈len(s)/64⌉).
func packSpins(s []float32, words []uint64) {
	clear(words)
	for i, v := range s {
		if v > 0 {
			words[i>>6] |= 1 << (i & 63)
		}
	}
}

// bitOverlaps sets m[μ] = ξ^μ·σ for every pattern, exactly: for ±1 vectors the dot product is
// N − 2·(number of units where they differ) = N − 2·popcount(bits(σ) XOR bits(ξ^μ)).
func (d *Dense) bitOverlaps(s, m []float32) {
	w := d.words
	var local [16]uint64
	sb := local[:0]
	if w <= len(local) {
		sb = local[:w]
	} else {
		sb = make([]uint64, w)
	}
	packSpins(s, sb)
	for mu := range d.k {
		row := d.bits[mu*w : (mu+1)*w]
		diff := 0
		for j, v := range row {
			diff += bits.OnesCount64(v ^ sb[j])
		}
		m[mu] = float32(d.n - 2*diff)
	}
}

// scaledSum returns S = Σ_μ F(m_μ) as t·e^logScale, computed from the integer overlaps m[:K]
// without overflow: for the exponential t = Σ_μ e^(β(m_μ − m_max)) ≥ 1 and logScale = β·m_max
// (a max-shifted log-sum-exp); for the polynomials t = Σ_μ F(m_μ)/(N+2)ⁿ and
// logScale = n·log(N+2), or t = S exactly rounded and logScale = 0 when S is summed in exact
// integers. Sums of terms of one sign are accurate to K·2⁻⁵³; the odd polynomials, whose terms
// cancel, are summed exactly in integers.
func (d *Dense) scaledSum(m []float32) (t, logScale float64) {
	m = m[:d.k]
	tab := &d.tab
	if d.f.IsExponential() {
		ref := denseMaxOverlap(m)
		for _, v := range m {
			t += tab.w[(ref-int(v))>>1]
		}
		return t, d.f.beta * float64(ref)
	}
	off := d.n + 2
	switch {
	case tab.exact != nil:
		var sum int64
		for _, v := range m {
			sum += tab.exact[int(v)+off]
		}
		return float64(sum), 0
	case d.f.nonNegative():
		for _, v := range m {
			t += tab.f[int(v)+off]
		}
		return t, tab.logScale
	}
	sum := new(big.Int)
	for _, v := range m {
		sum.Add(sum, tab.exactBig[int(v)+off])
	}
	if sum.Sign() == 0 {
		return 0, 0
	}
	// S = mant·2^exp with mant ∈ [½, 1): t = mant, logScale = exp·ln 2.
	mant := new(big.Float).SetInt(sum)
	exp := mant.MantExp(mant)
	t, _ = mant.Float64()
	return t, float64(exp) * math.Ln2
}

// denseMaxOverlap returns the largest of the integer overlaps m (m non-empty).
func denseMaxOverlap(m []float32) int {
	best := m[0]
	for _, v := range m[1:] {
		best = max(best, v)
	}
	return int(best)
}

// denseEnergyKnee is where Energy leaves the exact value for its log-compressed continuation:
// |E| = e^700 ≈ 1.01e304.
const denseEnergyKnee = 700

// energyValue turns S = t·e^logScale into the value Energy reports (see [Dense.Energy]).
func energyValue(t, logScale float64) float64 {
	if t == 0 {
		return 0
	}
	l := logScale + math.Log(math.Abs(t))
	sign := math.Copysign(1, t)
	if l <= denseEnergyKnee {
		if logScale <= denseEnergyKnee {
			return -t * math.Exp(logScale)
		}
		return -sign * math.Exp(l)
	}
	return -sign * math.Exp(denseEnergyKnee) * (1 + math.Log1p(l-denseEnergyKnee))
}

// logValue turns S = t·e^logScale (t ≥ 0) into the value LogEnergy reports.
func logValue(t, logScale float64) float64 {
	if t <= 0 {
		return -math.MaxFloat64
	}
	return logScale + math.Log(t)
}

// Energy returns, for every row σ of states (±1 spins, N units), the energy
// E(σ) = −Σ_μ F(ξ^μ·σ) in float64.
//
// The sum is formed in a scaled form that cannot overflow (a max-shifted log-sum-exp for the
// exponential, terms divided by (N+2)ⁿ for the polynomials) and is exact to float64 rounding
// whenever |E| ≤ e^700 ≈ 1.01·10³⁰⁴. That covers every polynomial of degree ≤ 30 at N = 784 (|E| ≤
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
	return d.energies("Energy", states, energyValue)
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
	return d.energies("LogEnergy", states, logValue)
}

func (d *Dense) energies(method string, states *Patterns, value func(t, logScale float64) float64) ([]float64, error) {
	if err := checkProbes("states", states, d.n, true); err != nil {
		return nil, fmt.Errorf("Dense.%s: %w", method, err)
	}
	m, err := d.overlaps(states)
	if err != nil {
		return nil, err
	}
	out := make([]float64, states.Len())
	for b := range out {
		out[b] = value(d.scaledSum(m[b*d.k : (b+1)*d.k]))
	}
	return out, nil
}
