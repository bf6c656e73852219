package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// w3Size is one size of workload W3 and numpy's time for one sweep at that size (0: none
// measured).
type w3Size struct {
	k, b  int
	numpy float64
}

// benchW3 is workload W3: one sweep of dense asynchronous dynamics (Krotov & Hopfield 2016;
// Demircigil et al. 2017). N = 784 units, K = 100 and 1,000 random ±1 patterns, B = 100 probes:
// the stored patterns, cycled (probe b starts from pattern b mod K), each with exactly 20% of its
// units flipped (157 of 784, chosen at random per probe). Two separation functions: F = exp with
// β = 1 on the raw overlaps ("exp") and the rectified cubic max(x, 0)³ ("relu^3").
//
// "seconds" is the median time of one Step (one asynchronous sweep over all units in a random
// order, the batch's starting overlaps included) over cfg.runs runs after a warm-up, each run
// from the same noisy probes with a fresh order. "accuracy", measured separately from the timing,
// is the fraction of probes that a full Recall (sweeps until nothing changes, at most 50) brings
// exactly back to their stored pattern. Reference, numpy 1.24 + OpenBLAS on the same machine:
// 22-29 ms per sweep at K = 100 and 130-160 ms at K = 1,000 (the figures below are the midpoints);
// target ≤ 0.2× that. cfg.quick: K = 100 with 20 probes only.
func benchW3(ctx context.Context, cfg benchConfig, emit func(benchRecord) error) error {
	const n, noise, maxSteps = 784, 0.2, 50
	sizes := []w3Size{{k: 100, b: 100, numpy: 0.025}, {k: 1000, b: 100, numpy: 0.145}}
	if cfg.quick {
		sizes = []w3Size{{k: 100, b: 20}} // numpy was measured at B = 100 only
	}
	funcs := []hopfieldlib.Separation{hopfieldlib.Exponential(1), hopfieldlib.RectifiedPolynomial(3)}
	backend, err := hopfieldlib.NewBackend()
	if err != nil {
		return err
	}
	var nb *numpyBatch // -numpy: the records wait for the reference, run once after every size
	if cfg.numpy {
		if nb, err = newNumpyBatch("W3", cfg); err != nil {
			return err
		}
		defer nb.close()
	}
	for _, size := range sizes {
		r := rand.New(rand.NewPCG(3, uint64(size.k)))
		stored, err := hopfieldlib.RandomSpins(size.k, n, r)
		if err != nil {
			return err
		}
		want := make([]int, size.b)
		for i := range want {
			want[i] = i % size.k
		}
		clean, err := stored.Subset(want...)
		if err != nil {
			return err
		}
		probes, err := hopfieldlib.FlipBits(clean, noise, r)
		if err != nil {
			return err
		}
		var data numpyCase // -numpy: the files of this size, shared by both functions
		if nb != nil {
			data = numpyCase{N: n, K: size.k, B: size.b, MaxSweeps: maxSteps}
			if data.Stored, err = nb.write(fmt.Sprintf("stored-%d.f32", size.k), stored); err != nil {
				return err
			}
			if data.Queries, err = nb.write(fmt.Sprintf("probes-%d.f32", size.k), probes); err != nil {
				return err
			}
		}
		for _, f := range funcs {
			net, err := hopfieldlib.NewDense(stored, f, hopfieldlib.DenseConfig{Backend: backend})
			if err != nil {
				return err
			}
			seed := uint64(0)
			median, lo, hi, err := timeRuns(ctx, cfg.runs, func() error {
				seed++ // a fresh random order every run, reproducible from run to run of the program
				_, err := net.Step(probes, hopfieldlib.RecallOptions{Rand: rand.New(rand.NewPCG(seed, 7))})
				return err
			})
			if err != nil {
				return err
			}
			res, err := net.Recall(probes, hopfieldlib.RecallOptions{MaxSteps: maxSteps, Rand: rand.New(rand.NewPCG(1, 7))})
			if err != nil {
				return err
			}
			exact, sweeps := 0, 0
			for p := range size.b {
				if slices.Equal(res.States.Row(p), clean.Row(p)) {
					exact++
				}
				sweeps = max(sweeps, res.Steps[p])
			}
			rec := benchRecord{
				Workload: "W3", N: n, K: size.k, B: size.b, F: f.String(), Per: "sweep",
				Seconds: median, Min: lo, Max: hi, Runs: cfg.runs,
				Accuracy: float64(exact) / float64(size.b),
				Numpy:    size.numpy,
				Note: fmt.Sprintf("one async sweep from %d%% flipped bits; accuracy from a full recall "+
					"(at most %d sweeps, longest probe: %d, all converged: %v)",
					int(noise*100), maxSteps, sweeps, res.AllConverged()),
			}
			if f.IsExponential() {
				beta := f.Beta()
				rec.Beta = &beta
			}
			if nb == nil {
				if err := emit(rec); err != nil {
					return err
				}
				continue
			}
			c := data
			c.F = f.String()
			if rec.Beta != nil {
				c.Beta = *rec.Beta
			}
			nb.add(c, rec, nil)
		}
	}
	if nb != nil {
		return nb.run(ctx, emit)
	}
	return nil
}
