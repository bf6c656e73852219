package plots

import (
	"errors"
	"math"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

func TestLinesErrors(t *testing.T) {
	ok := Series{X: []float64{1, 2}, Y: []float64{3, 4}}
	labels := LineOptions{XLabel: "x", YLabel: "y"}
	with := func(f func(*LineOptions)) LineOptions { o := labels; f(&o); return o }
	cases := []struct {
		name   string
		series []Series
		opts   LineOptions
		want   error
	}{
		{"no series", nil, labels, hopfieldlib.ErrEmpty},
		{"empty series", []Series{{Name: "a"}}, labels, hopfieldlib.ErrEmpty},
		{"x/y lengths", []Series{{X: []float64{1, 2}, Y: []float64{1}}}, labels, hopfieldlib.ErrShape},
		{"err length", []Series{{X: []float64{1, 2}, Y: []float64{1, 2}, Err: []float64{1}}}, labels, hopfieldlib.ErrShape},
		{"NaN y", []Series{{X: []float64{1, 2}, Y: []float64{1, math.NaN()}}}, labels, hopfieldlib.ErrNotFinite},
		{"Inf x", []Series{{X: []float64{math.Inf(1), 2}, Y: []float64{1, 2}}}, labels, hopfieldlib.ErrNotFinite},
		{"NaN err", []Series{{X: []float64{1, 2}, Y: []float64{1, 2}, Err: []float64{0, math.NaN()}}}, labels, hopfieldlib.ErrNotFinite},
		{"negative err", []Series{{X: []float64{1, 2}, Y: []float64{1, 2}, Err: []float64{0, -1}}}, labels, hopfieldlib.ErrParameter},
		{"no x label", []Series{ok}, LineOptions{YLabel: "y"}, hopfieldlib.ErrParameter},
		{"no y label", []Series{ok}, LineOptions{XLabel: "x"}, hopfieldlib.ErrParameter},
		{"log x of 0", []Series{{X: []float64{0, 1}, Y: []float64{1, 2}}}, with(func(o *LineOptions) { o.LogX = true }), hopfieldlib.ErrParameter},
		{"log y of -1", []Series{{X: []float64{1, 2}, Y: []float64{-1, 2}}}, with(func(o *LineOptions) { o.LogY = true }), hopfieldlib.ErrParameter},
		{"log y error bar below 0", []Series{{X: []float64{1, 2}, Y: []float64{1, 2}, Err: []float64{1, 0}}}, with(func(o *LineOptions) { o.LogY = true }), hopfieldlib.ErrParameter},
		{"NaN ref", []Series{ok}, with(func(o *LineOptions) { o.Refs = []RefLine{VLine(math.NaN(), "x")} }), hopfieldlib.ErrNotFinite},
		{"ref at 0 on log x", []Series{ok}, with(func(o *LineOptions) { o.LogX = true; o.Refs = []RefLine{VLine(0, "x")} }), hopfieldlib.ErrParameter},
		{"reversed range", []Series{ok}, with(func(o *LineOptions) { o.YRange = Range{1, 0} }), hopfieldlib.ErrParameter},
		{"NaN range", []Series{ok}, with(func(o *LineOptions) { o.XRange = Range{math.NaN(), 1} }), hopfieldlib.ErrNotFinite},
		{"log x range from 0", []Series{ok}, with(func(o *LineOptions) { o.LogX = true; o.XRange = Range{0, 10} }), hopfieldlib.ErrParameter},
		{"unknown legend", []Series{ok}, with(func(o *LineOptions) { o.Legend = 42 }), hopfieldlib.ErrParameter},
	}
	for _, c := range cases {
		fig, err := Lines(c.series, c.opts)
		if !errors.Is(err, c.want) || fig != nil {
			t.Errorf("%s: got (%v, %v), want an error wrapping %v", c.name, fig, err, c.want)
		}
	}
}

func TestBarsErrors(t *testing.T) {
	cats := []string{"a", "b"}
	opts := BarOptions{XLabel: "class", YLabel: "count"}
	cases := []struct {
		name   string
		cats   []string
		series []BarSeries
		opts   BarOptions
		want   error
	}{
		{"no categories", nil, []BarSeries{{Values: []float64{}}}, opts, hopfieldlib.ErrEmpty},
		{"no series", cats, nil, opts, hopfieldlib.ErrEmpty},
		{"length", cats, []BarSeries{{Values: []float64{1}}}, opts, hopfieldlib.ErrShape},
		{"err length", cats, []BarSeries{{Values: []float64{1, 2}, Err: []float64{1}}}, opts, hopfieldlib.ErrShape},
		{"NaN", cats, []BarSeries{{Values: []float64{1, math.NaN()}}}, opts, hopfieldlib.ErrNotFinite},
		{"negative err", cats, []BarSeries{{Values: []float64{1, 2}, Err: []float64{-1, 0}}}, opts, hopfieldlib.ErrParameter},
		{"no labels", cats, []BarSeries{{Values: []float64{1, 2}}}, BarOptions{}, hopfieldlib.ErrParameter},
	}
	for _, c := range cases {
		if _, err := Bars(c.cats, c.series, c.opts); !errors.Is(err, c.want) {
			t.Errorf("Bars %s: got %v, want an error wrapping %v", c.name, err, c.want)
		}
	}
	hopts := HistOptions{BarOptions: BarOptions{XLabel: "steps"}}
	hcases := []struct {
		name   string
		series []HistSeries
		opts   HistOptions
		want   error
	}{
		{"no samples", nil, hopts, hopfieldlib.ErrEmpty},
		{"empty sample", []HistSeries{{Name: "a"}}, hopts, hopfieldlib.ErrEmpty},
		{"Inf", []HistSeries{{Values: []float64{1, math.Inf(-1)}}}, hopts, hopfieldlib.ErrNotFinite},
		{"negative bins", []HistSeries{{Values: []float64{1}}}, HistOptions{BarOptions: hopts.BarOptions, Bins: -1}, hopfieldlib.ErrParameter},
		{"no x label", []HistSeries{{Values: []float64{1}}}, HistOptions{}, hopfieldlib.ErrParameter},
	}
	for _, c := range hcases {
		if _, err := Histogram(c.series, c.opts); !errors.Is(err, c.want) {
			t.Errorf("Histogram %s: got %v, want an error wrapping %v", c.name, err, c.want)
		}
	}
}

func TestImageGridErrors(t *testing.T) {
	p := testShapes(2, 4, 4)
	nan := p.Clone()
	nan.Flat()[0] = float32(math.NaN())
	cases := []struct {
		name string
		h, w int
		rows []GridRow
		opts GridOptions
		want error
	}{
		{"no rows", 4, 4, nil, GridOptions{}, hopfieldlib.ErrEmpty},
		{"nil images", 4, 4, []GridRow{{Label: "a"}}, GridOptions{}, hopfieldlib.ErrEmpty},
		{"h·w ≠ N", 4, 3, []GridRow{{Images: p}}, GridOptions{}, hopfieldlib.ErrShape},
		{"zero size", 0, 16, []GridRow{{Images: p}}, GridOptions{}, hopfieldlib.ErrParameter},
		{"highlight length", 4, 4, []GridRow{{Images: p, Highlight: []bool{true}}}, GridOptions{}, hopfieldlib.ErrShape},
		{"NaN pixel", 4, 4, []GridRow{{Images: nan}}, GridOptions{}, hopfieldlib.ErrNotFinite},
		{"too many captions", 4, 4, []GridRow{{Images: p}}, GridOptions{Captions: []string{"a", "b", "c"}}, hopfieldlib.ErrShape},
		{"bad range", 4, 4, []GridRow{{Images: p}}, GridOptions{Range: Range{0, 0.0 - 1}}, hopfieldlib.ErrParameter},
		{"negative cell", 4, 4, []GridRow{{Images: p}}, GridOptions{CellWidth: -1}, hopfieldlib.ErrParameter},
		{"too many columns", 1, 1, []GridRow{{Images: mustZeros(maxGridCols+1, 1)}}, GridOptions{}, hopfieldlib.ErrParameter},
	}
	for _, c := range cases {
		if _, err := ImageGrid(c.h, c.w, c.rows, c.opts); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want an error wrapping %v", c.name, err, c.want)
		}
	}
}

