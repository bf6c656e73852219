package hopfieldlib_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// A dense associative memory stores far more patterns than the classical network: here
// K = 200 random patterns of N = 100 units (the classical capacity is about 0.138·N ≈ 14), and
// every probe with 20% of its units flipped comes back exactly.
func ExampleDense_Recall() {
	r := rand.New(rand.NewPCG(1, 2))
	stored, _ := hopfieldlib.RandomSpins(200, 100, r)
	net, err := hopfieldlib.NewDense(stored, hopfieldlib.Exponential(1), hopfieldlib.DenseConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	clean, _ := stored.First(5)
	probes, _ := hopfieldlib.FlipBits(clean, 0.2, r)
	res, err := net.Recall(probes, hopfieldlib.RecallOptions{Rand: r, RecordEnergy: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	exact := 0
	for b := range probes.Len() {
		if slices.Equal(res.States.Row(b), clean.Row(b)) {
			exact++
		}
	}
	fmt.Printf("%d of %d probes recalled exactly, all converged: %v, steps: %v\n",
		exact, probes.Len(), res.AllConverged(), res.Steps)
	// Output:
	// 5 of 5 probes recalled exactly, all converged: true, steps: [1 1 1 1 1]
}

// At N = 784 the energy −Σ_μ exp(ξ^μ·σ) of a stored pattern is about −e^784 ≈ −10^340, beyond
// float64. LogEnergy reports ln Σ_μ exp(ξ^μ·σ), here the overlap 784 itself; Energy stays finite
// and ordered (see its documentation for the form it takes there).
func ExampleDense_LogEnergy() {
	r := rand.New(rand.NewPCG(3, 4))
	stored, _ := hopfieldlib.RandomSpins(10, 784, r)
	net, err := hopfieldlib.NewDense(stored, hopfieldlib.Exponential(1), hopfieldlib.DenseConfig{})
	if err != nil {
		fmt.Println(err)
		return
	}
	clean, _ := stored.First(1)
	noisy, _ := hopfieldlib.FlipBits(clean, 0.25, r) // overlap 784 − 2·196 = 392
	for _, s := range []*hopfieldlib.Patterns{clean, noisy} {
		logE, _ := net.LogEnergy(s)
		e, _ := net.Energy(s)
		fmt.Printf("LogEnergy %.4f, Energy finite: %v\n", logE[0], !math.IsInf(e[0], 0) && !math.IsNaN(e[0]))
	}
	// Output:
	// LogEnergy 784.0000, Energy finite: true
	// LogEnergy 392.0000, Energy finite: true
}

// The separation functions and their names.
func ExampleSeparation() {
	for _, f := range []hopfieldlib.Separation{
		hopfieldlib.Polynomial(3), hopfieldlib.RectifiedPolynomial(3), hopfieldlib.Exponential(1),
	} {
		fmt.Printf("%-7s F(-2) = %7.4f  F(2) = %7.4f\n", f, f.F(-2), f.F(2))
	}
	// Output:
	// x^3     F(-2) = -8.0000  F(2) =  8.0000
	// relu^3  F(-2) =  0.0000  F(2) =  8.0000
	// exp     F(-2) =  0.1353  F(2) =  7.3891
}
