package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// w2Size is one size of workload W2 and numpy's time for it (0: none measured).
type w2Size struct {
	k, b  int
	numpy float64
}

// benchW2 is workload W2: classical asynchronous recall. N = 784 units, K = 10 / 50 / 100 random
// ±1 patterns (Hebbian), B = 100 probes (the stored patterns, cycled) with 20% of their units
// flipped; sweeps in a fresh random order until a sweep changes nothing (at most 50). "seconds"
// is the median time of one whole recall of the batch; "accuracy" the fraction of probes that
// end exactly on their stored pattern. Reference: numpy 1.24 + OpenBLAS on the same machine took
// 16 ms (K = 10) and 22 ms (K = 50); target ≥ 10× faster.
func benchW2(ctx context.Context, cfg benchConfig, emit func(benchRecord) error) error {
	const n, noise, maxSteps = 784, 0.2, 50
	sizes := []w2Size{{k: 10, b: 100, numpy: 0.016}, {k: 50, b: 100, numpy: 0.022}, {k: 100, b: 100}}
	if cfg.quick {
		sizes = []w2Size{{k: 10, b: 20}}
	}
	backend, err := hopfieldlib.NewBackend()
	if err != nil {
		return err
	}
	var nb *numpyBatch // -numpy: the records wait for the reference, run once after every size
	if cfg.numpy {
		if nb, err = newNumpyBatch("W2", cfg); err != nil {
			return err
		}
		defer nb.close()
	}
	for _, size := range sizes {
		r := rand.New(rand.NewPCG(2, uint64(size.k)))
		stored, err := hopfieldlib.RandomSpins(size.k, n, r)
		if err != nil {
			return err
		}
		net, err := hopfieldlib.NewClassical(stored, hopfieldlib.ClassicalConfig{Backend: backend})
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
		var res *hopfieldlib.RecallResult
		seed := uint64(0)
		median, lo, hi, err := timeRuns(ctx, cfg.runs, func() error {
			seed++ // a fresh random order every run, reproducible from run to run of the program
			var err error
			res, err = net.Recall(probes, hopfieldlib.RecallOptions{
				Dynamics: hopfieldlib.Async,
				MaxSteps: maxSteps,
				Rand:     rand.New(rand.NewPCG(seed, 7)),
			})
			return err
		})
		if err != nil {
			return err
		}
		accuracy, err := hopfieldlib.Accuracy(stored, res.States, want, 0)
		if err != nil {
			return err
		}
		rec := benchRecord{
			Workload: "W2", N: n, K: size.k, B: size.b, Per: "recall",
			Seconds: median, Min: lo, Max: hi, Runs: cfg.runs,
			Accuracy: accuracy,
			Numpy:    size.numpy,
			Note: fmt.Sprintf("Hebbian, async, %d%% flipped, at most %d sweeps (longest probe: %d), all converged: %v",
				int(noise*100), maxSteps, slices.Max(res.Steps), res.AllConverged()),
		}
		if nb == nil {
			if err := emit(rec); err != nil {
				return err
			}
			continue
		}
		c := numpyCase{N: n, K: size.k, B: size.b, MaxSweeps: maxSteps}
		if c.Stored, err = nb.write(fmt.Sprintf("stored-%d.f32", size.k), stored); err != nil {
			return err
		}
		if c.Queries, err = nb.write(fmt.Sprintf("probes-%d.f32", size.k), probes); err != nil {
			return err
		}
		nb.add(c, rec, nil)
	}
	if nb != nil {
		return nb.run(ctx, emit)
	}
	return nil
}
