package experiments

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/measure"
)

// BetaConfig configures [BetaSweep].
type BetaConfig struct {
	// Betas are the inverse temperatures to test (required, each > 0).
	Betas []float64
	// Probes are the starting states (required), e.g. stored patterns with the bottom half masked.
	Probes *hopfieldlib.Patterns
	// Want[b] is the stored pattern probe b should retrieve; nil means Want[b] = b.
	Want []int
	// Build makes the memory at each β; nil means ContinuousBeta(hopfieldlib.ContinuousConfig{}).
	Build BetaBuilder
	// Recall configures the recall (the continuous network uses MaxSteps and Tol). A nil Rand
	// (used by asynchronous dynamics only) means the source of seed 1.
	Recall hopfieldlib.RecallOptions
	// Tol is the per-unit tolerance of "retrieved" (hopfieldlib.Accuracy); the continuous
	// network's fixed points are mixtures, so exact equality (0) is rarely met: 0.1 is a
	// reasonable choice for images in [0, 1].
	Tol float64
	// Progress, if not nil, hears about every β.
	Progress Progress
}

// weighter is a memory that exposes its softmax weights, as hopfieldlib.Continuous does.
type weighter interface {
	Weights(queries *hopfieldlib.Patterns) (*hopfieldlib.Patterns, error)
}

// BetaSweep shows what the inverse temperature β does to the continuous modern Hopfield network
// (Ramsauer et al. 2020, section "metastable states"): at small β the fixed points average many
// patterns (a global or metastable state), at large β each probe retrieves one pattern. For every
// β it stores the patterns, recalls the probes, and computes the softmax weights
// p = softmax(β X ξ*) at each final state ξ*:
//
//   - beta; accuracy (within Tol of the target in every unit) and nearest_accuracy (the nearest
//     stored pattern is the target);
//   - entropy: mean H(p) = −Σ_μ p_μ ln p_μ over probes ([hopfieldlib.Entropy]), from 0 (one
//     pattern) to ln K (uniform);
//   - mixed: mean exp(H(p)) ([hopfieldlib.EffectiveCount]), the effective number of patterns
//     mixed in a fixed point (1: a single pattern; K: the global average), and mixed_std its
//     standard deviation over probes;
//   - max_weight: mean largest weight; steps: mean recall steps; converged: fraction converged.
//
// The weights come from the memory's Weights method when it has one (hopfieldlib.Continuous);
// otherwise they are computed as softmax(β X ξ*) from the stored patterns, in float64.
func BetaSweep(ctx context.Context, stored *hopfieldlib.Patterns, cfg BetaConfig) (*Table, error) {
	const fn = "BetaSweep"
	if len(cfg.Betas) == 0 {
		return nil, fmt.Errorf("%w: %s needs at least one β, got none", hopfieldlib.ErrEmpty, fn)
	}
	for _, b := range cfg.Betas {
		if !(b > 0) || math.IsInf(b, 0) {
			return nil, fmt.Errorf("%w: %s: every β must be finite and > 0, got %v", hopfieldlib.ErrParameter, fn, b)
		}
	}
	if err := stored.CheckFinite(); err != nil {
		return nil, fmt.Errorf("%s: stored: %w", fn, err)
	}
	if err := cfg.Probes.CheckFinite(); err != nil {
		return nil, fmt.Errorf("%s: Probes: %w", fn, err)
	}
	if cfg.Probes.Dim() != stored.Dim() {
		return nil, fmt.Errorf("%w: %s: probes have %d units, the stored patterns %d", hopfieldlib.ErrShape, fn, cfg.Probes.Dim(), stored.Dim())
	}
	if err := checkTol(fn, cfg.Tol); err != nil {
		return nil, err
	}
	want, err := wantOrIdentity(fn, cfg.Want, cfg.Probes.Len(), stored.Len())
	if err != nil {
		return nil, err
	}
	build := cfg.Build
	if build == nil {
		build = ContinuousBeta(hopfieldlib.ContinuousConfig{})
	}

	tb := newTableBuilder(fmt.Sprintf("β sweep: K=%d, %d probes", stored.Len(), cfg.Probes.Len()),
		"beta", "accuracy", "nearest_accuracy", "entropy", "mixed", "mixed_std", "max_weight", "steps", "converged")
	report(cfg.Progress, "β sweep", 0, len(cfg.Betas))
	for i, beta := range cfg.Betas {
		if err := checkCtx(ctx); err != nil {
			return nil, err
		}
		mem, err := build(stored, beta)
		if err != nil {
			return nil, fmt.Errorf("%s: β=%v: %w", fn, beta, err)
		}
		opts := cfg.Recall
		if opts.Rand == nil { // only asynchronous dynamics use it
			opts.Rand = seedRand(1)
		}
		res, err := mem.Recall(cfg.Probes, opts)
		if err != nil {
			return nil, fmt.Errorf("%s: β=%v: %w", fn, beta, err)
		}
		s := scoreStates(stored, res.States, want, cfg.Tol)
		w, err := weightsOf(mem, stored, res.States, beta)
		if err != nil {
			return nil, fmt.Errorf("%s: β=%v: %w", fn, beta, err)
		}
		// The weights are softmax rows (from the memory or computed here): measured as they are.
		ent, mixed, maxw := make([]float64, w.Len()), make([]float64, w.Len()), make([]float64, w.Len())
		for b := range w.Len() {
			row := w.Row(b)
			ent[b] = measure.Entropy(row, measure.RowSum(row))
			mixed[b] = math.Exp(ent[b])
			maxw[b] = float64(slices.Max(row))
		}
		mm, ms := meanStd(mixed)
		tb.add(beta, s.accuracy, s.nearest, Summarize(ent).Mean, mm, ms, Summarize(maxw).Mean,
			meanInts(res.Steps), measure.Fraction(res.Converged))
		report(cfg.Progress, "β sweep", i+1, len(cfg.Betas))
	}
	return tb.table(), nil
}

