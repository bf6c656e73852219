package experiments

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/measure"
)

// CapacityConfig configures [Capacity].
type CapacityConfig struct {
	// N is the number of units (required, ≥ 1).
	N int
	// Ks are the numbers of stored patterns to test (required, each ≥ 1). For loads α = K/N use
	// [LoadsToKs].
	Ks []int
	// Build makes the memory (required), e.g. experiments.Classical(hopfieldlib.ClassicalConfig{}).
	Build Builder
	// Patterns draws K random patterns of N units; nil means hopfieldlib.RandomSpins.
	Patterns func(k, n int, r *rand.Rand) (*hopfieldlib.Patterns, error)
	// Noise is the level of Corrupt applied to the probes of the recall test: the fraction of bits
	// flipped by default. 0 recalls from the stored patterns themselves.
	Noise float64
	// Corrupt makes recall probes; nil means hopfieldlib.FlipBits.
	Corrupt Corruption
	// MaxProbes bounds the recall probes per run to the first MaxProbes patterns; 0 means 100. A
	// negative value skips the recall test (its columns are then 0).
	MaxProbes int
	// Seeds: one run per seed (patterns, noise, update order); none means {1}.
	Seeds []uint64
	// Recall configures the recall test; its Rand is replaced by each seed's source.
	Recall hopfieldlib.RecallOptions
	// Tol is the per-unit tolerance for "unchanged" and "retrieved": 0 (exact) for spins.
	Tol float64
	// Progress, if not nil, hears about every (K, seed) run.
	Progress Progress
}

// LoadsToKs turns loads α = K/N into numbers of patterns K = max(1, round(α·N)).
func LoadsToKs(n int, alphas ...float64) []int {
	ks := make([]int, len(alphas))
	for i, a := range alphas {
		ks[i] = max(1, int(math.Round(a*float64(n))))
	}
	return ks
}

// Capacity measures how many random patterns a memory holds. For every K and seed it stores K
// random patterns of N units and measures
//
//   - stable: the fraction of stored patterns that one synchronous update leaves unchanged
//     (within Tol in every unit): the patterns that are fixed points. For the classical network
//     one synchronous and one asynchronous update agree on whether a state is fixed;
//   - stable_bits: the fraction of units that the same update leaves unchanged;
//   - recall: the fraction of probes (the first MaxProbes patterns, corrupted at level Noise)
//     that full recall turns into their pattern exactly (within Tol);
//   - overlap: the mean cosine similarity of the recalled states with their patterns.
//
// One row per K, with N, alpha = K/N, the means, their standard deviations over seeds ("_std")
// and the number of seeds. Plot stable and overlap against alpha with [AGSCapacity](N)/N and
// [McElieceCapacity](N)/N as vertical lines.
//
// The two lines mark different things. Exact stability is lost near N/(2 ln N): for the
// Hebbian network at N = 1000 (Noise 0, 2 seeds) stable is 1 at α = 0.05, 0.58 at 0.10 and 0.04
// at 0.14. Retrieval with a few wrong bits survives up to ≈ 0.138: overlap is ≥ 0.99 up to
// α = 0.12, 0.95 at 0.14, then 0.74 at 0.16 and 0.38 at 0.20.
func Capacity(ctx context.Context, cfg CapacityConfig) (*Table, error) {
	const fn = "Capacity"
	if cfg.N <= 0 {
		return nil, fmt.Errorf("%w: %s needs N ≥ 1 units, got %d", hopfieldlib.ErrEmpty, fn, cfg.N)
	}
	if len(cfg.Ks) == 0 {
		return nil, fmt.Errorf("%w: %s needs at least one K, got none", hopfieldlib.ErrEmpty, fn)
	}
	for _, k := range cfg.Ks {
		if k <= 0 {
			return nil, fmt.Errorf("%w: %s: every K must be ≥ 1, got %d", hopfieldlib.ErrParameter, fn, k)
		}
	}
	if cfg.Build == nil {
		return nil, fmt.Errorf("%w: %s needs a Builder, got nil: e.g. experiments.Classical(hopfieldlib.ClassicalConfig{})",
			hopfieldlib.ErrParameter, fn)
	}
	if math.IsNaN(cfg.Noise) || math.IsInf(cfg.Noise, 0) {
		return nil, fmt.Errorf("%w: %s: Noise is %v", hopfieldlib.ErrNotFinite, fn, cfg.Noise)
	}
	if err := checkTol(fn, cfg.Tol); err != nil {
		return nil, err
	}
	draw := cfg.Patterns
	if draw == nil {
		draw = hopfieldlib.RandomSpins
	}
	corrupt := cfg.Corrupt
	if corrupt == nil {
		corrupt = hopfieldlib.FlipBits
	}
	maxProbes := cfg.MaxProbes
	if maxProbes == 0 {
		maxProbes = 100
	}
	seeds := seedsOrDefault(cfg.Seeds)

	tb := newTableBuilder(fmt.Sprintf("capacity: N=%d, %d seeds", cfg.N, len(seeds)),
		"N", "K", "alpha", "stable", "stable_std", "stable_bits", "stable_bits_std",
		"recall", "recall_std", "overlap", "overlap_std", "seeds")
	total, done := len(cfg.Ks)*len(seeds), 0
	report(cfg.Progress, "capacity", 0, total)
	for _, k := range cfg.Ks {
		var stable, bits, recall, overlap []float64
		for _, seed := range seeds {
			if err := checkCtx(ctx); err != nil {
				return nil, err
			}
			run, err := capacityRun(cfg, k, seed, draw, corrupt, maxProbes)
			if err != nil {
				return nil, fmt.Errorf("%s: N=%d, K=%d, seed %d: %w", fn, cfg.N, k, seed, err)
			}
			stable, bits = append(stable, run.stable), append(bits, run.bits)
			recall, overlap = append(recall, run.recall), append(overlap, run.overlap)
			done++
			report(cfg.Progress, "capacity", done, total)
		}
		sm, ss := meanStd(stable)
		bm, bs := meanStd(bits)
		rm, rs := meanStd(recall)
		om, os := meanStd(overlap)
		tb.add(float64(cfg.N), float64(k), float64(k)/float64(cfg.N), sm, ss, bm, bs, rm, rs, om, os, float64(len(seeds)))
	}
	return tb.table(), nil
}

