package plots

import "testing"

// benchRender measures building a figure and rendering it to PNG at DPI and at Show's density.
func benchRender(b *testing.B, build func() (*Figure, error)) {
	for _, dpi := range []int{DPI, showScale * DPI} {
		name := "PNG"
		if dpi != DPI {
			name = "Show-PNG"
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				fig, err := build()
				if err != nil {
					b.Fatal(err)
				}
				if _, err := fig.pngAt(dpi); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func BenchmarkImageGrid(b *testing.B) {
	stored := testShapes(10, 28, 28)
	probes := flipped(stored, 0.2, 1)
	b.Run("3x10/28x28", func(b *testing.B) {
		benchRender(b, func() (*Figure, error) {
			return ImageGrid(28, 28, []GridRow{{Label: "stored", Images: stored}, {Label: "probe", Images: probes}, {Label: "recalled", Images: stored}}, GridOptions{})
		})
	})
}

func BenchmarkLines(b *testing.B) {
	b.Run("2 series/7 points", func(b *testing.B) {
		benchRender(b, func() (*Figure, error) {
			return Lines(capacitySeries(), LineOptions{XLabel: "α", YLabel: "stable", Refs: []RefLine{VLine(0.138, "0.138")}})
		})
	})
}

func BenchmarkHeatmap(b *testing.B) {
	for _, size := range []struct {
		name       string
		rows, cols int
	}{{"10x10", 10, 10}, {"100x1000", 100, 1000}} {
		m := softmaxRows(size.rows, size.cols, 8, 1)
		b.Run(size.name, func(b *testing.B) {
			benchRender(b, func() (*Figure, error) {
				return Heatmap(m, HeatmapOptions{XLabel: "key", YLabel: "query", ColorLabel: "weight"})
			})
		})
	}
}

func BenchmarkLandscape(b *testing.B) {
	b.Run("81x81", func(b *testing.B) {
		benchRender(b, func() (*Figure, error) {
			g, err := SampleGrid(twoPatternEnergy(4), -0.5, 1.5, 81, -0.5, 1.5, 81)
			if err != nil {
				return nil, err
			}
			return Landscape(g, LandscapeOptions{XLabel: "a", YLabel: "b", ColorLabel: "E", Marks: []Mark{{X: 1, Y: 0, Label: "ξ¹"}}})
		})
	})
}

func BenchmarkAnimate(b *testing.B) {
	stored := testShapes(3, 28, 28)
	frames := fakeTrajectory(stored, flipped(stored, 0.3, 2), 4)
	frames = frames[:min(len(frames), 100)]
	b.Run("100 frames/3x28x28", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			a, err := Animate(frames, 28, 28, AnimOptions{})
			if err != nil {
				b.Fatal(err)
			}
			if _, err := a.GIF(); err != nil {
				b.Fatal(err)
			}
		}
	})
}
