package hopfieldlib

import (
	"math"
	"slices"
)

// The continuous update, step by step (see the Continuous doc comment for the why):
//
//  1. states are taken in blocks of rows so that a block's scores fit in ~64 MB;
//  2. each state row ξ is scaled by a power of two 2^-e_b (exact) so that max|ξ'| ∈ [0.5, 1),
//     and X by 2^-xExp when its values are extreme: the float32 scores s' = X'ξ' then neither
//     overflow nor underflow, and s = s'·2^(xExp+e_b);
//  3. the scores of the block come from contScoreKernel or a GoMLX graph (contScores);
//  4. each row keeps the patterns whose weight can matter in float32 (contRow), and either finishes
//     exactly in float64 over them (few) or hands its float32 weights to the GoMLX product (many).

// contWant says what evaluate should compute.
type contWant struct {
	next    bool // the updated states Vᵀ softmax(β X ξ)
	energy  bool // the energies
	weights bool // the softmax weights
}

// contResult holds what evaluate computed, one row per state.
type contResult struct {
	next    *Patterns
	energy  []float64
	weights *Patterns
}

// contScratch holds the buffers of one block, reused across calls through Continuous.scratch.
type contScratch struct {
	q []float32 // scaled states, rows of xStride
	s []float32 // float32 scores, rows of sStride
}

// Pruning constants. A pattern is dropped when β(m − s_μ) > log K + pruneBits·log 2 (m the largest
// score): the dropped weights then sum to at most K·e^{-log K - 27 log 2} = 2^-27 of the total.
const (
	pruneBits = 27
	// unitRoundoff is float32's u = 2^-24.
	unitRoundoff = 0x1p-24
	// heavyLimit is the number of heaviest patterns whose scores the dense path recomputes in
	// float64 even when there are more than the sparse limit.
	heavyLimit = 1024
	// scoreBlockFloats bounds a block's score buffer (16 Mi float32 = 64 MB).
	scoreBlockFloats = 16 << 20
)

