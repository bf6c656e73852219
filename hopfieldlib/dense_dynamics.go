package hopfieldlib

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
)

// Step applies one update to every row of states (±1 spins) and returns the new states:
//
//   - Async (needs opts.Rand): one sweep over all N units in a fresh random order, each unit
//     flipped iff the flip lowers the energy (ties keep it); later units see earlier flips;
//   - Sync: every unit decides from the same state, then all the flips happen at once.
//
// See [Dense] for how a decision is made (O(K), exact) and [Dense.Recall] for the options.
func (d *Dense) Step(states *Patterns, opts RecallOptions) (*Patterns, error) {
	if err := d.checkRun("Step", "states", states, opts); err != nil {
		return nil, err
	}
	out := states.Clone()
	d.run(out, opts, denseRunPlan{maxSteps: 1, stepOnly: true})
	return out, nil
}

// Recall runs the dynamics from every probe (±1 spins) until it reaches a fixed point or
// opts.MaxSteps steps (default DefaultMaxSteps), and reports per probe the final state, the
// number of steps that changed it and whether it converged.
//
// Async (the rule of Krotov & Hopfield and of Demircigil et al.): sweeps over all units in a
// fresh random order per sweep, drawn from the probe's own stream (so results depend only on
// opts.Rand's seed, not on the number of cores); recall stops when a whole sweep flips nothing.
// The energy never increases. Sync: all units decide from the same state each step; a probe
// stops at a fixed point, or at a two-cycle (the state of two steps before comes back), which
// is reported as not converged. If MaxSteps runs out, Converged says whether the last state
// happens to be a fixed point.
//
// Probes run in parallel. Each keeps its overlaps m = Xσ (computed at the start by XOR and
// popcount over bit-packed spins, exact) and updates them in O(K) per flip. RecordEnergy records
// [Dense.Energy] after
// every step; RecordTrajectory the states, and with Async and TrajectoryStride > 0 a snapshot
// every TrajectoryStride unit updates (the last snapshot is always the final state).
func (d *Dense) Recall(probes *Patterns, opts RecallOptions) (*RecallResult, error) {
	if err := d.checkRun("Recall", "probes", probes, opts); err != nil {
		return nil, err
	}
	maxSteps, _ := opts.maxSteps()
	states := probes.Clone()
	plan := denseRunPlan{
		maxSteps:     maxSteps,
		recordEnergy: opts.RecordEnergy,
		recordTraj:   opts.RecordTrajectory,
		stride:       opts.TrajectoryStride,
	}
	traces := d.run(states, opts, plan)
	res := &RecallResult{States: states, Steps: make([]int, len(traces)), Converged: make([]bool, len(traces))}
	longestE, longestT := 0, 0
	for p, tr := range traces {
		res.Steps[p], res.Converged[p] = tr.steps, tr.converged
		longestE = max(longestE, len(tr.energies))
		longestT = max(longestT, len(tr.snaps))
	}
	if opts.RecordEnergy {
		res.Energies = make([][]float64, len(traces))
		for p, tr := range traces {
			row := make([]float64, longestE)
			copy(row, tr.energies)
			for t := len(tr.energies); t < longestE; t++ {
				row[t] = tr.energies[len(tr.energies)-1]
			}
			res.Energies[p] = row
		}
	}
	if opts.RecordTrajectory {
		res.Trajectory = make([]*Patterns, 0, longestT+1)
		res.Trajectory = append(res.Trajectory, probes.Clone())
		for t := range longestT {
			frame := &Patterns{rows: probes.Len(), cols: d.n, data: make([]float32, 0, probes.Len()*d.n)}
			for p, tr := range traces {
				switch {
				case t < len(tr.snaps):
					frame.data = append(frame.data, tr.snaps[t]...)
				case len(tr.snaps) > 0:
					frame.data = append(frame.data, tr.snaps[len(tr.snaps)-1]...)
				default:
					frame.data = append(frame.data, probes.Row(p)...)
				}
			}
			res.Trajectory = append(res.Trajectory, frame)
		}
	}
	return res, nil
}

// checkRun validates the options and the states of Step or Recall.
func (d *Dense) checkRun(method, what string, states *Patterns, opts RecallOptions) error {
	if err := opts.checkDiscrete(); err != nil {
		return fmt.Errorf("Dense.%s: %w", method, err)
	}
	if err := checkProbes(what, states, d.n, true); err != nil {
		return fmt.Errorf("Dense.%s: %w", method, err)
	}
	return nil
}

