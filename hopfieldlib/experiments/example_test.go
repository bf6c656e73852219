package experiments_test

import (
	"context"
	"fmt"
	"os"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/experiments"
)

// The fraction of stored random patterns that are fixed points of a Hebbian network of 200
// units, as the load α = K/N grows past N/(2 ln N)/N ≈ 0.094.
func ExampleCapacity() {
	tab, err := experiments.Capacity(context.Background(), experiments.CapacityConfig{
		N:         200,
		Ks:        experiments.LoadsToKs(200, 0.02, 0.1, 0.2),
		Build:     experiments.Classical(hopfieldlib.ClassicalConfig{}),
		Seeds:     []uint64{1, 2, 3},
		MaxProbes: -1, // stability only
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	alpha, stable, _ := tab.XY("alpha", "stable")
	for i := range alpha {
		fmt.Printf("α = %.2f: %.2f stable\n", alpha[i], stable[i])
	}
	fmt.Printf("McEliece N/(2 ln N) = %.1f patterns\n", experiments.McElieceCapacity(200))
	// Output:
	// α = 0.02: 1.00 stable
	// α = 0.10: 0.95 stable
	// α = 0.20: 0.13 stable
	// McEliece N/(2 ln N) = 18.9 patterns
}

// A table prints as Markdown and writes CSV; columns come out as plain series for plots.
func ExampleTable() {
	tab, err := experiments.NewTable("accuracy vs noise",
		experiments.Column{Name: "noise", Values: []float64{0, 0.2, 0.4}},
		experiments.Column{Name: "accuracy", Values: []float64{1, 0.9, 0.35}},
	)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(tab.Markdown())
	_ = tab.WriteCSV(os.Stdout)
	xs, ys, _ := tab.XY("noise", "accuracy")
	fmt.Println(xs, ys)
	// Output:
	// | noise | accuracy |
	// | ---: | ---: |
	// | 0 | 1 |
	// | 0.2 | 0.9 |
	// | 0.4 | 0.35 |
	// noise,accuracy
	// 0,1
	// 0.2,0.9
	// 0.4,0.35
	// [0 0.2 0.4] [1 0.9 0.35]
}

// Classify the end states of recall in a small network: the census of spurious states.
func ExampleSpuriousCensus() {
	stored, _ := hopfieldlib.NewPatterns([][]float32{
		{1, 1, 1, 1, -1, -1, -1, -1, 1, 1, 1, 1, -1, -1, -1, -1},
		{1, 1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1, 1, 1, -1, -1},
		{1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1, -1},
	})
	states, _ := hopfieldlib.NewPatterns([][]float32{
		{-1, -1, -1, -1, 1, 1, 1, 1, -1, -1, -1, -1, 1, 1, 1, 1},
		{1, 1, 1, -1, 1, -1, -1, -1, 1, 1, 1, -1, 1, -1, -1, -1},
	})
	classes, err := experiments.Classify(stored, states)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(classes)
	// Output:
	// [inverted mixture of 3]
}
