package hopfieldlib

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// BenchmarkDenseSweep times one asynchronous sweep of B = 100 probes (stored patterns with 20% of
// their units flipped) at N = 784: workload W3 of `hopfield bench`, starting overlaps included.
func BenchmarkDenseSweep(b *testing.B) {
	for _, k := range []int{100, 1000} {
		for _, f := range []Separation{Exponential(1), RectifiedPolynomial(3)} {
			b.Run(fmt.Sprintf("N=784/K=%d/F=%s", k, f), func(b *testing.B) { benchDenseSweep(b, 784, k, 100, f, Async, false) })
		}
	}
	// The portable kernels (what runs without GOEXPERIMENT=simd) and one synchronous step.
	b.Run("N=784/K=1000/F=exp/portable", func(b *testing.B) { benchDenseSweep(b, 784, 1000, 100, Exponential(1), Async, true) })
	b.Run("N=784/K=1000/F=relu^3/portable", func(b *testing.B) {
		benchDenseSweep(b, 784, 1000, 100, RectifiedPolynomial(3), Async, true)
	})
	b.Run("N=784/K=1000/F=relu^3/sync", func(b *testing.B) { benchDenseSweep(b, 784, 1000, 100, RectifiedPolynomial(3), Sync, false) })
}

// BenchmarkDenseEnergy times Energy (one GoMLX matmul for the overlaps, then the float64
// log-domain reduction) for B = 100 states.
func BenchmarkDenseEnergy(b *testing.B) {
	for _, f := range []Separation{Exponential(1), RectifiedPolynomial(3), Polynomial(3)} {
		b.Run(fmt.Sprintf("N=784/K=1000/F=%s", f), func(b *testing.B) {
			r := rand.New(rand.NewPCG(1, 2))
			d := mustDense(b, denseSpins(b, 1000, 784, r), f)
			states := denseSpins(b, 100, 784, r)
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.Energy(states); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func benchDenseSweep(b *testing.B, n, k, batch int, f Separation, dyn Dynamics, portable bool) {
	r := rand.New(rand.NewPCG(3, uint64(k)))
	stored := denseSpins(b, k, n, r)
	d := mustDense(b, stored, f)
	if portable {
		d = withEngine(d, engine.DenseOptions{ISA: engine.Portable})
	}
	idx := make([]int, batch)
	for i := range idx {
		idx[i] = i % k
	}
	clean, _ := stored.Subset(idx...)
	probes := denseNoisy(clean, 0.2, r)
	opts := RecallOptions{Dynamics: dyn, Rand: rand.New(rand.NewPCG(5, 6))}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := d.Step(probes, opts); err != nil {
			b.Fatal(err)
		}
	}
}
