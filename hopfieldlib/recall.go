package hopfieldlib

import (
	"fmt"
	"math/rand/v2"
)

// Dynamics chooses how the units of a discrete network are updated.
type Dynamics int

const (
	// Async updates one unit at a time, in a fresh random order every sweep (Hopfield 1982). The
	// energy never increases. One step is one sweep over all N units.
	Async Dynamics = iota
	// Sync updates every unit at once from the previous state (Little 1974). It can end in a
	// two-cycle instead of a fixed point.
	Sync
)

func (d Dynamics) String() string {
	switch d {
	case Async:
		return "async"
	case Sync:
		return "sync"
	}
	return fmt.Sprintf("Dynamics(%d)", int(d))
}

// DefaultMaxSteps is the step limit when RecallOptions.MaxSteps is 0.
const DefaultMaxSteps = 100

// DefaultTol is the continuous network's stopping tolerance when RecallOptions.Tol is 0.
const DefaultTol = 1e-6

// RecallOptions controls [Memory.Recall] and [Memory.Step]. The zero value runs asynchronous
// dynamics, which need Rand; set Dynamics to Sync for a deterministic run without one.
type RecallOptions struct {
	// Dynamics: Async (default) or Sync. The continuous network is always synchronous and
	// ignores it.
	Dynamics Dynamics
	// MaxSteps bounds the number of steps (sweeps for Async); 0 means DefaultMaxSteps and a
	// negative value is an error.
	MaxSteps int
	// Rand drives the random unit order of asynchronous dynamics. Required for Async, unused
	// otherwise. Each probe gets its own stream drawn from Rand, so results do not depend on
	// how many cores run them.
	Rand *rand.Rand
	// Tol stops the continuous network when ‖ξ_new − ξ‖₂ < Tol; 0 means DefaultTol.
	Tol float64
	// RecordEnergy keeps the energy of every probe after every step in RecallResult.Energies.
	RecordEnergy bool
	// RecordTrajectory keeps the states after every step in RecallResult.Trajectory.
	RecordTrajectory bool
	// TrajectoryStride, with Async and RecordTrajectory, takes a snapshot every TrajectoryStride
	// unit updates instead of once per sweep: small values make smooth animations of recall.
	// 0 means once per sweep.
	TrajectoryStride int
}

// maxSteps returns the step limit or an error for a negative one.
func (o RecallOptions) maxSteps() (int, error) {
	switch {
	case o.MaxSteps < 0:
		return 0, fmt.Errorf("%w: MaxSteps must be ≥ 0 (0 means %d), got %d", ErrParameter, DefaultMaxSteps, o.MaxSteps)
	case o.MaxSteps == 0:
		return DefaultMaxSteps, nil
	}
	return o.MaxSteps, nil
}

// check validates the options common to the discrete networks.
func (o RecallOptions) checkDiscrete() error {
	if _, err := o.maxSteps(); err != nil {
		return err
	}
	switch o.Dynamics {
	case Async:
		if o.Rand == nil {
			return fmt.Errorf("%w: asynchronous dynamics need a random source for the update order: "+
				"set RecallOptions.Rand, e.g. rand.New(rand.NewPCG(1, 2)), or use Dynamics: Sync", ErrParameter)
		}
	case Sync:
	default:
		return fmt.Errorf("%w: Dynamics must be Async or Sync, got %v", ErrParameter, o.Dynamics)
	}
	if o.TrajectoryStride < 0 {
		return fmt.Errorf("%w: TrajectoryStride must be ≥ 0, got %d", ErrParameter, o.TrajectoryStride)
	}
	return nil
}

// RecallResult is what Recall returns: the final states and how each probe got there.
type RecallResult struct {
	// States holds the final state of every probe, one row per probe.
	States *Patterns
	// Steps[b] is the number of steps probe b took (sweeps for Async), not counting the final
	// step that confirmed a fixed point.
	Steps []int
	// Converged[b] says whether probe b reached a fixed point (or, for the continuous network, a
	// change below Tol) within MaxSteps.
	Converged []bool
	// Energies[b][t], with RecordEnergy, is the energy of probe b after t steps; t = 0 is the
	// probe itself. A probe that converged early repeats its last energy so every row has the
	// same length.
	Energies [][]float64
	// Trajectory[t], with RecordTrajectory, holds the states of all probes after t steps (or t
	// snapshots, see TrajectoryStride); Trajectory[0] is the probes.
	Trajectory []*Patterns
}

// AllConverged reports whether every probe converged.
func (r *RecallResult) AllConverged() bool {
	for _, c := range r.Converged {
		if !c {
			return false
		}
	}
	return true
}

// Memory is what every model family offers: store patterns at construction, then recall.
type Memory interface {
	// Dim is the number of units N.
	Dim() int
	// Stored returns the stored patterns (a copy).
	Stored() *Patterns
	// Energy returns the energy of every row of states.
	Energy(states *Patterns) ([]float64, error)
	// Step applies one update (one asynchronous sweep, or one synchronous update) to every row.
	Step(states *Patterns, opts RecallOptions) (*Patterns, error)
	// Recall runs the dynamics from every probe until it is stable or MaxSteps is reached.
	Recall(probes *Patterns, opts RecallOptions) (*RecallResult, error)
}
