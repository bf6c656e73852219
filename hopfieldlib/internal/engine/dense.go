package engine

import (
	"math"
	"math/big"
	"math/bits"
	"sync"
)

// The dense associative memory's dynamics (Krotov & Hopfield 2016; Demircigil et al. 2017): the
// overlaps of every probe kept and updated on each flip, the flip decided from the energy
// difference ΔS = Σ_μ [F(m_μ − 2σ_iξ_i^μ) − F(m_μ)] in float32 with a rigorous error bound,
// redone in float64 (and for the polynomials in exact integers) when the bound cannot decide.
// See the Dense type of the model floor for the rule; this file is how it is made fast and exact.

// DenseKind names a separation function F.
type DenseKind uint8

const (
	DensePolynomial  DenseKind = iota + 1 // F(x) = xⁿ
	DenseRectified                        // F(x) = max(x, 0)ⁿ
	DenseExponential                      // F(x) = exp(βx)
)

// DenseF is a separation function: its kind and its degree n or its β.
type DenseF struct {
	Kind   DenseKind
	Degree int
	Beta   float64
}

func (f DenseF) exponential() bool { return f.Kind == DenseExponential }

// nonNegative reports whether F(x) ≥ 0 for every x (all but the odd polynomials).
func (f DenseF) nonNegative() bool { return f.Kind != DensePolynomial || f.Degree%2 == 0 }

// monotoneGain reports whether F is non-decreasing (all but the even polynomials), so that the
// gain F(m+2) − F(m−2) is ≥ 0 for every m.
func (f DenseF) monotoneGain() bool { return f.Kind != DensePolynomial || f.Degree%2 == 1 }

// DenseMaxUnits bounds N: overlaps must stay exact integers in float32, so N < 2^24. That also
// keeps n·log(N+2) ≤ 40·log(2^24) ≈ 665 for every degree up to 40, so the normalized polynomial
// terms (m/(N+2))ⁿ never underflow float64.
const DenseMaxUnits = 1<<24 - 1

// DenseOptions configure NewDense; the zero value is the fastest.
type DenseOptions struct {
	// ISA Portable forces the portable kernels (tests compare them with the SIMD ones).
	ISA ISA
	// NoSparse never restricts the exponential's decisions to the patterns near the best one.
	NoSparse bool
	// NoFastPoly always takes the polynomial gains from the float64 tables.
	NoFastPoly bool
}

// Dense holds the tables of a dense memory of K patterns of N spins.
type Dense struct {
	n, k, kp int // units, patterns, patterns padded to a multiple of denseLanes
	f        DenseF
	xt       []float32 // N×kp, unit-major: xt[i·kp + μ] = ξ_i^μ, zero padding
	words    int       // ⌈N/64⌉
	bits     []uint64  // K×words: bit i of pattern μ is set iff ξ_i^μ = +1
	tab      denseTables

	portable bool // the portable kernels even where SIMD ones are compiled in
	noSparse bool

	// probes recycles the per-probe working memory (overlaps, gains, orders: ≈ 8·K + 4·N
	// bytes each) between probes and calls, which keeps a sweep of 100 probes from allocating
	// a megabyte and waking the garbage collector.
	probes sync.Pool
}

