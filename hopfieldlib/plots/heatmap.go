package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatmapOptions controls [Heatmap]. XLabel, YLabel and ColorLabel are required.
type HeatmapOptions struct {
	Title, XLabel, YLabel string
	// ColorLabel names the values, written along the colour bar (e.g. "attention weight").
	ColorLabel string
	// Range maps values to colours (viridis: Min dark purple, Max yellow); zero means from 0
	// (or the smallest value, if negative) to the largest value, so weights start at 0. Values
	// outside are clamped.
	Range Range
	// MaxCells bounds the cells drawn along each axis (0 means 400): a larger matrix is drawn
	// in blocks, each showing the largest value of the block (so a single sharp attention weight
	// stays visible), or the mean with Mean set. The axis label says so.
	MaxCells int
	// Mean aggregates blocks by their mean instead of their maximum.
	Mean bool
}

// defaultMaxCells is HeatmapOptions.MaxCells when zero.
const defaultMaxCells = 400

// Heatmap draws a matrix, row i of m as row i of the map from the top (queries × stored patterns
// for attention weights), with a colour bar. It works from 2×2 up to thousands of columns.
func Heatmap(m *hopfieldlib.Patterns, opts HeatmapOptions) (*Figure, error) {
	if err := checkLabels("Heatmap", []string{"XLabel", "YLabel", "ColorLabel"}, opts.XLabel, opts.YLabel, opts.ColorLabel); err != nil {
		return nil, err
	}
	if m == nil || m.Len() == 0 {
		return nil, fmt.Errorf("%w: Heatmap needs a matrix with at least one row, got none", hopfieldlib.ErrEmpty)
	}
	if err := m.CheckFinite(); err != nil {
		return nil, fmt.Errorf("Heatmap: %w", err)
	}
	if err := opts.Range.check("HeatmapOptions.Range"); err != nil {
		return nil, err
	}
	if opts.MaxCells < 0 {
		return nil, fmt.Errorf("%w: HeatmapOptions.MaxCells must be ≥ 0 (0 means %d), got %d",
			hopfieldlib.ErrParameter, defaultMaxCells, opts.MaxCells)
	}
	maxCells := opts.MaxCells
	if maxCells == 0 {
		maxCells = defaultMaxCells
	}
	rows, cols := m.Len(), m.Dim()
	vals := make([]float64, rows*cols)
	for i, v := range m.Flat() {
		vals[i] = float64(v)
	}
	bx, by := ceilDiv(cols, maxCells), ceilDiv(rows, maxCells)
	agg, ar, ac := aggregate(vals, rows, cols, by, bx, opts.Mean)
	rng := opts.Range
	if rng.auto() {
		lo, hi := dataRange(vals)
		rng = widen(math.Min(0, lo), hi) // weights and other non-negative values start at 0
	}
	xlabel, ylabel := opts.XLabel, opts.YLabel
	how := "max"
	if opts.Mean {
		how = "mean"
	}
	if bx > 1 {
		xlabel = fmt.Sprintf("%s  (each cell: %s of %d)", xlabel, how, bx)
	}
	if by > 1 {
		ylabel = fmt.Sprintf("%s  (each cell: %s of %d)", ylabel, how, by)
	}
	p := newPlot(opts.Title, xlabel, ylabel)
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.Tick.Marker = niceTicks{integer: true}
	p.Y.Tick.Marker = niceTicks{integer: true}
	p.Y.Scale = plot.InvertedScale{Normalizer: plot.LinearScale{}}
	img := &pixelImage{rows: ar, cols: ac, xmin: -0.5, xmax: float64(cols) - 0.5, ymin: -0.5, ymax: float64(rows) - 0.5,
		at: func(r, c int) color.Color { return viridis(rng.norm(agg[r*ac+c])) }}
	p.Add(img)
	bar := newColorBar(rng, opts.ColorLabel)
	return &Figure{Width: DefaultWidth, Height: DefaultHeight, plot: p, draw: func(c draw.Canvas) {
		pc := drawPlot(c, p, nil, LegendNone, bar.width())
		bar.draw(c, p.DataCanvas(pc))
	}}, nil
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }

