package plots

import (
	"fmt"
	"image/color"
	"math"
	"strconv"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Series is one named curve of a line plot: points (X[i], Y[i]) with optional error bars ±Err[i]
// (e.g. the standard deviation over seeds).
type Series struct {
	// Name is the legend entry; may be empty when the plot has one series.
	Name string
	// X and Y have the same non-zero length.
	X, Y []float64
	// Err is empty or has one non-negative value per point: a bar from Y-Err to Y+Err.
	Err []float64
	// Dashed draws a dashed line without markers: a theory curve rather than measurements.
	Dashed bool
}

// RefLine is a labelled vertical or horizontal reference line, e.g. the classical capacity
// 0.138·N or the chance level. Its label goes in the legend.
type RefLine struct {
	Label string
	// At is the x of a vertical line, or the y of a horizontal one.
	At float64
	// Horizontal draws y = At instead of x = At.
	Horizontal bool
}

// VLine returns a vertical reference line x = x.
func VLine(x float64, label string) RefLine { return RefLine{Label: label, At: x} }

// HLine returns a horizontal reference line y = y.
func HLine(y float64, label string) RefLine { return RefLine{Label: label, At: y, Horizontal: true} }

// LegendPosition places the legend of a plot.
type LegendPosition int

const (
	// LegendTopRight puts the legend inside the data area, top right (the default).
	LegendTopRight LegendPosition = iota
	LegendTopLeft
	LegendBottomLeft
	LegendBottomRight
	// LegendOutside puts the legend to the right of the data area, where it hides nothing.
	LegendOutside
	// LegendNone draws no legend.
	LegendNone
)

// LineOptions controls [Lines]. XLabel and YLabel are required.
type LineOptions struct {
	Title, XLabel, YLabel string
	// LogX and LogY use logarithmic axes; the data on them must then be positive.
	LogX, LogY bool
	// XRange and YRange fix the axis ranges; zero means fit the data (and reference lines).
	XRange, YRange Range
	// Refs are reference lines: theory values, thresholds.
	Refs []RefLine
	// Legend places the legend.
	Legend LegendPosition
	// IntegerX puts x ticks at integers only (steps, counts).
	IntegerX bool
}

// maxMarkers is the number of points above which a series is drawn without markers.
const maxMarkers = 40

// Lines draws named series as lines with markers and optional error bars, plus reference lines:
// energy over steps, accuracy versus noise, capacity curves, β sweeps.
func Lines(series []Series, opts LineOptions) (*Figure, error) {
	if err := checkLabels("Lines", []string{"XLabel", "YLabel"}, opts.XLabel, opts.YLabel); err != nil {
		return nil, err
	}
	if len(series) == 0 {
		return nil, fmt.Errorf("%w: Lines needs at least one series, got none", hopfieldlib.ErrEmpty)
	}
	if err := checkLegend(opts.Legend); err != nil {
		return nil, err
	}
	if err := opts.XRange.check("LineOptions.XRange"); err != nil {
		return nil, err
	}
	if err := opts.YRange.check("LineOptions.YRange"); err != nil {
		return nil, err
	}
	for i, s := range series {
		if err := checkSeries(i, s, opts); err != nil {
			return nil, err
		}
	}
	for i, r := range opts.Refs {
		if !isFinite(r.At) {
			return nil, fmt.Errorf("%w: reference line %d (%q) is at %v", hopfieldlib.ErrNotFinite, i, r.Label, r.At)
		}
		if r.At <= 0 && (r.Horizontal && opts.LogY || !r.Horizontal && opts.LogX) {
			return nil, fmt.Errorf("%w: reference line %d (%q) at %v on a log axis: must be > 0",
				hopfieldlib.ErrParameter, i, r.Label, r.At)
		}
	}

	for name, r := range map[string]Range{"XRange": opts.XRange, "YRange": opts.YRange} {
		if !r.auto() && r.Min <= 0 && (name == "XRange" && opts.LogX || name == "YRange" && opts.LogY) {
			return nil, fmt.Errorf("%w: LineOptions.%s [%v, %v] on a log axis: must be > 0", hopfieldlib.ErrParameter, name, r.Min, r.Max)
		}
	}

	// Log axes plot log10 of the data on a linear axis labelled in powers of ten: gonum's
	// LogScale misplaces the axis label's glyph box, which squeezes the data area.
	tx, ty := identity, identity
	p := newPlot(opts.Title, opts.XLabel, opts.YLabel)
	if opts.LogX {
		tx = math.Log10
		p.X.Tick.Marker = expTicks{}
	} else if opts.IntegerX {
		p.X.Tick.Marker = niceTicks{integer: true}
	}
	if opts.LogY {
		ty = math.Log10
		p.Y.Tick.Marker = expTicks{}
	}
	addGrid(p)
	leg := newLegend()
	for i, s := range series {
		thumbs, err := addSeries(p, i, s, tx, ty)
		if err != nil {
			return nil, err
		}
		if s.Name != "" {
			leg.add(s.Name, thumbs...)
		}
	}
	for i, r := range opts.Refs {
		if r.Horizontal {
			r.At = ty(r.At)
		} else {
			r.At = tx(r.At)
		}
		l := &refLine{RefLine: r, style: draw.LineStyle{
			Color: color.Gray{Y: 0x30}, Width: vg.Points(1.25), Dashes: refDashes[i%len(refDashes)],
		}}
		p.Add(l)
		if r.Label != "" {
			leg.add(r.Label, l)
		}
	}
	applyRange(&p.X, Range{tx(opts.XRange.Min), tx(opts.XRange.Max)}, opts.XRange.auto())
	applyRange(&p.Y, Range{ty(opts.YRange.Min), ty(opts.YRange.Max)}, opts.YRange.auto())
	return plotFigure(p, leg, opts.Legend), nil
}

// checkSeries validates series i.
func checkSeries(i int, s Series, opts LineOptions) error {
	name := fmt.Sprintf("series %d", i)
	if s.Name != "" {
		name = fmt.Sprintf("series %d (%q)", i, s.Name)
	}
	if len(s.X) == 0 {
		return fmt.Errorf("%w: %s has no points", hopfieldlib.ErrEmpty, name)
	}
	if len(s.Y) != len(s.X) {
		return fmt.Errorf("%w: %s has %d x values and %d y values", hopfieldlib.ErrShape, name, len(s.X), len(s.Y))
	}
	if len(s.Err) != 0 && len(s.Err) != len(s.X) {
		return fmt.Errorf("%w: %s has %d points and %d error values (want 0 or %d)",
			hopfieldlib.ErrShape, name, len(s.X), len(s.Err), len(s.X))
	}
	for what, vs := range map[string][]float64{name + ".X": s.X, name + ".Y": s.Y, name + ".Err": s.Err} {
		if err := checkFinite(what, vs); err != nil {
			return err
		}
	}
	for j, e := range s.Err {
		if e < 0 {
			return fmt.Errorf("%w: %s.Err[%d] = %v: error bars must be ≥ 0", hopfieldlib.ErrParameter, name, j, e)
		}
		if opts.LogY && s.Y[j]-e <= 0 {
			return fmt.Errorf("%w: %s point %d: the error bar reaches %v, which a log y axis cannot show",
				hopfieldlib.ErrParameter, name, j, s.Y[j]-e)
		}
	}
	for j := range s.X {
		if opts.LogX && s.X[j] <= 0 {
			return fmt.Errorf("%w: %s.X[%d] = %v on a log x axis: must be > 0", hopfieldlib.ErrParameter, name, j, s.X[j])
		}
		if opts.LogY && s.Y[j] <= 0 {
			return fmt.Errorf("%w: %s.Y[%d] = %v on a log y axis: must be > 0", hopfieldlib.ErrParameter, name, j, s.Y[j])
		}
	}
	return nil
}

// addSeries adds the line, markers and error bars of series i, with x and y mapped through tx
// and ty (log10 on log axes), and returns its legend thumbnails.
func addSeries(p *plot.Plot, i int, s Series, tx, ty func(float64) float64) ([]plot.Thumbnailer, error) {
	xys := make(plotter.XYs, len(s.X))
	for j := range xys {
		xys[j] = plotter.XY{X: tx(s.X[j]), Y: ty(s.Y[j])}
	}
	col := seriesColor(i)
	var thumbs []plot.Thumbnailer
	if len(s.Err) > 0 {
		errs := make(plotter.YErrors, len(s.Err))
		for j, e := range s.Err {
			y := ty(s.Y[j])
			errs[j].Low, errs[j].High = y-ty(s.Y[j]-e), ty(s.Y[j]+e)-y
		}
		eb, err := plotter.NewYErrorBars(struct {
			plotter.XYs
			plotter.YErrors
		}{xys, errs})
		if err != nil {
			return nil, fmt.Errorf("%w: %v", hopfieldlib.ErrParameter, err)
		}
		eb.Color = col
		eb.Width = vg.Points(1)
		eb.CapWidth = vg.Points(5)
		p.Add(eb)
	}
	line, err := plotter.NewLine(xys)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", hopfieldlib.ErrParameter, err)
	}
	line.Color = col
	line.Width = vg.Points(1.75)
	if s.Dashed {
		line.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	p.Add(line)
	thumbs = append(thumbs, line)
	if !s.Dashed && len(xys) <= maxMarkers {
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, fmt.Errorf("%w: %v", hopfieldlib.ErrParameter, err)
		}
		sc.Color = col
		sc.Shape = seriesGlyph(i)
		sc.Radius = vg.Points(3)
		p.Add(sc)
		thumbs = append(thumbs, sc)
	}
	return thumbs, nil
}

