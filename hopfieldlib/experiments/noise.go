package experiments

import (
	"context"
	"fmt"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/measure"
)

// NoiseConfig configures [NoiseRobustness].
type NoiseConfig struct {
	// Levels are the noise levels to test (required), in the unit of Corrupt: the fraction of
	// bits flipped for hopfieldlib.FlipBits, σ for hopfieldlib.GaussianNoise.
	Levels []float64
	// Corrupt makes the probes from the stored patterns; nil means hopfieldlib.FlipBits.
	Corrupt Corruption
	// Probes is how many stored patterns are probed (the first ones); 0 means all.
	Probes int
	// Seeds: one run per seed (noise and asynchronous update order); none means {1}.
	Seeds []uint64
	// Recall configures the recall; its Rand is replaced by each seed's source.
	Recall hopfieldlib.RecallOptions
	// Tol is the per-unit tolerance of "retrieved" (see hopfieldlib.Accuracy): 0 demands the
	// exact pattern, the right choice for spins.
	Tol float64
	// Progress, if not nil, hears about every recall.
	Progress Progress
}

// NoiseRobustness measures recall against noise: for every level and seed it corrupts the stored
// patterns of mem with Corrupt, recalls them, and scores the final states against the patterns
// they came from. One row per level, means and sample standard deviations over seeds:
//
//   - level: the noise level;
//   - accuracy: fraction of probes retrieved within Tol in every unit (hopfieldlib.Accuracy);
//   - nearest_accuracy: fraction whose nearest stored pattern is the right one
//     (hopfieldlib.NearestAccuracy);
//   - cosine: mean cosine similarity of the final state with its pattern (the overlap m for spins);
//   - probe_cosine: the same for the probes before recall, the baseline;
//   - steps: mean steps of recall; converged: fraction of probes that converged;
//   - the "_std" columns: standard deviations over seeds (0 for one seed); seeds: their number.
func NoiseRobustness(ctx context.Context, mem hopfieldlib.Memory, cfg NoiseConfig) (*Table, error) {
	const fn = "NoiseRobustness"
	if mem == nil {
		return nil, fmt.Errorf("%w: %s needs a memory, got nil", hopfieldlib.ErrParameter, fn)
	}
	if len(cfg.Levels) == 0 {
		return nil, fmt.Errorf("%w: %s needs at least one noise level, got none", hopfieldlib.ErrEmpty, fn)
	}
	for _, l := range cfg.Levels {
		if math.IsNaN(l) || math.IsInf(l, 0) {
			return nil, fmt.Errorf("%w: %s: noise level %v", hopfieldlib.ErrNotFinite, fn, l)
		}
	}
	if err := checkTol(fn, cfg.Tol); err != nil {
		return nil, err
	}
	stored := mem.Stored()
	if cfg.Probes < 0 || cfg.Probes > stored.Len() {
		return nil, fmt.Errorf("%w: %s: Probes must be in [0, %d] (0 means all stored patterns), got %d",
			hopfieldlib.ErrParameter, fn, stored.Len(), cfg.Probes)
	}
	targets := stored
	if cfg.Probes > 0 {
		var err error
		if targets, err = stored.First(cfg.Probes); err != nil {
			return nil, err
		}
	}
	corrupt := cfg.Corrupt
	if corrupt == nil {
		corrupt = hopfieldlib.FlipBits
	}
	seeds := seedsOrDefault(cfg.Seeds)
	want := make([]int, targets.Len())
	for i := range want {
		want[i] = i
	}

	tb := newTableBuilder(fmt.Sprintf("noise robustness: %d probes, %d seeds", targets.Len(), len(seeds)),
		"level", "accuracy", "accuracy_std", "nearest_accuracy", "nearest_accuracy_std",
		"cosine", "cosine_std", "probe_cosine", "steps", "converged", "seeds")
	total, done := len(cfg.Levels)*len(seeds), 0
	report(cfg.Progress, "noise robustness", 0, total)
	for _, level := range cfg.Levels {
		var acc, near, cos, pcos, steps, conv []float64
		for _, seed := range seeds {
			if err := checkCtx(ctx); err != nil {
				return nil, err
			}
			r := seedRand(seed)
			probes, err := corrupt(targets, level, r)
			if err != nil {
				return nil, fmt.Errorf("%s: corrupting at level %v: %w", fn, level, err)
			}
			res, err := mem.Recall(probes, withRand(cfg.Recall, r))
			if err != nil {
				return nil, fmt.Errorf("%s: recall at level %v: %w", fn, level, err)
			}
			s := scoreStates(stored, res.States, want, cfg.Tol)
			ps := scoreStates(stored, probes, want, cfg.Tol)
			acc, near, cos, pcos = append(acc, s.accuracy), append(near, s.nearest), append(cos, s.cosine), append(pcos, ps.cosine)
			steps, conv = append(steps, meanInts(res.Steps)), append(conv, measure.Fraction(res.Converged))
			done++
			report(cfg.Progress, "noise robustness", done, total)
		}
		am, as := meanStd(acc)
		nm, ns := meanStd(near)
		cm, cs := meanStd(cos)
		tb.add(level, am, as, nm, ns, cm, cs, Summarize(pcos).Mean, Summarize(steps).Mean, Summarize(conv).Mean, float64(len(seeds)))
	}
	return tb.table(), nil
}

// scores is how well a set of states matches its targets.
type scores struct {
	accuracy, nearest, cosine float64
	retrieved                 []bool
}

// scoreStates scores states against stored.Row(want[b]). Both come checked (the stored patterns
// from a memory, the states from its Recall, want by the caller): the measures do not check
// them again.
func scoreStates(stored, states *hopfieldlib.Patterns, want []int, tol float64) scores {
	n := stored.Dim()
	var s scores
	s.retrieved = measure.Retrieved(stored.Flat(), states.Flat(), n, want, tol)
	s.accuracy = measure.Fraction(s.retrieved)
	nn := engine.NewNearest(stored.Flat(), stored.Len(), n)
	right := 0
	var sum float64
	for b, mu := range want {
		if i, _ := nn.Find(states.Row(b), false); i == mu {
			right++
		}
		sum += measure.Cosine(states.Row(b), stored.Row(mu))
	}
	s.nearest = float64(right) / float64(len(want))
	s.cosine = sum / float64(len(want))
	return s
}
