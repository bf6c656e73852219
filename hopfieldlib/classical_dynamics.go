package hopfieldlib

import (
	"fmt"
	"math/rand/v2"
	"slices"
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
// flat float32 data, probes in parallel. The Hebbian network with K ≤ N/10 keeps the overlaps
// m = Xσ (check a unit in O(K): N·h_i = Σ_μ ξ_i^μ m_μ − K σ_i − Nθ_i; flip in O(K)); otherwise it
// keeps the local fields h = Wσ − θ (check O(1), flip O(N)). Both start from one batched graph.
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
	if err := checkProbes(what, states, c.n, true); err != nil {
		return fmt.Errorf("Classical.%s: %w", method, err)
	}
	return nil
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
	rands := probeRands(opts.Rand, b)
	// Starting overlaps [B, K] or scaled fields [B, N] for the whole batch, as one graph.
	var aux []float32
	var width int
	var err error
	if c.asyncOverlaps {
		aux, err = c.runGraph(c.overlapExec, states, c.xTensor)
		width = c.k
	} else {
		aux, err = c.runGraph(c.fieldsExec, states, c.memTensor, c.sthetaTensor)
		width = n
	}
	if err != nil {
		return nil, err
	}
	order := make([]int32, b*n)
	traces := make([]probeTrace, b)
	parallelFor(b, func(p int) {
		traces[p] = c.asyncProbe(states.Row(p), aux[p*width:(p+1)*width], order[p*n:(p+1)*n], rands[p], plan)
	})
	return traces, nil
}

// asyncProbe runs asynchronous sweeps on one state s, with aux its overlaps or scaled fields.
func (c *Classical) asyncProbe(s, aux []float32, order []int32, r *rand.Rand, plan asyncPlan) probeTrace {
	for i := range order {
		order[i] = int32(i)
	}
	var tr probeTrace
	if plan.recordEnergy {
		tr.energies = append(tr.energies, c.asyncEnergy(s, aux))
	}
	strided := plan.recordTraj && plan.stride > 0
	updates := 0 // unit updates so far, for strided snapshots
	for range plan.maxSteps {
		shuffle(order, r)
		var flips int
		kept := len(tr.snaps)
		if strided {
			for pos := 0; pos < len(order); {
				chunk := min(len(order)-pos, plan.stride-updates%plan.stride)
				flips += c.sweep(s, aux, order[pos:pos+chunk])
				pos += chunk
				updates += chunk
				if updates%plan.stride == 0 {
					tr.snaps = append(tr.snaps, slices.Clone(s))
				}
			}
		} else {
			flips = c.sweep(s, aux, order)
		}
		if flips == 0 {
			tr.converged = true
			tr.snaps = tr.snaps[:kept] // a sweep that changed nothing adds no frames
			break
		}
		tr.steps++
		if plan.recordEnergy {
			tr.energies = append(tr.energies, c.asyncEnergy(s, aux))
		}
		if plan.recordTraj && !strided {
			tr.snaps = append(tr.snaps, slices.Clone(s))
		}
	}
	if plan.stepOnly {
		return tr
	}
	if !tr.converged {
		tr.converged = c.stable(s, aux)
	}
	if strided && (len(tr.snaps) == 0 || !slices.Equal(tr.snaps[len(tr.snaps)-1], s)) {
		tr.snaps = append(tr.snaps, slices.Clone(s))
	}
	return tr
}

// shuffle puts order in a uniformly random permutation (Fisher-Yates) drawn from r.
func shuffle(order []int32, r *rand.Rand) {
	for i := len(order) - 1; i > 0; i-- {
		j := r.IntN(i + 1)
		order[i], order[j] = order[j], order[i]
	}
}

// sweep updates the units of s in the given order and returns how many flipped.
//
// With overlaps (Hebbian): N·h_i = Σ_μ ξ_i^μ m_μ − K s_i − N θ_i, exact in float32 since the
// first two terms are integers; a flip of unit i to s' adds 2 s' ξ_i to m.
// With scaled fields h' = scale·(Ws − θ): a flip of unit i to s' adds 2 s' (scale·W)_i· to h'
// (h'_i itself is unchanged since W_ii = 0).
func (c *Classical) sweep(s, aux []float32, order []int32) int {
	flips := 0
	if c.asyncOverlaps {
		k, kf, xt, st := c.k, float32(c.k), c.xt, c.stheta
		for _, i := range order {
			row := xt[int(i)*k : int(i)*k+k]
			si := s[i]
			h := (dot32(row, aux) - kf*si) - st[i]
			if (h > 0 && si < 0) || (h < 0 && si > 0) {
				s[i] = -si
				axpy32(aux, -2*si, row)
				flips++
			}
		}
		return flips
	}
	n, wn := c.n, c.wn
	for _, i := range order {
		h, si := aux[i], s[i]
		if (h > 0 && si < 0) || (h < 0 && si > 0) {
			s[i] = -si
			axpy32(aux, -2*si, wn[int(i)*n:int(i)*n+n])
			flips++
		}
	}
	return flips
}

// stable reports whether s is a fixed point: no unit's field has the opposite sign.
func (c *Classical) stable(s, aux []float32) bool {
	if c.asyncOverlaps {
		k, kf, xt, st := c.k, float32(c.k), c.xt, c.stheta
		for i, si := range s {
			h := (dot32(xt[i*k:i*k+k], aux) - kf*si) - st[i]
			if (h > 0 && si < 0) || (h < 0 && si > 0) {
				return false
			}
		}
		return true
	}
	for i, si := range s {
		if h := aux[i]; (h > 0 && si < 0) || (h < 0 && si > 0) {
			return false
		}
	}
	return true
}

// asyncEnergy returns E = -½ sᵀWs + θᵀs from the state and its overlaps or scaled fields, in
// O(N + K): with overlaps, sᵀ(N·W)s = Σ_μ m_μ² − K·N; with scaled fields h' = scale·(Ws − θ),
// E = -sᵀh'/(2·scale) + ½θᵀs.
func (c *Classical) asyncEnergy(s, aux []float32) float64 {
	var thetaS float64
	for i, v := range c.theta {
		thetaS += float64(v) * float64(s[i])
	}
	if c.asyncOverlaps {
		var mm float64
		for _, m := range aux {
			mm += float64(m) * float64(m)
		}
		return -(mm-float64(c.k)*float64(c.n))/(2*float64(c.n)) + thetaS
	}
	var sh float64
	for i, h := range aux {
		sh += float64(s[i]) * float64(h)
	}
	return -sh/(2*float64(c.scale)) + thetaS/2
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
