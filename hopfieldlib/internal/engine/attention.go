package engine

import (
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// Attention evaluates the update of the continuous modern Hopfield network (and one step of
// transformer attention) for batches of queries ξ:
//
//	next(ξ) = Vᵀ p,  p = softmax(β X ξ),  lme(ξ) = β⁻¹ log((1/K) Σ_μ exp(β x_μ·ξ)),
//
// with the keys X (K×d), the values V (K×dv) and the inverse temperature β fixed at construction.
//
// How, for a block of queries:
//
//  1. each query is scaled by a power of two (exact) so that its largest unit lies in [½, 1), and
//     so are the keys and the values when their entries are extreme: no float32 sum below
//     overflows or underflows;
//  2. the scores s = X'ξ' of every query are one float32 product (scoreProduct), over the units
//     where some query of the block is not zero, with a rounding error of at most
//     E = gemmError(units)·max_μ‖x'_μ‖·‖ξ'‖ each;
//  3. per query, the patterns whose weight cannot reach 2⁻²⁷/K of the largest are dropped (a
//     pattern is kept when β(max s − s_μ) ≤ ln K + 27 ln 2 + 2βE): the dropped weights add up to at
//     most 2⁻²⁷ of the total;
//  4. a query that keeps few patterns is finished exactly: float64 scores over the kept patterns,
//     float64 weights and weighted sum ("exact");
//  5. the others take their weights from the float32 scores ("fast"), which puts each weight
//     within a factor e^{±βE} of the exact one; when that could move the weights by more than
//     WeightsError in ℓ1 (2ρ(1+ρ)·P ≤ WeightsError, ρ = e^{βE}(1+2⁻²⁰) − 1, P the share of the
//     patterns left with float32 scores), the heaviest patterns get float64 scores first, as many
//     as that bound needs ("corrected"), or, if that is most of the kept ones, the query is
//     finished exactly; then the weighted sums of the values are the second float32 product
//     (weightedProduct), divided by the weights' sum in float64.
//
// So every query's weights are within WeightsError of the exact softmax in ℓ1 (exact queries:
// within float64 rounding), its update within ½·WeightsError·(max_μ v_μj − min_μ v_μj) +
// gemmError(K)·max_μ|v_μj| + float32 rounding in each unit j, and lme within
// WeightsError/β + 2⁻²⁷/β + float64 rounding; there is no input for which it is further. Typical
// errors are far smaller (10⁻⁷ on MNIST-sized data).
//
// An Attention is safe for concurrent use.
type Attention struct {
	k, d, dv int
	beta     float64
	dense    bool
	ext      Products

	rows tileFunc
	cols tileFunc
	blk  weightedBlocking
	col  columns

	x, v   []float32 // keys and values as given: the exact path reads them
	xs     []float32 // keys scaled by 2^-xExp (x itself when xExp == 0)
	xTail  []float32 // the last partial block of tileRows keys of xs, zero padded
	xExp   int
	xsNorm float64   // max_μ ‖x'_μ‖
	vs     []float32 // values scaled by 2^-vExp
	vTail  []float32 // the last partial block of tileRows columns of vs, K rows, zero padded
	vExp   int

	// scratch keeps the buffers of finished calls (a block's scores and packed queries, up to
	// 64 MB) for the next ones. Not a sync.Pool: that drops its contents at every other garbage
	// collection, and a step then pays for fresh, unfaulted memory again (measured: the first
	// steps on new buffers take 3-10 times as long at K = 1000).
	scratchMu sync.Mutex
	scratch   []*attnScratch
}

// WeightsError bounds, in ℓ1, how far the softmax weights of a query computed from float32
// scores may be from the exact ones before the heaviest get float64 scores (see Attention).
const WeightsError = 0x1p-11

// Products computes the two products of a step elsewhere (a GoMLX graph on an accelerator), with
// the keys X' and values V' the engine scaled: Scores returns the rows × K scores X'q of the
// rows × d queries q, row-major; Weighted returns the rows × dv weighted sums wV' of the rows × K
// weights w, row-major.
type Products interface {
	Scores(q []float32, rows int) ([]float32, error)
	Weighted(w []float32, rows int) ([]float32, error)
}

// Options configure NewAttention.
type Options struct {
	// ISA chooses the kernels (Best() for the fastest; Portable for the plain Go ones).
	ISA ISA
	// Dense turns off step 4 (every query through the two products, all K weights).
	Dense bool
	// Products, if not nil, makes what computes the two products instead of the kernels, given
	// the scaled keys X' (K×d) and values V' (K×dv).
	Products func(xs, vs []float32) Products
}

// Want says what Evaluate computes.
type Want struct {
	Next, LogMeanExp, Weights bool
}

// Result holds what Evaluate computed, one row per query.
type Result struct {
	Next       []float32 // B×dv: Vᵀ softmax(β X ξ)
	LogMeanExp []float64 // B: β⁻¹ log((1/K) Σ_μ exp(β x_μ·ξ))
	Weights    []float32 // B×K: softmax(β X ξ)

	paths [kindCorrected + 1]int // queries finished each way (tests: every path is covered)
}

// Pruning: a pattern is kept when β(max s − s_μ) ≤ ln K + pruneBits·ln 2 (+ the rounding margin).
const pruneBits = 27

// expFloor is the smallest exponent the float32 weights keep: below it a weight is 0 (its
// share, < e^-85 each, is far below the pruning bound).
const expFloor = 87

// NewAttention prepares the step for keys x (k×d, row-major) and values v (k×dv) at inverse
// temperature beta. The slices are kept, not copied: the caller must not change them. Inputs
// must be finite, k, d, dv ≥ 1 and 0 < β < ∞ (the model floor checks).
func NewAttention(x []float32, k, d int, v []float32, dv int, beta float64, opt Options) *Attention {
	a := &Attention{k: k, d: d, dv: dv, beta: beta, dense: opt.Dense, x: x, v: v}
	a.rows, a.cols = kernels(opt.ISA)
	a.blk = blockingFor(opt.ISA)
	a.col = columnPasses(opt.ISA)
	var maxX float64
	for mu := range k {
		var sq float64
		for _, e := range x[mu*d : (mu+1)*d] {
			sq += float64(e) * float64(e)
			maxX = max(maxX, math.Abs(float64(e)))
		}
		a.xsNorm = max(a.xsNorm, math.Sqrt(sq))
	}
	// Scale only data whose scores could overflow or underflow float32; typical data is used as is.
	if maxX > 0x1p60 || (maxX > 0 && maxX < 0x1p-60) {
		a.xExp = pow2Exponent(maxX)
	}
	a.xsNorm = math.Ldexp(a.xsNorm, -a.xExp)
	a.xs = scaled(x, a.xExp)
	if r := k % tileRows; r != 0 {
		a.xTail = make([]float32, tileRows*d)
		copy(a.xTail, a.xs[(k-r)*d:])
	}
	var maxV float64
	for _, e := range v {
		maxV = max(maxV, math.Abs(float64(e)))
	}
	if maxV > 0x1p60 || (maxV > 0 && maxV < 0x1p-60) {
		a.vExp = pow2Exponent(maxV)
	}
	a.vs = scaled(v, a.vExp)
	if r := dv % tileRows; r != 0 {
		a.vTail = make([]float32, k*tileRows)
		for mu := range k {
			copy(a.vTail[mu*tileRows:mu*tileRows+r], a.vs[mu*dv+dv-r:(mu+1)*dv])
		}
	}
	if opt.Products != nil {
		a.ext = opt.Products(a.xs, a.vs)
	}
	return a
}

// scaled returns x·2^-e (x itself for e = 0).
func scaled(x []float32, e int) []float32 {
	if e == 0 {
		return x
	}
	out := make([]float32, len(x))
	for i, a := range x {
		out[i] = float32(math.Ldexp(float64(a), -e))
	}
	return out
}

// pow2Exponent returns e such that a·2^-e lies in [0.5, 1), for a > 0 finite; 0 for a = 0.
func pow2Exponent(a float64) int {
	if a == 0 {
		return 0
	}
	_, e := math.Frexp(a)
	return e
}

// attnScratch holds the buffers of one block, reused across calls.
type attnScratch struct {
	qp, st, ot []float32
	entries    []uint64
}

// getScratch returns the buffers of an earlier call, or new ones.
func (a *Attention) getScratch() *attnScratch {
	a.scratchMu.Lock()
	defer a.scratchMu.Unlock()
	if n := len(a.scratch); n > 0 {
		sc := a.scratch[n-1]
		a.scratch = a.scratch[:n-1]
		return sc
	}
	return &attnScratch{}
}

// putScratch keeps sc for a later call (as many as there are cores, for concurrent callers).
func (a *Attention) putScratch(sc *attnScratch) {
	a.scratchMu.Lock()
	defer a.scratchMu.Unlock()
	if len(a.scratch) < runtime.GOMAXPROCS(0) {
		a.scratch = append(a.scratch, sc)
	}
}

// scoreBlockFloats bounds a block's score buffer (16 Mi float32 = 64 MB).
const scoreBlockFloats = 16 << 20

// queryKind is how a query of a block is finished (see Attention).
type queryKind uint8

const (
	kindPad       queryKind = iota // a padding lane, no query
	kindExact                      // float64 over the kept patterns
	kindFast                       // float32 weights, the weighted product
	kindCorrected                  // the same, the heaviest weights from float64 scores
)

// attnQuery is the state of one query of a block.
type attnQuery struct {
	kind     queryKind
	scale    int     // the scores of the block are in units of 2^scale
	betaS    float64 // β in those units
	errBound float64 // E, in those units
	norm     float64 // ‖ξ'‖
	kept     int     // patterns within the pruning cut
	hCut     float64 // corrected: patterns with β(m − s) ≤ hCut get float64 scores
	mHat     float32 // the largest float32 score (scaled units)
	z        float64 // Σ weights relative to mHat (or, exact, to the exact maximum)
}

// Evaluate computes want for the b×d queries q (row-major, finite).
func (a *Attention) Evaluate(q []float32, b int, want Want) (*Result, error) {
	res := &Result{}
	if want.Next {
		res.Next = make([]float32, b*a.dv)
	}
	if want.LogMeanExp {
		res.LogMeanExp = make([]float64, b)
	}
	if want.Weights {
		res.Weights = make([]float32, b*a.k)
	}
	kp := (a.k + tileRows - 1) / tileRows * tileRows
	maxRows := max(tileCols, scoreBlockFloats/kp/tileCols*tileCols)
	blocks := (b + maxRows - 1) / maxRows
	rows := (b + blocks - 1) / blocks
	for b0 := 0; b0 < b; b0 += rows {
		if err := a.block(q, b0, min(b0+rows, b), want, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// block evaluates queries [b0, b1).
func (a *Attention) block(q []float32, b0, b1 int, want Want, res *Result) error {
	n := b1 - b0
	panels := (n + tileCols - 1) / tileCols
	kp := (a.k + tileRows - 1) / tileRows * tileRows // rows per panel of the scores (see scoreProduct)
	sc := a.getScratch()
	defer a.putScratch(sc)
	sc.qp = grow(sc.qp, panels*a.d*tileCols)
	sc.st = grow(sc.st, panels*kp*tileCols)
	qs := make([]attnQuery, panels*tileCols)

	// 1. Scale and pack the queries; the span of units where some query is not zero.
	lo, hi := a.d, 0
	var mu sync.Mutex
	run(panels, func(pn int) {
		plo, phi := a.d, 0
		dst := sc.qp[pn*a.d*tileCols : (pn+1)*a.d*tileCols]
		live := min(tileCols, n-pn*tileCols) // queries in this panel; the other lanes are zero
		var rows [tileCols][]float32
		var f [tileCols]float32
		for i := range live {
			bq := pn*tileCols + i
			row := q[(b0+bq)*a.d : (b0+bq+1)*a.d]
			rows[i] = row
			// The largest |unit| and ‖ξ‖² (float64: exact products, a rounding error far below
			// the bounds it enters).
			mb, sq := absMaxSumSq(row)
			e := pow2Exponent(float64(math.Float32frombits(mb)))
			// A multiplication by a power of two: exact in float32 unless the product is
			// subnormal, and then rounded once, as the float64 product converted would be (the
			// norm of the scaled query is that of the query, scaled: subnormal units weigh less
			// than 2⁻²⁴⁸ in it).
			f[i] = float32(math.Ldexp(1, -e))
			norm := math.Ldexp(math.Sqrt(sq), -e)
			rlo, rhi := 0, len(row)
			for rlo < rhi && row[rlo] == 0 {
				rlo++
			}
			for rhi > rlo && row[rhi-1] == 0 {
				rhi--
			}
			if rlo < rhi {
				plo, phi = min(plo, rlo), max(phi, rhi)
			}
			qs[bq] = attnQuery{kind: kindFast, scale: a.xExp + e, norm: norm}
		}
		packPanel(dst, &rows, &f, live, a.d)
		mu.Lock()
		lo, hi = min(lo, plo), max(hi, phi)
		mu.Unlock()
	})
	if hi < lo {
		lo, hi = 0, 0
	}

	// 2. The scores.
	if a.ext != nil {
		if err := a.extScores(q, b0, b1, sc.st, kp, qs); err != nil {
			return err
		}
	} else {
		sp := scoreProduct{rows: a.rows, x: a.xs, xTail: a.xTail, k: a.k, d: a.d, qp: sc.qp, panels: panels,
			lo: lo, hi: hi, st: sc.st, kp: kp}
		sp.run()
	}
	errFactor := gemmError(hi - lo)
	if a.ext != nil { // the backend sums in an order we do not know: the bound of any order
		nu := float64(a.d) * 0x1p-24
		errFactor = nu / (1 - nu)
	}

	// 3-5. Per strip of 16 queries: classify, finish the exact ones, weights for the others.
	strips := panels * tileCols / lanes
	active := make([]bool, panels)
	var firstErr error
	var errMu sync.Mutex
	run(strips, func(si int) {
		if err := a.strip(sc, kp, si, b0, n, q, qs, errFactor, want, res); err != nil {
			errMu.Lock()
			firstErr = err
			errMu.Unlock()
		}
	})
	if firstErr != nil {
		return firstErr
	}
	for bq := range n {
		k := qs[bq].kind
		res.paths[k]++
		if k == kindFast || k == kindCorrected {
			active[bq/tileCols] = true
		}
	}
	if !want.Next || !slices.Contains(active, true) {
		return nil
	}

	// 5. The weighted sums of the fast and corrected queries.
	if a.ext != nil {
		return a.extWeighted(sc.st, kp, b0, n, qs, res)
	}
	dvp := (a.dv + tileRows - 1) / tileRows * tileRows
	sc.ot = grow(sc.ot, panels*dvp*tileCols)
	wp := weightedProduct{cols: a.cols, blk: a.blk, v: a.vs, vTail: a.vTail, k: a.k, dv: a.dv, w: sc.st, kp: kp, dvp: dvp,
		panels: panels, activePanels: active, ot: sc.ot}
	wp.run()
	run(panels, func(pn int) {
		var laneBuf [tileCols]int
		lanes := laneBuf[:0] // the panel's fast and corrected queries
		var outs [tileCols][]float32
		var f [tileCols]float64
		for i := range min(tileCols, n-pn*tileCols) {
			bq := pn*tileCols + i
			qu := &qs[bq]
			if qu.kind != kindFast && qu.kind != kindCorrected {
				continue
			}
			lanes = append(lanes, i)
			outs[i] = res.Next[(b0+bq)*a.dv : (b0+bq+1)*a.dv]
			f[i] = math.Ldexp(1, a.vExp) / qu.z
		}
		// Only rescaled values can overflow float32: unscaled ones (vExp = 0, every |v| ≤ 2⁶⁰)
		// average below it.
		unpackPanel(&outs, lanes, &f, sc.ot[pn*dvp*tileCols:], a.dv, a.vExp != 0)
	})
	return nil
}

// strip handles the 16 queries of strip si (queries 16·si …): steps 3-5 up to the weighted
// product. Its scores are half of a panel of st: rows of the panel at a stride of rs = 32.
func (a *Attention) strip(sc *attnScratch, kp, si, b0, n int, q []float32, qs []attnQuery, errFactor float64, want Want, res *Result) error {
	const rs = tileCols
	c0 := si * lanes // the strip's first query
	s := sc.st[(c0/tileCols)*kp*tileCols+c0%tileCols:]
	var mHat [lanes]float32
	a.col.max(s, a.k, rs, &mHat)
	lnK := math.Log(float64(a.k))
	T := lnK + pruneBits*math.Ln2
	var cut [lanes]float32
	live := false
	for l := range lanes {
		bq := c0 + l
		if bq >= n {
			qs[bq].kind = kindPad
			cut[l] = float32(math.Inf(1))
			continue
		}
		live = true
		qu := &qs[bq]
		qu.mHat = mHat[l]
		qu.betaS = math.Ldexp(a.beta, qu.scale)
		qu.errBound = errFactor * a.xsNorm * qu.norm
		cut[l] = cutBelow(float64(mHat[l]) - (T/qu.betaS + 2*qu.errBound))
	}
	if !live {
		return nil
	}
	var kept [lanes]int32
	a.col.count(s, a.k, rs, &cut, &kept)
	limit := a.exactLimit()
	for l := range lanes {
		bq := c0 + l
		if bq >= n {
			continue
		}
		qu := &qs[bq]
		qu.kept = int(kept[l])
		switch {
		case qu.kept <= limit:
			qu.kind = kindExact
		case qu.betaS*qu.errBound > 1:
			qu.kind = kindExact // float32 scores say little here: they only select
		case 2*weightSpread(qu)*(1+weightSpread(qu)) <= WeightsError:
			qu.kind = kindFast
		default:
			qu.kind = kindCorrected
		}
	}
	a.heavyCuts(s, rs, qs[c0:c0+lanes], T)

	// Exact queries: collect their kept patterns, then float64 over them.
	exact := cut
	corr := cut
	haveExact, haveCorr := false, false
	room := 0
	for l := range lanes {
		bq := c0 + l
		exact[l], corr[l] = float32(math.Inf(1)), float32(math.Inf(1))
		if bq >= n {
			continue
		}
		switch qs[bq].kind {
		case kindExact:
			exact[l], haveExact = cut[l], true
			room += qs[bq].kept
		case kindCorrected:
			qu := &qs[bq]
			corr[l], haveCorr = cutBelow(float64(qu.mHat)-qu.hCut/qu.betaS), true
		}
	}
	if haveExact {
		lists := splitEntries(a.collectAll(s, rs, &exact, room), &exact)
		for l := range lanes {
			bq := c0 + l
			if bq < n && qs[bq].kind == kindExact {
				a.exactQuery(lists[l], s[l:], rs, &qs[bq], q[(b0+bq)*a.d:(b0+bq+1)*a.d], b0+bq, want, res)
			}
		}
	}
	var heavy [lanes][]int32
	var heavyScores [lanes][]float64
	if haveCorr {
		room = 0
		for l := range lanes {
			bq := c0 + l
			if bq < n && qs[bq].kind == kindCorrected {
				room += qs[bq].kept
			}
		}
		heavy = splitEntries(a.collectAll(s, rs, &corr, room), &corr)
		for l := range lanes {
			bq := c0 + l
			if bq >= n || qs[bq].kind != kindCorrected {
				continue
			}
			state := q[(b0+bq)*a.d : (b0+bq+1)*a.d]
			heavyScores[l] = make([]float64, len(heavy[l]))
			for i, mu := range heavy[l] {
				heavyScores[l][i] = a.col.dot64(a.x[int(mu)*a.d:(int(mu)+1)*a.d], state)
			}
		}
	}

	// Energies of the fast and corrected queries, from the scores before they become weights.
	if want.LogMeanExp {
		for l := range lanes {
			bq := c0 + l
			if bq >= n || (qs[bq].kind != kindFast && qs[bq].kind != kindCorrected) {
				continue
			}
			qu := &qs[bq]
			mData := math.Ldexp(float64(qu.mHat), qu.scale)
			var zm1 float64 // Σ_μ expm1(β(s_μ − m)), accurate as β → 0
			hi := 0
			for mu := range a.k {
				var sv float64
				if hi < len(heavy[l]) && int(heavy[l][hi]) == mu {
					sv = heavyScores[l][hi]
					hi++
				} else {
					sv = math.Ldexp(float64(s[mu*rs+l]), qu.scale)
				}
				zm1 += math.Expm1(a.beta * (sv - mData))
			}
			res.LogMeanExp[b0+bq] = mData + math.Log1p(zm1/float64(a.k))/a.beta
		}
	}

	// Weights from the float32 scores.
	var beta, m, floor [lanes]float32
	var sum [lanes]float64
	any := false
	for l := range lanes {
		bq := c0 + l
		floor[l] = float32(math.Inf(1))
		if bq >= n || (qs[bq].kind != kindFast && qs[bq].kind != kindCorrected) {
			continue
		}
		any = true
		qu := &qs[bq]
		beta[l], m[l] = float32(qu.betaS), qu.mHat
		floor[l] = -float32(min(expFloor, T+2*qu.betaS*qu.errBound))
		if a.dense {
			floor[l] = -expFloor
		}
	}
	if !any {
		return nil
	}
	a.col.exp(s, a.k, rs, &beta, &m, &floor, &sum)
	for l := range lanes {
		bq := c0 + l
		if bq >= n {
			continue
		}
		qu := &qs[bq]
		switch qu.kind {
		case kindFast:
			qu.z = sum[l]
		case kindCorrected:
			// The heavy weights from float64 scores, relative to the same mHat: at most e^{βE} ≤ e.
			mData := math.Ldexp(float64(qu.mHat), qu.scale)
			z := sum[l]
			for i, mu := range heavy[l] {
				idx := int(mu)*rs + l
				z -= float64(s[idx])
				w := math.Exp(a.beta * (heavyScores[l][i] - mData))
				s[idx] = float32(w)
				z += float64(s[idx])
			}
			qu.z = z
		default:
			continue
		}
		if want.Weights {
			out := res.Weights[(b0+bq)*a.k : (b0+bq+1)*a.k]
			for mu := range out {
				out[mu] = float32(float64(s[mu*rs+l]) / qu.z)
			}
		}
	}
	return nil
}

// exactLimit is the largest number of kept patterns a query is finished exactly with (float64
// over them) rather than through the products; 0 with Dense.
func (a *Attention) exactLimit() int {
	if a.dense {
		return 0
	}
	return max(16, a.k/32)
}

// weightSpread is ρ = e^{βE}(1 + 2⁻²⁰) − 1: every weight from a float32 score is within a factor
// 1 ± ρ of the exact one (the score within E, the float32 exponential within 2⁻²⁰).
func weightSpread(qu *attnQuery) float64 {
	return math.Expm1(qu.betaS*qu.errBound) + 0x1p-20*math.Exp(qu.betaS*qu.errBound)
}

// heavyThresholds are the candidate cuts h of a corrected query, in units of β(m − s).
var heavyThresholds = [...]float64{0.25, 0.5, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64}

// heavyCuts sets, for every corrected query of a strip, the smallest h such that the patterns
// with β(m − ŝ_μ) > h, left with float32 scores, keep its weights within WeightsError in ℓ1:
// 2ρ(1+ρ)·P ≤ WeightsError, P their share of the total. A query that would need more than half
// of its kept patterns is finished exactly instead.
//
// P is bounded from counts alone: a pattern with β(m − ŝ) in (h_i, h_{i+1}] weighs at most
// e^{−h_i}, one beyond the last threshold at most e^{−64}, and the total is at least 1 (the
// largest weight).
func (a *Attention) heavyCuts(s []float32, rs int, qs []attnQuery, T float64) {
	pending := false
	for l := range qs {
		pending = pending || qs[l].kind == kindCorrected
	}
	if !pending {
		return
	}
	var counts [len(heavyThresholds)][lanes]int32
	for i, h := range heavyThresholds {
		var cut [lanes]float32
		for l := range qs {
			cut[l] = float32(math.Inf(1))
			if qs[l].kind == kindCorrected {
				cut[l] = cutBelow(float64(qs[l].mHat) - h/qs[l].betaS)
			}
		}
		a.col.count(s, a.k, rs, &cut, &counts[i])
	}
	last := len(heavyThresholds) - 1
	for l := range qs {
		qu := &qs[l]
		if qu.kind != kindCorrected {
			continue
		}
		rho := weightSpread(qu)
		within := func(i int) float64 { return float64(min(int(counts[i][l]), qu.kept)) } // kept patterns with β(m − ŝ) ≤ h_i
		qu.kind = kindExact
		for i, h := range heavyThresholds {
			tail := (float64(qu.kept) - within(last)) * math.Exp(-heavyThresholds[last])
			for j := i; j < last; j++ {
				tail += (within(j+1) - within(j)) * math.Exp(-heavyThresholds[j])
			}
			if 2*rho*(1+rho)*tail <= WeightsError {
				if within(i) <= float64(qu.kept)/2 {
					qu.kind, qu.hCut = kindCorrected, h
				}
				break
			}
		}
	}
}

// collectAll returns collect's entries for the strip s, starting with room for hint of them and
// growing the buffer when that was not enough.
func (a *Attention) collectAll(s []float32, rs int, cut *[lanes]float32, hint int) []uint64 {
	room := max(hint, lanes)
	for {
		out := make([]uint64, room)
		if got := a.col.collect(s, a.k, rs, cut, out); got < room {
			return out[:got]
		}
		room *= 2
	}
}

// splitEntries turns collect's entries (row<<16 | lane mask) into one list of rows per lane,
// keeping only the lanes whose cut is finite.
func splitEntries(entries []uint64, cut *[lanes]float32) [lanes][]int32 {
	var out [lanes][]int32
	for _, e := range entries {
		row := int32(e >> 16)
		for mask := e & 0xffff; mask != 0; mask &= mask - 1 {
			l := 0
			for m := mask; m&1 == 0; m >>= 1 {
				l++
			}
			if !math.IsInf(float64(cut[l]), 1) {
				out[l] = append(out[l], row)
			}
		}
	}
	return out
}

// exactQuery finishes query b in float64 over its kept patterns: scores s_μ = x_μ·ξ (exact
// products), weights exp(β(s_μ − max)) / Z, lme and the weighted sum. col is the query's column
// of float32 scores (for the weights of the patterns not kept).
func (a *Attention) exactQuery(cand []int32, col []float32, rs int, qu *attnQuery, state []float32, b int, want Want, res *Result) {
	if len(cand) == 0 { // cannot happen (the maximum is kept); guard against a NaN-free oddity
		cand = []int32{0}
	}
	scores := make([]float64, len(cand))
	for i, mu := range cand {
		scores[i] = a.col.dot64(a.x[int(mu)*a.d:(int(mu)+1)*a.d], state)
	}
	m := slices.Max(scores)
	w := make([]float64, len(cand))
	var z, zm1 float64
	for i, v := range scores {
		t := a.beta * (v - m)
		w[i] = math.Exp(t)
		z += w[i]
		zm1 += math.Expm1(t)
	}
	qu.z = z
	if want.LogMeanExp {
		// lme = m + β⁻¹ log(Z/K), Z/K = 1 + (Σ_kept expm1 − (K − kept))/K: the dropped patterns
		// have exp(β(s−m)) < 2^-27/K, i.e. expm1 ≈ −1.
		res.LogMeanExp[b] = m + math.Log1p((zm1-float64(a.k-len(cand)))/float64(a.k))/a.beta
	}
	if want.Next {
		out := res.Next[b*a.dv : (b+1)*a.dv]
		if len(cand) == 1 { // the usual case at large β: the weight is exactly 1
			copy(out, a.v[int(cand[0])*a.dv:(int(cand[0])+1)*a.dv])
		} else {
			acc := make([]float64, a.dv)
			for i, mu := range cand {
				a.col.axpy64(acc, w[i]/z, a.v[int(mu)*a.dv:(int(mu)+1)*a.dv])
			}
			for j, v := range acc {
				out[j] = clampFloat32(v)
			}
		}
	}
	if want.Weights {
		out := res.Weights[b*a.k : (b+1)*a.k]
		// Patterns not kept: their weight from the float32 score, below 2^-27/K of the largest.
		for mu := range out {
			out[mu] = float32(math.Exp(a.beta*(math.Ldexp(float64(col[mu*rs]), qu.scale)-m)) / z)
		}
		for i, mu := range cand {
			out[mu] = float32(w[i] / z)
		}
	}
}

// cutBelow converts a float64 threshold to the largest float32 at or below it (a lower cut keeps
// a superset: still safe).
func cutBelow(c float64) float32 {
	c32 := float32(c)
	if float64(c32) > c {
		c32 = math.Nextafter32(c32, float32(math.Inf(-1)))
	}
	return c32
}

// clampFloat32 converts to float32, saturating at ±MaxFloat32 instead of overflowing to ±Inf.
func clampFloat32(a float64) float32 {
	return float32(max(-math.MaxFloat32, min(math.MaxFloat32, a)))
}

// grow returns buf resized to n, reallocating only when it is too small.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// extScores fills st (panels of kp rows) from the external product of the scaled queries.
func (a *Attention) extScores(q []float32, b0, b1 int, st []float32, kp int, qs []attnQuery) error {
	n := b1 - b0
	qsc := make([]float32, n*a.d)
	for bq := range n {
		f := math.Ldexp(1, -(qs[bq].scale - a.xExp))
		for j, v := range q[(b0+bq)*a.d : (b0+bq+1)*a.d] {
			qsc[bq*a.d+j] = float32(float64(v) * f)
		}
	}
	s, err := a.ext.Scores(qsc, n)
	if err != nil {
		return err
	}
	if len(s) != n*a.k {
		return fmt.Errorf("engine: the external scores have %d values, want %d", len(s), n*a.k)
	}
	for bq := range n {
		for mu, v := range s[bq*a.k : (bq+1)*a.k] {
			st[((bq/tileCols)*kp+mu)*tileCols+bq%tileCols] = v
		}
	}
	return nil
}

// extWeighted computes the weighted sums of the fast and corrected queries with the external
// product and finishes them.
func (a *Attention) extWeighted(st []float32, kp, b0, n int, qs []attnQuery, res *Result) error {
	w := make([]float32, n*a.k)
	for bq := range n {
		if k := qs[bq].kind; k != kindFast && k != kindCorrected {
			continue
		}
		for mu := range a.k {
			w[bq*a.k+mu] = st[((bq/tileCols)*kp+mu)*tileCols+bq%tileCols]
		}
	}
	o, err := a.ext.Weighted(w, n)
	if err != nil {
		return err
	}
	if len(o) != n*a.dv {
		return fmt.Errorf("engine: the external weighted sums have %d values, want %d", len(o), n*a.dv)
	}
	for bq := range n {
		qu := &qs[bq]
		if qu.kind != kindFast && qu.kind != kindCorrected {
			continue
		}
		out := res.Next[(b0+bq)*a.dv : (b0+bq+1)*a.dv]
		f := math.Ldexp(1, a.vExp) / qu.z
		for j := range out {
			out[j] = clampFloat32(float64(o[bq*a.dv+j]) * f)
		}
	}
	return nil
}
