package hopfieldlib

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
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
	b := states.Len()
	var rands []*rand.Rand
	if opts.Dynamics == Async {
		rands = probeRands(opts.Rand, b)
	}
	traces := make([]denseTrace, b)
	parallelFor(b, func(p int) {
		pr := d.eng.NewProbe(states.Row(p))
		defer d.eng.Release(pr)
		if opts.Dynamics == Async {
			traces[p] = runDenseAsync(pr, states.Row(p), rands[p], plan)
		} else {
			traces[p] = runDenseSync(pr, states.Row(p), plan)
		}
	})
	return traces
}

// runDenseAsync runs asynchronous sweeps of probe p, whose state is s.
func runDenseAsync(p *engine.DenseProbe, s []float32, r *rand.Rand, plan denseRunPlan) denseTrace {
	order := make([]int32, len(s))
	for i := range order {
		order[i] = int32(i)
	}
	var tr denseTrace
	if plan.recordEnergy {
		tr.energies = append(tr.energies, p.Energy())
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
				flips += p.Sweep(order[pos : pos+chunk])
				pos += chunk
				updates += chunk
				if updates%plan.stride == 0 {
					tr.snaps = append(tr.snaps, slices.Clone(s))
				}
			}
		} else {
			flips = p.Sweep(order)
		}
		if flips == 0 {
			tr.converged = true
			tr.snaps = tr.snaps[:kept] // a sweep that changed nothing adds no frames
			break
		}
		tr.steps++
		if plan.recordEnergy {
			tr.energies = append(tr.energies, p.Energy())
		}
		if plan.recordTraj && !strided {
			tr.snaps = append(tr.snaps, slices.Clone(s))
		}
	}
	if plan.stepOnly {
		return tr
	}
	if !tr.converged {
		tr.converged = p.Stable()
	}
	if strided && (len(tr.snaps) == 0 || !slices.Equal(tr.snaps[len(tr.snaps)-1], s)) {
		tr.snaps = append(tr.snaps, slices.Clone(s))
	}
	return tr
}

// runDenseSync runs synchronous steps of probe p, whose state is s: all units decide from the
// same state, then flip together.
//
// The N decisions are the same O(K) kernel calls as in an asynchronous sweep, without the
// updates in between. A GoMLX graph could form the masked sums of all units at once as
// matmuls [B,K]·[K,N], but one such product (half of what the decisions need) took as much CPU
// here as the whole loop (≈ 11 ms for B = 100, K = 1000, N = 784, measured), and the loop keeps
// the exact fallbacks at hand.
func runDenseSync(p *engine.DenseProbe, s []float32, plan denseRunPlan) denseTrace {
	var tr denseTrace
	if plan.recordEnergy {
		tr.energies = append(tr.energies, p.Energy())
	}
	var prev []float32 // the state two steps back, for two-cycle detection
	flips := make([]int, 0, len(s))
	for range plan.maxSteps {
		flips = flips[:0]
		for i := range s {
			if p.Lowers(i) {
				flips = append(flips, i)
			}
		}
		if len(flips) == 0 {
			tr.converged = true
			break
		}
		before := slices.Clone(s)
		p.FlipAll(flips)
		tr.steps++
		if plan.recordEnergy {
			tr.energies = append(tr.energies, p.Energy())
		}
		if plan.recordTraj {
			tr.snaps = append(tr.snaps, slices.Clone(s))
		}
		if prev != nil && slices.Equal(prev, s) {
			break // a two-cycle: not converged
		}
		prev = before
	}
	if !plan.stepOnly && !tr.converged && tr.steps == plan.maxSteps {
		tr.converged = p.Stable()
	}
	return tr
}
