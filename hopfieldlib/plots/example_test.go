package plots_test

import (
	"bytes"
	"errors"
	"fmt"
	"image/png"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/plots"
)

// checker returns k 8×8 spin images: checkerboards with squares of 1, 2, 4, … units.
func checker(k int) *hopfieldlib.Patterns {
	data := make([]float32, 0, k*64)
	for s := range k {
		for r := range 8 {
			for c := range 8 {
				v := float32(-1)
				if (r>>s+c>>s)%2 == 0 {
					v = 1
				}
				data = append(data, v)
			}
		}
	}
	p, err := hopfieldlib.FromFlat(k, 64, data)
	if err != nil {
		panic(err)
	}
	return p
}

func ExampleImageGrid() {
	stored := checker(3)
	probes := stored.Clone()
	for i := range 20 { // flip the first 20 units of every probe
		for b := range probes.Len() {
			probes.Set(b, i, -probes.At(b, i))
		}
	}
	fig, err := plots.ImageGrid(8, 8, []plots.GridRow{
		{Label: "stored", Images: stored},
		{Label: "probe", Images: probes, Highlight: []bool{false, true, false}},
	}, plots.GridOptions{Captions: []string{"1", "2", "4"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	data, err := fig.PNG() // or fig.Show() in GoNB, fig.Save("grid.png") elsewhere
	if err != nil {
		fmt.Println(err)
		return
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("PNG size:", img.Bounds().Size())

	// A mistake in the data is an error, not a panic.
	_, err = plots.ImageGrid(28, 28, []plots.GridRow{{Images: stored}}, plots.GridOptions{})
	fmt.Println(errors.Is(err, hopfieldlib.ErrShape))
	// Output:
	// PNG size: (308,197)
	// true
}

func ExampleLines() {
	// Capacity curve with error bars over seeds and the classical theory line.
	alpha := []float64{0.05, 0.10, 0.15, 0.20}
	fig, err := plots.Lines([]plots.Series{
		{Name: "N = 1000", X: alpha, Y: []float64{1, 0.97, 0.41, 0.08}, Err: []float64{0, 0.01, 0.05, 0.02}},
	}, plots.LineOptions{
		Title:  "Capacity of the classical network",
		XLabel: "load α = K / N", YLabel: "fraction of stable patterns",
		Refs: []plots.RefLine{plots.VLine(0.138, "α = 0.138")},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	svg, err := fig.SVG()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(bytes.Contains(svg, []byte("fraction of stable patterns")))
	fmt.Println(bytes.Contains(svg, []byte("α = 0.138")))
	// Output:
	// true
	// true
}

func ExampleHistogram() {
	steps := []float64{2, 3, 3, 4, 4, 4, 5, 5, 6, 9}
	fig, err := plots.Histogram([]plots.HistSeries{{Name: "classical", Values: steps}},
		plots.HistOptions{BarOptions: plots.BarOptions{XLabel: "steps to converge"}})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Integer data get one bin per integer, 2 … 9.
	fmt.Println(fig.Plot().X.Min, fig.Plot().X.Max, fig.Plot().Y.Label.Text)
	// Output:
	// 1.5 9.5 count
}

func ExampleHeatmap() {
	// Softmax attention weights of 4 queries over 1000 stored patterns.
	weights, err := hopfieldlib.Zeros(4, 1000)
	if err != nil {
		fmt.Println(err)
		return
	}
	for q := range 4 {
		weights.Set(q, 250*q+7, 1) // one-hot: query q retrieves pattern 250q + 7
	}
	fig, err := plots.Heatmap(weights, plots.HeatmapOptions{
		XLabel: "stored pattern μ", YLabel: "query", ColorLabel: "attention weight",
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	// 1000 columns are drawn in blocks of 3, each showing its largest weight.
	fmt.Println(fig.Plot().X.Label.Text)
	// Output:
	// stored pattern μ  (each cell: max of 3)
}

func ExampleLandscape() {
	// E(a, b) = −lse(β, (a, b)) + ½(a² + b²): two wells at the stored patterns (1, 0) and (0, 1).
	beta := 4.0
	grid, err := plots.SampleGrid(func(a, b float64) float64 {
		s1, s2 := beta*a, beta*b
		m := math.Max(s1, s2)
		return -(m+math.Log(math.Exp(s1-m)+math.Exp(s2-m)))/beta + 0.5*(a*a+b*b)
	}, -0.5, 1.5, 41, -0.5, 1.5, 41)
	if err != nil {
		fmt.Println(err)
		return
	}
	fig, err := plots.Landscape(grid, plots.LandscapeOptions{
		XLabel: "overlap with ξ¹", YLabel: "overlap with ξ²", ColorLabel: "energy E",
		Marks: []plots.Mark{{X: 1, Y: 0, Label: "ξ¹"}, {X: 0, Y: 1, Label: "ξ²"}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(len(grid.X), len(grid.Y), fig.Width > 0)
	// Output:
	// 41 41 true
}

func ExampleAnimate() {
	// Frames of a recall trajectory: each frame holds the states of all probes.
	target := checker(1)
	state := target.Clone()
	for i := range 32 {
		state.Set(0, i, -state.At(0, i))
	}
	var frames []*hopfieldlib.Patterns
	for i := 0; i <= 32; i += 8 {
		frames = append(frames, state.Clone())
		for j := i; j < min(i+8, 32); j++ {
			state.Set(0, j, target.At(0, j)) // restore 8 units per frame
		}
	}
	anim, err := plots.Animate(frames, 8, 8, plots.AnimOptions{
		FrameLabel: func(t int) string { return fmt.Sprintf("%d units updated", 8*t) },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	gif, err := anim.GIF() // or anim.Show() in GoNB
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(anim.Len(), "frames,", string(gif[:6]))
	// Output:
	// 5 frames, GIF89a
}

func ExampleFigure_Show() {
	fig, err := plots.Lines([]plots.Series{{X: []float64{0, 1, 2}, Y: []float64{0, -5, -6}}},
		plots.LineOptions{XLabel: "sweep", YLabel: "energy E", IntegerX: true})
	if err != nil {
		fmt.Println(err)
		return
	}
	// In a GoNB cell this displays the figure; elsewhere it says it needs GoNB.
	err = fig.Show()
	fmt.Println(errors.Is(err, plots.ErrNotNotebook))
	// Output:
	// true
}
