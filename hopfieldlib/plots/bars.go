package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BarSeries is one named set of bars, one value per category, with optional error bars ±Err.
type BarSeries struct {
	Name   string
	Values []float64
	Err    []float64
}

// BarOptions controls [Bars] and [Histogram]. XLabel is required; YLabel too for Bars
// (Histogram defaults it to "count" or "fraction").
type BarOptions struct {
	Title, XLabel, YLabel string
	Legend                LegendPosition
	// YRange fixes the value axis; zero means from 0 (or the smallest negative value) to the
	// largest value.
	YRange Range
}

// Bars draws a bar chart: one group of bars per category, one bar per series in each group
// (e.g. the census of spurious states by class, or steps to converge per model).
func Bars(categories []string, series []BarSeries, opts BarOptions) (*Figure, error) {
	if err := checkLabels("Bars", []string{"XLabel", "YLabel"}, opts.XLabel, opts.YLabel); err != nil {
		return nil, err
	}
	if len(categories) == 0 {
		return nil, fmt.Errorf("%w: Bars needs at least one category, got none", hopfieldlib.ErrEmpty)
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("%w: Bars needs at least one series, got none", hopfieldlib.ErrEmpty)
	}
	if err := checkLegend(opts.Legend); err != nil {
		return nil, err
	}
	if err := opts.YRange.check("BarOptions.YRange"); err != nil {
		return nil, err
	}
	for i, s := range series {
		name := fmt.Sprintf("series %d (%q)", i, s.Name)
		if len(s.Values) != len(categories) {
			return nil, fmt.Errorf("%w: Bars: %s has %d values for %d categories",
				hopfieldlib.ErrShape, name, len(s.Values), len(categories))
		}
		if len(s.Err) != 0 && len(s.Err) != len(s.Values) {
			return nil, fmt.Errorf("%w: Bars: %s has %d values and %d error values (want 0 or %d)",
				hopfieldlib.ErrShape, name, len(s.Values), len(s.Err), len(s.Values))
		}
		if err := checkFinite(name+".Values", s.Values); err != nil {
			return nil, err
		}
		if err := checkFinite(name+".Err", s.Err); err != nil {
			return nil, err
		}
		for j, e := range s.Err {
			if e < 0 {
				return nil, fmt.Errorf("%w: Bars: %s.Err[%d] = %v: error bars must be ≥ 0", hopfieldlib.ErrParameter, name, j, e)
			}
		}
	}

	p := newPlot(opts.Title, opts.XLabel, opts.YLabel)
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal.Color = color.Gray{Y: 0xe4}
	g.Horizontal.Width = vg.Points(0.6)
	p.Add(g)
	leg := newLegend()
	group := 0.8
	width := group / float64(len(series))
	// Bar widths are in data units (one category = 1); barChart converts them at draw time.
	for i, s := range series {
		off := (float64(i) - float64(len(series)-1)/2) * width
		b := &bars{values: s.Values, errs: s.Err, offset: off, width: width, color: seriesColor(i)}
		p.Add(b)
		if s.Name != "" {
			leg.add(s.Name, b)
		}
	}
	p.NominalX(categories...)
	p.X.Tick.Label = textStyle(tickSize)
	p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = -0.5, -1
	if longLabels(categories) {
		p.X.Tick.Label.Rotation = math.Pi / 6
		p.X.Tick.Label.XAlign, p.X.Tick.Label.YAlign = -1, -0.5
	}
	p.X.Min, p.X.Max = -0.5, float64(len(categories))-0.5
	headroom(p, opts.YRange)
	return plotFigure(p, leg, opts.Legend), nil
}

// longLabels reports whether category labels would collide at the default width.
func longLabels(labels []string) bool {
	sty := textStyle(tickSize)
	var w vg.Length
	for _, l := range labels {
		w = max(w, sty.Width(l))
	}
	return (w+vg.Points(6))*vg.Length(len(labels)) > DefaultWidth-vg.Points(80)
}