func mustZeros(k, n int) *hopfieldlib.Patterns {
	p, err := hopfieldlib.Zeros(k, n)
	if err != nil {
		panic(err)
	}
	return p
}

func TestHeatmapErrors(t *testing.T) {
	m := softmaxRows(3, 4, 1, 1)
	nan := m.Clone()
	nan.Flat()[2] = float32(math.Inf(1))
	opts := HeatmapOptions{XLabel: "key", YLabel: "query", ColorLabel: "weight"}
	cases := []struct {
		name string
		m    *hopfieldlib.Patterns
		opts HeatmapOptions
		want error
	}{
		{"nil", nil, opts, hopfieldlib.ErrEmpty},
		{"Inf", nan, opts, hopfieldlib.ErrNotFinite},
		{"no colour label", m, HeatmapOptions{XLabel: "key", YLabel: "query"}, hopfieldlib.ErrParameter},
		{"negative MaxCells", m, HeatmapOptions{XLabel: "k", YLabel: "q", ColorLabel: "w", MaxCells: -1}, hopfieldlib.ErrParameter},
		{"bad range", m, HeatmapOptions{XLabel: "k", YLabel: "q", ColorLabel: "w", Range: Range{2, 1}}, hopfieldlib.ErrParameter},
	}
	for _, c := range cases {
		if _, err := Heatmap(c.m, c.opts); !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want an error wrapping %v", c.name, err, c.want)
		}
	}
}

