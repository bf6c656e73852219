package main

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// w1Size is one size of workload W1 and numpy's time for it.
type w1Size struct {
	k     int
	numpy float64
}

// benchW1 is workload W1: one step of the continuous modern Hopfield network. d = 784, K = 1,000 /
// 10,000 / 60,000 stored patterns uniform in [0, 1) (seeded), B = 1,000 queries: stored patterns
// 0..999 with units 392..783 set to 0; β = 8, float32. "seconds" is the median time of one
// Step of the whole batch; "accuracy" the fraction of queries whose largest softmax weight is on
// their own pattern; "max_abs_err" the largest difference between the step's result and a float64
// evaluation of Xᵀ softmax(β X ξ), over a sample of 20 queries. Reference: numpy 1.24 + OpenBLAS
// on the same machine took 19 ms / 190 ms / 1.09 s; target ≤ 0.8× numpy at K = 60,000.
func benchW1(ctx context.Context, cfg benchConfig, emit func(benchRecord) error) error {
	const d, b, beta = 784, 1000, 8.0
	sizes := []w1Size{{1000, 0.019}, {10000, 0.19}, {60000, 1.09}}
	if cfg.quick {
		sizes = sizes[:1]
	}
	backend, err := hopfieldlib.NewBackend()
	if err != nil {
		return err
	}
	var nb *numpyBatch // -numpy: the records wait for the reference, run once after every size
	if cfg.numpy {
		if nb, err = newNumpyBatch("W1", cfg); err != nil {
			return err
		}
		defer nb.close()
	}
	for _, size := range sizes {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := rand.New(rand.NewPCG(1, uint64(size.k)))
		data := make([]float32, size.k*d)
		for i := range data {
			data[i] = r.Float32()
		}
		stored, err := hopfieldlib.FromFlat(size.k, d, data)
		if err != nil {
			return err
		}
		queries, err := stored.First(b)
		if err != nil {
			return err
		}
		for q := range b {
			clear(queries.Row(q)[d/2:])
		}
		st, err := timeStep(ctx, cfg, backend, stored, queries, beta)
		if err != nil {
			return err
		}
		next := st.next
		betaV := beta
		rec := benchRecord{
			Workload: "W1", N: d, K: size.k, B: b, Beta: &betaV, Per: "step",
			Seconds: st.median, Min: st.lo, Max: st.hi, Runs: cfg.runs,
			Accuracy: st.accuracy, MaxErr: &st.maxErr, Numpy: size.numpy,
			Note: "Continuous.Step: float32 scores over the columns the queries use (392 of 784 here), " +
				"patterns with weight < 2^-27 of the total dropped, the rest in float64; " +
				"accuracy: largest softmax weight on the query's own pattern; max_abs_err: vs float64 on 20 queries",
		}
		if nb == nil {
			if err := emit(rec); err != nil {
				return err
			}
			continue
		}
		c := numpyCase{N: d, K: size.k, B: b, Beta: beta, Out: nb.path(fmt.Sprintf("xi-%d.f32", size.k))}
		if c.Stored, err = nb.write(fmt.Sprintf("stored-%d.f32", size.k), stored); err != nil {
			return err
		}
		if c.Queries, err = nb.write(fmt.Sprintf("queries-%d.f32", size.k), queries); err != nil {
			return err
		}
		nb.add(c, rec, func(rec *benchRecord) error {
			// numpy's step must compute what the library's does: compare every entry.
			diff, err := numpyMaxDiff(c.Out, next.Flat())
			if err != nil {
				return fmt.Errorf("numpy reference's W1 result: %w", err)
			}
			rec.NumpyMaxDiff = &diff
			return nil
		})
	}
	if nb != nil {
		return nb.run(ctx, emit)
	}
	return nil
}

// stepTiming is what timeStep measures.
type stepTiming struct {
	next             *hopfieldlib.Patterns // the step's result
	median, lo, hi   float64               // seconds
	accuracy, maxErr float64
}

// timeStep builds the continuous network at β and times one Step of the queries (W1, W4), then
// measures its accuracy and its largest difference from float64 on 20 queries.
func timeStep(ctx context.Context, cfg benchConfig, backend compute.Backend, stored, queries *hopfieldlib.Patterns, beta float64) (stepTiming, error) {
	var st stepTiming
	net, err := hopfieldlib.NewContinuous(stored, beta, hopfieldlib.ContinuousConfig{Backend: backend})
	if err != nil {
		return st, err
	}
	if st.median, st.lo, st.hi, err = timeRuns(ctx, cfg.runs, func() error {
		var err error
		st.next, err = net.Step(queries, hopfieldlib.RecallOptions{})
		return err
	}); err != nil {
		return st, err
	}
	if st.accuracy, err = w1Accuracy(net, queries); err != nil {
		return st, err
	}
	st.maxErr = w1MaxError(stored, queries, st.next, beta, 20)
	return st, nil
}

// w1Accuracy is the fraction of queries whose largest softmax weight is on their own pattern
// (query q was made from stored pattern q).
func w1Accuracy(net *hopfieldlib.Continuous, queries *hopfieldlib.Patterns) (float64, error) {
	const chunk = 100 // keeps the B×K weights of one chunk in memory, not all of them
	right := 0
	for q0 := 0; q0 < queries.Len(); q0 += chunk {
		idx := make([]int, 0, chunk)
		for q := q0; q < min(q0+chunk, queries.Len()); q++ {
			idx = append(idx, q)
		}
		sub, err := queries.Subset(idx...)
		if err != nil {
			return 0, err
		}
		w, err := net.Weights(sub)
		if err != nil {
			return 0, err
		}
		for i, q := range idx {
			best, arg := float32(-1), -1
			for mu, v := range w.Row(i) {
				if v > best {
					best, arg = v, mu
				}
			}
			if arg == q {
				right++
			}
		}
	}
	return float64(right) / float64(queries.Len()), nil
}

// w1MaxError is the largest |next − float64 reference| over `sample` queries spread over the batch.
func w1MaxError(stored, queries, next *hopfieldlib.Patterns, beta float64, sample int) float64 {
	k := stored.Len()
	s := make([]float64, k)
	var worst float64
	for i := range sample {
		q := i * queries.Len() / sample
		xi := queries.Row(q)
		m := math.Inf(-1)
		for mu := range k {
			var dot float64
			for j, a := range stored.Row(mu) {
				dot += float64(a) * float64(xi[j])
			}
			s[mu] = dot
			m = max(m, dot)
		}
		ref := make([]float64, stored.Dim())
		var z float64
		for mu := range k {
			w := math.Exp(beta * (s[mu] - m))
			z += w
			if w == 0 {
				continue
			}
			for j, a := range stored.Row(mu) {
				ref[j] += w * float64(a)
			}
		}
		for j, a := range next.Row(q) {
			worst = max(worst, math.Abs(float64(a)-ref[j]/z))
		}
	}
	return worst
}

// numpyMaxDiff reads the numpy reference's float32 result from path and returns its largest
// absolute difference from the library's, entry by entry (both len(got) long).
func numpyMaxDiff(path string, got []float32) (float64, error) {
	want, err := readFloat32(path, len(got))
	if err != nil {
		return 0, err
	}
	var diff float64
	for i, v := range got {
		diff = max(diff, math.Abs(float64(v)-float64(want[i])))
	}
	return diff, nil
}
