package experiments

import (
	"cmp"
	"context"
	"fmt"
	"slices"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// StateClass is the kind of a final state of a discrete network, as [Classify] finds it.
type StateClass int

const (
	// StoredState is one of the stored patterns ξ^μ.
	StoredState StateClass = iota
	// InvertedState is a negated stored pattern −ξ^μ, a fixed point of the classical network
	// whenever ξ^μ is (its energy is even in the state).
	InvertedState
	// MixtureState is a symmetric mixture of three patterns, sign(±ξ^a ± ξ^b ± ξ^c), the
	// classical network's best-known spurious states (Amit, Gutfreund & Sompolinsky 1985).
	MixtureState
	// OtherState is anything else: mixtures of more patterns, spin-glass states.
	OtherState
	// NotConverged is a recall that did not reach a fixed point within MaxSteps.
	NotConverged
)

// numStateClasses is the number of classes; StateClass(0) … StateClass(numStateClasses-1) is the
// table order.
const numStateClasses = int(NotConverged) + 1

func (c StateClass) String() string {
	switch c {
	case StoredState:
		return "stored"
	case InvertedState:
		return "inverted"
	case MixtureState:
		return "mixture of 3"
	case OtherState:
		return "other"
	case NotConverged:
		return "not converged"
	}
	return fmt.Sprintf("StateClass(%d)", int(c))
}

// mixtureCandidates is how many patterns, those of largest |overlap| with a state, Classify
// tries as the components of a 3-mixture. A true mixture has overlap ½ with each of its three
// components and O(1/√N) with the others, so they are among the first three; eight leaves room
// for small N.
const mixtureCandidates = 8

// Classify sorts ±1 states by what they are relative to the stored ±1 patterns: a stored pattern,
// a negated one, a symmetric mixture of three, or other. Matches are exact (every unit), and the
// first that applies wins, in that order. Both sets must be ±1 spins of the same length.
func Classify(stored, states *hopfieldlib.Patterns) ([]StateClass, error) {
	if err := stored.CheckSpins(); err != nil {
		return nil, fmt.Errorf("Classify: stored: %w", err)
	}
	if err := states.CheckSpins(); err != nil {
		return nil, fmt.Errorf("Classify: states: %w", err)
	}
	if stored.Dim() != states.Dim() {
		return nil, fmt.Errorf("%w: Classify: states have %d units, the stored patterns %d", hopfieldlib.ErrShape, states.Dim(), stored.Dim())
	}
	m, err := hopfieldlib.OverlapMatrix(stored, states)
	if err != nil {
		return nil, err
	}
	out := make([]StateClass, states.Len())
	for b := range out {
		out[b] = classifyOne(stored, states.Row(b), m[b])
	}
	return out, nil
}

// classifyOne classifies state s with overlaps m[μ] = (1/N) s·ξ^μ.
func classifyOne(stored *hopfieldlib.Patterns, s []float32, m []float64) StateClass {
	for _, v := range m {
		switch v {
		case 1:
			return StoredState
		case -1:
			return InvertedState
		}
	}
	if len(m) < 3 {
		return OtherState
	}
	order := make([]int, len(m))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(abs(m[b]), abs(m[a])) })
	cand := order[:min(mixtureCandidates, len(order))]
	for i := range cand {
		for j := i + 1; j < len(cand); j++ {
			for k := j + 1; k < len(cand); k++ {
				if isMixture(s, stored, m, cand[i], cand[j], cand[k]) {
					return MixtureState
				}
			}
		}
	}
	return OtherState
}

// isMixture reports whether s = sign(σ_a ξ^a + σ_b ξ^b + σ_c ξ^c) with σ = sign(m): a state that
// equals such a mixture has a positive overlap with each signed component, so the signs are
// those of the overlaps.
func isMixture(s []float32, stored *hopfieldlib.Patterns, m []float64, a, b, c int) bool {
	sa, sb, sc := sign(m[a]), sign(m[b]), sign(m[c])
	xa, xb, xc := stored.Row(a), stored.Row(b), stored.Row(c)
	for i := range s {
		v := sa*xa[i] + sb*xb[i] + sc*xc[i] // odd, never 0
		if (v > 0) != (s[i] > 0) {
			return false
		}
	}
	return true
}

