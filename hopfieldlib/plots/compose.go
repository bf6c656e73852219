package plots

import (
	"fmt"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Beside puts figures side by side, left to right, in one figure (e.g. a β sweep's reconstruction
// grid next to its entropy curve). Each keeps its width; the height is the tallest one's.
func Beside(figs ...*Figure) (*Figure, error) { return compose("Beside", figs, true) }

// Above stacks figures top to bottom in one figure. Each keeps its height; the width is the
// widest one's.
func Above(figs ...*Figure) (*Figure, error) { return compose("Above", figs, false) }

func compose(fn string, figs []*Figure, horizontal bool) (*Figure, error) {
	if len(figs) == 0 {
		return nil, fmt.Errorf("%w: %s needs at least one figure, got none", hopfieldlib.ErrEmpty, fn)
	}
	var w, h vg.Length
	for i, f := range figs {
		if err := f.checkSize(); err != nil {
			return nil, fmt.Errorf("%s: figure %d: %w", fn, i, err)
		}
		if horizontal {
			w, h = w+f.Width, max(h, f.Height)
		} else {
			w, h = max(w, f.Width), h+f.Height
		}
	}
	parts := append([]*Figure(nil), figs...)
	return &Figure{Width: w, Height: h, draw: func(c draw.Canvas) {
		// Share the canvas in proportion to the parts' own sizes.
		x, y := c.Min.X, c.Max.Y
		for _, f := range parts {
			sub := c
			if horizontal {
				fw := c.Size().X * f.Width / w
				sub.Rectangle = vg.Rectangle{Min: vg.Point{X: x, Y: c.Min.Y}, Max: vg.Point{X: x + fw, Y: c.Max.Y}}
				x += fw
			} else {
				fh := c.Size().Y * f.Height / h
				sub.Rectangle = vg.Rectangle{Min: vg.Point{X: c.Min.X, Y: y - fh}, Max: vg.Point{X: c.Max.X, Y: y}}
				y -= fh
			}
			f.draw(sub)
		}
	}}, nil
}
