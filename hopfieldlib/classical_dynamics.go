package hopfieldlib

import (
	"fmt"
	"math"
	"math/bits"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// Step applies one update to every row of states and returns the new states:
//
//   - Async (needs opts.Rand): one sweep over all N units in a fresh random order, each unit set
//     to sign(h_i) with the fields of the current state (Hopfield 1982);
//   - Sync: every unit at once, s ← sign(Ws − θ), as one GoMLX graph (Little 1974).
//
// A zero field keeps the unit's state. States must be ±1 with N units each.
func (c *Classical) Step(states *Patterns, opts RecallOptions) (*Patterns, error) {
	if err := c.checkRun("Step", "states", states, opts); err != nil {
		return nil, err
	}
	if opts.Dynamics == Sync {
		data, err := c.runGraph(c.syncExec, states, c.memTensor, c.sthetaTensor)
		if err != nil {
			return nil, err
		}
		return &Patterns{rows: states.Len(), cols: c.n, data: data}, nil
	}
	out := states.Clone()
	if _, err := c.runAsync(out, opts, asyncPlan{maxSteps: 1, stepOnly: true}); err != nil {
		return nil, err
	}
	return out, nil
}

// Recall runs the dynamics from every probe until it reaches a fixed point or opts.MaxSteps
// steps (default DefaultMaxSteps), and reports, per probe, the final state, the number of steps
// that changed it and whether it converged. Probes must be ±1 with N units each.
//
// Async: sweeps over all units in a fresh random order per sweep, drawn from the probe's own
// stream (so results depend on opts.Rand's seed only, not on the number of cores); recall stops
// when a whole sweep flips nothing. The energy never increases. Each sweep is a tight loop over
// flat data, probes in parallel. The Hebbian network with few patterns (K ≤ N/10) keeps the
// overlaps m = Xσ in exact integer arithmetic (check a unit in O(K):
// N·h_i = Σ_μ ξ_i^μ m_μ − K σ_i − Nθ_i; flip in O(K)); otherwise it keeps the local fields
// h = Wσ − θ in float32 (check O(1), flip O(N)), starting from one batched graph for all probes.
//
// Sync: every unit at once, one graph per step for the whole batch. A probe stops at a fixed point
// (converged) or when it returns to the state it had two steps before: a two-cycle, which
// synchronous dynamics can reach and asynchronous ones cannot. A two-cycle is reported as
// Converged false with Steps counting the updates up to its detection.
//
// If MaxSteps runs out, Converged says whether the last state happens to be a fixed point.
// RecordEnergy, RecordTrajectory and TrajectoryStride (Async only: a snapshot every
// TrajectoryStride unit updates, for animations; the last snapshot is always the final state)
// work as documented in [RecallOptions].
func (c *Classical) Recall(probes *Patterns, opts RecallOptions) (*RecallResult, error) {
	if err := c.checkRun("Recall", "probes", probes, opts); err != nil {
		return nil, err
	}
	maxSteps, _ := opts.maxSteps()
	if opts.Dynamics == Sync {
		return c.recallSync(probes, maxSteps, opts)
	}
	states := probes.Clone()
	plan := asyncPlan{
		maxSteps:     maxSteps,
		recordEnergy: opts.RecordEnergy,
		recordTraj:   opts.RecordTrajectory,
		stride:       opts.TrajectoryStride,
	}
	traces, err := c.runAsync(states, opts, plan)
	if err != nil {
		return nil, err
	}
	res := &RecallResult{States: states, Steps: make([]int, len(traces)), Converged: make([]bool, len(traces))}
	for p, tr := range traces {
		res.Steps[p], res.Converged[p] = tr.steps, tr.converged
	}
	if opts.RecordEnergy {
		res.Energies = padEnergies(traces)
	}
	if opts.RecordTrajectory {
		res.Trajectory = c.assembleTrajectory(probes, traces)
	}
	return res, nil
}

// checkRun validates the options and the states of Step or Recall.
func (c *Classical) checkRun(method, what string, states *Patterns, opts RecallOptions) error {
	if err := opts.checkDiscrete(); err != nil {
		return fmt.Errorf("Classical.%s: %w", method, err)
	}
	if states != nil && states.Len() > 0 && states.Dim() == c.n && allSpins(states.Flat()) {
		return nil // the common case, checked fast; otherwise checkProbes says what is wrong
	}
	if err := checkProbes(what, states, c.n, true); err != nil {
		return fmt.Errorf("Classical.%s: %w", method, err)
	}
	return nil
}

// allSpins reports whether every value is -1 or +1, branch-free on the bit patterns: ±1 are
// 0x3f800000 with or without the sign bit.
func allSpins(data []float32) bool {
	var acc uint32
	for _, v := range data {
		acc |= (math.Float32bits(v) &^ (1 << 31)) ^ 0x3f800000
	}
	return acc == 0
}

// asyncPlan says how far asynchronous dynamics run and what they record.
type asyncPlan struct {
	maxSteps     int
	stepOnly     bool // Step: one sweep, no convergence check
	recordEnergy bool
	recordTraj   bool
	stride       int // unit updates between snapshots; 0: one per sweep
}

// probeTrace is what asynchronous dynamics report for one probe.
type probeTrace struct {
	steps     int
	converged bool
	energies  []float64   // after 0, 1, …, steps sweeps
	snaps     [][]float32 // states after each sweep, or every stride unit updates
}

// runAsync runs asynchronous dynamics in place on the rows of states, in parallel over probes.
func (c *Classical) runAsync(states *Patterns, opts RecallOptions, plan asyncPlan) ([]probeTrace, error) {
	b, n := states.Len(), c.n
	gens := probePCGs(opts.Rand, b)
	// Starting scaled fields [B, N] for the whole batch as one graph (O(N²) per probe, or O(NK)
	// for Hebbian). The overlaps, O(NK) per probe with K ≤ N/10, are cheaper to compute in the
	// probe's own loop than to send through a graph execution.
	var aux []float32
	if c.overlaps == nil {
		var err error
		if aux, err = c.runGraph(c.fieldsExec, states, c.memTensor, c.sthetaTensor); err != nil {
			return nil, err
		}
	}
	traces := make([]probeTrace, b)
	// Scratch memory per worker, not per probe: a recall of 10,000 probes needs no more of it
	// than one of 2.
	parallelProbes(b, func() func(p int) {
		order := make([]int32, n)
		var ov *engine.OverlapProbe
		if c.overlaps != nil {
			ov = c.overlaps.NewProbe()
		}
		return func(p int) {
			ps := probeState{c: c, s: states.Row(p), ov: ov}
			if ov != nil {
				ov.Load(ps.s)
			} else {
				ps.h = aux[p*n : (p+1)*n]
			}
			traces[p] = ps.run(order, gens[p], plan)
			if ov != nil {
				ov.Store(ps.s)
			}
		}
	})
	return traces, nil
}

// parallelProbes runs every probe p in [0, n) on GOMAXPROCS goroutines that take the next probe
// as they finish one: probes differ in cost (one sweep or several) and a core may be busy with
// other work, so fixed blocks would leave one goroutine waiting for the other. Each goroutine
// calls newWorker once and then the function it returns for each of its probes, so scratch
// memory can be allocated per goroutine.
func parallelProbes(n int, newWorker func() func(p int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		fn := newWorker()
		for p := range n {
			fn(p)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			fn := newWorker()
			for p := int(next.Add(1) - 1); p < n; p = int(next.Add(1) - 1) {
				fn(p)
			}
		})
	}
	wg.Wait()
}