// bars draws one series of bars at x = i + offset, in data units, from 0 to the value.
type bars struct {
	values, errs  []float64
	offset, width float64
	color         color.Color
	lo, hi        []float64 // histogram: explicit bin edges instead of categories
}

// span returns the x extent of bar i.
func (b *bars) span(i int) (float64, float64) {
	if b.lo != nil {
		return b.lo[i], b.hi[i]
	}
	x := float64(i) + b.offset
	return x - b.width/2, x + b.width/2
}

// Plot implements plot.Plotter.
func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	outline := draw.LineStyle{Color: color.Gray{Y: 0x40}, Width: vg.Points(0.6)}
	for i, v := range b.values {
		x0, x1 := b.span(i)
		lo, hi := math.Min(0, v), math.Max(0, v)
		rect := vg.Rectangle{Min: vg.Point{X: trX(x0), Y: trY(lo)}, Max: vg.Point{X: trX(x1), Y: trY(hi)}}
		pts := c.ClipPolygonXY([]vg.Point{rect.Min, {X: rect.Max.X, Y: rect.Min.Y}, rect.Max, {X: rect.Min.X, Y: rect.Max.Y}})
		c.FillPolygon(b.color, pts)
		if v != 0 {
			c.StrokeLines(outline, append(pts, pts[0]))
		}
	}
	errStyle := draw.LineStyle{Color: color.Black, Width: vg.Points(1)}
	for i, e := range b.errs {
		x0, x1 := b.span(i)
		x := trX((x0 + x1) / 2)
		y0, y1 := trY(b.values[i]-e), trY(b.values[i]+e)
		c.StrokeLines(errStyle, c.ClipLinesY([]vg.Point{{X: x, Y: y0}, {X: x, Y: y1}})...)
		cap := vg.Points(3)
		for _, y := range []vg.Length{y0, y1} {
			if c.ContainsY(y) {
				c.StrokeLine2(errStyle, x-cap, y, x+cap, y)
			}
		}
	}
}

// DataRange implements plot.DataRanger.
func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	ymin, ymax = 0, 0
	for i, v := range b.values {
		x0, x1 := b.span(i)
		xmin, xmax = math.Min(xmin, x0), math.Max(xmax, x1)
		e := 0.0
		if i < len(b.errs) {
			e = b.errs[i]
		}
		ymin, ymax = math.Min(ymin, v-e), math.Max(ymax, v+e)
	}
	return xmin, xmax, ymin, ymax
}

// Thumbnail implements plot.Thumbnailer.
func (b *bars) Thumbnail(c *draw.Canvas) {
	pts := []vg.Point{c.Min, {X: c.Max.X, Y: c.Min.Y}, c.Max, {X: c.Min.X, Y: c.Max.Y}}
	c.FillPolygon(b.color, pts)
}

// HistSeries is one named sample for a [Histogram].
type HistSeries struct {
	Name   string
	Values []float64
}

// HistOptions controls [Histogram].
type HistOptions struct {
	BarOptions
	// Bins is the number of bins; 0 chooses: one bin per integer for integer data spanning at
	// most 60 values (e.g. steps to converge), otherwise √n clamped to [5, 50].
	Bins int
	// Normalize shows the fraction of each sample per bin instead of counts, so samples of
	// different sizes compare.
	Normalize bool
}

// maxBins bounds the number of bins of a histogram.
const maxBins = 1000

