package hopfieldlib_test

import (
	"fmt"
	"math/rand/v2"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// Make probes from random spin patterns by flipping 20% of the bits, then measure them.
func ExampleFlipBits() {
	r := rand.New(rand.NewPCG(1, 2))
	stored, _ := hopfieldlib.RandomSpins(3, 100, r)
	probes, err := hopfieldlib.FlipBits(stored, 0.2, r)
	if err != nil {
		fmt.Println(err)
		return
	}
	m, _ := hopfieldlib.Overlap(stored.Row(0), probes.Row(0))
	d, _ := hopfieldlib.Hamming(stored.Row(0), probes.Row(0))
	nearest, _ := hopfieldlib.Nearest(stored, probes)
	acc, _ := hopfieldlib.Accuracy(stored, probes, nil, 0)
	fmt.Printf("overlap %.2f, Hamming distance %d\n", m, d)
	fmt.Println("nearest stored pattern:", nearest)
	fmt.Println("exact accuracy of the probes themselves:", acc)
	// Output:
	// overlap 0.60, Hamming distance 20
	// nearest stored pattern: [0 1 2]
	// exact accuracy of the probes themselves: 0
}