// applyRange fixes an axis range unless auto.
func applyRange(ax *plot.Axis, r Range, auto bool) {
	if !auto {
		ax.Min, ax.Max = r.Min, r.Max
	}
}

func identity(v float64) float64 { return v }

// expTicks labels an axis that shows log10 of the data: the ticks of [logTicks] over
// [10^lo, 10^hi], placed at their logarithms.
type expTicks struct{}

func (expTicks) Ticks(lo, hi float64) []plot.Tick {
	ts := (logTicks{}).Ticks(math.Pow(10, lo), math.Pow(10, hi))
	for i := range ts {
		ts[i].Value = math.Log10(ts[i].Value)
	}
	return ts
}

// refLine draws a reference line across the whole data area.
type refLine struct {
	RefLine
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (l *refLine) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var a, b vg.Point
	if l.Horizontal {
		y := trY(l.At)
		a, b = vg.Point{X: c.Min.X, Y: y}, vg.Point{X: c.Max.X, Y: y}
	} else {
		x := trX(l.At)
		a, b = vg.Point{X: x, Y: c.Min.Y}, vg.Point{X: x, Y: c.Max.Y}
	}
	if !c.Contains(vg.Point{X: (a.X + b.X) / 2, Y: (a.Y + b.Y) / 2}) {
		return
	}
	c.StrokeLine2(l.style, a.X, a.Y, b.X, b.Y)
}

