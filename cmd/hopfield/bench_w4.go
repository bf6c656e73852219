package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// w4Betas are the inverse temperatures of W4: from weights spread over every pattern (the
// metastable and global regime) to nearly one-hot.
var w4Betas = []float64{0.001, 0.01, 0.1, 1, 10, 100}

// benchW4 is workload W4, the β sweep: one step of the continuous network, d = 784, K = 1,000 /
// 10,000 / 60,000 stored patterns uniform in [0, 1) (seeded), B = 1,000 noisy queries with no
// zero unit (query b = 0.8·pattern b + 0.2·u + 0.01, u uniform in [0, 1)), at every β of
// w4Betas, float32. "seconds" is the median time of one Step of the whole batch; "gflops" the
// rate 4·B·K·d / seconds of the two dense products numpy computes; "accuracy" the fraction of
// queries whose largest weight is on their own pattern; "max_abs_err" the largest difference from
// a float64 evaluation over 20 queries. With -numpy the reference of each case is timed right
// after the library's. Target: ≤ 0.5× numpy at every β and K.
func benchW4(ctx context.Context, cfg benchConfig, emit func(benchRecord) error) error {
	const d, b = 784, 1000
	sizes := []int{1000, 10000, 60000}
	betas := w4Betas
	if cfg.quick {
		sizes, betas = sizes[:1], []float64{0.01, 10}
	}
	backend, err := hopfieldlib.NewBackend()
	if err != nil {
		return err
	}
	peak := measurePeak()
	// With -numpy, each case's numpy reference runs right after the library's timing of it (one
	// script run per case), so that both see the same machine: on a shared machine the load
	// drifts over the minutes a whole sweep takes.
	var dataDir string
	if cfg.numpy {
		if dataDir, err = os.MkdirTemp("", "hopfield-bench-w4-"); err != nil {
			return err
		}
		defer os.RemoveAll(dataDir)
	}
	for _, k := range sizes {
		if err := ctx.Err(); err != nil {
			return err
		}
		stored, queries, err := w4Data(k, b, d)
		if err != nil {
			return err
		}
		var storedPath, queriesPath string
		if cfg.numpy {
			if storedPath, err = writeFloat32(filepath.Join(dataDir, fmt.Sprintf("stored-%d.f32", k)), stored); err != nil {
				return err
			}
			if queriesPath, err = writeFloat32(filepath.Join(dataDir, fmt.Sprintf("queries-%d.f32", k)), queries); err != nil {
				return err
			}
		}
		// A step at K = 1,000 takes about 10 ms: in 5 runs one hiccup of the machine (a garbage
		// collection, pages the host reclaimed) moves the median. Smaller sizes get at least 25
		// runs, on both sides.
		kcfg := cfg
		if k <= 1000 && !cfg.quick {
			kcfg.runs = max(cfg.runs, 25)
		}
		for _, beta := range betas {
			st, err := timeStep(ctx, kcfg, backend, stored, queries, beta)
			if err != nil {
				return err
			}
			next := st.next
			betaV := beta
			flops := 4 * float64(b) * float64(k) * d
			rec := benchRecord{
				Workload: "W4", N: d, K: k, B: b, Beta: &betaV, Per: "step",
				Seconds: st.median, Min: st.lo, Max: st.hi, Runs: kcfg.runs,
				Accuracy: st.accuracy, MaxErr: &st.maxErr,
				GFLOPS: flops / st.median / 1e9, PeakGFLOPS: peak.GFLOPS, PeakNote: peak.Note,
				Kernels: hopfieldlib.Kernels(),
				Note: "Continuous.Step on queries with no zero unit; gflops: 4·B·K·d/seconds, the two dense products " +
					"(numpy's work: the library skips the second one for queries whose softmax is nearly one-hot)",
			}
			if !cfg.numpy {
				if err := emit(rec); err != nil {
					return err
				}
				continue
			}
			if err := w4Numpy(ctx, kcfg, rec, storedPath, queriesPath, next, emit); err != nil {
				return err
			}
		}
	}
	return nil
}

// w4Numpy times the numpy reference of one W4 case (a script run of its own), checks that it
// computes what the library did, and emits the record.
func w4Numpy(ctx context.Context, cfg benchConfig, rec benchRecord, storedPath, queriesPath string, next *hopfieldlib.Patterns, emit func(benchRecord) error) error {
	nb, err := newNumpyBatch("W4", cfg)
	if err != nil {
		return err
	}
	defer nb.close()
	c := numpyCase{N: rec.N, K: rec.K, B: rec.B, Beta: *rec.Beta, Stored: storedPath, Queries: queriesPath, Out: nb.path("xi.f32")}
	nb.add(c, rec, func(rec *benchRecord) error {
		diff, err := numpyMaxDiff(c.Out, next.Flat())
		if err != nil {
			return fmt.Errorf("numpy reference's W4 result: %w", err)
		}
		rec.NumpyMaxDiff = &diff
		return nil
	})
	return nb.run(ctx, emit)
}

// w4Data returns W4's stored patterns (k×d uniform in [0, 1)) and b queries made from the first
// b of them, 0.8·x + 0.2·u + 0.01 with u uniform in [0, 1): noisy, and no unit is zero.
func w4Data(k, b, d int) (stored, queries *hopfieldlib.Patterns, err error) {
	r := rand.New(rand.NewPCG(4, uint64(k)))
	data := make([]float32, k*d)
	for i := range data {
		data[i] = r.Float32()
	}
	if stored, err = hopfieldlib.FromFlat(k, d, data); err != nil {
		return nil, nil, err
	}
	q := make([]float32, b*d)
	for i := range q {
		q[i] = 0.8*data[i%(k*d)] + 0.2*r.Float32() + 0.01
	}
	queries, err = hopfieldlib.FromFlat(b, d, q)
	return stored, queries, err
}
