package hopfieldlib

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// benchmarkContinuousStep times one step of workload W1: B = 1000 queries (stored patterns with
// units 392..783 zeroed), d = 784, K random uniform patterns, β = 8.
func benchmarkContinuousStep(b *testing.B, k int, cfg ContinuousConfig) {
	const d, nq = 784, 1000
	x := contRandom(b, k, d, 0, 1, uint64(k))
	queries := contHalfMasked(b, x, nq)
	if cfg.Backend == nil {
		cfg.Backend = contBackend(b)
	}
	net, err := NewContinuous(x, 8, cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := net.Step(queries, RecallOptions{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(2*float64(nq)*float64(k)*d*float64(b.N)/b.Elapsed().Seconds()/1e9, "scoreGFLOP/s")
}

func BenchmarkContinuousStep(b *testing.B) {
	for _, k := range []int{1000, 10000, 60000} {
		b.Run(fmt.Sprintf("N=784/K=%d", k), func(b *testing.B) {
			if k > 10000 && testing.Short() {
				b.Skip("K=60000 takes seconds per step; not in -short")
			}
			benchmarkContinuousStep(b, k, ContinuousConfig{})
		})
	}
}

// BenchmarkContinuousStepVariants separates what W1's speed comes from, at K = 10,000: "masked"
// is W1 itself; "unmasked" uses probes with no zero units (the scores then cover all 784
// columns); "dense" is ContinuousConfig.Dense: every query through both products.
func BenchmarkContinuousStepVariants(b *testing.B) {
	const k, d, nq = 10000, 784, 1000
	x := contRandom(b, k, d, 0, 1, k)
	masked := contHalfMasked(b, x, nq)
	unmasked, err := x.First(nq)
	if err != nil {
		b.Fatal(err)
	}
	for i, v := range unmasked.Flat() { // move every unit a little: no zero column left
		unmasked.Flat()[i] = v*0.9 + 0.05
	}
	for _, tc := range []struct {
		name    string
		queries *Patterns
		cfg     ContinuousConfig
	}{
		{"masked", masked, ContinuousConfig{}},
		{"unmasked", unmasked, ContinuousConfig{}},
		{"dense", masked, ContinuousConfig{Dense: true}},
	} {
		b.Run(fmt.Sprintf("N=784/K=%d/%s", k, tc.name), func(b *testing.B) {
			tc.cfg.Backend = contBackend(b)
			net, err := NewContinuous(x, 8, tc.cfg)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := net.Step(tc.queries, RecallOptions{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// contNoisyQueries returns b queries made from the first b stored patterns, 0.8·x + 0.2·u + 0.01
// with u uniform in [0, 1): noisy, and no unit is zero (the queries of W4).
func contNoisyQueries(t testing.TB, x *Patterns, b int, seed uint64) *Patterns {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 3))
	q := make([]float32, b*x.Dim())
	for i := range q {
		q[i] = 0.8*x.data[i%len(x.data)] + 0.2*r.Float32() + 0.01
	}
	p, err := FromFlat(b, x.Dim(), q)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// BenchmarkContinuousBetaSweep is workload W4 of `hopfield bench`: one step, B = 1000 queries with
// no zero unit, d = 784, K uniform patterns, β from 0.001 (weights over every pattern) to 100
// (nearly one-hot). It reports the rate of the two dense products numpy computes, 4·B·K·d per
// step (the library skips the second for queries that keep few patterns).
func BenchmarkContinuousBetaSweep(b *testing.B) {
	const d, nq = 784, 1000
	for _, k := range []int{1000, 10000, 60000} {
		x := contRandom(b, k, d, 0, 1, uint64(k))
		queries := contNoisyQueries(b, x, nq, 1)
		for _, beta := range []float64{0.001, 0.01, 0.1, 1, 10, 100} {
			b.Run(fmt.Sprintf("N=784/K=%d/beta=%g", k, beta), func(b *testing.B) {
				if k > 10000 && testing.Short() {
					b.Skip("K=60000 takes seconds per step; not in -short")
				}
				net, err := NewContinuous(x, beta, ContinuousConfig{Backend: contBackend(b)})
				if err != nil {
					b.Fatal(err)
				}
				for b.Loop() {
					if _, err := net.Step(queries, RecallOptions{}); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(4*float64(nq)*float64(k)*d*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
			})
		}
	}
}

// BenchmarkContinuousProducts compares, in one run, the two matrix products of a step on this
// package's kernels and as GoMLX graphs on the pure-Go backend (its DotGeneral, with
// GOEXPERIMENT=simd its SIMD matmul): Dense at β = 0.001 sends every query through both.
func BenchmarkContinuousProducts(b *testing.B) {
	const d, nq, k = 784, 1000, 10000
	x := contRandom(b, k, d, 0, 1, k)
	queries := contNoisyQueries(b, x, nq, 1)
	for _, tc := range []struct {
		name string
		cfg  ContinuousConfig
	}{
		{"kernels", ContinuousConfig{Dense: true}},
		{"gomlx", ContinuousConfig{Dense: true, graphs: true}},
	} {
		b.Run(fmt.Sprintf("N=784/K=%d/%s", k, tc.name), func(b *testing.B) {
			tc.cfg.Backend = contBackend(b)
			net, err := NewContinuous(x, 0.001, tc.cfg)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				if _, err := net.Step(queries, RecallOptions{}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(4*float64(nq)*float64(k)*d*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
		})
	}
}
