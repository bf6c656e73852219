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
