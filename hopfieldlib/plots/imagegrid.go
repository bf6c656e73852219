package plots

import (
	"fmt"
	"image/color"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// GridRow is one row of an [ImageGrid]: a label and a set of images, one per pattern.
type GridRow struct {
	// Label is written to the left of the row, e.g. "stored", "probe", "recalled".
	Label string
	// Images holds one image per pattern, each of h·w units read row by row.
	Images *hopfieldlib.Patterns
	// Highlight, if not empty, has one flag per image: flagged images get a coloured frame
	// (e.g. the failed recalls).
	Highlight []bool
}

// GridOptions controls an [ImageGrid]. The zero value is a good default.
type GridOptions struct {
	// Title is written above the grid (optional).
	Title string
	// Captions are written above the columns, one per column (optional, may be shorter).
	Captions []string
	// Range maps values to grey: Min is black, Max white. Zero means automatic: [-1, 1] for
	// data within it that has negative values (spins), [0, 1] for data within it, otherwise the
	// data's smallest and largest value. Values outside are clamped.
	Range Range
	// Invert draws Min white and Max black (dark ink on white paper).
	Invert bool
	// CellWidth is the width of each image; 0 chooses about 72 pixels (at most 900 pixels in
	// all), in whole screen pixels per unit.
	CellWidth vg.Length
	// HighlightColor frames highlighted images; nil means vermillion.
	HighlightColor color.Color
}

// Wrap splits a set of images into rows of at most perRow images, for a grid of many (e.g. 32
// sprites as 4 rows of 8). The first row carries label.
func Wrap(label string, images *hopfieldlib.Patterns, perRow int) ([]GridRow, error) {
	if images == nil || images.Len() == 0 {
		return nil, fmt.Errorf("%w: Wrap needs at least one image, got none", hopfieldlib.ErrEmpty)
	}
	if perRow < 1 {
		return nil, fmt.Errorf("%w: Wrap needs perRow ≥ 1, got %d", hopfieldlib.ErrParameter, perRow)
	}
	var rows []GridRow
	for start := 0; start < images.Len(); start += perRow {
		idx := make([]int, 0, perRow)
		for i := start; i < min(start+perRow, images.Len()); i++ {
			idx = append(idx, i)
		}
		part, err := images.Subset(idx...)
		if err != nil {
			return nil, err
		}
		r := GridRow{Images: part}
		if start == 0 {
			r.Label = label
		}
		rows = append(rows, r)
	}
	return rows, nil
}

// Grid layout constants (points).
const (
	gridMargin = 9
	gridGap    = 6
	frameWidth = 2.25
)

// maxGridCols and maxGridRows bound a grid to what a reader can see.
const (
	maxGridCols = 200
	maxGridRows = 100
)

// ImageGrid draws rows of h×w greyscale images (e.g. stored / probe / recalled) with row labels,
// column captions and optional highlight frames. Rows may hold different numbers of images.
// Pixels are drawn sharp (nearest neighbour), row 0 of each image at the top.
func ImageGrid(h, w int, rows []GridRow, opts GridOptions) (*Figure, error) {
	g, err := newImageGrid(h, w, rows, opts)
	if err != nil {
		return nil, err
	}
	width, height := g.naturalSize()
	return &Figure{Width: width, Height: height, draw: g.draw}, nil
}

// imageGrid is a validated grid ready to draw.
type imageGrid struct {
	h, w     int
	rows     []GridRow
	cols     int
	opts     GridOptions
	rng      Range
	frame    color.Color
	hasLabel bool
	hasCap   bool
}

func newImageGrid(h, w int, rows []GridRow, opts GridOptions) (*imageGrid, error) {
	if h <= 0 || w <= 0 {
		return nil, fmt.Errorf("%w: ImageGrid needs an image size h, w ≥ 1, got %d×%d", hopfieldlib.ErrParameter, h, w)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: ImageGrid needs at least one row, got none", hopfieldlib.ErrEmpty)
	}
	if len(rows) > maxGridRows {
		return nil, fmt.Errorf("%w: ImageGrid draws at most %d rows, got %d", hopfieldlib.ErrParameter, maxGridRows, len(rows))
	}
	g := &imageGrid{h: h, w: w, rows: rows, opts: opts, frame: opts.HighlightColor}
	if g.frame == nil {
		g.frame = highlightColor
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	for i, r := range rows {
		name := fmt.Sprintf("row %d", i)
		if r.Label != "" {
			name = fmt.Sprintf("row %d (%q)", i, r.Label)
			g.hasLabel = true
		}
		if r.Images == nil || r.Images.Len() == 0 {
			return nil, fmt.Errorf("%w: ImageGrid: %s has no images", hopfieldlib.ErrEmpty, name)
		}
		if r.Images.Dim() != h*w {
			return nil, fmt.Errorf("%w: ImageGrid: %s has patterns of %d units, but h×w = %d×%d = %d",
				hopfieldlib.ErrShape, name, r.Images.Dim(), h, w, h*w)
		}
		if err := r.Images.CheckFinite(); err != nil {
			return nil, fmt.Errorf("ImageGrid: %s: %w", name, err)
		}
		if len(r.Highlight) != 0 && len(r.Highlight) != r.Images.Len() {
			return nil, fmt.Errorf("%w: ImageGrid: %s has %d images but %d highlight flags",
				hopfieldlib.ErrShape, name, r.Images.Len(), len(r.Highlight))
		}
		g.cols = max(g.cols, r.Images.Len())
		for _, v := range r.Images.Flat() {
			lo = math.Min(lo, float64(v))
			hi = math.Max(hi, float64(v))
		}
	}
	if g.cols > maxGridCols {
		return nil, fmt.Errorf("%w: ImageGrid draws at most %d images per row, got %d (take a Subset)",
			hopfieldlib.ErrParameter, maxGridCols, g.cols)
	}
	if len(opts.Captions) > g.cols {
		return nil, fmt.Errorf("%w: ImageGrid: %d captions for %d columns", hopfieldlib.ErrShape, len(opts.Captions), g.cols)
	}
	for _, c := range opts.Captions {
		g.hasCap = g.hasCap || c != ""
	}
	if err := opts.Range.check("GridOptions.Range"); err != nil {
		return nil, err
	}
	if opts.CellWidth < 0 || math.IsNaN(float64(opts.CellWidth)) || opts.CellWidth > 10*vg.Inch {
		return nil, fmt.Errorf("%w: GridOptions.CellWidth must be between 0 and 10 inches, got %v pt",
			hopfieldlib.ErrParameter, float64(opts.CellWidth))
	}
	g.rng = opts.Range
	if g.rng.auto() {
		g.rng = autoImageRange(lo, hi)
	}
	return g, nil
}

// autoImageRange picks the grey range of image data from its extremes: spins, [0, 1] pixels, or
// the data's own range.
func autoImageRange(lo, hi float64) Range {
	switch {
	case lo >= -1 && hi <= 1 && lo < 0:
		return Range{-1, 1}
	case lo >= 0 && hi <= 1:
		return Range{0, 1}
	}
	return widen(lo, hi)
}

// text styles of the grid.
func (g *imageGrid) titleStyle() text.Style { return textStyle(titleSize) }
func (g *imageGrid) labelStyle() text.Style { return textStyle(labelSize - 1) }
func (g *imageGrid) capStyle() text.Style   { return textStyle(labelSize - 1) }

// chrome returns the space taken by text around the cells: label column width, and the heights
// of the title and caption bands.
func (g *imageGrid) chrome() (labelW, titleH, capH vg.Length) {
	if g.hasLabel {
		sty := g.labelStyle()
		for _, r := range g.rows {
			labelW = max(labelW, sty.Width(r.Label))
		}
		labelW += vg.Points(8)
	}
	if g.opts.Title != "" {
		titleH = g.titleStyle().Height(g.opts.Title) + vg.Points(6)
	}
	if g.hasCap {
		sty := g.capStyle()
		for _, c := range g.opts.Captions {
			capH = max(capH, sty.Height(c))
		}
		capH += vg.Points(3)
	}
	return labelW, titleH, capH
}

// naturalSize is the figure size with the chosen cell width: whole pixels per image unit at DPI.
func (g *imageGrid) naturalSize() (vg.Length, vg.Length) {
	cw := g.opts.CellWidth
	if cw == 0 {
		const target, budget, minCell = 72.0, 900.0, 24.0 // pixels
		s := math.Max(1, math.Round(target/float64(max(g.h, g.w))))
		px := s * float64(g.w)
		gapPx := float64(gridGap) * DPI / 72
		if float64(g.cols)*(px+gapPx) > budget {
			px = math.Max(minCell, math.Floor(budget/float64(g.cols)-gapPx))
		}
		cw = vg.Length(px * 72 / DPI)
	}
	ch := cw * vg.Length(g.h) / vg.Length(g.w)
	labelW, titleH, capH := g.chrome()
	gap := vg.Points(gridGap)
	width := 2*vg.Points(gridMargin) + labelW + vg.Length(g.cols)*cw + vg.Length(g.cols-1)*gap
	if g.opts.Title != "" {
		width = max(width, 2*vg.Points(gridMargin)+g.titleStyle().Width(g.opts.Title))
	}
	height := 2*vg.Points(gridMargin) + titleH + capH + vg.Length(len(g.rows))*ch + vg.Length(len(g.rows)-1)*gap
	// Round up to whole pixels at DPI so cells land on the pixel grid.
	return ceilPx(width), ceilPx(height)
}

// ceilPx rounds a length up to whole pixels at DPI.
func ceilPx(l vg.Length) vg.Length {
	return vg.Length(math.Ceil(l.Dots(DPI)-1e-9)) * vg.Inch / DPI
}

// draw lays the grid out in c (any size: the cells shrink or grow to fit, centred) and draws it.
func (g *imageGrid) draw(c draw.Canvas) {
	labelW, titleH, capH := g.chrome()
	gap := vg.Points(gridGap)
	m := vg.Points(gridMargin)
	availW := c.Size().X - 2*m - labelW - vg.Length(g.cols-1)*gap
	availH := c.Size().Y - 2*m - titleH - capH - vg.Length(len(g.rows)-1)*gap
	cw := min(availW/vg.Length(g.cols), availH/vg.Length(len(g.rows))*vg.Length(g.w)/vg.Length(g.h))
	if cw <= 0 {
		return
	}
	ch := cw * vg.Length(g.h) / vg.Length(g.w)
	gridW := labelW + vg.Length(g.cols)*cw + vg.Length(g.cols-1)*gap
	gridH := titleH + capH + vg.Length(len(g.rows))*ch + vg.Length(len(g.rows)-1)*gap
	x0 := c.Min.X + (c.Size().X-gridW)/2
	top := c.Max.Y - (c.Size().Y-gridH)/2

	if g.opts.Title != "" {
		sty := g.titleStyle()
		sty.XAlign, sty.YAlign = text.XCenter, text.YTop
		// Centre the title over the cells, but keep it inside the canvas.
		tw := sty.Width(g.opts.Title)
		cx := x0 + labelW + (gridW-labelW)/2
		cx = min(cx, c.Max.X-m-tw/2)
		cx = max(cx, c.Min.X+m+tw/2)
		c.FillText(sty, vg.Point{X: cx, Y: top}, g.opts.Title)
	}
	cellsTop := top - titleH - capH
	if g.hasCap {
		sty := g.capStyle()
		sty.XAlign, sty.YAlign = text.XCenter, text.YBottom
		for k, s := range g.opts.Captions {
			x := x0 + labelW + vg.Length(k)*(cw+gap) + cw/2
			c.FillText(sty, vg.Point{X: x, Y: cellsTop + vg.Points(3)}, s)
		}
	}
	border := draw.LineStyle{Color: color.Gray{Y: 0xb0}, Width: vg.Points(0.5)}
	frame := draw.LineStyle{Color: g.frame, Width: vg.Points(frameWidth)}
	for i, r := range g.rows {
		yTop := cellsTop - vg.Length(i)*(ch+gap)
		if r.Label != "" {
			sty := g.labelStyle()
			sty.XAlign, sty.YAlign = text.XRight, text.YCenter
			c.FillText(sty, vg.Point{X: x0 + labelW - vg.Points(8), Y: yTop - ch/2}, r.Label)
		}
		for k := range r.Images.Len() {
			x := x0 + labelW + vg.Length(k)*(cw+gap)
			rect := vg.Rectangle{Min: vg.Point{X: x, Y: yTop - ch}, Max: vg.Point{X: x + cw, Y: yTop}}
			g.drawImage(c, rect, r.Images.Row(k))
			c.SetLineStyle(border)
			c.Stroke(rectPath(rect, 0))
			if k < len(r.Highlight) && r.Highlight[k] {
				c.SetLineStyle(frame)
				c.Stroke(rectPath(rect, vg.Points(frameWidth/2+0.5)))
			}
		}
	}
}

// drawImage draws one h×w image into rect.
func (g *imageGrid) drawImage(c draw.Canvas, rect vg.Rectangle, img []float32) {
	drawPixels(c, rect, g.h, g.w, func(r, k int) color.Color {
		t := g.rng.norm(float64(img[r*g.w+k]))
		if g.opts.Invert {
			t = 1 - t
		}
		return gray(t)
	})
}

// rectPath is the closed outline of rect grown by d on every side.
func rectPath(rect vg.Rectangle, d vg.Length) vg.Path {
	var p vg.Path
	p.Move(vg.Point{X: rect.Min.X - d, Y: rect.Min.Y - d})
	p.Line(vg.Point{X: rect.Max.X + d, Y: rect.Min.Y - d})
	p.Line(vg.Point{X: rect.Max.X + d, Y: rect.Max.Y + d})
	p.Line(vg.Point{X: rect.Min.X - d, Y: rect.Max.Y + d})
	p.Close()
	return p
}
