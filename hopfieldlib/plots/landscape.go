package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Grid holds values of a function of two variables on an evenly spaced grid:
// Z[i·len(X) + j] = f(X[j], Y[i]), X and Y increasing.
type Grid struct {
	X, Y []float64
	Z    []float64
}

// maxGridSide bounds the points along each side of a sampled grid.
const maxGridSide = 2000

// SampleGrid evaluates f on nx × ny evenly spaced points of [x0, x1] × [y0, y1], ends
// included: e.g. the energy over the plane through two stored patterns,
// f(a, b) = E(a·ξ¹ + b·ξ²).
func SampleGrid(f func(x, y float64) float64, x0, x1 float64, nx int, y0, y1 float64, ny int) (*Grid, error) {
	if f == nil {
		return nil, fmt.Errorf("%w: SampleGrid needs a function, got nil", hopfieldlib.ErrParameter)
	}
	for _, v := range []float64{x0, x1, y0, y1} {
		if !isFinite(v) {
			return nil, fmt.Errorf("%w: SampleGrid bounds must be finite, got x ∈ [%v, %v], y ∈ [%v, %v]",
				hopfieldlib.ErrNotFinite, x0, x1, y0, y1)
		}
	}
	if !(x0 < x1) || !(y0 < y1) {
		return nil, fmt.Errorf("%w: SampleGrid needs x0 < x1 and y0 < y1, got x ∈ [%v, %v], y ∈ [%v, %v]",
			hopfieldlib.ErrParameter, x0, x1, y0, y1)
	}
	if nx < 2 || ny < 2 || nx > maxGridSide || ny > maxGridSide {
		return nil, fmt.Errorf("%w: SampleGrid needs 2 to %d points per side, got %d × %d",
			hopfieldlib.ErrParameter, maxGridSide, nx, ny)
	}
	g := &Grid{X: linspace(x0, x1, nx), Y: linspace(y0, y1, ny), Z: make([]float64, nx*ny)}
	for i, y := range g.Y {
		for j, x := range g.X {
			z := f(x, y)
			if !isFinite(z) {
				return nil, fmt.Errorf("%w: SampleGrid: f(%v, %v) = %v", hopfieldlib.ErrNotFinite, x, y, z)
			}
			g.Z[i*nx+j] = z
		}
	}
	return g, nil
}

func linspace(a, b float64, n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = a + (b-a)*float64(i)/float64(n-1)
	}
	return out
}

// check validates a grid: at least 2×2, increasing evenly spaced axes, finite values.
func (g *Grid) check() error {
	if g == nil {
		return fmt.Errorf("%w: nil grid", hopfieldlib.ErrEmpty)
	}
	if len(g.X) < 2 || len(g.Y) < 2 {
		return fmt.Errorf("%w: a grid needs at least 2×2 points, got %d×%d", hopfieldlib.ErrEmpty, len(g.X), len(g.Y))
	}
	if len(g.Z) != len(g.X)*len(g.Y) {
		return fmt.Errorf("%w: grid of %d×%d points has %d values, want %d",
			hopfieldlib.ErrShape, len(g.X), len(g.Y), len(g.Z), len(g.X)*len(g.Y))
	}
	for name, axis := range map[string][]float64{"X": g.X, "Y": g.Y} {
		if err := checkFinite("Grid."+name, axis); err != nil {
			return err
		}
		d := (axis[len(axis)-1] - axis[0]) / float64(len(axis)-1)
		for i := 1; i < len(axis); i++ {
			step := axis[i] - axis[i-1]
			if !(step > 0) || math.Abs(step-d) > 1e-6*math.Abs(d) {
				return fmt.Errorf("%w: Grid.%s must be increasing and evenly spaced; step %d is %v, expected %v",
					hopfieldlib.ErrParameter, name, i, step, d)
			}
		}
	}
	return checkFinite("Grid.Z", g.Z)
}

// gridXYZ adapts a Grid to gonum's plotter.GridXYZ (c indexes X, r indexes Y).
type gridXYZ struct{ g *Grid }

func (a gridXYZ) Dims() (c, r int)   { return len(a.g.X), len(a.g.Y) }
func (a gridXYZ) Z(c, r int) float64 { return a.g.Z[r*len(a.g.X)+c] }
func (a gridXYZ) X(c int) float64    { return a.g.X[c] }
func (a gridXYZ) Y(r int) float64    { return a.g.Y[r] }

// Mark is a labelled point on a landscape, e.g. a stored pattern.
type Mark struct {
	X, Y  float64
	Label string
}

// LandscapeOptions controls [Landscape]. XLabel, YLabel and ColorLabel are required.
type LandscapeOptions struct {
	Title, XLabel, YLabel string
	// ColorLabel names the values, e.g. "energy E".
	ColorLabel string
	// Range maps values to colours; zero means the data's range.
	Range Range
	// Levels is the number of contour lines, evenly spaced in value (0 means 12, negative none).
	Levels int
	// Marks are labelled points drawn on top.
	Marks []Mark
}

