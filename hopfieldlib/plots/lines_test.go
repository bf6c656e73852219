package plots

import (
	"fmt"
	"math"
	"testing"
)

// capacitySeries is a fixed capacity curve: fraction of stable patterns versus K/N.
func capacitySeries() []Series {
	alpha := []float64{0.02, 0.05, 0.08, 0.11, 0.14, 0.17, 0.20}
	return []Series{
		{Name: "N = 100", X: alpha, Y: []float64{1, 0.99, 0.95, 0.85, 0.62, 0.4, 0.22}, Err: []float64{0, 0.01, 0.03, 0.05, 0.07, 0.06, 0.05}},
		{Name: "N = 1000", X: alpha, Y: []float64{1, 1, 0.99, 0.93, 0.55, 0.2, 0.06}, Err: []float64{0, 0, 0.01, 0.02, 0.04, 0.03, 0.02}},
	}
}

func TestLinesGolden(t *testing.T) {
	fig, err := Lines(capacitySeries(), LineOptions{
		Title:  "Classical capacity: stored patterns that stay stable",
		XLabel: "load α = K / N", YLabel: "fraction of stable patterns",
		Refs:   []RefLine{VLine(0.138, "α = 0.138 (Amit et al.)"), HLine(0.5, "half stable")},
		YRange: Range{0, 1.05},
	})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "lines_capacity", fig)

	// Energy over steps: many points (no markers), integer x, legend outside.
	steps := make([]float64, 60)
	e1, e2 := make([]float64, 60), make([]float64, 60)
	for i := range steps {
		steps[i] = float64(i)
		e1[i] = -300 + 250*math.Exp(-float64(i)/6)
		e2[i] = -280 + 230*math.Exp(-float64(i)/15)
	}
	fig, err = Lines([]Series{{Name: "probe 1", X: steps, Y: e1}, {Name: "probe 2", X: steps, Y: e2}},
		LineOptions{Title: "Energy during asynchronous recall", XLabel: "sweep", YLabel: "energy E", IntegerX: true, Legend: LegendOutside})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "lines_energy", fig)

	// β sweep on a log axis with a dashed theory curve.
	beta := []float64{0.1, 0.2, 0.5, 1, 2, 5, 10, 20}
	ent := make([]float64, len(beta))
	theory := make([]float64, len(beta))
	for i, b := range beta {
		ent[i] = math.Log(100) / (1 + b*b/4)
		theory[i] = math.Log(100) / (1 + b*b/5)
	}
	fig, err = Lines([]Series{{Name: "measured", X: beta, Y: ent}, {Name: "model", X: beta, Y: theory, Dashed: true}},
		LineOptions{Title: "Entropy of the attention weights", XLabel: "β", YLabel: "entropy (nats)", LogX: true,
			Refs: []RefLine{HLine(math.Log(100), "ln K (uniform)")}, Legend: LegendBottomLeft})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "lines_beta", fig)

	// Capacity scaling on log-log axes with error bars (asymmetric after the log).
	n := []float64{100, 200, 500, 1000}
	var ss []Series
	for d := 2; d <= 4; d++ {
		y := make([]float64, len(n))
		e := make([]float64, len(n))
		for i, v := range n {
			y[i] = math.Pow(v, float64(d-1)) / 10
			e[i] = y[i] / 3
		}
		ss = append(ss, Series{Name: fmt.Sprintf("F = x^%d", d), X: n, Y: y, Err: e})
	}
	fig, err = Lines(ss, LineOptions{Title: "Dense capacity ~ N^(n−1)", XLabel: "number of units N", YLabel: "stored patterns K",
		LogX: true, LogY: true, Legend: LegendTopLeft, Refs: []RefLine{HLine(1000, "K = 1000")}})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "lines_loglog", fig)
}
