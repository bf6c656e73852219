package plots

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// softmaxRows returns a rows×cols matrix of softmax(β·s) rows for random scores s (fixed seed),
// with query i aligned to key i mod cols: an attention-weight fixture.
func softmaxRows(rows, cols int, beta float64, seed uint64) *hopfieldlib.Patterns {
	rng := rand.New(rand.NewPCG(seed, 7))
	data := make([]float32, rows*cols)
	for i := range rows {
		s := make([]float64, cols)
		mx := math.Inf(-1)
		for j := range s {
			s[j] = beta * rng.NormFloat64() * 0.3
			if j == i%cols {
				s[j] += beta
			}
			mx = math.Max(mx, s[j])
		}
		var z float64
		for j := range s {
			s[j] = math.Exp(s[j] - mx)
			z += s[j]
		}
		for j := range s {
			data[i*cols+j] = float32(s[j] / z)
		}
	}
	p, err := hopfieldlib.FromFlat(rows, cols, data)
	if err != nil {
		panic(err)
	}
	return p
}

func TestHeatmapGolden(t *testing.T) {
	fig, err := Heatmap(softmaxRows(10, 10, 2, 1), HeatmapOptions{
		Title: "Attention weights softmax(β ξᵀX), β = 2", XLabel: "stored pattern μ", YLabel: "query", ColorLabel: "weight"})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "heatmap_small", fig)

	fig, err = Heatmap(softmaxRows(100, 1000, 8, 2), HeatmapOptions{
		Title: "100 queries × 1000 stored patterns, β = 8", XLabel: "stored pattern μ", YLabel: "query", ColorLabel: "weight"})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "heatmap_large", fig)
}

// twoPatternEnergy is the continuous Hopfield energy E = −lse(β, Xᵀξ) + ½ξᵀξ (constants dropped)
// with three orthonormal stored patterns, over the plane ξ = a·x¹ + b·x²: in these coordinates
// the overlaps are (a, b, 0).
func twoPatternEnergy(beta float64) func(a, b float64) float64 {
	return func(a, b float64) float64 {
		s := []float64{beta * a, beta * b, 0}
		mx := math.Max(s[0], math.Max(s[1], s[2]))
		var z float64
		for _, v := range s {
			z += math.Exp(v - mx)
		}
		return -(mx+math.Log(z))/beta + 0.5*(a*a+b*b)
	}
}

func TestLandscapeGolden(t *testing.T) {
	g, err := SampleGrid(twoPatternEnergy(4), -0.5, 1.5, 81, -0.5, 1.5, 81)
	if err != nil {
		t.Fatal(err)
	}
	fig, err := Landscape(g, LandscapeOptions{
		Title: "Energy over the plane through ξ¹ and ξ², β = 4", XLabel: "overlap with ξ¹", YLabel: "overlap with ξ²",
		ColorLabel: "energy E", Marks: []Mark{{X: 1, Y: 0, Label: "ξ¹"}, {X: 0, Y: 1, Label: "ξ²"}, {X: 0.5, Y: 0.5, Label: "mixture"}}})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "landscape_beta4", fig)
}
