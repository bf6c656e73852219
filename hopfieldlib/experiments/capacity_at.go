package experiments

import (
	"context"
	"fmt"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// CapacityAtConfig configures [CapacityAt].
type CapacityAtConfig struct {
	// Capacity is the experiment run at each K (its Ks are ignored; MaxProbes < 0 skips the
	// recall test, which CapacityAt does not use).
	Capacity CapacityConfig
	// Level is the fraction of stored patterns that must be stable (Capacity's "stable" column),
	// in (0, 1], e.g. 0.9.
	Level float64
	// Start is the first K tried (≥ 1); it must pass, so start well below the expected capacity.
	Start int
	// Factor is the ratio of successive K (> 1); 0 means 2^(1/4), a resolution of about ±9%.
	Factor float64
	// Max bounds K (≥ Start): reaching it without a failure is an error.
	Max int
}

// CapacityAt measures the capacity of a memory as one number: the number of random patterns K
// at which the fraction of stable patterns (see [Capacity]) falls to Level. It runs Capacity at
// K = Start, Start·Factor, Start·Factor², … (rounded, each K larger than the last) until stable
// drops below Level, and returns K interpolated linearly in (ln K, stable) between the last K
// that passed and the first that failed. Theory lines such as [PolynomialCapacity] then compare
// with it on a log-log plot of K against N.
//
// Errors wrap hopfieldlib.ErrParameter when Level, Start, Factor or Max are out of range, when
// Start already fails (start lower) or when Max is reached with every K passing (allow more);
// errors of Capacity are returned as they are.
func CapacityAt(ctx context.Context, cfg CapacityAtConfig) (float64, error) {
	const fn = "CapacityAt"
	factor := cfg.Factor
	if factor == 0 {
		factor = math.Pow(2, 0.25)
	}
	switch {
	case !(cfg.Level > 0 && cfg.Level <= 1):
		return 0, fmt.Errorf("%w: %s: Level must be in (0, 1], got %v", hopfieldlib.ErrParameter, fn, cfg.Level)
	case cfg.Start < 1:
		return 0, fmt.Errorf("%w: %s: Start must be ≥ 1, got %d", hopfieldlib.ErrParameter, fn, cfg.Start)
	case !(factor > 1) || math.IsInf(factor, 0):
		return 0, fmt.Errorf("%w: %s: Factor must be > 1 and finite, got %v", hopfieldlib.ErrParameter, fn, factor)
	case cfg.Max < cfg.Start:
		return 0, fmt.Errorf("%w: %s: Max (%d) must be ≥ Start (%d)", hopfieldlib.ErrParameter, fn, cfg.Max, cfg.Start)
	}
	run := cfg.Capacity
	prevK, prevStable := 0, 0.0
	for k, x := cfg.Start, float64(cfg.Start); ; {
		run.Ks = []int{k}
		t, err := Capacity(ctx, run)
		if err != nil {
			return 0, err
		}
		stable, err := t.Col("stable")
		if err != nil {
			return 0, err
		}
		s := stable[0]
		if s < cfg.Level {
			if prevK == 0 {
				return 0, fmt.Errorf("%w: %s: already at K = Start = %d only %.3f of the patterns are stable (Level %v): start lower",
					hopfieldlib.ErrParameter, fn, k, s, cfg.Level)
			}
			// Linear in ln K between (prevK, prevStable) ≥ Level and (k, s) < Level.
			a, b := math.Log(float64(prevK)), math.Log(float64(k))
			w := (prevStable - cfg.Level) / (prevStable - s)
			return math.Exp(a + w*(b-a)), nil
		}
		if k >= cfg.Max {
			return 0, fmt.Errorf("%w: %s: every K up to Max = %d keeps at least %v of the patterns stable: raise Max",
				hopfieldlib.ErrParameter, fn, cfg.Max, cfg.Level)
		}
		prevK, prevStable = k, s
		x *= factor
		k = min(cfg.Max, max(k+1, int(math.Round(x))))
	}
}