func sign(x float64) float32 {
	if x < 0 {
		return -1
	}
	return 1
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// CensusConfig configures [SpuriousCensus].
type CensusConfig struct {
	// Starts is the number of random ±1 starting states (required, ≥ 1).
	Starts int
	// Seed draws the starting states and the update order.
	Seed uint64
	// Batch is the number of starts recalled at once (the granularity of progress and
	// cancellation); 0 means 256.
	Batch int
	// Recall configures the recall; its Rand is replaced by the seed's source.
	Recall hopfieldlib.RecallOptions
	// Progress, if not nil, hears about every batch.
	Progress Progress
}

// SpuriousCensus runs recall from many random ±1 states and counts where they end: the
// classical network's attractors are the stored patterns, their negations, symmetric mixtures of
// three patterns and spin-glass states (Amit, Gutfreund & Sompolinsky 1985), and random starts
// find all of them. The memory must store ±1 patterns. One row per class ([StateClass], in the
// order stored, inverted, mixture of 3, other, not converged):
//
//   - class: the class name (a text column);
//   - count: how many starts ended in that class; fraction: count / Starts;
//   - distinct: how many different final states of that class were found.
func SpuriousCensus(ctx context.Context, mem hopfieldlib.Memory, cfg CensusConfig) (*Table, error) {
	const fn = "SpuriousCensus"
	if mem == nil {
		return nil, fmt.Errorf("%w: %s needs a memory, got nil", hopfieldlib.ErrParameter, fn)
	}
	if cfg.Starts <= 0 {
		return nil, fmt.Errorf("%w: %s needs Starts ≥ 1, got %d", hopfieldlib.ErrParameter, fn, cfg.Starts)
	}
	if cfg.Batch < 0 {
		return nil, fmt.Errorf("%w: %s: Batch must be ≥ 0 (0 means 256), got %d", hopfieldlib.ErrParameter, fn, cfg.Batch)
	}
	stored := mem.Stored()
	if err := stored.CheckSpins(); err != nil {
		return nil, fmt.Errorf("%s needs a memory of ±1 patterns: %w", fn, err)
	}
	batch := cfg.Batch
	if batch == 0 {
		batch = 256
	}
	r := seedRand(cfg.Seed)
	opts := withRand(cfg.Recall, r)
	counts := make([]int, numStateClasses)
	distinct := make([]map[string]bool, numStateClasses)
	for i := range distinct {
		distinct[i] = map[string]bool{}
	}
	report(cfg.Progress, "spurious census", 0, cfg.Starts)
	for done := 0; done < cfg.Starts; {
		if err := checkCtx(ctx); err != nil {
			return nil, err
		}
		nb := min(batch, cfg.Starts-done)
		starts, err := hopfieldlib.RandomSpins(nb, stored.Dim(), r)
		if err != nil {
			return nil, err
		}
		res, err := mem.Recall(starts, opts)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fn, err)
		}
		classes, err := Classify(stored, res.States)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", fn, err)
		}
		for b, c := range classes {
			if !res.Converged[b] {
				c = NotConverged
			}
			counts[c]++
			distinct[c][spinKey(res.States.Row(b))] = true
		}
		done += nb
		report(cfg.Progress, "spurious census", done, cfg.Starts)
	}
	names := make([]string, numStateClasses)
	cnt, frac, dist := make([]float64, numStateClasses), make([]float64, numStateClasses), make([]float64, numStateClasses)
	for i := range numStateClasses {
		c := StateClass(i)
		names[i] = c.String()
		cnt[i] = float64(counts[c])
		frac[i] = cnt[i] / float64(cfg.Starts)
		dist[i] = float64(len(distinct[c]))
	}
	return NewTable(fmt.Sprintf("spurious census: N=%d, K=%d, %d random starts", stored.Dim(), stored.Len(), cfg.Starts),
		Column{Name: "class", Text: names}, Column{Name: "count", Values: cnt},
		Column{Name: "fraction", Values: frac}, Column{Name: "distinct", Values: dist})
}

// spinKey packs a ±1 state into a string key, one bit per unit.
func spinKey(s []float32) string {
	key := make([]byte, (len(s)+7)/8)
	for i, v := range s {
		if v > 0 {
			key[i/8] |= 1 << (i % 8)
		}
	}
	return string(key)
}
