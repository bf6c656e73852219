package plots

import (
	"image/color"
	"math"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Font sizes, chosen to read when a figure of the default width is shown 600 pixels wide.
const (
	titleSize = 13
	labelSize = 12
	tickSize  = 10.5
	smallSize = 10
)

// sans is the typeface of every text: Liberation Sans, which gonum/plot ships.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// textStyle returns a text style of the given size, colour black, with gonum's plain handler.
func textStyle(size vg.Length) text.Style {
	return text.Style{
		Color:   color.Black,
		Font:    font.From(sans, size),
		Handler: plot.DefaultTextHandler,
	}
}

// Okabe–Ito colour-blind-safe palette (Okabe & Ito 2008, "Color universal design"), in the order
// series get them: blue, vermillion, bluish green, reddish purple, orange, sky blue, black, yellow.
var okabeIto = [...]color.RGBA{
	{0x00, 0x72, 0xB2, 0xff},
	{0xD5, 0x5E, 0x00, 0xff},
	{0x00, 0x9E, 0x73, 0xff},
	{0xCC, 0x79, 0xA7, 0xff},
	{0xE6, 0x9F, 0x00, 0xff},
	{0x56, 0xB4, 0xE9, 0xff},
	{0x00, 0x00, 0x00, 0xff},
	{0xF0, 0xE4, 0x42, 0xff},
}

// seriesColor is the colour of series i.
func seriesColor(i int) color.RGBA { return okabeIto[i%len(okabeIto)] }

// highlightColor marks failed cells in image grids: Okabe–Ito vermillion.
var highlightColor = okabeIto[1]

// seriesGlyph is the marker shape of series i: shapes differ so series read in grey too.
func seriesGlyph(i int) draw.GlyphDrawer {
	shapes := []draw.GlyphDrawer{
		draw.CircleGlyph{}, draw.SquareGlyph{}, draw.TriangleGlyph{}, draw.PyramidGlyph{},
		draw.BoxGlyph{}, draw.RingGlyph{}, draw.CrossGlyph{}, draw.PlusGlyph{},
	}
	return shapes[i%len(shapes)]
}

// refDashes are the dash patterns of reference lines, one per line in turn.
var refDashes = [][]vg.Length{
	{vg.Points(6), vg.Points(3)},
	{vg.Points(2), vg.Points(2)},
	{vg.Points(8), vg.Points(3), vg.Points(2), vg.Points(3)},
	{vg.Points(4), vg.Points(4)},
}

// newPlot returns a plot in the package style: sans-serif text, light grid, labelled axes.
func newPlot(title, xlabel, ylabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle = textStyle(titleSize)
	p.Title.TextStyle.XAlign = text.XCenter
	p.Title.TextStyle.YAlign = text.YTop
	p.Title.Padding = vg.Points(6)
	for _, ax := range []*plot.Axis{&p.X, &p.Y} {
		ax.Label.TextStyle = textStyle(labelSize)
		ax.Label.TextStyle.XAlign = text.XCenter
		ax.Tick.Label = textStyle(tickSize)
		ax.Padding = vg.Points(4)
		ax.LineStyle.Width = vg.Points(0.8)
		ax.Tick.LineStyle.Width = vg.Points(0.8)
	}
	p.X.Label.Text = xlabel
	p.X.Label.Padding = vg.Points(3)
	p.X.Tick.Label.XAlign = text.XCenter
	p.X.Tick.Label.YAlign = text.YTop
	p.Y.Label.Text = ylabel
	p.Y.Label.Padding = vg.Points(4)
	p.Y.Tick.Label.XAlign = text.XRight
	p.Y.Tick.Label.YAlign = text.YCenter
	p.X.Tick.Marker = niceTicks{}
	p.Y.Tick.Marker = niceTicks{}
	p.Legend.TextStyle = textStyle(tickSize)
	p.Legend.ThumbnailWidth = vg.Points(24)
	return p
}

// addGrid adds light grid lines behind the data.
func addGrid(p *plot.Plot) {
	g := plotter.NewGrid()
	g.Vertical.Color = color.Gray{Y: 0xe4}
	g.Horizontal.Color = color.Gray{Y: 0xe4}
	g.Vertical.Width = vg.Points(0.6)
	g.Horizontal.Width = vg.Points(0.6)
	p.Add(g)
}

// niceTicks labels about five to seven round values (steps of 1, 2, 2.5 or 5 times a power of
// ten) with as many decimals as the step needs, and puts unlabelled minor ticks between them.
// With integer set, ticks fall on integers only (indices, steps, counts).
type niceTicks struct{ integer bool }

func (t niceTicks) Ticks(lo, hi float64) []plot.Tick {
	if !(hi > lo) || !isFinite(lo) || !isFinite(hi) {
		return nil
	}
	span := hi - lo
	mag := math.Pow(10, math.Floor(math.Log10(span/5)))
	mults := []float64{1, 2, 2.5, 5, 10}
	if t.integer {
		mults = []float64{1, 2, 5, 10}
	}
	step, mult := 10*mag, 10.0
	for _, m := range mults {
		if span/(m*mag) <= 7 {
			step, mult = m*mag, m
			break
		}
	}
	if t.integer && (step < 1 || span <= 12) {
		step, mult = 1, 1
	}
	minor := step / 2
	if mult == 2.5 || mult == 5 {
		minor = step / 5
	}
	if t.integer && minor < 1 {
		minor = step
	}
	decimals := max(0, int(-math.Floor(math.Log10(step)+1e-9)))
	if mult == 2.5 {
		decimals++
	}
	var ts []plot.Tick
	first := math.Ceil(lo/minor - 1e-9)
	for k := first; k*minor <= hi+1e-9*span; k++ {
		v := k * minor
		if math.Abs(v) < 1e-12*span {
			v = 0
		}
		label := ""
		if r := v / step; math.Abs(r-math.Round(r)) < 1e-6 {
			label = formatTick(v, decimals)
		}
		ts = append(ts, plot.Tick{Value: v, Label: label})
	}
	return ts
}

// formatTick writes a tick value with the given number of decimals, or in exponent form when
// it is very large.
func formatTick(v float64, decimals int) string {
	if math.Abs(v) >= 1e6 {
		return strconv.FormatFloat(v, 'g', 3, 64)
	}
	return strconv.FormatFloat(v, 'f', decimals, 64)
}