// aggregate reduces a rows×cols matrix to blocks of by×bx (max or mean), returning the new matrix
// and its size.
func aggregate(v []float64, rows, cols, by, bx int, mean bool) ([]float64, int, int) {
	if bx == 1 && by == 1 {
		return v, rows, cols
	}
	ar, ac := ceilDiv(rows, by), ceilDiv(cols, bx)
	out := make([]float64, ar*ac)
	for i := range ar {
		for j := range ac {
			acc, n := math.Inf(-1), 0
			if mean {
				acc = 0
			}
			for r := i * by; r < min(rows, (i+1)*by); r++ {
				for c := j * bx; c < min(cols, (j+1)*bx); c++ {
					if mean {
						acc += v[r*cols+c]
					} else {
						acc = math.Max(acc, v[r*cols+c])
					}
					n++
				}
			}
			if mean {
				acc /= float64(n)
			}
			out[i*ac+j] = acc
		}
	}
	return out, ar, ac
}

// pixelImage is a plotter that draws a raster over a data rectangle with sharp pixels. Raster
// row 0 is drawn at the top of the rectangle as it appears on the page.
type pixelImage struct {
	rows, cols             int
	at                     func(r, c int) color.Color
	xmin, xmax, ymin, ymax float64
}

// Plot implements plot.Plotter.
func (im *pixelImage) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	x0, x1 := trX(im.xmin), trX(im.xmax)
	y0, y1 := trY(im.ymin), trY(im.ymax)
	rect := vg.Rectangle{
		Min: vg.Point{X: min(x0, x1), Y: min(y0, y1)},
		Max: vg.Point{X: max(x0, x1), Y: max(y0, y1)},
	}
	drawPixels(c, rect, im.rows, im.cols, im.at)
}

// DataRange implements plot.DataRanger.
func (im *pixelImage) DataRange() (xmin, xmax, ymin, ymax float64) {
	return im.xmin, im.xmax, im.ymin, im.ymax
}

// colorBar is a vertical viridis scale drawn beside a plot's data area.
type colorBar struct {
	rng   Range
	label string
	ticks []plot.Tick
}

// Colour bar geometry (points).
const (
	barGap   = 12
	barWidth = 12
	barTick  = 3
)

func newColorBar(rng Range, label string) *colorBar {
	b := &colorBar{rng: rng, label: label}
	for _, t := range (niceTicks{}).Ticks(rng.Min, rng.Max) {
		if t.Label != "" {
			b.ticks = append(b.ticks, t)
		}
	}
	return b
}

// width is the horizontal space the bar needs, labels included.
func (b *colorBar) width() vg.Length {
	sty := textStyle(tickSize)
	var tw vg.Length
	for _, t := range b.ticks {
		tw = max(tw, sty.Width(t.Label))
	}
	return vg.Points(barGap+barWidth+barTick+3) + tw + vg.Points(8) + textStyle(labelSize).Height(b.label)
}

// draw draws the bar to the right of the data area da, spanning its height.
func (b *colorBar) draw(c draw.Canvas, da draw.Canvas) {
	x0 := da.Max.X + vg.Points(barGap)
	rect := vg.Rectangle{Min: vg.Point{X: x0, Y: da.Min.Y}, Max: vg.Point{X: x0 + vg.Points(barWidth), Y: da.Max.Y}}
	const steps = 256
	drawPixels(c, rect, steps, 1, func(r, _ int) color.Color { return viridis(1 - float64(r)/(steps-1)) })
	line := draw.LineStyle{Color: color.Black, Width: vg.Points(0.8)}
	c.SetLineStyle(line)
	c.Stroke(rectPath(rect, 0))
	sty := textStyle(tickSize)
	sty.XAlign, sty.YAlign = text.XLeft, text.YCenter
	xt := rect.Max.X
	var tw vg.Length
	for _, t := range b.ticks {
		y := rect.Min.Y + vg.Length(b.rng.norm(t.Value))*(rect.Max.Y-rect.Min.Y)
		c.StrokeLine2(line, xt, y, xt+vg.Points(barTick), y)
		c.FillText(sty, vg.Point{X: xt + vg.Points(barTick+3), Y: y}, t.Label)
		tw = max(tw, sty.Width(t.Label))
	}
	ls := textStyle(labelSize)
	ls.Rotation = math.Pi / 2
	ls.XAlign, ls.YAlign = text.XCenter, text.YTop
	c.FillText(ls, vg.Point{X: xt + vg.Points(barTick+3) + tw + vg.Points(6), Y: (rect.Min.Y + rect.Max.Y) / 2}, b.label)
}