// wantOrIdentity validates targets for b states against k stored patterns, or returns the
// identity for nil.
func wantOrIdentity(fn string, want []int, b, k int) ([]int, error) {
	if want == nil {
		if b > k {
			return nil, fmt.Errorf("%w: %s: nil Want pairs probe b with stored pattern b, but there are %d probes and %d patterns",
				hopfieldlib.ErrShape, fn, b, k)
		}
		out := make([]int, b)
		for i := range out {
			out[i] = i
		}
		return out, nil
	}
	if len(want) != b {
		return nil, fmt.Errorf("%w: %s: %d targets for %d probes", hopfieldlib.ErrShape, fn, len(want), b)
	}
	for i, mu := range want {
		if mu < 0 || mu >= k {
			return nil, fmt.Errorf("%w: %s: target %d of probe %d is outside [0, %d)", hopfieldlib.ErrShape, fn, mu, i, k)
		}
	}
	return want, nil
}

// weightsOf returns softmax(β X ξ) for every state: from the memory when it offers Weights,
// otherwise computed here.
func weightsOf(mem hopfieldlib.Memory, stored, states *hopfieldlib.Patterns, beta float64) (*hopfieldlib.Patterns, error) {
	if w, ok := mem.(weighter); ok {
		return w.Weights(states)
	}
	k := stored.Len()
	out := make([]float32, states.Len()*k)
	z := make([]float64, k)
	for b := range states.Len() {
		s := states.Row(b)
		zmax := math.Inf(-1)
		for mu := range k {
			x := stored.Row(mu)
			var d float64
			for i := range s {
				d += float64(s[i]) * float64(x[i])
			}
			z[mu] = beta * d
			zmax = max(zmax, z[mu])
		}
		var sum float64
		for mu := range k {
			z[mu] = math.Exp(z[mu] - zmax)
			sum += z[mu]
		}
		for mu := range k {
			out[b*k+mu] = float32(z[mu] / sum)
		}
	}
	return hopfieldlib.FromFlat(states.Len(), k, out)
}
