package plots

import (
	"math/rand/v2"
	"testing"
)

func TestBarsGolden(t *testing.T) {
	fig, err := Bars([]string{"stored ξ", "inverted −ξ", "3-mixture", "other spurious"},
		[]BarSeries{
			{Name: "K = 5", Values: []float64{412, 380, 150, 58}, Err: []float64{20, 18, 12, 9}},
			{Name: "K = 10", Values: []float64{260, 255, 290, 195}, Err: []float64{15, 16, 17, 14}},
		},
		BarOptions{Title: "Where random probes end (N = 100, 1000 probes)", XLabel: "final state", YLabel: "probes"})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "bars_census", fig)

	rng := rand.New(rand.NewPCG(3, 4))
	classical := make([]float64, 300)
	modern := make([]float64, 300)
	for i := range classical {
		classical[i] = float64(3 + rng.IntN(6) + rng.IntN(6))
		modern[i] = float64(1 + rng.IntN(3))
	}
	fig, err = Histogram([]HistSeries{{Name: "classical (async sweeps)", Values: classical}, {Name: "continuous (updates)", Values: modern}},
		HistOptions{BarOptions: BarOptions{Title: "Steps to converge", XLabel: "steps"}})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "hist_steps", fig)
}
