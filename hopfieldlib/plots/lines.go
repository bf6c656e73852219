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

	p := newPlot(opts.Title, opts.XLabel, opts.YLabel)
	if opts.LogX {
		p.X.Scale = plot.LogScale{}
		p.X.Tick.Marker = logTicks{}
	} else if opts.IntegerX {
		p.X.Tick.Marker = niceTicks{integer: true}
	}
	if opts.LogY {
		p.Y.Scale = plot.LogScale{}
		p.Y.Tick.Marker = logTicks{}
	}
	addGrid(p)
	leg := newLegend()
	for i, s := range series {
		thumbs, err := addSeries(p, i, s)
		if err != nil {
			return nil, err
		}
		if s.Name != "" {
			leg.add(s.Name, thumbs...)
		}
	}
	for i, r := range opts.Refs {
		l := &refLine{RefLine: r, style: draw.LineStyle{
			Color: color.Gray{Y: 0x30}, Width: vg.Points(1.25), Dashes: refDashes[i%len(refDashes)],
		}}
		p.Add(l)
		if r.Label != "" {
			leg.add(r.Label, l)
		}
	}
	applyRange(&p.X, opts.XRange)
	applyRange(&p.Y, opts.YRange)
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

// addSeries adds the line, markers and error bars of series i and returns its legend thumbnails.
func addSeries(p *plot.Plot, i int, s Series) ([]plot.Thumbnailer, error) {
	xys := make(plotter.XYs, len(s.X))
	for j := range xys {
		xys[j] = plotter.XY{X: s.X[j], Y: s.Y[j]}
	}
	col := seriesColor(i)
	var thumbs []plot.Thumbnailer
	if len(s.Err) > 0 {
		errs := make(plotter.YErrors, len(s.Err))
		for j, e := range s.Err {
			errs[j].Low, errs[j].High = e, e
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

// applyRange fixes an axis range when r is explicit.
func applyRange(ax *plot.Axis, r Range) {
	if !r.auto() {
		ax.Min, ax.Max = r.Min, r.Max
	}
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

// logTicks labels powers of ten and, on short ranges, 2× and 5× them.
type logTicks struct{}

func (logTicks) Ticks(lo, hi float64) []plot.Tick {
	if lo <= 0 || hi <= lo {
		return nil
	}
	decades := math.Log10(hi) - math.Log10(lo)
	var ts []plot.Tick
	for e := math.Floor(math.Log10(lo)); e <= math.Ceil(math.Log10(hi)); e++ {
		base := math.Pow(10, e)
		for m := 1.0; m < 10; m++ {
			v := base * m
			if v < lo*(1-1e-9) || v > hi*(1+1e-9) {
				continue
			}
			label := ""
			if m == 1 || decades < 1.5 && (m == 2 || m == 5) {
				label = formatLog(v)
			}
			ts = append(ts, plot.Tick{Value: v, Label: label})
		}
	}
	return ts
}

// formatLog writes a tick value compactly: 0.01, 0.5, 1, 20, 1000, 1e+06.
func formatLog(v float64) string {
	if v >= 1e-4 && v < 1e5 {
		return fmt.Sprintf("%.4g", v)
	}
	return fmt.Sprintf("%.0e", v)
}