// probePCGs draws one generator per probe from r, in probe order: the same streams as
// probeRands, used directly so that shuffling does not go through the rand.Source interface.
func probePCGs(r *rand.Rand, probes int) []*rand.PCG {
	out := make([]*rand.PCG, probes)
	for i := range out {
		out[i] = rand.NewPCG(r.Uint64(), r.Uint64())
	}
	return out
}

// probeState is one probe's asynchronous dynamics: with overlaps (Hebbian), the engine's state
// (spins and overlaps); with fields, the state s (the output row) and the scaled fields h.
type probeState struct {
	c  *Classical
	s  []float32 // the probe's row of the result; with overlaps, written back at the end
	h  []float32
	ov *engine.OverlapProbe
}

// run sweeps until a fixed point or the step limit and reports what the plan asks for.
//
// Before each sweep, a check (no random numbers; it stops at the first unit whose field opposes
// it) tells whether the state is already fixed. If it is not, some unit is unstable and the sweep
// is certain to flip at least one unit; if it is, no sweep is needed, and the random order that
// would have changed nothing is not drawn.
func (ps *probeState) run(order []int32, gen *rand.PCG, plan asyncPlan) probeTrace {
	for i := range order {
		order[i] = int32(i)
	}
	var tr probeTrace
	if plan.recordEnergy {
		tr.energies = append(tr.energies, ps.energy())
	}
	strided := plan.recordTraj && plan.stride > 0
	updates := 0 // unit updates so far, for strided snapshots
	for tr.steps < plan.maxSteps {
		if !plan.stepOnly && ps.stable() {
			tr.converged = true
			break
		}
		shuffle(order, gen)
		flips := 0
		if strided {
			for pos := 0; pos < len(order); {
				chunk := min(len(order)-pos, plan.stride-updates%plan.stride)
				flips += ps.sweep(order[pos : pos+chunk])
				pos += chunk
				updates += chunk
				if updates%plan.stride == 0 {
					tr.snaps = append(tr.snaps, ps.snapshot())
				}
			}
		} else {
			flips = ps.sweep(order)
		}
		if flips == 0 { // only with stepOnly: the state was already fixed
			tr.converged = true
			break
		}
		tr.steps++
		if plan.recordEnergy {
			tr.energies = append(tr.energies, ps.energy())
		}
		if plan.recordTraj && !strided {
			tr.snaps = append(tr.snaps, ps.snapshot())
		}
	}
	if plan.stepOnly {
		return tr
	}
	if !tr.converged {
		tr.converged = ps.stable()
	}
	if strided {
		if last := ps.snapshot(); len(tr.snaps) == 0 || !slices.Equal(tr.snaps[len(tr.snaps)-1], last) {
			tr.snaps = append(tr.snaps, last)
		}
	}
	return tr
}

