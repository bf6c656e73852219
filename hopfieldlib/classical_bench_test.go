package hopfieldlib

import (
	"fmt"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// benchClassical builds the W2 workload: K random patterns of N units, B probes (the patterns,
// cycled) with 20% of the units flipped.
func benchClassical(b *testing.B, n, k, batch int, rule LearningRule) (*Classical, *Patterns) {
	b.Helper()
	r := seeded(uint64(k))
	c := mustClassical(b, testSpins(r, k, n, .5), ClassicalConfig{Rule: rule})
	idx := make([]int, batch)
	for i := range idx {
		idx[i] = i % k
	}
	probes, err := c.stored.Subset(idx...)
	if err != nil {
		b.Fatal(err)
	}
	return c, testFlip(r, probes, 0.2)
}

// BenchmarkClassicalRecall: asynchronous recall until no unit changes (the W2 workload).
func BenchmarkClassicalRecall(b *testing.B) {
	for _, k := range []int{10, 50, 100} {
		b.Run(fmt.Sprintf("N=784/K=%d/B=100", k), func(b *testing.B) {
			c, probes := benchClassical(b, 784, k, 100, Hebbian)
			opts := RecallOptions{Rand: seeded(1), MaxSteps: 50}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Recall(probes, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkClassicalAsyncMode compares the two Hebbian async representations (the choice made by
// engine.UseOverlaps): overlaps m = Xσ versus local fields h = Wσ − θ.
func BenchmarkClassicalAsyncMode(b *testing.B) {
	for _, k := range []int{10, 50, 78, 100, 200} {
		for _, mode := range []string{"overlaps", "fields"} {
			b.Run(fmt.Sprintf("N=784/K=%d/B=100/%s", k, mode), func(b *testing.B) {
				c, probes := benchClassical(b, 784, k, 100, Hebbian)
				c.overlaps = nil
				if mode == "overlaps" {
					c.overlaps = engine.NewOverlaps(c.stored.data, c.k, c.n, c.stheta, c.isa)
				}
				opts := RecallOptions{Rand: seeded(1), MaxSteps: 50}
				b.ReportAllocs()
				for b.Loop() {
					if _, err := c.Recall(probes, opts); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkClassicalSyncRecall: synchronous recall, one graph execution per step.
func BenchmarkClassicalSyncRecall(b *testing.B) {
	for _, k := range []int{10, 100} {
		b.Run(fmt.Sprintf("N=784/K=%d/B=100", k), func(b *testing.B) {
			c, probes := benchClassical(b, 784, k, 100, Hebbian)
			opts := RecallOptions{Dynamics: Sync, MaxSteps: 50}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := c.Recall(probes, opts); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkNewClassical: building the weights with each rule.
func BenchmarkNewClassical(b *testing.B) {
	for _, rule := range []LearningRule{Hebbian, Storkey, PseudoInverse} {
		b.Run(fmt.Sprintf("%v/N=784/K=100", rule), func(b *testing.B) {
			x := testSpins(seeded(1), 100, 784, .5)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := NewClassical(x, ClassicalConfig{Rule: rule}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
