package plots

import (
	"image"
	"image/color"
	"math"

	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// drawPixels draws a cols×rows raster into rect with nearest-neighbour pixels: at(row, col) is
// the colour of a cell, row 0 at the top. On a raster canvas the cells are resampled to the
// device resolution and the rectangle snapped to whole dots, so nothing is blurred; on vector
// canvases the raster is embedded as is (SVG output marks it pixelated).
func drawPixels(c draw.Canvas, rect vg.Rectangle, rows, cols int, at func(row, col int) color.Color) {
	if rows <= 0 || cols <= 0 || rect.Size().X <= 0 || rect.Size().Y <= 0 {
		return
	}
	img, ok := rasterCanvas(c.Canvas)
	if !ok {
		src := image.NewRGBA(image.Rect(0, 0, cols, rows))
		for r := range rows {
			for k := range cols {
				src.Set(k, r, at(r, k))
			}
		}
		c.DrawImage(rect, src)
		return
	}
	dpi := img.DPI()
	x0, x1 := snap(rect.Min.X, dpi), snap(rect.Max.X, dpi)
	y0, y1 := snap(rect.Min.Y, dpi), snap(rect.Max.Y, dpi)
	wd, hd := int(math.Round((x1 - x0).Dots(dpi))), int(math.Round((y1 - y0).Dots(dpi)))
	if wd <= 0 || hd <= 0 {
		return
	}
	// Colour each source cell once, then replicate it over the dots it covers.
	src := make([]color.RGBA, rows*cols)
	for r := range rows {
		for k := range cols {
			src[r*cols+k] = color.RGBAModel.Convert(at(r, k)).(color.RGBA)
		}
	}
	dst := image.NewRGBA(image.Rect(0, 0, wd, hd))
	colAt := make([]int, wd)
	for x := range wd {
		colAt[x] = min(cols-1, x*cols/wd)
	}
	for y := range hd {
		r := min(rows-1, y*rows/hd)
		line := dst.Pix[y*dst.Stride : y*dst.Stride+4*wd]
		for x, k := range colAt {
			px := src[r*cols+k]
			line[4*x], line[4*x+1], line[4*x+2], line[4*x+3] = px.R, px.G, px.B, px.A
		}
	}
	c.DrawImage(vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}, dst)
}

// rasterCanvas finds the image canvas under c: gonum/plot nests draw.Canvas values (draw.Crop
// wraps its argument), so unwrap them.
func rasterCanvas(c vg.Canvas) (*vgimg.Canvas, bool) {
	for range 64 {
		switch v := c.(type) {
		case *vgimg.Canvas:
			return v, true
		case draw.Canvas:
			c = v.Canvas
		case *draw.Canvas:
			c = v.Canvas
		default:
			return nil, false
		}
	}
	return nil, false
}

// snap rounds a length to a whole number of dots at dpi.
func snap(l vg.Length, dpi float64) vg.Length {
	return vg.Length(math.Round(l.Dots(dpi))) * vg.Inch / vg.Length(dpi)
}

// gray returns the grey level of t ∈ [0, 1]: 0 is black, 1 white.
func gray(t float64) color.Gray { return color.Gray{Y: uint8(math.Round(255 * t))} }

// viridis anchors: matplotlib's viridis colour map (van der Walt & Smith 2015) at ten evenly
// spaced points; perceptually uniform, readable in grey and by colour-blind readers.
var viridisAnchors = [...]color.RGBA{
	{0x44, 0x01, 0x54, 0xff}, {0x48, 0x28, 0x78, 0xff}, {0x3e, 0x49, 0x89, 0xff},
	{0x31, 0x68, 0x8e, 0xff}, {0x26, 0x82, 0x8e, 0xff}, {0x1f, 0x9e, 0x89, 0xff},
	{0x35, 0xb7, 0x79, 0xff}, {0x6e, 0xce, 0x58, 0xff}, {0xb5, 0xde, 0x2b, 0xff},
	{0xfd, 0xe7, 0x25, 0xff},
}

// viridis returns the colour of t ∈ [0, 1] (clamped), interpolating the anchors linearly.
func viridis(t float64) color.RGBA {
	t = math.Max(0, math.Min(1, t))
	if math.IsNaN(t) {
		t = 0
	}
	n := len(viridisAnchors) - 1
	x := t * float64(n)
	i := min(int(x), n-1)
	f := x - float64(i)
	a, b := viridisAnchors[i], viridisAnchors[i+1]
	mix := func(p, q uint8) uint8 { return uint8(math.Round(float64(p) + f*(float64(q)-float64(p)))) }
	return color.RGBA{mix(a.R, b.R), mix(a.G, b.G), mix(a.B, b.B), 0xff}
}
