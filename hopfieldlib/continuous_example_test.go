package hopfieldlib_test

import (
	"fmt"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// Store three patterns of 4 units, and recall the first from a probe whose second half is
// zeroed: its scores Xξ are (2, 0, 0), so at β = 8 the weights are (1, e⁻¹⁶, e⁻¹⁶)/Z and one
// step lands on the stored pattern; the second step confirms it. The energy falls to its
// minimum.
func ExampleContinuous_Recall() {
	stored, _ := hopfieldlib.NewPatterns([][]float32{
		{1, 1, -1, -1},
		{1, -1, 1, -1},
		{-1, 1, 1, -1},
	})
	net, err := hopfieldlib.NewContinuous(stored, 8, hopfieldlib.ContinuousConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	probe, _ := hopfieldlib.NewPatterns([][]float32{{1, 1, 0, 0}})
	res, err := net.Recall(probe, hopfieldlib.RecallOptions{RecordEnergy: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("recalled %.3f after %d step(s), converged: %v\n", res.States.Row(0), res.Steps[0], res.Converged[0])
	fmt.Printf("energy per step: %.3f\n", res.Energies[0])
	// Output:
	// recalled [1.000 1.000 -1.000 -1.000] after 1 step(s), converged: true
	// energy per step: [1.137 0.137 0.137]
}

// The softmax weights tell how many stored patterns a state mixes: one at large β (retrieval),
// all of them at small β (the global average), a few in between (a metastable state: here the
// probe hesitates between the two similar patterns). Values checked against a float64 Python
// evaluation.
func ExampleEffectiveCount() {
	stored, _ := hopfieldlib.NewPatterns([][]float32{
		{1, 0, 0}, {0.9, 0.1, 0}, {0, 1, 0}, {0, 0, 1},
	})
	probe, _ := hopfieldlib.NewPatterns([][]float32{{1, 0.05, 0}})
	for _, beta := range []float64{0.01, 3, 100} {
		net, _ := hopfieldlib.NewContinuous(stored, beta, hopfieldlib.ContinuousConfig{})
		w, _ := net.Weights(probe)
		h, _ := hopfieldlib.Entropy(w)
		n, _ := hopfieldlib.EffectiveCount(w)
		fmt.Printf("β = %-5g weights %.3f  entropy %.3f  patterns mixed %.2f\n", beta, w.Row(0), h[0], n[0])
	}
	// Output:
	// β = 0.01  weights [0.251 0.251 0.249 0.249]  entropy 1.386  patterns mixed 4.00
	// β = 3     weights [0.538 0.404 0.031 0.027]  entropy 0.905  patterns mixed 2.47
	// β = 100   weights [1.000 0.000 0.000 0.000]  entropy 0.001  patterns mixed 1.00
}
