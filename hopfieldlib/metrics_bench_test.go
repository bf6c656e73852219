package hopfieldlib_test

import (
	"fmt"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// BenchmarkNearest: the nearest stored pattern of B = 1000 states (the scoring of the MNIST
// retrieval claims), for K stored images of N = 784 pixels.
func BenchmarkNearest(b *testing.B) {
	for _, k := range []int{100, 1000} {
		stored, _ := hopfieldlib.RandomUniform(k, 784, utilRand(1))
		states, _ := hopfieldlib.RandomUniform(1000, 784, utilRand(2))
		b.Run(fmt.Sprintf("N=784/K=%d/B=1000", k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := hopfieldlib.Nearest(stored, states); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkFlipBits: 20% bit-flip probes for B = 1000 patterns of N = 784 units.
func BenchmarkFlipBits(b *testing.B) {
	p, _ := hopfieldlib.RandomSpins(1000, 784, utilRand(3))
	r := utilRand(4)
	b.Run("N=784/B=1000", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := hopfieldlib.FlipBits(p, 0.2, r); err != nil {
				b.Fatal(err)
			}
		}
	})
}