// sweep updates the units in the given order and returns how many flipped.
func (ps *probeState) sweep(order []int32) int {
	if ps.ov != nil {
		return ps.ov.Sweep(order)
	}
	return engine.SweepFields(ps.s, ps.h, ps.c.wn, order, ps.c.isa)
}

// stable reports whether the state is a fixed point: no unit's field opposes it.
func (ps *probeState) stable() bool {
	if ps.ov != nil {
		return ps.ov.Stable()
	}
	for i, si := range ps.s {
		if ps.h[i]*si < 0 {
			return false
		}
	}
	return true
}

// store writes the current state into dst.
func (ps *probeState) store(dst []float32) {
	if ps.ov == nil {
		copy(dst, ps.s)
		return
	}
	ps.ov.Store(dst)
}

// snapshot returns a copy of the current state.
func (ps *probeState) snapshot() []float32 {
	out := make([]float32, ps.c.n)
	ps.store(out)
	return out
}

// energy returns E = -½ sᵀWs + θᵀs from the state and its overlaps or scaled fields, in
// O(N + K): with overlaps, sᵀ(N·W)s = Σ_μ m_μ² − K·N; with scaled fields h' = scale·(Ws − θ),
// E = -sᵀh'/(2·scale) + ½θᵀs.
func (ps *probeState) energy() float64 {
	c := ps.c
	var thetaS float64
	if ps.ov != nil {
		for i, v := range c.theta {
			thetaS += float64(v) * float64(ps.ov.Spin(i))
		}
		return -float64(ps.ov.SumSquares()-int64(c.k)*int64(c.n))/(2*float64(c.n)) + thetaS
	}
	for i, v := range c.theta {
		thetaS += float64(v) * float64(ps.s[i])
	}
	var sh float64
	for i, h := range ps.h {
		sh += float64(ps.s[i]) * float64(h)
	}
	return -sh/(2*float64(c.scale)) + thetaS/2
}