// Landscape draws a function of two variables as a colour map with contour lines and marked
// points: the energy over a plane through stored patterns, to show wells, saddles and how β
// sharpens them.
func Landscape(g *Grid, opts LandscapeOptions) (*Figure, error) {
	if err := checkLabels("Landscape", []string{"XLabel", "YLabel", "ColorLabel"}, opts.XLabel, opts.YLabel, opts.ColorLabel); err != nil {
		return nil, err
	}
	if err := g.check(); err != nil {
		return nil, fmt.Errorf("Landscape: %w", err)
	}
	if err := opts.Range.check("LandscapeOptions.Range"); err != nil {
		return nil, err
	}
	if opts.Levels > 100 {
		return nil, fmt.Errorf("%w: LandscapeOptions.Levels must be at most 100, got %d", hopfieldlib.ErrParameter, opts.Levels)
	}
	for i, m := range opts.Marks {
		if !isFinite(m.X) || !isFinite(m.Y) {
			return nil, fmt.Errorf("%w: mark %d (%q) is at (%v, %v)", hopfieldlib.ErrNotFinite, i, m.Label, m.X, m.Y)
		}
	}
	nx, ny := len(g.X), len(g.Y)
	lo, hi := dataRange(g.Z)
	rng := opts.Range
	if rng.auto() {
		rng = widen(lo, hi)
	}
	p := newPlot(opts.Title, opts.XLabel, opts.YLabel)
	p.X.Padding, p.Y.Padding = 0, 0
	dx, dy := (g.X[nx-1]-g.X[0])/float64(nx-1), (g.Y[ny-1]-g.Y[0])/float64(ny-1)
	p.Add(&pixelImage{rows: ny, cols: nx,
		xmin: g.X[0] - dx/2, xmax: g.X[nx-1] + dx/2, ymin: g.Y[0] - dy/2, ymax: g.Y[ny-1] + dy/2,
		at: func(r, c int) color.Color { return viridis(rng.norm(g.Z[(ny-1-r)*nx+c])) }})
	levels := opts.Levels
	if levels == 0 {
		levels = 12
	}
	if levels > 0 && hi > lo {
		zs := make([]float64, levels)
		for i := range zs {
			zs[i] = lo + (hi-lo)*(float64(i)+0.5)/float64(levels)
		}
		ct := plotter.NewContour(gridXYZ{g}, zs, nil)
		ct.LineStyles = []draw.LineStyle{{Color: color.NRGBA{R: 255, G: 255, B: 255, A: 190}, Width: vg.Points(0.9)}}
		p.Add(ct)
	}
	if len(opts.Marks) > 0 {
		p.Add(&marks{marks: opts.Marks})
	}
	bar := newColorBar(rng, opts.ColorLabel)
	return &Figure{Width: DefaultWidth, Height: DefaultHeight + 30, plot: p, draw: func(c draw.Canvas) {
		pc := drawPlot(c, p, nil, LegendNone, bar.width())
		bar.draw(c, p.DataCanvas(pc))
	}}, nil
}

// marks draws labelled points: a white disc with a black ring, the label beside it on a white
// background so it reads on any colour.
type marks struct{ marks []Mark }

// Plot implements plot.Plotter.
func (m *marks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	sty := textStyle(labelSize)
	sty.XAlign, sty.YAlign = text.XLeft, text.YCenter
	for _, mk := range m.marks {
		pt := vg.Point{X: trX(mk.X), Y: trY(mk.Y)}
		if !c.Contains(pt) {
			continue
		}
		c.DrawGlyph(draw.GlyphStyle{Color: color.White, Radius: vg.Points(4), Shape: draw.CircleGlyph{}}, pt)
		c.DrawGlyph(draw.GlyphStyle{Color: color.Black, Radius: vg.Points(4), Shape: draw.RingGlyph{}}, pt)
		if mk.Label == "" {
			continue
		}
		at := vg.Point{X: pt.X + vg.Points(7), Y: pt.Y}
		w, h := sty.Width(mk.Label), sty.Height(mk.Label)
		if at.X+w > c.Max.X {
			at.X = pt.X - vg.Points(7) - w
		}
		box := vg.Rectangle{Min: vg.Point{X: at.X - vg.Points(2), Y: at.Y - h/2 - vg.Points(1)},
			Max: vg.Point{X: at.X + w + vg.Points(2), Y: at.Y + h/2 + vg.Points(1)}}
		c.SetColor(color.NRGBA{R: 255, G: 255, B: 255, A: 210})
		c.Fill(box.Path())
		c.FillText(sty, at, mk.Label)
	}
}

// DataRange implements plot.DataRanger.
func (m *marks) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, ymin = math.Inf(1), math.Inf(1)
	xmax, ymax = math.Inf(-1), math.Inf(-1)
	for _, mk := range m.marks {
		xmin, xmax = math.Min(xmin, mk.X), math.Max(xmax, mk.X)
		ymin, ymax = math.Min(ymin, mk.Y), math.Max(ymax, mk.Y)
	}
	return
}