// Histogram draws the distribution of one or more samples on shared bins, the bars of several
// samples side by side within each bin (e.g. steps to converge, classical versus modern).
func Histogram(series []HistSeries, opts HistOptions) (*Figure, error) {
	if opts.YLabel == "" {
		opts.YLabel = "count"
		if opts.Normalize {
			opts.YLabel = "fraction"
		}
	}
	if err := checkLabels("Histogram", []string{"XLabel"}, opts.XLabel); err != nil {
		return nil, err
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("%w: Histogram needs at least one sample, got none", hopfieldlib.ErrEmpty)
	}
	if opts.Bins < 0 || opts.Bins > maxBins {
		return nil, fmt.Errorf("%w: HistOptions.Bins must be between 0 (automatic) and %d, got %d",
			hopfieldlib.ErrParameter, maxBins, opts.Bins)
	}
	if err := checkLegend(opts.Legend); err != nil {
		return nil, err
	}
	if err := opts.YRange.check("HistOptions.YRange"); err != nil {
		return nil, err
	}
	var all []float64
	for i, s := range series {
		name := fmt.Sprintf("sample %d (%q)", i, s.Name)
		if len(s.Values) == 0 {
			return nil, fmt.Errorf("%w: Histogram: %s has no values", hopfieldlib.ErrEmpty, name)
		}
		if err := checkFinite(name, s.Values); err != nil {
			return nil, err
		}
		all = append(all, s.Values...)
	}
	edges, integer := binEdges(all, opts.Bins)
	p := newPlot(opts.Title, opts.XLabel, opts.YLabel)
	if integer {
		p.X.Tick.Marker = niceTicks{integer: true}
	}
	g := plotter.NewGrid()
	g.Vertical.Color = nil
	g.Horizontal.Color = color.Gray{Y: 0xe4}
	g.Horizontal.Width = vg.Points(0.6)
	p.Add(g)
	leg := newLegend()
	nb := len(edges) - 1
	for i, s := range series {
		counts := make([]float64, nb)
		for _, v := range s.Values {
			counts[binOf(edges, v)]++
		}
		if opts.Normalize {
			for j := range counts {
				counts[j] /= float64(len(s.Values))
			}
		}
		b := &bars{values: counts, color: seriesColor(i), lo: make([]float64, nb), hi: make([]float64, nb)}
		for j := range nb {
			w := (edges[j+1] - edges[j]) * 0.9 / float64(len(series))
			start := edges[j] + (edges[j+1]-edges[j])*0.05
			b.lo[j] = start + float64(i)*w
			b.hi[j] = b.lo[j] + w
		}
		p.Add(b)
		if s.Name != "" {
			leg.add(s.Name, b)
		}
	}
	p.X.Min, p.X.Max = edges[0], edges[nb]
	headroom(p, opts.YRange)
	return plotFigure(p, leg, opts.Legend), nil
}

// binEdges returns the bin edges for vs and whether they are unit bins centred on integers.
func binEdges(vs []float64, bins int) ([]float64, bool) {
	lo, hi := dataRange(vs)
	integer := bins == 0 && hi-lo <= 60
	for _, v := range vs {
		if v != math.Trunc(v) {
			integer = false
			break
		}
	}
	if integer {
		n := int(hi-lo) + 1
		edges := make([]float64, n+1)
		for i := range edges {
			edges[i] = lo - 0.5 + float64(i)
		}
		return edges, true
	}
	if bins == 0 {
		bins = int(math.Max(5, math.Min(50, math.Ceil(math.Sqrt(float64(len(vs)))))))
	}
	if lo == hi {
		r := widen(lo, hi)
		lo, hi = r.Min, r.Max
	}
	edges := make([]float64, bins+1)
	for i := range edges {
		edges[i] = lo + (hi-lo)*float64(i)/float64(bins)
	}
	return edges, false
}

// binOf returns the bin of v: bins are [e_i, e_{i+1}), the last one closed.
func binOf(edges []float64, v float64) int {
	n := len(edges) - 1
	i := int(float64(n) * (v - edges[0]) / (edges[n] - edges[0]))
	i = max(0, min(n-1, i))
	for i > 0 && v < edges[i] {
		i--
	}
	for i < n-1 && v >= edges[i+1] {
		i++
	}
	return i
}

// headroom fixes the value axis to r, or leaves 5% free above the tallest bar.
func headroom(p *plot.Plot, r Range) {
	if !r.auto() {
		applyRange(&p.Y, r, false)
		return
	}
	if p.Y.Max > 0 {
		p.Y.Max += 0.05 * (p.Y.Max - math.Min(0, p.Y.Min))
	}
}