// evaluate runs steps 1-4 above on every row of states (already validated).
func (c *Continuous) evaluate(states *Patterns, want contWant) (*contResult, error) {
	nb, k := states.Len(), c.Len()
	res := &contResult{}
	if want.next {
		res.next = &Patterns{rows: nb, cols: c.values.Dim(), data: make([]float32, nb*c.values.Dim())}
	}
	if want.energy {
		res.energy = make([]float64, nb)
	}
	if want.weights {
		res.weights = &Patterns{rows: nb, cols: k, data: make([]float32, nb*k)}
	}
	sStride := c.scoreStride()
	maxRows := max(3, scoreBlockFloats/sStride)
	blocks := (nb + maxRows - 1) / maxRows
	rows := (nb + blocks - 1) / blocks
	for b0 := 0; b0 < nb; b0 += rows {
		if err := c.evaluateBlock(states, b0, min(b0+rows, nb), want, res); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// scoreStride is the row length of a score buffer: K, or K rounded up to whole kernel quads.
func (c *Continuous) scoreStride() int {
	if c.kernel {
		return (c.Len() + 3) &^ 3
	}
	return c.Len()
}

// contBlock describes one block of states being evaluated.
type contBlock struct {
	states   *Patterns
	b0, rows int
	exps     []int     // e_b: state row r was scaled by 2^-exps[r]
	norms    []float64 // ‖ξ'_r‖ (scaled)
	terms    int       // number of products summed per score (for the rounding bound)
	s        []float32 // scores, row r at s[r*sStride:]
	sStride  int
	denseW   [][]float32 // rows that need the GoMLX product: their float32 weights (nil otherwise)
}

func (c *Continuous) evaluateBlock(states *Patterns, b0, b1 int, want contWant, res *contResult) error {
	rows := b1 - b0
	padded := c.paddedRows(rows)
	stride := c.xStride
	sStride := c.scoreStride()
	sc, _ := c.scratch.Get().(*contScratch)
	if sc == nil {
		sc = &contScratch{}
	}
	defer c.scratch.Put(sc)
	sc.q = grow(sc.q, padded*stride)
	clear(sc.q)
	blk := &contBlock{
		states: states, b0: b0, rows: rows,
		exps: make([]int, rows), norms: make([]float64, rows), denseW: make([][]float32, rows),
		sStride: sStride,
	}
	// Scale each state by 2^-e (a multiplication by a power of two: exact, and cheaper than
	// Ldexp) and find the span [lo, hi) of columns where some state is non-zero.
	los, his := make([]int, rows), make([]int, rows)
	parallelFor(rows, func(r int) {
		row := states.Row(b0 + r)
		var m float32
		for _, a := range row {
			if abs := math.Float32frombits(math.Float32bits(a) &^ (1 << 31)); abs > m {
				m = abs
			}
		}
		e := pow2Exponent(float64(m))
		blk.exps[r] = e
		f := math.Ldexp(1, -e)
		dst := sc.q[r*stride : r*stride+len(row)]
		var sq float64
		for j, a := range row {
			v := float32(float64(a) * f)
			dst[j] = v
			sq += float64(v) * float64(v)
		}
		blk.norms[r] = math.Sqrt(sq)
		lo, hi := 0, len(row)
		for lo < hi && row[lo] == 0 {
			lo++
		}
		for hi > lo && row[hi-1] == 0 {
			hi--
		}
		if lo == hi {
			lo, hi = len(row), 0 // an all-zero state spans nothing
		}
		los[r], his[r] = lo, hi
	})
	lo, hi := slices.Min(los), slices.Max(his)
	if hi <= lo {
		lo, hi = 0, 0
	}
	var err error
	if c.kernel {
		lo, hi = lo&^7, min((hi+7)&^7, stride)
		blk.terms = hi - lo
		sc.s = grow(sc.s, padded*sStride)
		c.kernelScores(sc.q, padded, lo, hi, sc.s, sStride)
		blk.s = sc.s
		c.finishRows(blk, want, res)
	} else {
		blk.terms = c.Dim()
		err = c.graphScores(sc.q, padded, func(s []float32) {
			blk.s = s
			c.finishRows(blk, want, res)
		})
	}
	if err != nil {
		return err
	}
	return c.denseProduct(blk, res)
}

// paddedRows is the number of rows a block of rows states is computed with: a multiple of 3 for
// the kernel; a power of two for the graph, so that few shapes get compiled.
func (c *Continuous) paddedRows(rows int) int {
	if c.kernel {
		return (rows + 2) / 3 * 3
	}
	p := 1
	for p < rows {
		p <<= 1
	}
	return p
}

// grow returns buf resized to n, reallocating only when it is too small.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// finishRows runs contRow on every row of the block, in parallel.
func (c *Continuous) finishRows(blk *contBlock, want contWant, res *contResult) {
	parallelFor(blk.rows, func(r int) { c.contRow(blk, r, want, res) })
}

// contRow finishes state row r of a block from its float32 scores: it selects the patterns that
// can matter, and computes the energy, the weights and the update exactly over them, or, when
// there are many, prepares the float32 weights for the dense product.
func (c *Continuous) contRow(blk *contBlock, r int, want contWant, res *contResult) {
	k := c.Len()
	b := blk.b0 + r
	s := blk.s[r*blk.sStride : r*blk.sStride+k]
	scale := c.xExp + blk.exps[r]
	betaEff := math.Ldexp(c.beta, scale) // β in the units of the scaled scores s'
	// Rounding bound of a float32 score (Higham's γ_n for n products): |s' − fl(s')| ≤ γ_n ‖x'‖‖ξ'‖.
	n := float64(max(blk.terms, 1))
	errBound := n * unitRoundoff / (1 - n*unitRoundoff) * c.xsNorm * blk.norms[r]
	m := scoresMax(s)
	// Keep μ when β(m − s'_μ) ≤ T + 2β·errBound: then every dropped pattern has β(m* − s_μ) > T
	// in exact arithmetic, m* the true maximum.
	T := math.Log(float64(k)) + pruneBits*math.Ln2
	cut := float64(m) - (T/betaEff + 2*errBound)
	limit := c.sparseLimit()
	var cand []int32
	sparse := limit > 0
	if sparse {
		// A float32 cut at or below the float64 one keeps a superset: still safe.
		cut32 := float32(cut)
		if float64(cut32) > cut {
			cut32 = math.Nextafter32(cut32, float32(math.Inf(-1)))
		}
		cand, sparse = scoresAbove(make([]int32, 0, 8), s, cut32, limit)
	}
	state := blk.states.Row(b)
	if sparse {
		c.sparseRow(cand, s, scale, state, b, want, res)
		return
	}
	c.denseRow(blk, r, s, scale, state, want, res)
}

// sparseLimit is the largest number of kept patterns finished exactly in float64; above it the
// GoMLX product is cheaper. 0 means always dense (ContinuousConfig.Dense).
func (c *Continuous) sparseLimit() int {
	if c.dense {
		return 0
	}
	return max(16, c.Len()/16)
}

// sparseRow finishes a row exactly over the kept patterns cand: float64 scores s_μ = x_μ·ξ, weights
// w_μ = exp(β(s_μ − max)) / Z, energy and the update Σ w_μ v_μ.
func (c *Continuous) sparseRow(cand []int32, s32 []float32, scale int, state []float32, b int, want contWant, res *contResult) {
	k := c.Len()
	scores := make([]float64, len(cand))
	for i, mu := range cand {
		x := c.stored.Row(int(mu))
		var dot float64
		for j, a := range state {
			dot += float64(x[j]) * float64(a)
		}
		scores[i] = dot
	}
	m := slices.Max(scores)
	w := make([]float64, len(cand))
	var z, zm1 float64 // Z = Σ_kept exp(β(s−m)); zm1 = Σ_kept expm1(β(s−m)), accurate when β is small
	for i, v := range scores {
		t := c.beta * (v - m)
		w[i] = math.Exp(t)
		z += w[i]
		zm1 += math.Expm1(t)
	}
	if want.energy {
		// −lse + β⁻¹ log K = −m − β⁻¹ log(Z/K), and Z/K = 1 + (Σ_kept expm1 − (K − kept))/K: the
		// dropped patterns have exp(β(s−m)) < 2^-27/K, i.e. expm1 ≈ −1.
		ratioM1 := (zm1 - float64(k-len(cand))) / float64(k)
		res.energy[b] = -m - math.Log1p(ratioM1)/c.beta + c.halfNormsq(state) + 0.5*c.maxNorm*c.maxNorm
	}
	if want.next {
		dv := c.values.Dim()
		out := res.next.Row(b)
		if len(cand) == 1 { // the usual case at large β: the weight is exactly 1
			copy(out, c.values.Row(int(cand[0])))
		} else {
			for j := range dv {
				var a float64
				for i, mu := range cand {
					a += w[i] * float64(c.values.data[int(mu)*dv+j])
				}
				out[j] = clampFloat32(a / z)
			}
		}
	}
	if want.weights {
		out := res.weights.Row(b)
		// Patterns not kept: their weight from the float32 score, below 2^-27/K of the largest.
		for mu, v := range s32 {
			out[mu] = float32(math.Exp(c.beta*(math.Ldexp(float64(v), scale)-m)) / z)
		}
		for i, mu := range cand {
			out[mu] = float32(w[i] / z)
		}
	}
}

// denseRow finishes a row over all K patterns: weights in float64 from the max-shifted
// exponentials, the energy, and (for the update) the weights kept for the GoMLX product. Outside
// Dense mode the heaviest patterns (weight ≥ 2^-10 of the largest), up to heavyLimit, get exact
// float64 scores first: their weights dominate the result, and β amplifies the rounding of a
// float32 score. The light weights keep their float32 scores: their total error is β times that
// rounding times their (small) share.
func (c *Continuous) denseRow(blk *contBlock, r int, s []float32, scale int, state []float32, want contWant, res *contResult) {
	k := c.Len()
	b := blk.b0 + r
	sc := make([]float64, k) // scores in the units of the data
	m := math.Inf(-1)
	for mu, v := range s {
		sc[mu] = math.Ldexp(float64(v), scale)
		m = max(m, sc[mu])
	}
	if !c.dense {
		heavy := make([]int32, 0, 16)
		cut := m - 10*math.Ln2/c.beta
		for mu, v := range sc {
			if v >= cut {
				heavy = append(heavy, int32(mu))
			}
		}
		// Up to heavyLimit exact scores cost at most ~1 ms; beyond, the rounding errors of many
		// comparable weights average out.
		if len(heavy) <= max(c.sparseLimit(), heavyLimit) {
			for _, mu := range heavy {
				x := c.stored.Row(int(mu))
				var dot float64
				for j, a := range state {
					dot += float64(x[j]) * float64(a)
				}
				sc[mu] = dot
			}
			m = math.Inf(-1) // the exact maximum is among the heavy patterns
			for _, v := range sc {
				m = max(m, v)
			}
		}
	}
	var z, zm1 float64
	if want.energy {
		for _, v := range sc {
			zm1 += math.Expm1(c.beta * (v - m))
		}
	}
	p := sc // the scores are not needed any more: p_μ = exp(β(s_μ − m)) in place
	for mu, v := range sc {
		p[mu] = math.Exp(c.beta * (v - m))
		z += p[mu]
	}
	if want.energy {
		res.energy[b] = -m - math.Log1p(zm1/float64(k))/c.beta + c.halfNormsq(state) + 0.5*c.maxNorm*c.maxNorm
	}
	if want.weights {
		out := res.weights.Row(b)
		for mu := range out {
			out[mu] = float32(p[mu] / z)
		}
	}
	if want.next {
		w := make([]float32, k)
		for mu := range w {
			w[mu] = float32(p[mu] / z)
		}
		blk.denseW[r] = w
	}
}

// halfNormsq is ½ξᵀξ in float64.
func (c *Continuous) halfNormsq(state []float32) float64 {
	var sq float64
	for _, a := range state {
		sq += float64(a) * float64(a)
	}
	return 0.5 * sq
}

// clampFloat32 converts to float32, saturating at ±MaxFloat32 instead of overflowing to ±Inf
// (possible only by rounding, for values within an ulp of the largest float32).
func clampFloat32(a float64) float32 {
	return float32(max(-math.MaxFloat32, min(math.MaxFloat32, a)))
}