// NewDense builds the tables for the k×n spins x (row-major; n ≤ DenseMaxUnits) and F.
func NewDense(x []float32, k, n int, f DenseF, opt DenseOptions) *Dense {
	kp := (k + denseLanes - 1) / denseLanes * denseLanes
	d := &Dense{n: n, k: k, kp: kp, f: f, xt: make([]float32, n*kp), portable: opt.ISA == Portable || !denseSIMD, noSparse: opt.NoSparse}
	for mu := range k {
		for i, v := range x[mu*n : (mu+1)*n] {
			d.xt[i*kp+mu] = v
		}
	}
	d.words = (n + 63) / 64
	d.bits = make([]uint64, k*d.words)
	for mu := range k {
		packSpins(x[mu*n:(mu+1)*n], d.bits[mu*d.words:(mu+1)*d.words])
	}
	d.tab = newDenseTables(f, n, k)
	if opt.NoFastPoly {
		d.tab.polyFast = false
	}
	return d
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
	// logScale = n·log(N+2), the logarithm of that divisor, and scale = (N+2)ⁿ itself,
	// correctly rounded (finite: n·log₂(N+2) ≤ 40·24 < 1024).
	logScale, scale float64
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

// newDenseTables precomputes the tables of f for a network of n units and k patterns.
func newDenseTables(f DenseF, n, k int) denseTables {
	var t denseTables
	if f.exponential() {
		beta := f.Beta
		t.w = make([]float64, n+1)
		for k := range t.w {
			t.w[k] = expExact(-2*beta, float64(k))
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
	deg := big.NewInt(int64(f.Degree))
	exact := make([]*big.Int, size)
	for idx := range exact {
		m := int64(idx - n - 2)
		if f.Kind == DenseRectified && m < 0 {
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
	t.logScale = float64(f.Degree) * math.Log(float64(n+2))
	t.scale, _ = new(big.Float).SetInt(top).Float64()
	t.polyFast = float64(f.Degree)*math.Log2(float64(n+4))+math.Log2(4*float64(k)) <= 120
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

// ScaledSum returns S = Σ_μ F(m_μ) as t·e^logScale, computed from the integer overlaps m[:K]
// without overflow: for the exponential t = Σ_μ e^(β(m_μ − m_max)) ≥ 1 and logScale = β·m_max
// (a max-shifted log-sum-exp); for the polynomials t = Σ_μ F(m_μ)/(N+2)ⁿ and
// logScale = n·log(N+2), or t = S exactly rounded and logScale = 0 when S is summed in exact
// integers. LogEnergy takes ln S = logScale + ln t from it; Energy is more accurate.
func (d *Dense) ScaledSum(m []float32) (t, logScale float64) {
	m = m[:d.k]
	tab := &d.tab
	if d.f.exponential() {
		ref := denseMaxOverlap(m)
		return d.expSum(m, ref), d.f.Beta * float64(ref)
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
		return d.tableSum(m), tab.logScale
	}
	sum := d.bigSum(m)
	if sum.Sign() == 0 {
		return 0, 0
	}
	// S = mant·2^exp with mant ∈ [½, 1): t = mant, logScale = exp·ln 2.
	mant := new(big.Float).SetInt(sum)
	exp := mant.MantExp(mant)
	t, _ = mant.Float64()
	return t, float64(exp) * math.Ln2
}

// Energy returns E = −Σ_μ F(m_μ) from the integer overlaps m[:K], within 4 ulp of the exact value
// when |E| ≤ e^700: every term is rounded once (the exponential's exponents β·m taken exactly,
// as pairs of float64), the sums are compensated, and the scale is applied correctly rounded.
// Beyond e^700 it returns the log-compressed continuation (compressedEnergy).
func (d *Dense) Energy(m []float32) float64 {
	m = m[:d.k]
	tab := &d.tab
	off := d.n + 2
	switch {
	case d.f.exponential():
		ref := denseMaxOverlap(m)
		t := d.expSum(m, ref)
		hi := d.f.Beta * float64(ref)
		lo := math.FMA(d.f.Beta, float64(ref), -hi) // β·m_max = hi + lo exactly
		if l := hi + math.Log(t); l > denseEnergyKnee {
			return compressedEnergy(l, 1)
		}
		return -expExactSum(hi, lo) * t
	case tab.exact != nil:
		var sum int64
		for _, v := range m {
			sum += tab.exact[int(v)+off]
		}
		return -float64(sum)
	case d.f.nonNegative():
		t := d.tableSum(m)
		if t == 0 {
			return 0
		}
		if l := tab.logScale + math.Log(t); l > denseEnergyKnee {
			return compressedEnergy(l, 1)
		}
		return -t * tab.scale
	}
	sum := d.bigSum(m)
	if sum.Sign() == 0 {
		return 0
	}
	f := new(big.Float).SetInt(sum)
	mant := new(big.Float)
	exp := f.MantExp(mant)
	mv, _ := mant.Float64()
	if l := math.Log(math.Abs(mv)) + float64(exp)*math.Ln2; l > denseEnergyKnee {
		return compressedEnergy(l, float64(sum.Sign()))
	}
	v, _ := f.Float64() // correctly rounded
	return -v
}

// expSum is Σ_μ e^(β(m_μ − ref)) from the table, compensated (Neumaier).
func (d *Dense) expSum(m []float32, ref int) float64 {
	var s, c float64
	for _, v := range m {
		s, c = twoSum(s, c, d.tab.w[(ref-int(v))>>1])
	}
	return s + c
}

// tableSum is Σ_μ F(m_μ)/(N+2)ⁿ from the table, compensated (Neumaier).
func (d *Dense) tableSum(m []float32) float64 {
	off := d.n + 2
	var s, c float64
	for _, v := range m {
		s, c = twoSum(s, c, d.tab.f[int(v)+off])
	}
	return s + c
}

// bigSum is Σ_μ F(m_μ) in exact big integers.
func (d *Dense) bigSum(m []float32) *big.Int {
	off := d.n + 2
	sum := new(big.Int)
	for _, v := range m {
		sum.Add(sum, d.tab.exactBig[int(v)+off])
	}
	return sum
}

// twoSum adds x to the compensated sum (s, c): Neumaier's variant of Kahan summation, whose
// error is about one rounding of the result whatever the number of terms.
func twoSum(s, c, x float64) (float64, float64) {
	t := s + x
	if math.Abs(s) >= math.Abs(x) {
		c += (s - t) + x
	} else {
		c += (x - t) + s
	}
	return t, c
}

// expExact is e^(a·b) for the exact product a·b (hi + lo), within about an ulp.
func expExact(a, b float64) float64 {
	hi := a * b
	return expExactSum(hi, math.FMA(a, b, -hi))
}

// expExactSum is e^(hi + lo) for |lo| ≤ ulp(hi): e^hi·(1 + lo).
func expExactSum(hi, lo float64) float64 {
	e := math.Exp(hi)
	return math.FMA(e, lo, e)
}

// compressedEnergy is the continuation −sign·e^700·(1 + ln(1 + L − 700)) of E beyond |E| = e^700,
// L = ln|S|: continuous, strictly decreasing in S like E, and finite for every state.
func compressedEnergy(l, sign float64) float64 {
	return -sign * math.Exp(denseEnergyKnee) * (1 + math.Log1p(l-denseEnergyKnee))
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

// LogValue turns S = t·e^logScale (t ≥ 0) into the value LogEnergy reports.
func LogValue(t, logScale float64) float64 {
	if t <= 0 {
		return -math.MaxFloat64
	}
	return logScale + math.Log(t)
}

// NewProbe starts the dynamics of one probe from the spins s (N values ±1, the caller's slice:
// the dynamics update it in place), with its exact overlaps. Release it when done.
func (d *Dense) NewProbe(s []float32) *DenseProbe {
	p, _ := d.probes.Get().(*DenseProbe)
	if p == nil || p.d != d {
		p = &DenseProbe{d: d, m: make([]float32, d.kp), g: make([]float32, d.kp)}
	}
	p.s = s
	d.bitOverlaps(s, p.m)
	p.act = nil
	p.reset()
	return p
}

// Release returns the probe's memory for reuse.
func (d *Dense) Release(p *DenseProbe) {
	p.s = nil
	d.probes.Put(p)
}

// Lowers reports whether flipping unit i lowers the energy by more than float64 rounding (ties
// keep the unit).
func (p *DenseProbe) Lowers(i int) bool { return p.decide(i) }

// Flip flips unit i and updates the overlaps and gains.
func (p *DenseProbe) Flip(i int) { p.flip(i) }

// Sweep visits the units in order, flipping those whose flip lowers the energy, and returns the
// number of flips.
func (p *DenseProbe) Sweep(order []int32) int { return p.sweep(order) }

// Stable reports whether no single flip lowers the energy.
func (p *DenseProbe) Stable() bool { return p.stable() }

// FlipAll flips every listed unit at once (one synchronous step) and recomputes the gains
// exactly from the new overlaps.
func (p *DenseProbe) FlipAll(units []int) {
	for _, i := range units {
		s := -p.s[i]
		p.s[i] = s
		denseAddScaledScalar(p.m, p.row(i), 2*s)
	}
	p.reset()
}

// State is the probe's spins (the slice NewProbe was given).
func (p *DenseProbe) State() []float32 { return p.s }

// Overlaps is m_μ = ξ^μ·σ for every pattern (a view: do not change it).
func (p *DenseProbe) Overlaps() []float32 { return p.m[:p.d.k] }

// Energy is the value the model's Energy reports for the current state, from the overlaps.
func (p *DenseProbe) Energy() float64 { return p.d.Energy(p.m) }

// DenseProbe is the state of the dynamics for one probe: the spins, their exact overlaps with
// every pattern and the scaled gains the flip decisions read.
type DenseProbe struct {
	d *Dense
	s []float32 // the state, N spins (a row of the caller's Patterns)
	m []float32 // overlaps m_μ = ξ^μ·σ, exact integers, kp long (padding 0)
	// g: for the exponential the weights w_μ = e^(β(m_μ − ref)) (times e^(±2β) per reweigh
	// since the last refresh); for the polynomials F(m_μ+2) − F(m_μ−2) evaluated in float32
	// when that cannot overflow (tab.polyFast), otherwise c·(F(m_μ+2) − F(m_μ−2))/(N+2)ⁿ from
	// the tables, with c a power of two that brings the largest into [½, 1). kp long, padding 0.
	g []float32

	wsum   float64 // exponential: Σ w
	since  int     // exponential: reweighs since the last refresh
	act    []int32 // exponential: the patterns whose weight can be above 0, or nil for all
	actBuf []int32 // scratch for refreshExp
	order  []int32 // the unit order of a sweep, N long

	dsum, dabs, gabs float64 // polynomials: Σ c·d_μ, Σ|c·d_μ|, Σ|c·g_μ|
	pabs             float64 // polynomials in float32 (tab.polyFast): Σ |F(m+2)| + 2|F(m−2)| + |F(m)|
}

// reset recomputes the gains exactly from the overlaps.
func (p *DenseProbe) reset() {
	switch d := p.d; {
	case d.f.exponential():
		p.refreshExp()
	case d.tab.polyFast:
		p.polyUpdate(nil, 0)
	default:
		p.recomputePoly()
	}
}

// polyUpdate adds a·x to the overlaps (x nil: none) and evaluates the gains in float32
// (tab.polyFast only).
func (p *DenseProbe) polyUpdate(x []float32, a float32) {
	d := p.d
	rect := d.f.Kind == DenseRectified
	if d.portable {
		p.dsum, p.pabs = densePolyUpdateScalar(p.m, p.g, x, a, d.k, d.f.Degree, rect)
		return
	}
	p.dsum, p.pabs = densePolyUpdate(p.m, p.g, x, a, d.k, d.f.Degree, rect)
}

// refreshExp sets w_μ = e^(β(m_μ − m_max)) from the table, rounded to multiples of 2⁻⁸⁰ (see
// denseFlushSnap: weights below become 0, and the reweighs that follow never reach float32's
// subnormal range).
//
// Only patterns within tab.gapCut of the largest overlap can have a weight above 0. When they
// are at most K/8 (a probe near one stored pattern, as in recall), they are listed in p.act and
// the decisions and reweighs visit only them; the other weights are exactly 0 either way.
func (p *DenseProbe) refreshExp() {
	d := p.d
	k, w := d.k, d.tab.w
	m, out := p.m[:k], p.g[:k]
	var top float32
	if d.portable {
		top = denseMaxScalar(m)
	} else {
		top = denseMax(m)
	}
	ref := int(top)
	thr := float32(math.Ceil(float64(ref) - d.tab.gapCut))
	old := p.act
	var cand []int32
	if d.portable {
		cand = denseCollectScalar(m, thr, p.actBuf[:0])
	} else {
		cand = denseCollect(m, thr, p.actBuf[:0])
	}
	var sum float64
	if len(cand)*denseSparseRatio <= k && !d.noSparse {
		if old == nil {
			clear(out)
		} else {
			for _, mu := range old {
				out[mu] = 0
			}
		}
		for _, mu := range cand {
			x := float32((w[(ref-int(m[mu]))>>1] + denseFlushSnap) - denseFlushSnap)
			out[mu] = x
			sum += float64(x)
		}
		p.act, p.actBuf = cand, old[:0]
	} else {
		for mu, v := range m {
			x := float32((w[(ref-int(v))>>1] + denseFlushSnap) - denseFlushSnap)
			out[mu] = x
			sum += float64(x)
		}
		p.act, p.actBuf = nil, cand[:0]
	}
	p.wsum, p.since = sum, 0
}

// denseSparseRatio: the exponential's decisions visit only the listed patterns when they are at
// most K/denseSparseRatio; a gather costs about as much as 8 lanes of the dense kernel.
const denseSparseRatio = 8

// recomputePoly sets the scaled gains and the sums of the scaled d_μ from the tables.
func (p *DenseProbe) recomputePoly() {
	t, k, off := &p.d.tab, p.d.k, p.d.n+2
	m, out := p.m[:k], p.g[:k]
	gt, dt := t.g, t.d
	lo, hi := m[0], m[0]
	for _, v := range m[1:] {
		lo, hi = min(lo, v), max(hi, v)
	}
	// |g| grows with |m| (with m for the rectified polynomial), so the largest gain sits at
	// the smallest or the largest overlap.
	top := max(math.Abs(gt[int(lo)+off]), math.Abs(gt[int(hi)+off]))
	c := 1.0
	if top > 0 {
		_, e := math.Frexp(top)
		c = math.Ldexp(1, -e)
	}
	var ds, da, ga float64
	if p.d.f.monotoneGain() {
		// F non-decreasing: g ≥ 0 and d ≤ 0, so Σ|d| = −Σ d and Σ|g| = Σ g.
		for mu, v := range m {
			idx := int(v) + off
			ds += dt[idx]
			gv := gt[idx] * c
			ga += gv
			out[mu] = float32((gv + denseSnap) - denseSnap)
		}
		da = -ds
	} else {
		for mu, v := range m {
			idx := int(v) + off
			dv := dt[idx]
			ds += dv
			da += math.Abs(dv)
			gv := gt[idx] * c
			ga += math.Abs(gv)
			out[mu] = float32((gv + denseSnap) - denseSnap)
		}
	}
	p.dsum, p.dabs, p.gabs = ds*c, da*c, ga
}

// row returns unit i's pattern values ξ_i^μ, kp long.
func (p *DenseProbe) row(i int) []float32 {
	kp := p.d.kp
	return p.d.xt[i*kp : (i+1)*kp : (i+1)*kp]
}

// disagree returns Σ_μ (1 − s·x_μ)·g_μ with the SIMD or the portable kernel.
func (p *DenseProbe) disagree(x []float32, s float32) float32 {
	if p.d.portable {
		return denseDisagreeScalar(x, p.g, s)
	}
	return denseDisagree(x, p.g, s)
}

// decide reports whether flipping unit i lowers the energy by more than float64 rounding.
//
// First in float32 from the gains: margin = Σ_dis g + Σ d (for the exponential
// Σ_dis w + rho·Σ w), with a rigorous bound on its rounding error: the summation
// ((K+64)·2⁻²² of the absolute terms, far above the (K/16+2)·2⁻²⁴ of the kernel), the drift of
// reweighed weights (3·2⁻²⁴ per reweigh) and the rounding of tiny terms (2⁻⁷⁹ each, grown by
// at most 2⁴⁰ through reweighs). Only when |margin| is within the bound is the decision redone
// exactly (decideExact).
func (p *DenseProbe) decide(i int) bool {
	d := p.d
	x := p.row(i)
	si := p.s[i]
	var dis float64
	if p.act != nil {
		var acc float32 // the dense kernel's exact products, over the listed patterns only
		for _, mu := range p.act {
			acc += (1 - si*x[mu]) * p.g[mu]
		}
		dis = 0.5 * float64(acc)
	} else {
		dis = 0.5 * float64(p.disagree(x, si))
	}
	kf := float64(d.k)
	var margin, bound float64
	if d.f.exponential() {
		rho := d.tab.rho
		margin = dis + rho*p.wsum
		bound = (float64(d.k+64)*0x1p-22+float64(3*p.since)*0x1p-24)*(dis-rho*p.wsum) + kf*0x1p-38
	} else if d.tab.polyFast {
		// Each F value carries ≤ (n+1) roundings, each g and d one more: ≤ (n+2)·2⁻²⁴ of
		// |F(m+2)| + 2|F(m−2)| + |F(m)| per pattern, plus the summation.
		margin = dis + p.dsum
		bound = (float64(d.f.Degree+2)*0x1p-24 + float64(d.k+64)*0x1p-22) * p.pabs
	} else {
		gpart := dis
		if !d.f.monotoneGain() {
			gpart = p.gabs
		}
		margin = dis + p.dsum
		bound = float64(d.k+64)*0x1p-22*(gpart+p.dabs) + kf*0x1p-79
	}
	switch {
	case margin > bound:
		return true
	case margin < -bound:
		return false
	}
	return p.decideExact(i, x, si)
}

// decideExact decides the flip of unit i in float64 from the exact integer overlaps, reading
// F from the tables. For the polynomials a margin within (K+64)·2⁻⁵⁰ of the absolute changes is
// settled in exact integer arithmetic. For the exponential such a margin is a tie and keeps σ_i,
// unless some weights underflowed float64 (β·gap > 745): then the decision is made in the log
// domain, flip iff lse_dis(β m) + log(1 + e^(2β)) > lse_all(β m).
func (p *DenseProbe) decideExact(i int, x []float32, si float32) bool {
	d, t := p.d, &p.d.tab
	m := p.m[:d.k]
	x = x[:d.k]
	rel := float64(d.k+64) * 0x1p-50
	if d.f.exponential() {
		ref := denseMaxOverlap(m)
		var all, dis float64
		zeros := 0
		for mu, v := range m {
			w := t.w[(ref-int(v))>>1]
			if w == 0 {
				zeros++
			}
			all += w
			if x[mu] != si {
				dis += w
			}
		}
		margin := dis + t.rho*all
		bound := rel*(dis-t.rho*all) + float64(d.k)*0x1p-1070
		switch {
		case margin > bound:
			return true
		case margin < -bound || zeros == 0:
			return false
		}
		return p.decideLog(x, si, ref)
	}
	// ΔS = Σ_agree [F(m−2) − F(m)] + Σ_dis [F(m+2) − F(m)]: only the true changes, so the bound
	// is relative to them (the fast path's Σ_all d + Σ_dis g adds and cancels F(m−2) terms).
	off := d.n + 2
	var sum, abs float64
	for mu, v := range m {
		idx := int(v) + off
		var c float64
		if x[mu] == si {
			c = t.d[idx]
		} else {
			c = -t.d[idx+2]
		}
		sum += c
		abs += math.Abs(c)
	}
	switch bound := rel * abs; {
	case sum > bound:
		return true
	case sum < -bound:
		return false
	}
	return p.decideInteger(x, si)
}

// decideInteger is the polynomials' decision in exact integer arithmetic, for near-ties:
// flip iff Σ_μ [F(m_μ − 2σ_iξ_i^μ) − F(m_μ)] > 0.
func (p *DenseProbe) decideInteger(x []float32, si float32) bool {
	d, t := p.d, &p.d.tab
	off := d.n + 2
	m := p.m[:d.k]
	if t.exact != nil {
		var sum int64
		for mu, v := range m {
			idx := int(v) + off
			if x[mu] == si {
				sum += t.exact[idx-2] - t.exact[idx]
			} else {
				sum += t.exact[idx+2] - t.exact[idx]
			}
		}
		return sum > 0
	}
	sum := new(big.Int)
	for mu, v := range m {
		idx := int(v) + off
		if x[mu] == si {
			sum.Add(sum, t.exactBig[idx-2])
		} else {
			sum.Add(sum, t.exactBig[idx+2])
		}
		sum.Sub(sum, t.exactBig[idx])
	}
	return sum.Sign() > 0
}

// decideLog is the exponential's decision in the log domain, for β so large that the weights
// of all but the best patterns underflow float64.
func (p *DenseProbe) decideLog(x []float32, si float32, ref int) bool {
	d := p.d
	beta := d.f.Beta
	m := p.m[:d.k]
	maxDis := math.Inf(-1)
	for mu, v := range m {
		if x[mu] != si {
			maxDis = max(maxDis, beta*(float64(v)-float64(ref)))
		}
	}
	if math.IsInf(maxDis, -1) {
		return false // no pattern disagrees: the flip lowers every overlap
	}
	// Terms below e^(−746) relative to the largest of their sum (which is ≥ 1) are zero in
	// float64: skip their exp.
	var all, dis float64
	for mu, v := range m {
		a := beta * (float64(v) - float64(ref))
		if a > -746 {
			all += math.Exp(a)
		}
		if x[mu] != si && a-maxDis > -746 {
			dis += math.Exp(a - maxDis)
		}
	}
	diff := maxDis + math.Log(dis) + d.tab.log1pq - math.Log(all)
	bound := float64(2*d.k+64)*0x1p-52 + 0x1p-50*(math.Abs(maxDis)+d.tab.log1pq)
	return diff > bound
}

// flip flips unit i and updates the overlaps and gains.
func (p *DenseProbe) flip(i int) {
	d := p.d
	x := p.row(i)
	s := -p.s[i]
	p.s[i] = s
	if d.tab.polyFast {
		p.polyUpdate(x, 2*s)
		return
	}
	if d.portable {
		denseAddScaledScalar(p.m, x, 2*s)
	} else {
		denseAddScaled(p.m, x, 2*s)
	}
	if !d.f.exponential() {
		p.recomputePoly()
		return
	}
	// Overlaps of patterns that agree with the new spin grow by 2: their weight × e^(2β).
	if p.since < d.tab.reweighs {
		switch {
		case p.act != nil:
			q, qinv := d.tab.q32, d.tab.qinv32
			var sum float32
			for _, mu := range p.act {
				f := qinv
				if x[mu] == s {
					f = q
				}
				p.g[mu] *= f
				sum += p.g[mu]
			}
			p.wsum = float64(sum)
		case d.portable:
			p.wsum = denseReweighScalar(p.g, x, s, d.tab.q32, d.tab.qinv32)
		default:
			p.wsum = denseReweigh(p.g, x, s, d.tab.q32, d.tab.qinv32)
		}
		p.since++
		return
	}
	p.refreshExp()
}

// sweep visits the units in order, flipping those whose flip lowers the energy, and returns
// the number of flips.
func (p *DenseProbe) sweep(order []int32) int {
	flips := 0
	for _, i := range order {
		if p.decide(int(i)) {
			p.flip(int(i))
			flips++
		}
	}
	return flips
}

// stable reports whether no single flip lowers the energy.
func (p *DenseProbe) stable() bool {
	for i := range p.s {
		if p.decide(i) {
			return false
		}
	}
	return true
}
