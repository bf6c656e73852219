package experiments_test

import (
	"context"
	"fmt"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/experiments"
)

// BenchmarkCapacity: the classical capacity sweep of the figures, 15 loads α from 0.02 to 0.30 ×
// 3 seeds, stability plus recall of up to 100 probes per run.
func BenchmarkCapacity(b *testing.B) {
	alphas := make([]float64, 15)
	for i := range alphas {
		alphas[i] = 0.02 * float64(i+1)
	}
	for _, n := range []int{200, 1000} {
		for _, probes := range []int{100, -1} {
			name := fmt.Sprintf("N=%d/loads=15/seeds=3/probes=%d", n, probes)
			if probes < 0 {
				name = fmt.Sprintf("N=%d/loads=15/seeds=3/stability-only", n)
			}
			b.Run(name, func(b *testing.B) {
				b.ReportAllocs()
				build := experiments.Classical(hopfieldlib.ClassicalConfig{})
				for b.Loop() {
					if _, err := experiments.Capacity(context.Background(), experiments.CapacityConfig{
						N: n, Ks: experiments.LoadsToKs(n, alphas...), Seeds: []uint64{1, 2, 3}, Build: build, MaxProbes: probes,
					}); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkSpuriousCensus: 1,000 random starts in a classical network of N = 100, K = 5.
func BenchmarkSpuriousCensus(b *testing.B) {
	net, err := hopfieldlib.NewClassical(spins(b, 5, 100, 1), hopfieldlib.ClassicalConfig{})
	if err != nil {
		b.Fatal(err)
	}
	b.Run("N=100/K=5/starts=1000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := experiments.SpuriousCensus(context.Background(), net, experiments.CensusConfig{Starts: 1000}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
