package plots

import (
	"fmt"
	"image/color"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// legend is a plot legend this package places itself: inside the data area on a translucent
// white box (so it stays readable over data), or outside to the right.
type legend struct {
	plot.Legend
	names []string
}

func newLegend() *legend {
	l := &legend{Legend: plot.NewLegend()}
	l.TextStyle = textStyle(tickSize)
	l.ThumbnailWidth = vg.Points(24)
	l.Padding = vg.Points(2)
	return l
}

func (l *legend) add(name string, thumbs ...plot.Thumbnailer) {
	l.Add(name, thumbs...)
	l.names = append(l.names, name)
}

// size is the extent of the legend's entries.
func (l *legend) size() (w, h vg.Length) {
	var enth vg.Length
	for _, n := range l.names {
		enth = max(enth, l.TextStyle.Rectangle(n).Max.Y)
	}
	for _, n := range l.names {
		w = max(w, l.ThumbnailWidth+l.TextStyle.Rectangle(" "+n).Max.X)
	}
	k := vg.Length(len(l.names))
	return w, k*enth + (k-1)*l.Padding
}

func checkLegend(pos LegendPosition) error {
	if pos < LegendTopRight || pos > LegendNone {
		return fmt.Errorf("%w: unknown legend position %d", hopfieldlib.ErrParameter, int(pos))
	}
	return nil
}

// Margins around a plot, so tick labels at the ends of the axes are not clipped.
const (
	plotMarginX = 6
	plotMarginY = 5
	legendInset = 7 // distance of an inside legend from the data area's frame
	legendPad   = 4 // padding of the legend box around its entries
)

// plotFigure wraps a plot and its legend into a figure of the default size.
func plotFigure(p *plot.Plot, leg *legend, pos LegendPosition) *Figure {
	return &Figure{Width: DefaultWidth, Height: DefaultHeight, plot: p, draw: func(c draw.Canvas) {
		drawPlot(c, p, leg, pos, 0)
	}}
}

// drawPlot draws p with its legend in c, keeping reserveRight points free on the right (for a
// colour bar). It returns the canvas the plot was drawn in.
func drawPlot(c draw.Canvas, p *plot.Plot, leg *legend, pos LegendPosition, reserveRight vg.Length) draw.Canvas {
	pc := draw.Crop(c, vg.Points(plotMarginX), -vg.Points(plotMarginX+4)-reserveRight, vg.Points(plotMarginY), -vg.Points(plotMarginY))
	show := leg != nil && len(leg.names) > 0 && pos != LegendNone
	var lw, lh vg.Length
	if show {
		lw, lh = leg.size()
	}
	if show && pos == LegendOutside {
		pc.Max.X -= lw + 2*vg.Points(legendPad) + vg.Points(6)
	}
	p.Draw(pc)
	if !show {
		return pc
	}
	da := p.DataCanvas(pc)
	pad := vg.Points(legendPad)
	var box vg.Rectangle
	switch pos {
	case LegendOutside:
		box.Min.X = da.Max.X + vg.Points(10)
		box.Max.Y = da.Max.Y
	case LegendTopLeft, LegendBottomLeft:
		box.Min.X = da.Min.X + vg.Points(legendInset)
	default:
		box.Min.X = da.Max.X - vg.Points(legendInset) - lw - 2*pad
	}
	switch pos {
	case LegendOutside:
	case LegendBottomLeft, LegendBottomRight:
		box.Max.Y = da.Min.Y + vg.Points(legendInset) + lh + 2*pad
	default:
		box.Max.Y = da.Max.Y - vg.Points(legendInset)
	}
	box.Max.X = box.Min.X + lw + 2*pad
	box.Min.Y = box.Max.Y - lh - 2*pad
	if pos != LegendOutside {
		c.SetColor(color.NRGBA{R: 255, G: 255, B: 255, A: 220})
		c.Fill(box.Path())
		c.SetLineStyle(draw.LineStyle{Color: color.Gray{Y: 0xc8}, Width: vg.Points(0.6)})
		c.Stroke(box.Path())
	}
	inner := draw.Canvas{Canvas: c.Canvas, Rectangle: vg.Rectangle{
		Min: vg.Point{X: box.Min.X + pad, Y: box.Min.Y + pad},
		Max: vg.Point{X: box.Max.X - pad, Y: box.Max.Y - pad},
	}}
	l := leg.Legend
	l.Top, l.Left = true, true
	l.Draw(inner)
	return pc
}