// DataRange implements plot.DataRanger: the line's position counts in the axis range, the other
// axis is left to the data.
func (l *refLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	inf := math.Inf(1)
	if l.Horizontal {
		return inf, -inf, l.At, l.At
	}
	return l.At, l.At, inf, -inf
}

// Thumbnail implements plot.Thumbnailer.
func (l *refLine) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(l.style, c.Min.X, y, c.Max.X, y)
}

// logTicks labels powers of ten (every k-th one on ranges of many decades, so at most about
// seven labels) and, on ranges under 1.5 decades, 2× and 5× them; minor ticks mark the other
// multiples when the range spans at most six decades.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(lo > 0) || !(hi > lo) || math.IsInf(hi, 0) {
		return nil
	}
	decades := math.Log10(hi) - math.Log10(lo)
	every := max(1, int(math.Ceil(decades/7)))
	var ts []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		base := math.Pow(10, e)
		for m := 1.0; m < 10; m++ {
			v := base * m
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			label := ""
			switch {
			case m == 1 && int(e)%every == 0:
				label = formatLog(v)
			case decades < 1.5 && (m == 2 || m == 5):
				label = formatLog(v)
			case m != 1 && decades > 6:
				continue
			}
			ts = append(ts, plot.Tick{Value: v, Label: label})
		}
	}
	return ts
}

// formatLog writes a tick value compactly: 0.01, 0.5, 1, 20, 1000, then 1e4, 1e-5.
func formatLog(v float64) string {
	if v >= 1e-3 && v < 1e4 {
		return strconv.FormatFloat(v, 'g', 4, 64)
	}
	e := math.Floor(math.Log10(v) + 1e-9)
	m := v / math.Pow(10, e)
	if math.Abs(m-1) < 1e-9 {
		return fmt.Sprintf("1e%d", int(e))
	}
	return fmt.Sprintf("%.3ge%d", m, int(e))
}