// denseRunPlan says how far the dynamics run and what they record.
type denseRunPlan struct {
	maxSteps     int
	stepOnly     bool // Step: one update, no convergence check
	recordEnergy bool
	recordTraj   bool
	stride       int // Async: unit updates between snapshots; 0: one per sweep
}

// denseTrace is what the dynamics report for one probe.
type denseTrace struct {
	steps     int
	converged bool
	energies  []float64   // after 0, 1, …, steps steps
	snaps     [][]float32 // states after each step, or every stride unit updates
}

// run runs the dynamics in place on the rows of states, in parallel over probes. Each probe
// starts from its exact overlaps by XOR and popcount over the bit-packed patterns (see
// Dense.bitOverlaps): at N = 784, K = 1000, B = 100 that costs ≈ 1 ms of CPU, where the pure-Go
// backend's matmul took ≈ 10 ms (measured here), a third of the sweep itself.
func (d *Dense) run(states *Patterns, opts RecallOptions, plan denseRunPlan) []denseTrace {
	b, kp := states.Len(), d.kp
	var rands []*rand.Rand
	if opts.Dynamics == Async {
		rands = probeRands(opts.Rand, b)
	}
	traces := make([]denseTrace, b)
	parallelFor(b, func(p int) {
		pr, _ := d.probes.Get().(*denseProbe)
		if pr == nil {
			pr = &denseProbe{d: d, m: make([]float32, kp), g: make([]float32, kp), order: make([]int32, d.n)}
		}
		defer d.probes.Put(pr)
		pr.s = states.Row(p)
		d.bitOverlaps(pr.s, pr.m)
		pr.reset()
		if opts.Dynamics == Async {
			traces[p] = pr.runAsync(rands[p], plan)
		} else {
			traces[p] = pr.runSync(plan)
		}
	})
	return traces
}

