package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"
	"time"
)

// benchRecord is one line of `hopfield bench` output: one workload at one size.
type benchRecord struct {
	Workload string   `json:"workload"`              // "W1", "W2", "W3", "W4"
	N        int      `json:"N"`                     // units (pattern dimension d for W1)
	K        int      `json:"K"`                     // stored patterns
	B        int      `json:"B"`                     // probes / queries in the batch
	Beta     *float64 `json:"beta,omitempty"`        // inverse temperature, where it applies
	F        string   `json:"F,omitempty"`           // dense separation function, where it applies
	Per      string   `json:"per"`                   // what one timing covers: "step", "recall", "sweep"
	Seconds  float64  `json:"seconds"`               // median over the counted runs
	Min      float64  `json:"min_seconds"`           // fastest counted run
	Max      float64  `json:"max_seconds"`           // slowest counted run
	Runs     int      `json:"runs"`                  // counted runs (after the warm-up runs)
	Accuracy float64  `json:"accuracy"`              // fraction of probes retrieved / recovered exactly
	MaxErr   *float64 `json:"max_abs_err,omitempty"` // vs a float64 reference, where one is computed
	// Numpy is the numpy 1.24 + OpenBLAS figure quoted in the issue that set the targets,
	// measured once elsewhere and kept as it is, for comparison only: the ratio comes from
	// NumpyMeasured (-numpy), timed in the same run.
	Numpy float64 `json:"numpy_seconds,omitempty"`
	Note  string  `json:"note,omitempty"`

	// W4 (the β sweep): the rate of the two dense products of the step, 4·B·K·N flops over the
	// step's time (the work numpy does; the library may skip part of it), and the machine's peak.
	GFLOPS     float64 `json:"gflops,omitempty"`
	PeakGFLOPS float64 `json:"peak_gflops,omitempty"`
	PeakNote   string  `json:"peak_note,omitempty"`
	Kernels    string  `json:"kernels,omitempty"` // the library's instruction set

	// With -numpy only: bench_numpy.py's timing of the same workload, sizes and data, in this run.
	NumpyMeasured  float64  `json:"numpy_measured_seconds,omitempty"` // median, timed like Seconds
	NumpyMin       float64  `json:"numpy_min_seconds,omitempty"`
	NumpyMax       float64  `json:"numpy_max_seconds,omitempty"`
	NumpyRuns      int      `json:"numpy_runs,omitempty"`
	NumpyAccuracy  *float64 `json:"numpy_accuracy,omitempty"`     // as Accuracy, for numpy's result
	NumpySweeps    *int     `json:"numpy_sweeps,omitempty"`       // W2, W3: sweeps that changed something
	NumpyConverged *bool    `json:"numpy_converged,omitempty"`    // W2, W3: the recall reached a fixed point
	NumpyMaxDiff   *float64 `json:"numpy_max_abs_diff,omitempty"` // W1: max |library − numpy| over the whole step
	NumpyConfig    string   `json:"numpy_config,omitempty"`       // numpy, BLAS library and threads
	Ratio          float64  `json:"ratio,omitempty"`              // Seconds / NumpyMeasured
}

// benchConfig is what every workload gets: the run count and whether to use the quick sizes.
type benchConfig struct {
	runs  int
	quick bool
	numpy bool // also time the numpy reference (bench_numpy.py) in this run
}

// benchWorkload runs one workload and emits one record per size.
type benchWorkload func(ctx context.Context, cfg benchConfig, emit func(benchRecord) error) error

func benchWorkloads() map[string]benchWorkload {
	return map[string]benchWorkload{"W1": benchW1, "W2": benchW2, "W3": benchW3, "W4": benchW4}
}

func runBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("bench", "[-w W1,W2,W3,W4] [-quick] [-runs N] [-numpy]", stderr)
	which := fs.String("w", "W1,W2,W3,W4", "comma-separated workloads to run")
	quick := fs.Bool("quick", false, "small sizes only: a smoke test of every workload in seconds")
	runs := fs.Int("runs", 5, "counted runs per size, after warm-up runs (≥ 5 for the recorded figures)")
	numpy := fs.Bool("numpy", false, "also time the numpy reference of each workload (same sizes, data and cores; "+
		"needs /usr/bin/python3 with numpy) and report it with the ratio")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	if *runs < 1 {
		return usagef("-runs must be ≥ 1, got %d", *runs)
	}
	all := benchWorkloads()
	var names []string
	for _, w := range strings.Split(*which, ",") {
		w = strings.ToUpper(strings.TrimSpace(w))
		if _, ok := all[w]; !ok {
			known := make([]string, 0, len(all))
			for k := range all {
				known = append(known, k)
			}
			sort.Strings(known)
			return usagef("unknown workload %q in -w; known: %s", w, strings.Join(known, ","))
		}
		if !slices.Contains(names, w) {
			names = append(names, w)
		}
	}
	if *numpy {
		if err := checkNumpy(ctx); err != nil {
			return err
		}
	}
	enc := json.NewEncoder(stdout)
	cfg := benchConfig{runs: *runs, quick: *quick, numpy: *numpy}
	for _, name := range names {
		if err := all[name](ctx, cfg, func(r benchRecord) error { return enc.Encode(r) }); err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
	}
	return nil
}

// warmupRuns is the number of uncounted calls before the timed ones, on both sides: the first
// calls on a new network (or new numpy arrays) also pay for memory the process touches for the
// first time and for a heap still growing to its working size.
const warmupRuns = 3

// timeRuns calls fn warmupRuns times uncounted and then runs times, returning the median,
// minimum and maximum wall time in seconds. It stops early with ctx's error.
func timeRuns(ctx context.Context, runs int, fn func() error) (median, lo, hi float64, err error) {
	for range warmupRuns {
		if err := fn(); err != nil {
			return 0, 0, 0, err
		}
	}
	times := make([]float64, 0, runs)
	for range runs {
		if err := ctx.Err(); err != nil {
			return 0, 0, 0, err
		}
		start := time.Now()
		if err := fn(); err != nil {
			return 0, 0, 0, err
		}
		times = append(times, time.Since(start).Seconds())
	}
	slices.Sort(times)
	n := len(times)
	median = times[n/2]
	if n%2 == 0 {
		median = (times[n/2-1] + times[n/2]) / 2
	}
	return median, times[0], times[n-1], nil
}
