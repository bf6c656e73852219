package experiments

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sync"

	"github.com/gomlx/compute"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// Builder makes a memory that stores the given patterns: the one thing an experiment needs to
// know about a model family. [Classical], [Dense] and [Continuous] return builders for the
// library's three families; any function of this type works.
type Builder func(stored *hopfieldlib.Patterns) (hopfieldlib.Memory, error)

// BetaBuilder makes a memory with inverse temperature β, for [BetaSweep].
type BetaBuilder func(stored *hopfieldlib.Patterns, beta float64) (hopfieldlib.Memory, error)

// sharedBackend creates a backend on first use and returns the same one afterwards, so that the
// many memories of a sweep share it.
type sharedBackend struct {
	once    sync.Once
	backend compute.Backend
	err     error
}

func (s *sharedBackend) get(given compute.Backend) (compute.Backend, error) {
	if given != nil {
		return given, nil
	}
	s.once.Do(func() { s.backend, s.err = hopfieldlib.NewBackend() })
	return s.backend, s.err
}

// Classical returns a [Builder] of [hopfieldlib.Classical] networks with cfg. When cfg.Backend is
// nil, the networks it builds share one backend.
func Classical(cfg hopfieldlib.ClassicalConfig) Builder {
	var sb sharedBackend
	return func(stored *hopfieldlib.Patterns) (hopfieldlib.Memory, error) {
		c := cfg
		var err error
		if c.Backend, err = sb.get(cfg.Backend); err != nil {
			return nil, err
		}
		return hopfieldlib.NewClassical(stored, c)
	}
}

// Dense returns a [Builder] of [hopfieldlib.Dense] memories with separation function f and cfg.
func Dense(f hopfieldlib.Separation, cfg hopfieldlib.DenseConfig) Builder {
	return func(stored *hopfieldlib.Patterns) (hopfieldlib.Memory, error) {
		return hopfieldlib.NewDense(stored, f, cfg)
	}
}

// Continuous returns a [Builder] of [hopfieldlib.Continuous] networks with inverse temperature
// beta and cfg. When cfg.Backend is nil, the networks it builds share one backend.
func Continuous(beta float64, cfg hopfieldlib.ContinuousConfig) Builder {
	build := ContinuousBeta(cfg)
	return func(stored *hopfieldlib.Patterns) (hopfieldlib.Memory, error) { return build(stored, beta) }
}

// ContinuousBeta returns a [BetaBuilder] of [hopfieldlib.Continuous] networks with cfg: the
// default of [BetaSweep].
func ContinuousBeta(cfg hopfieldlib.ContinuousConfig) BetaBuilder {
	var sb sharedBackend
	return func(stored *hopfieldlib.Patterns, beta float64) (hopfieldlib.Memory, error) {
		c := cfg
		var err error
		if c.Backend, err = sb.get(cfg.Backend); err != nil {
			return nil, err
		}
		return hopfieldlib.NewContinuous(stored, beta, c)
	}
}

// Corruption makes probes from patterns at a noise level, with the caller's random source and
// without changing its input. [hopfieldlib.FlipBits] (level = fraction of bits flipped) and
// [hopfieldlib.GaussianNoise] (level = σ) are Corruptions; [RandomOcclusion] and [Occlusion]
// make more.
type Corruption func(p *hopfieldlib.Patterns, level float64, r *rand.Rand) (*hopfieldlib.Patterns, error)

// RandomOcclusion hides a random fraction level of the units of every row (a fresh choice per
// row, see [hopfieldlib.MaskRandom]) by setting them to fill: 0 for images and continuous states,
// −1 for spins (the classical and dense networks reject a 0).
func RandomOcclusion(fill float32) Corruption {
	return func(p *hopfieldlib.Patterns, level float64, r *rand.Rand) (*hopfieldlib.Patterns, error) {
		return hopfieldlib.MaskRandom(p, level, fill, r)
	}
}

// Occlusion hides the last fraction level of the pixels of h×w images in reading order (the
// bottom of the image; see [hopfieldlib.Occlusion]) by setting them to fill: level 0.3 leaves
// "70% visible". The random source is not used.
func Occlusion(h, w int, fill float32) Corruption {
	return func(p *hopfieldlib.Patterns, level float64, _ *rand.Rand) (*hopfieldlib.Patterns, error) {
		if level < 0 || level > 1 || math.IsNaN(level) {
			return nil, fmt.Errorf("%w: Occlusion level (the hidden fraction) must be in [0, 1], got %v", hopfieldlib.ErrParameter, level)
		}
		m, err := hopfieldlib.Occlusion(h, w, 1-level)
		if err != nil {
			return nil, err
		}
		return m.Apply(p, fill)
	}
}

// seedRand is the random source of one seed of an experiment.
func seedRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x486f7066)) }

// seedsOrDefault returns seeds, or {1} when there are none.
func seedsOrDefault(seeds []uint64) []uint64 {
	if len(seeds) == 0 {
		return []uint64{1}
	}
	return seeds
}

// checkTol validates an accuracy tolerance.
func checkTol(fn string, tol float64) error {
	if tol < 0 || math.IsNaN(tol) || math.IsInf(tol, 0) {
		return fmt.Errorf("%w: %s: Tol must be finite and ≥ 0, got %v", hopfieldlib.ErrParameter, fn, tol)
	}
	return nil
}

// checkCtx returns ctx.Err() when the context is done.
func checkCtx(ctx context.Context) error {
	if ctx == nil {
		return nil
	}
	return ctx.Err()
}

// withRand returns opts with the given random source for asynchronous dynamics.
func withRand(opts hopfieldlib.RecallOptions, r *rand.Rand) hopfieldlib.RecallOptions {
	opts.Rand = r
	return opts
}

// mean of a []int as float64.
func meanInts(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := 0
	for _, x := range xs {
		s += x
	}
	return float64(s) / float64(len(xs))
}
