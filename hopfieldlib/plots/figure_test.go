package plots

import (
	"bytes"
	"errors"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"gonum.org/v1/plot/vg"
)

func testLines(t *testing.T) *Figure {
	t.Helper()
	fig, err := Lines(capacitySeries(), LineOptions{Title: "capacity", XLabel: "load α = K / N", YLabel: "fraction stable",
		Refs: []RefLine{VLine(0.138, "0.138 N")}})
	if err != nil {
		t.Fatal(err)
	}
	return fig
}

func TestFigurePNGSize(t *testing.T) {
	fig := testLines(t)
	data, err := fig.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// DefaultWidth × DefaultHeight = 450 × 300 pt at 96 dpi = 600 × 400 px.
	if got := img.Bounds().Size(); got.X != 600 || got.Y != 400 {
		t.Errorf("PNG is %v, want 600×400", got)
	}
	fig.Width, fig.Height = 3*vg.Inch, 2*vg.Inch
	data, err = fig.PNG()
	if err != nil {
		t.Fatal(err)
	}
	img, err = png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// 3 × 2 inches at 96 dpi.
	if got := img.Bounds().Size(); got.X != 288 || got.Y != 192 {
		t.Errorf("resized PNG is %v, want 288×192", got)
	}
}

func TestFigureSVGText(t *testing.T) {
	svg, err := testLines(t).SVG()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<svg", "load α = K / N", "fraction stable", "capacity", "0.138 N", "N = 1000"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("SVG lacks %q", want)
		}
	}
	// Image figures embed their pixels with nearest-neighbour rendering.
	grid, err := ImageGrid(4, 4, []GridRow{{Label: "stored", Images: testShapes(2, 4, 4)}}, GridOptions{Captions: []string{"first"}})
	if err != nil {
		t.Fatal(err)
	}
	svg, err = grid.SVG()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<image style="image-rendering:pixelated"`, "stored", "first"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("image grid SVG lacks %q", want)
		}
	}
}

func TestFigureSave(t *testing.T) {
	fig := testLines(t)
	dir := t.TempDir()
	// Each format's file starts with its signature.
	for ext, magic := range map[string]string{".png": "\x89PNG", ".svg": "<?xml", ".pdf": "%PDF", ".PNG": "\x89PNG"} {
		path := filepath.Join(dir, "fig"+ext)
		if err := fig.Save(path); err != nil {
			t.Errorf("Save(%s): %v", ext, err)
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(data), magic) {
			t.Errorf("Save(%s) wrote %q…, want %q…", ext, data[:min(8, len(data))], magic)
		}
	}
	if err := fig.Save(filepath.Join(dir, "fig.jpg")); !errors.Is(err, hopfieldlib.ErrParameter) {
		t.Errorf("Save(.jpg): got %v, want ErrParameter", err)
	}
	if err := fig.Save(filepath.Join(dir, "missing", "fig.png")); err == nil {
		t.Error("Save into a missing directory: got nil error")
	}
}

func TestFigureShowOutsideNotebook(t *testing.T) {
	fig := testLines(t)
	if err := fig.Show(); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("Show: got %v, want ErrNotNotebook", err)
	}
	if err := fig.ShowSVG(); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("ShowSVG: got %v, want ErrNotNotebook", err)
	}
}

func TestFigureBadSize(t *testing.T) {
	for _, size := range [][2]vg.Length{{0, 100}, {100, -1}, {200 * vg.Inch, 100}} {
		fig := testLines(t)
		fig.Width, fig.Height = size[0], size[1]
		if _, err := fig.PNG(); !errors.Is(err, hopfieldlib.ErrParameter) {
			t.Errorf("PNG at %v: got %v, want ErrParameter", size, err)
		}
		if _, err := fig.SVG(); !errors.Is(err, hopfieldlib.ErrParameter) {
			t.Errorf("SVG at %v: got %v, want ErrParameter", size, err)
		}
		if _, err := fig.PDF(); !errors.Is(err, hopfieldlib.ErrParameter) {
			t.Errorf("PDF at %v: got %v, want ErrParameter", size, err)
		}
	}
	var nilFig *Figure
	if _, err := nilFig.PNG(); !errors.Is(err, hopfieldlib.ErrParameter) {
		t.Errorf("nil figure: got %v, want ErrParameter", err)
	}
}

func TestComposeGolden(t *testing.T) {
	stored := testShapes(4, 16, 16)
	grid, err := ImageGrid(16, 16, []GridRow{{Label: "β = 0.5", Images: flipped(stored, 0.4, 2)}, {Label: "β = 8", Images: stored}},
		GridOptions{Title: "Retrieved"})
	if err != nil {
		t.Fatal(err)
	}
	beta := []float64{0.5, 1, 2, 4, 8}
	curve, err := Lines([]Series{{X: beta, Y: []float64{3.2, 2.5, 1.2, 0.3, 0.05}}},
		LineOptions{Title: "Entropy", XLabel: "β", YLabel: "entropy (nats)", LogX: true})
	if err != nil {
		t.Fatal(err)
	}
	curve.Width, curve.Height = 300, 240
	fig, err := Beside(grid, curve)
	if err != nil {
		t.Fatal(err)
	}
	if fig.Width != grid.Width+curve.Width || fig.Height != max(grid.Height, curve.Height) {
		t.Errorf("Beside size %v×%v", fig.Width, fig.Height)
	}
	checkGolden(t, "compose_beside", fig)
	col, err := Above(grid, curve)
	if err != nil {
		t.Fatal(err)
	}
	if col.Height != grid.Height+curve.Height || col.Width != max(grid.Width, curve.Width) {
		t.Errorf("Above size %v×%v", col.Width, col.Height)
	}
	if _, err := Beside(); !errors.Is(err, hopfieldlib.ErrEmpty) {
		t.Errorf("Beside(): got %v, want ErrEmpty", err)
	}
	if _, err := Above(grid, nil); !errors.Is(err, hopfieldlib.ErrParameter) {
		t.Errorf("Above(grid, nil): got %v, want ErrParameter", err)
	}
}

func TestImageDiff(t *testing.T) {
	a, err := testLines(t).PNG()
	if err != nil {
		t.Fatal(err)
	}
	frac, err := pngDiff(a, a, 0)
	if err != nil || frac != 0 {
		t.Errorf("identical images: %v, %v; want 0, nil", frac, err)
	}
	fig := testLines(t)
	fig.Plot().Title.Text = "another title, long enough to change many pixels"
	b, err := fig.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if frac, _ := pngDiff(a, b, goldenChannelTol); frac <= goldenMaxFraction {
		t.Errorf("a changed title differs in %.4f of pixels, want more than the golden tolerance %v", frac, goldenMaxFraction)
	}
	fig.Width = 300
	c, err := fig.PNG()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := pngDiff(a, c, 0); err == nil {
		t.Error("images of different sizes: got nil error")
	}
	if _, err := pngDiff(a, []byte("not a png"), 0); err == nil {
		t.Error("invalid PNG: got nil error")
	}
}