// denseProbe is the state of the dynamics for one probe: the spins, their exact overlaps with
// every pattern and the scaled gains the flip decisions read.
type denseProbe struct {
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
func (p *denseProbe) reset() {
	switch d := p.d; {
	case d.f.IsExponential():
		p.refreshExp()
	case d.tab.polyFast:
		p.polyUpdate(nil, 0)
	default:
		p.recomputePoly()
	}
}

// polyUpdate adds a·x to the overlaps (x nil: none) and evaluates the gains in float32
// (tab.polyFast only).
func (p *denseProbe) polyUpdate(x []float32, a float32) {
	d := p.d
	rect := d.f.kind == sepRectified
	if d.portable {
		p.dsum, p.pabs = densePolyUpdateScalar(p.m, p.g, x, a, d.k, d.f.degree, rect)
		return
	}
	p.dsum, p.pabs = densePolyUpdate(p.m, p.g, x, a, d.k, d.f.degree, rect)
}

// refreshExp sets w_μ = e^(β(m_μ − m_max)) from the table, rounded to multiples of 2⁻⁸⁰ (see
// denseFlushSnap: weights below become 0, and the reweighs that follow never reach float32's
// subnormal range).
//
// Only patterns within tab.gapCut of the largest overlap can have a weight above 0. When they
// are at most K/8 (a probe near one stored pattern, as in recall), they are listed in p.act and
// the decisions and reweighs visit only them; the other weights are exactly 0 either way.
func (p *denseProbe) refreshExp() {
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
func (p *denseProbe) recomputePoly() {
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
func (p *denseProbe) row(i int) []float32 {
	kp := p.d.kp
	return p.d.xt[i*kp : (i+1)*kp : (i+1)*kp]
}

// disagree returns Σ_μ (1 − s·x_μ)·g_μ with the SIMD or the portable kernel.
func (p *denseProbe) disagree(x []float32, s float32) float32 {
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
func (p *denseProbe) decide(i int) bool {
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
	if d.f.IsExponential() {
		rho := d.tab.rho
		margin = dis + rho*p.wsum
		bound = (float64(d.k+64)*0x1p-22+float64(3*p.since)*0x1p-24)*(dis-rho*p.wsum) + kf*0x1p-38
	} else if d.tab.polyFast {
		// Each F value carries ≤ (n+1) roundings, each g and d one more: ≤ (n+2)·2⁻²⁴ of
		// |F(m+2)| + 2|F(m−2)| + |F(m)| per pattern, plus the summation.
		margin = dis + p.dsum
		bound = (float64(d.f.degree+2)*0x1p-24 + float64(d.k+64)*0x1p-22) * p.pabs
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
func (p *denseProbe) decideExact(i int, x []float32, si float32) bool {
	d, t := p.d, &p.d.tab
	m := p.m[:d.k]
	x = x[:d.k]
	rel := float64(d.k+64) * 0x1p-50
	if d.f.IsExponential() {
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
func (p *denseProbe) decideInteger(x []float32, si float32) bool {
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
func (p *denseProbe) decideLog(x []float32, si float32, ref int) bool {
	d := p.d
	beta := d.f.beta
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
func (p *denseProbe) flip(i int) {
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
	if !d.f.IsExponential() {
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
func (p *denseProbe) sweep(order []int32) int {
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
func (p *denseProbe) stable() bool {
	for i := range p.s {
		if p.decide(i) {
			return false
		}
	}
	return true
}

// energy returns the value Energy reports for the current state, from the overlaps.
func (p *denseProbe) energy() float64 { return energyValue(p.d.scaledSum(p.m)) }

// runAsync runs asynchronous sweeps.
func (p *denseProbe) runAsync(r *rand.Rand, plan denseRunPlan) denseTrace {
	order := p.order
	if len(order) != len(p.s) {
		order = make([]int32, len(p.s))
	}
	for i := range order {
		order[i] = int32(i)
	}
	var tr denseTrace
	if plan.recordEnergy {
		tr.energies = append(tr.energies, p.energy())
	}
	strided := plan.recordTraj && plan.stride > 0
	updates := 0
	for range plan.maxSteps {
		for i := len(order) - 1; i > 0; i-- { // Fisher-Yates
			j := r.IntN(i + 1)
			order[i], order[j] = order[j], order[i]
		}
		flips := 0
		kept := len(tr.snaps)
		if strided {
			for pos := 0; pos < len(order); {
				chunk := min(len(order)-pos, plan.stride-updates%plan.stride)
				flips += p.sweep(order[pos : pos+chunk])
				pos += chunk
				updates += chunk
				if updates%plan.stride == 0 {
					tr.snaps = append(tr.snaps, slices.Clone(p.s))
				}
			}
		} else {
			flips = p.sweep(order)
		}
		if flips == 0 {
			tr.converged = true
			tr.snaps = tr.snaps[:kept] // a sweep that changed nothing adds no frames
			break
		}
		tr.steps++
		if plan.recordEnergy {
			tr.energies = append(tr.energies, p.energy())
		}
		if plan.recordTraj && !strided {
			tr.snaps = append(tr.snaps, slices.Clone(p.s))
		}
	}
	if plan.stepOnly {
		return tr
	}
	if !tr.converged {
		tr.converged = p.stable()
	}
	if strided && (len(tr.snaps) == 0 || !slices.Equal(tr.snaps[len(tr.snaps)-1], p.s)) {
		tr.snaps = append(tr.snaps, slices.Clone(p.s))
	}
	return tr
}

// runSync runs synchronous steps: all units decide from the same state, then flip together.
//
// The N decisions are the same O(K) kernel calls as in an asynchronous sweep, without the
// updates in between. A GoMLX graph could form the masked sums of all units at once as
// matmuls [B,K]·[K,N], but one such product (half of what the decisions need) took as much CPU
// here as the whole loop (≈ 11 ms for B = 100, K = 1000, N = 784, measured), and the loop keeps
// the exact fallbacks at hand.
func (p *denseProbe) runSync(plan denseRunPlan) denseTrace {
	var tr denseTrace
	if plan.recordEnergy {
		tr.energies = append(tr.energies, p.energy())
	}
	var prev []float32 // the state two steps back, for two-cycle detection
	flips := make([]int, 0, len(p.s))
	for range plan.maxSteps {
		flips = flips[:0]
		for i := range p.s {
			if p.decide(i) {
				flips = append(flips, i)
			}
		}
		if len(flips) == 0 {
			tr.converged = true
			break
		}
		before := slices.Clone(p.s)
		for _, i := range flips {
			s := -p.s[i]
			p.s[i] = s
			denseAddScaledScalar(p.m, p.row(i), 2*s)
		}
		p.reset()
		tr.steps++
		if plan.recordEnergy {
			tr.energies = append(tr.energies, p.energy())
		}
		if plan.recordTraj {
			tr.snaps = append(tr.snaps, slices.Clone(p.s))
		}
		if prev != nil && slices.Equal(prev, p.s) {
			break // a two-cycle: not converged
		}
		prev = before
	}
	if !plan.stepOnly && !tr.converged && tr.steps == plan.maxSteps {
		tr.converged = p.stable()
	}
	return tr
}