// shuffle puts order in a uniformly random permutation (Fisher-Yates) drawn from gen. Each
// 64-bit draw is cut into four 16-bit ones while fewer than 2¹² positions remain (two 32-bit ones
// before), each turned into a bounded integer by Lemire's multiply-shift with exact rejection
// ("Fast random integer generation in an interval", 2019): uniform, with a quarter of the
// generator calls of one draw per position.
func shuffle(order []int32, gen *rand.PCG) {
	var pool uint64
	have := 0 // bits left in pool
	for i := len(order) - 1; i > 0; i-- {
		n := uint32(i + 1)
		var j uint32
		if n <= 1<<12 {
			for {
				if have < 16 {
					pool, have = gen.Uint64(), 64
				}
				x := uint32(pool & 0xffff)
				pool >>= 16
				have -= 16
				prod := x * n
				if lo := prod & 0xffff; lo >= n || lo >= (1<<16-n)%n { // reject the few x that would bias the result
					j = prod >> 16
					break
				}
			}
		} else {
			for {
				if have < 32 {
					pool, have = gen.Uint64(), 64
				}
				x := uint32(pool)
				pool >>= 32
				have -= 32
				hi, lo := bits.Mul32(x, n)
				if lo >= n || lo >= -n%n {
					j = hi
					break
				}
			}
		}
		order[i], order[j] = order[j], order[i]
	}
}

// padEnergies turns per-probe energies into rows of equal length, repeating each probe's last
// energy after it converged.
func padEnergies(traces []probeTrace) [][]float64 {
	longest := 0
	for _, tr := range traces {
		longest = max(longest, len(tr.energies))
	}
	out := make([][]float64, len(traces))
	for p, tr := range traces {
		row := make([]float64, longest)
		copy(row, tr.energies)
		for t := len(tr.energies); t < longest; t++ {
			row[t] = tr.energies[len(tr.energies)-1]
		}
		out[p] = row
	}
	return out
}

// assembleTrajectory turns per-probe snapshots into Trajectory[t] (all probes after t steps or
// snapshots); a probe with fewer snapshots repeats its last one.
func (c *Classical) assembleTrajectory(probes *Patterns, traces []probeTrace) []*Patterns {
	longest := 0
	for _, tr := range traces {
		longest = max(longest, len(tr.snaps))
	}
	out := make([]*Patterns, 0, longest+1)
	out = append(out, probes.Clone())
	for t := range longest {
		frame := &Patterns{rows: probes.Len(), cols: c.n, data: make([]float32, 0, probes.Len()*c.n)}
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
		out = append(out, frame)
	}
	return out
}

// recallSync runs synchronous dynamics on the whole batch, one graph execution per step.
// Finished probes (fixed point or two-cycle) keep their state while the others go on.
func (c *Classical) recallSync(probes *Patterns, maxSteps int, opts RecallOptions) (*RecallResult, error) {
	b, n := probes.Len(), c.n
	cur := probes.Clone()
	res := &RecallResult{Steps: make([]int, b), Converged: make([]bool, b)}
	done := make([]bool, b)
	active := b
	var prev []float32 // the states one step before cur, for two-cycle detection
	record := func() error {
		if opts.RecordEnergy {
			e, err := c.Energy(cur)
			if err != nil {
				return err
			}
			for p := range b {
				res.Energies[p] = append(res.Energies[p], e[p])
			}
		}
		if opts.RecordTrajectory {
			res.Trajectory = append(res.Trajectory, cur.Clone())
		}
		return nil
	}
	if opts.RecordEnergy {
		res.Energies = make([][]float64, b)
	}
	if err := record(); err != nil {
		return nil, err
	}
	for t := 0; t < maxSteps && active > 0; t++ {
		next, err := c.runGraph(c.syncExec, cur, c.memTensor, c.sthetaTensor)
		if err != nil {
			return nil, err
		}
		stepped := false
		for p := range b {
			row := next[p*n : (p+1)*n]
			if done[p] {
				copy(row, cur.Row(p))
				continue
			}
			if slices.Equal(row, cur.Row(p)) {
				done[p], res.Converged[p] = true, true
				active--
				continue
			}
			res.Steps[p]++
			stepped = true
			if prev != nil && slices.Equal(row, prev[p*n:(p+1)*n]) {
				done[p] = true // two-cycle: not converged
				active--
			}
		}
		prev, cur.data = cur.data, next
		if !stepped {
			break
		}
		if err := record(); err != nil {
			return nil, err
		}
		if t == maxSteps-1 && active > 0 {
			// Out of steps: do the remaining probes happen to sit on a fixed point?
			check, err := c.runGraph(c.syncExec, cur, c.memTensor, c.sthetaTensor)
			if err != nil {
				return nil, err
			}
			for p := range b {
				if !done[p] && slices.Equal(check[p*n:(p+1)*n], cur.Row(p)) {
					res.Converged[p] = true
				}
			}
		}
	}
	res.States = cur
	return res, nil
}
