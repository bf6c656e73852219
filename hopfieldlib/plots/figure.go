package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image/color"
	"os"
	"path/filepath"
	"strings"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/janpfeifer/gonb/gonbui"
	"github.com/janpfeifer/gonb/gonbui/protocol"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgpdf"
	"gonum.org/v1/plot/vg/vgsvg"
)

// ErrNotNotebook reports a call to Show or Play outside a GoNB notebook.
var ErrNotNotebook = errors.New("plots: not running in a GoNB notebook")

// DPI is the resolution of PNG output: at 96 dots per inch a figure of the default width,
// [DefaultWidth] = 450 pt, is 600 pixels wide.
const DPI = 96

// Default figure size for plots: 600 × 400 pixels at [DPI].
const (
	DefaultWidth  = 450 * vg.Length(1)
	DefaultHeight = 300 * vg.Length(1)
)

// showScale is the pixel density Show uses: it renders at showScale × DPI and asks the notebook
// to display the image at its nominal size, so figures stay sharp on high-density screens.
const showScale = 2

// Figure is a drawing ready to render: a gonum plot with this package's style, or one of its
// image layouts. Width and Height give the size of every rendering; change them to resize.
type Figure struct {
	// Width and Height are the size of the figure (1 pt = 1/72 inch; at [DPI], 3 pt = 4 pixels).
	Width, Height vg.Length

	plot *plot.Plot        // the underlying plot, nil for image layouts
	draw func(draw.Canvas) // draws the whole figure onto a canvas of any size
}

// Plot returns the gonum plot behind the figure, to customise it (add plotters, change ranges),
// or nil for image layouts such as [ImageGrid].
func (f *Figure) Plot() *plot.Plot { return f.plot }

// checkSize validates the figure's size.
func (f *Figure) checkSize() error {
	if f == nil || f.draw == nil {
		return fmt.Errorf("%w: nil figure: build one with a constructor of package plots", hopfieldlib.ErrParameter)
	}
	if !(f.Width > 0 && f.Height > 0) || f.Width > 100*vg.Inch || f.Height > 100*vg.Inch {
		return fmt.Errorf("%w: figure size must be between 0 and 100 inches, got %.4g × %.4g pt",
			hopfieldlib.ErrParameter, float64(f.Width), float64(f.Height))
	}
	return nil
}

// render draws the figure on c, on a white background, turning a panic inside gonum/plot into an
// error so a notebook cell gets a message.
func (f *Figure) render(c vg.CanvasSizer) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: drawing the figure failed: %v", hopfieldlib.ErrParameter, r)
		}
	}()
	dc := draw.New(c)
	dc.SetColor(color.White)
	dc.Fill(dc.Rectangle.Path())
	f.draw(dc)
	return nil
}

// pngAt renders the figure to PNG at the given resolution.
func (f *Figure) pngAt(dpi int) ([]byte, error) {
	if err := f.checkSize(); err != nil {
		return nil, err
	}
	c := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(dpi))
	if err := f.render(c); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := (vgimg.PngCanvas{Canvas: c}).WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: encoding PNG: %w", err)
	}
	return buf.Bytes(), nil
}

// PNG renders the figure to PNG bytes at [DPI] (Width·DPI/72 pixels wide).
func (f *Figure) PNG() ([]byte, error) { return f.pngAt(DPI) }

// SVG renders the figure to SVG bytes. Text uses the Liberation Sans font by name (not
// embedded); images keep sharp pixels (image-rendering: pixelated).
func (f *Figure) SVG() ([]byte, error) {
	if err := f.checkSize(); err != nil {
		return nil, err
	}
	c := vgsvg.New(f.Width, f.Height)
	if err := f.render(c); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: encoding SVG: %w", err)
	}
	return pixelatedSVG(buf.Bytes()), nil
}

// PDF renders the figure to PDF bytes.
func (f *Figure) PDF() ([]byte, error) {
	if err := f.checkSize(); err != nil {
		return nil, err
	}
	c := vgpdf.New(f.Width, f.Height)
	if err := f.render(c); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("plots: encoding PDF: %w", err)
	}
	return buf.Bytes(), nil
}

// pixelatedSVG asks SVG viewers to draw embedded images with nearest-neighbour pixels.
func pixelatedSVG(svg []byte) []byte {
	return bytes.ReplaceAll(svg, []byte("<image "), []byte(`<image style="image-rendering:pixelated" `))
}

// Save writes the figure to path in the format its extension names: .png, .svg or .pdf.
func (f *Figure) Save(path string) error {
	var (
		data []byte
		err  error
	)
	switch ext := strings.ToLower(filepath.Ext(path)); ext {
	case ".png":
		data, err = f.PNG()
	case ".svg":
		data, err = f.SVG()
	case ".pdf":
		data, err = f.PDF()
	default:
		return fmt.Errorf("%w: Save(%q): the extension must be .png, .svg or .pdf, got %q",
			hopfieldlib.ErrParameter, path, ext)
	}
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("plots: saving figure: %w", err)
	}
	return nil
}

// Show displays the figure inline in a GoNB notebook as a PNG, drawn at twice the pixel density
// and shown at its nominal size (Width·96/72 pixels) so it stays sharp on high-density screens.
// Outside GoNB it returns an error wrapping [ErrNotNotebook] and displays nothing.
func (f *Figure) Show() error {
	if !gonbui.IsNotebook {
		return notNotebook("Show")
	}
	data, err := f.pngAt(showScale * DPI)
	if err != nil {
		return err
	}
	w := int(f.Width.Dots(DPI) + 0.5)
	h := int(f.Height.Dots(DPI) + 0.5)
	gonbui.SendData(&protocol.DisplayData{
		Data:     map[protocol.MIMEType]any{protocol.MIMEImagePNG: data},
		Metadata: map[string]any{string(protocol.MIMEImagePNG): map[string]int{"width": w, "height": h}},
	})
	gonbui.Sync() // a cell that ends right after Show would otherwise exit with the figure still in the pipe
	return notebookError()
}

// ShowSVG displays the figure inline in a GoNB notebook as SVG (vector, scales to any zoom).
// Outside GoNB it returns an error wrapping [ErrNotNotebook].
func (f *Figure) ShowSVG() error {
	if !gonbui.IsNotebook {
		return notNotebook("ShowSVG")
	}
	data, err := f.SVG()
	if err != nil {
		return err
	}
	gonbui.DisplaySVG(string(data))
	gonbui.Sync()
	return notebookError()
}

// notNotebook is the error of a display call outside GoNB.
func notNotebook(what string) error {
	return fmt.Errorf("%w: %s needs the GoNB Jupyter kernel; outside a notebook use Save or PNG",
		ErrNotNotebook, what)
}

// notebookError reports a broken connection to the GoNB kernel.
func notebookError() error {
	if err := gonbui.Error(); err != nil {
		return fmt.Errorf("plots: sending the figure to the notebook: %w", err)
	}
	return nil
}