func TestLandscapeErrors(t *testing.T) {
	f := func(x, y float64) float64 { return x*x + y*y }
	sg := []struct {
		name           string
		f              func(x, y float64) float64
		x0, x1, y0, y1 float64
		nx, ny         int
		want           error
	}{
		{"nil f", nil, 0, 1, 0, 1, 3, 3, hopfieldlib.ErrParameter},
		{"reversed x", f, 1, 0, 0, 1, 3, 3, hopfieldlib.ErrParameter},
		{"NaN bound", f, 0, math.NaN(), 0, 1, 3, 3, hopfieldlib.ErrNotFinite},
		{"one point", f, 0, 1, 0, 1, 1, 3, hopfieldlib.ErrParameter},
		{"huge", f, 0, 1, 0, 1, 3, maxGridSide + 1, hopfieldlib.ErrParameter},
		{"f gives NaN", func(x, y float64) float64 { return math.Log(x) * 0 }, -1, 1, 0, 1, 3, 3, hopfieldlib.ErrNotFinite},
	}
	for _, c := range sg {
		if _, err := SampleGrid(c.f, c.x0, c.x1, c.nx, c.y0, c.y1, c.ny); !errors.Is(err, c.want) {
			t.Errorf("SampleGrid %s: got %v, want an error wrapping %v", c.name, err, c.want)
		}
	}
	opts := LandscapeOptions{XLabel: "a", YLabel: "b", ColorLabel: "E"}
	good, err := SampleGrid(f, 0, 1, 3, 0, 1, 3)
	if err != nil {
		t.Fatal(err)
	}
	lc := []struct {
		name string
		g    *Grid
		opts LandscapeOptions
		want error
	}{
		{"nil grid", nil, opts, hopfieldlib.ErrEmpty},
		{"1 column", &Grid{X: []float64{0}, Y: []float64{0, 1}, Z: []float64{0, 0}}, opts, hopfieldlib.ErrEmpty},
		{"Z length", &Grid{X: []float64{0, 1}, Y: []float64{0, 1}, Z: []float64{0, 0, 0}}, opts, hopfieldlib.ErrShape},
		{"uneven X", &Grid{X: []float64{0, 1, 3}, Y: []float64{0, 1}, Z: make([]float64, 6)}, opts, hopfieldlib.ErrParameter},
		{"decreasing Y", &Grid{X: []float64{0, 1}, Y: []float64{1, 0}, Z: make([]float64, 4)}, opts, hopfieldlib.ErrParameter},
		{"NaN Z", &Grid{X: []float64{0, 1}, Y: []float64{0, 1}, Z: []float64{0, math.NaN(), 0, 0}}, opts, hopfieldlib.ErrNotFinite},
		{"no colour label", good, LandscapeOptions{XLabel: "a", YLabel: "b"}, hopfieldlib.ErrParameter},
		{"NaN mark", good, LandscapeOptions{XLabel: "a", YLabel: "b", ColorLabel: "E", Marks: []Mark{{X: math.NaN()}}}, hopfieldlib.ErrNotFinite},
		{"too many levels", good, LandscapeOptions{XLabel: "a", YLabel: "b", ColorLabel: "E", Levels: 1000}, hopfieldlib.ErrParameter},
	}
	for _, c := range lc {
		if _, err := Landscape(c.g, c.opts); !errors.Is(err, c.want) {
			t.Errorf("Landscape %s: got %v, want an error wrapping %v", c.name, err, c.want)
		}
	}
}
