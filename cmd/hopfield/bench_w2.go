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
	for _, size := range sizes {
		r := rand.New(rand.NewPCG(2, uint64(size.k)))
		stored, err := w2RandomSpins(r, size.k, n)
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
		probes := w2FlipBits(r, clean, noise)
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
		exact, sweeps := 0, 0
		for p := range size.b {
			if slices.Equal(res.States.Row(p), clean.Row(p)) {
				exact++
			}
			sweeps = max(sweeps, res.Steps[p])
		}
		rec := benchRecord{
			Workload: "W2", N: n, K: size.k, B: size.b, Per: "recall",
			Seconds: median, Min: lo, Max: hi, Runs: cfg.runs,
			Accuracy: float64(exact) / float64(size.b),
			Numpy:    size.numpy,
			Note: fmt.Sprintf("Hebbian, async, %d%% flipped, at most %d sweeps (longest probe: %d), all converged: %v",
				int(noise*100), maxSteps, sweeps, res.AllConverged()),
		}
		if err := emit(rec); err != nil {
			return err
		}
	}
	return nil
}

// w2RandomSpins returns k random ±1 patterns of n units.
func w2RandomSpins(r *rand.Rand, k, n int) (*hopfieldlib.Patterns, error) {
	rows := make([][]float32, k)
	for mu := range rows {
		rows[mu] = make([]float32, n)
		for i := range rows[mu] {
			rows[mu][i] = float32(2*r.IntN(2) - 1)
		}
	}
	return hopfieldlib.NewPatterns(rows)
}

// w2FlipBits returns a copy of p with round(frac·N) distinct units of every row negated.
func w2FlipBits(r *rand.Rand, p *hopfieldlib.Patterns, frac float64) *hopfieldlib.Patterns {
	out := p.Clone()
	n := out.Dim()
	flips := int(frac*float64(n) + 0.5)
	for b := range out.Len() {
		row := out.Row(b)
		for _, i := range r.Perm(n)[:flips] {
			row[i] = -row[i]
		}
	}
	return out
}
