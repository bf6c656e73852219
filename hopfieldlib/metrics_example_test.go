package hopfieldlib_test

import (
	"fmt"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// Cosine similarity and the two notions of accuracy on continuous states.
func ExampleNearestAccuracy() {
	stored, _ := hopfieldlib.NewPatterns([][]float32{{1, 0, 0}, {0, 1, 0}})
	states, _ := hopfieldlib.NewPatterns([][]float32{{0.9, 0.1, 0}, {0.6, 0.4, 0}})
	c, _ := hopfieldlib.Cosine(stored.Row(0), states.Row(0))
	exact, _ := hopfieldlib.Accuracy(stored, states, []int{0, 1}, 0.15)
	near, _ := hopfieldlib.NearestAccuracy(stored, states, []int{0, 1})
	fmt.Printf("cosine %.3f, within 0.15: %.1f, nearest: %.1f\n", c, exact, near)
	// Output:
	// cosine 0.994, within 0.15: 0.5, nearest: 0.5
}
