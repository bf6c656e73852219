package hopfieldlib_test

import (
	"fmt"
	"math/rand/v2"
	"slices"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// overlap is m = (1/N) Σ_i a_i b_i: 1 for equal spin patterns, -1 for opposite ones.
func overlap(a, b []float32) float64 {
	var s float64
	for i := range a {
		s += float64(a[i] * b[i])
	}
	return s / float64(len(a))
}

// Store three random patterns of 100 units, flip 20 units of the first and recall it.
func ExampleClassical_Recall() {
	r := rand.New(rand.NewPCG(1, 2))
	const k, n = 3, 100
	rows := make([][]float32, k)
	for mu := range rows {
		rows[mu] = make([]float32, n)
		for i := range rows[mu] {
			rows[mu][i] = float32(2*r.IntN(2) - 1)
		}
	}
	stored, err := hopfieldlib.NewPatterns(rows)
	if err != nil {
		fmt.Println(err)
		return
	}
	net, err := hopfieldlib.NewClassical(stored, hopfieldlib.ClassicalConfig{Rule: hopfieldlib.Hebbian})
	if err != nil {
		fmt.Println(err)
		return
	}

	probe, _ := stored.Subset(0)
	for _, i := range r.Perm(n)[:20] {
		probe.Set(0, i, -probe.At(0, i))
	}
	res, err := net.Recall(probe, hopfieldlib.RecallOptions{Rand: r, RecordEnergy: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("overlap with the stored pattern: before %.2f, after %.2f\n",
		overlap(probe.Row(0), stored.Row(0)), overlap(res.States.Row(0), stored.Row(0)))
	fmt.Printf("sweeps %d, converged %v\n", res.Steps[0], res.Converged[0])
	fmt.Printf("energy %.2f → %.2f\n", res.Energies[0][0], res.Energies[0][len(res.Energies[0])-1])
	// Output:
	// overlap with the stored pattern: before 0.60, after 1.00
	// sweeps 1, converged true
	// energy -17.80 → -49.72
}

// The energy E = -½ sᵀWs of a stored pattern is about -N/2; a random state sits near 0.
func ExampleClassical_Energy() {
	stored, _ := hopfieldlib.NewPatterns([][]float32{
		{1, 1, -1, -1},
		{1, -1, 1, -1},
	})
	net, err := hopfieldlib.NewClassical(stored, hopfieldlib.ClassicalConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	states, _ := hopfieldlib.NewPatterns([][]float32{
		{1, 1, -1, -1},
		{1, 1, 1, 1},
	})
	e, _ := net.Energy(states)
	fmt.Println(e)
	fmt.Println(net.Weights().Rows())
	// Output:
	// [-1 1]
	// [[0 0 0 -0.5] [0 0 -0.5 0] [0 -0.5 0 0] [-0.5 0 0 0]]
}

// Store 25 random patterns in 100 units (K/N = 0.25, beyond the Hebbian capacity 0.138) with each
// learning rule and count the patterns that one synchronous update leaves unchanged.
func ExampleLearningRule() {
	stored, err := hopfieldlib.RandomSpins(25, 100, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, rule := range []hopfieldlib.LearningRule{hopfieldlib.Hebbian, hopfieldlib.Storkey, hopfieldlib.PseudoInverse} {
		net, err := hopfieldlib.NewClassical(stored, hopfieldlib.ClassicalConfig{Rule: rule})
		if err != nil {
			fmt.Println(err)
			return
		}
		next, err := net.Step(stored, hopfieldlib.RecallOptions{Dynamics: hopfieldlib.Sync})
		if err != nil {
			fmt.Println(err)
			return
		}
		fixed := 0
		for mu := range stored.Len() {
			if slices.Equal(next.Row(mu), stored.Row(mu)) {
				fixed++
			}
		}
		fmt.Printf("%-14v %2d of %d stored patterns are fixed points\n", rule, fixed, stored.Len())
	}
	// Output:
	// hebbian         3 of 25 stored patterns are fixed points
	// storkey        25 of 25 stored patterns are fixed points
	// pseudo-inverse 25 of 25 stored patterns are fixed points
}
