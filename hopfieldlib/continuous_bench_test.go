package hopfieldlib

import (
	"fmt"
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
// columns); "dense" is ContinuousConfig.Dense, no pruning: all weights and the GoMLX product.
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