// capacityResult is one (K, seed) run of Capacity.
type capacityResult struct{ stable, bits, recall, overlap float64 }

// capacityRun stores k random patterns and measures their stability and recall.
func capacityRun(cfg CapacityConfig, k int, seed uint64, draw func(k, n int, r *rand.Rand) (*hopfieldlib.Patterns, error),
	corrupt Corruption, maxProbes int) (capacityResult, error) {
	var out capacityResult
	r := seedRand(seed)
	stored, err := draw(k, cfg.N, r)
	if err != nil {
		return out, err
	}
	if stored.Len() != k || stored.Dim() != cfg.N {
		return out, fmt.Errorf("%w: Patterns(%d, %d) returned %v", hopfieldlib.ErrShape, k, cfg.N, stored)
	}
	mem, err := cfg.Build(stored)
	if err != nil {
		return out, err
	}
	next, err := mem.Step(stored, hopfieldlib.RecallOptions{Dynamics: hopfieldlib.Sync})
	if err != nil {
		return out, err
	}
	stableRows, stableUnits := 0, 0
	for b := range k {
		x, y := stored.Row(b), next.Row(b)
		same := 0
		for i := range x {
			if math.Abs(float64(x[i])-float64(y[i])) <= cfg.Tol {
				same++
			}
		}
		stableUnits += same
		if same == cfg.N {
			stableRows++
		}
	}
	out.stable = float64(stableRows) / float64(k)
	out.bits = float64(stableUnits) / float64(k*cfg.N)
	if maxProbes < 0 {
		return out, nil
	}
	targets := stored
	if k > maxProbes {
		if targets, err = stored.First(maxProbes); err != nil {
			return out, err
		}
	}
	probes, err := corrupt(targets, cfg.Noise, r)
	if err != nil {
		return out, err
	}
	res, err := mem.Recall(probes, withRand(cfg.Recall, r))
	if err != nil {
		return out, err
	}
	want := make([]int, targets.Len())
	for i := range want {
		want[i] = i
	}
	// The stored patterns were checked by the memory built on them, the states come from its
	// Recall: measured without checking them again.
	ok := measure.Retrieved(stored.Flat(), res.States.Flat(), stored.Dim(), want, cfg.Tol)
	out.recall = measure.Fraction(ok)
	var sum float64
	for b := range want {
		sum += measure.Cosine(res.States.Row(b), stored.Row(b))
	}
	out.overlap = sum / float64(len(want))
	return out, nil
}
