package hopfieldlib_test

import (
	"fmt"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// Attention is one Hopfield update: each query retrieves a weighted mix of the values, weighted
// by how well it matches each key. Transformers use β = 1/√d_k.
func ExampleAttention() {
	keys, _ := hopfieldlib.NewPatterns([][]float32{{1, 0}, {0, 1}, {-1, 0}})
	values, _ := hopfieldlib.NewPatterns([][]float32{{10}, {20}, {30}})
	queries, _ := hopfieldlib.NewPatterns([][]float32{{4, 0}, {0, 4}, {1, 1}})
	out, err := hopfieldlib.Attention(queries, keys, values, 1/math.Sqrt(2))
	if err != nil {
		fmt.Println(err)
		return
	}
	w, _ := hopfieldlib.AttentionWeights(queries, keys, 1/math.Sqrt(2))
	for b := range queries.Len() {
		fmt.Printf("query %v: weights %.3f → %.2f\n", queries.Row(b), w.Row(b), out.At(b, 0))
	}
	// Output:
	// query [4 0]: weights [0.941 0.056 0.003] → 10.62
	// query [0 4]: weights [0.053 0.894 0.053] → 20.00
	// query [1 1]: weights [0.446 0.446 0.108] → 16.63
}

// Hopfield pooling summarizes a set with a query: a weighted average of the set's members, the
// closer ones weighing more as β grows (values checked against a float64 Python evaluation).
func ExampleHopfieldPooling() {
	set, _ := hopfieldlib.NewPatterns([][]float32{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}, {0, 0.9, 0.1}})
	query, _ := hopfieldlib.NewPatterns([][]float32{{0, 1, 0}})
	for _, beta := range []float64{1, 20} {
		pooled, _ := hopfieldlib.HopfieldPooling(set, query, beta)
		fmt.Printf("β = %-2g pooled %.3f\n", beta, pooled.Row(0))
	}
	// Output:
	// β = 1  pooled [0.139 0.687 0.174]
	// β = 20 pooled [0.000 0.988 0.012]
}
