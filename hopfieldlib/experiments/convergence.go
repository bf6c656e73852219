package experiments

import (
	"context"
	"fmt"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/measure"
)

// ConvergenceConfig configures [ConvergenceSpeed].
type ConvergenceConfig struct {
	// Probes are the starting states (required).
	Probes *hopfieldlib.Patterns
	// Want[b] is the stored pattern probe b should retrieve; nil means Want[b] = b.
	Want []int
	// Seeds: one recall per seed (the asynchronous update order); none means {1}.
	Seeds []uint64
	// Recall configures the recall (MaxSteps, Dynamics, Tol); its Rand is replaced by each
	// seed's source.
	Recall hopfieldlib.RecallOptions
	// Tol is the per-unit tolerance of "retrieved" (hopfieldlib.Accuracy).
	Tol float64
	// Progress, if not nil, hears about every seed.
	Progress Progress
}

// ConvergenceSpeed measures how many steps recall takes, for any memory: the classical network's
// asynchronous sweeps against the continuous network's synchronous updates, say. It recalls every
// probe once per seed and returns one row per (seed, probe):
//
//   - seed, probe: which run; steps: hopfieldlib.RecallResult.Steps (updates that changed the
//     state: sweeps for asynchronous dynamics, not counting the sweep that confirmed the fixed
//     point);
//   - converged: 1 if the probe reached a fixed point (or a change below Tol) within MaxSteps;
//   - retrieved: 1 if the final state is its target within Tol in every unit.
//
// Summarize(t.Col("steps")) gives the mean, median and range quoted in the README.
func ConvergenceSpeed(ctx context.Context, mem hopfieldlib.Memory, cfg ConvergenceConfig) (*Table, error) {
	const fn = "ConvergenceSpeed"
	if mem == nil {
		return nil, fmt.Errorf("%w: %s needs a memory, got nil", hopfieldlib.ErrParameter, fn)
	}
	if err := cfg.Probes.CheckFinite(); err != nil {
		return nil, fmt.Errorf("%s: Probes: %w", fn, err)
	}
	stored := mem.Stored()
	if cfg.Probes.Dim() != stored.Dim() {
		return nil, fmt.Errorf("%w: %s: probes have %d units, the memory %d", hopfieldlib.ErrShape, fn, cfg.Probes.Dim(), stored.Dim())
	}
	if err := checkTol(fn, cfg.Tol); err != nil {
		return nil, err
	}
	want, err := wantOrIdentity(fn, cfg.Want, cfg.Probes.Len(), stored.Len())
	if err != nil {
		return nil, err
	}
	seeds := seedsOrDefault(cfg.Seeds)
	tb := newTableBuilder(fmt.Sprintf("convergence: %d probes, %d seeds", cfg.Probes.Len(), len(seeds)),
		"seed", "probe", "steps", "converged", "retrieved")
	report(cfg.Progress, "convergence", 0, len(seeds))
	for i, seed := range seeds {
		if err := checkCtx(ctx); err != nil {
			return nil, err
		}
		res, err := mem.Recall(cfg.Probes, withRand(cfg.Recall, seedRand(seed)))
		if err != nil {
			return nil, fmt.Errorf("%s: seed %d: %w", fn, seed, err)
		}
		ok := measure.Retrieved(stored.Flat(), res.States.Flat(), stored.Dim(), want, cfg.Tol)
		for b := range want {
			tb.add(float64(seed), float64(b), float64(res.Steps[b]), boolFloat(res.Converged[b]), boolFloat(ok[b]))
		}
		report(cfg.Progress, "convergence", i+1, len(seeds))
	}
	return tb.table(), nil
}

// boolFloat is 1 for true, 0 for false.
func boolFloat(b bool) float64 {
	if b {
		return 1
	}
	return 0
}
