package plots

import (
	"errors"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

func TestImageGridGolden(t *testing.T) {
	stored := testShapes(6, 16, 16)
	probes := flipped(stored, 0.2, 1)
	recalled := stored.Clone()
	// Pretend the last recall failed: it ended in the first pattern.
	copy(recalled.Row(5), stored.Row(0))
	fig, err := ImageGrid(16, 16, []GridRow{
		{Label: "stored", Images: stored},
		{Label: "probe (20% flipped)", Images: probes},
		{Label: "recalled", Images: recalled, Highlight: []bool{false, false, false, false, false, true}},
	}, GridOptions{Title: "Classical recall, N = 256, K = 6", Captions: []string{"ξ¹", "ξ²", "ξ³", "ξ⁴", "ξ⁵", "ξ⁶"}})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "grid_recall", fig)

	// [0, 1] images, inverted (dark ink), no labels, rows of different lengths.
	raw := stored.Clone()
	for i, v := range raw.Flat() {
		raw.Flat()[i] = (v + 1) / 2 * 0.8
	}
	few, err := raw.First(3)
	if err != nil {
		t.Fatal(err)
	}
	fig, err = ImageGrid(16, 16, []GridRow{{Images: raw}, {Images: few}}, GridOptions{Invert: true})
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "grid_plain", fig)
}

func TestImageGridAutoRange(t *testing.T) {
	// Expected ranges follow the rule documented on GridOptions.Range.
	cases := []struct {
		lo, hi float64
		want   Range
	}{
		{-1, 1, Range{-1, 1}},           // spins
		{-0.3, 0.9, Range{-1, 1}},       // continuous states within [-1, 1]
		{0, 1, Range{0, 1}},             // pixels
		{0, 0, Range{0, 1}},             // a blank [0, 1] image
		{0.2, 0.7, Range{0, 1}},         // pixels that do not span [0, 1]
		{-3, 5, Range{-3, 5}},           // anything else: the data's range
		{4, 4, Range{3.5, 4.5}},         // constant outside [0, 1]: widened by 0.5
		{-200, -200, Range{-210, -190}}, // constant, widened by 5% of |value|
	}
	for _, c := range cases {
		if got := autoImageRange(c.lo, c.hi); got != c.want {
			t.Errorf("autoImageRange(%v, %v) = %v, want %v", c.lo, c.hi, got, c.want)
		}
	}
}

func TestImageGridSize(t *testing.T) {
	// 28×28 digits: round(72/28) = 3 pixels per unit, 84-pixel cells = 63 pt.
	p := testShapes(2, 28, 28)
	fig, err := ImageGrid(28, 28, []GridRow{{Images: p}}, GridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	// width: 2 margins (9 pt) + 2 cells (63 pt) + 1 gap (6 pt) = 150 pt = 200 px.
	if got := fig.Width.Dots(DPI); got != 200 {
		t.Errorf("width = %v px, want 200", got)
	}
	// height: 2 margins + 1 cell = 81 pt = 108 px.
	if got := fig.Height.Dots(DPI); got != 108 {
		t.Errorf("height = %v px, want 108", got)
	}
}

func TestWrap(t *testing.T) {
	p := testShapes(7, 4, 4)
	rows, err := Wrap("all", p, 3)
	if err != nil {
		t.Fatal(err)
	}
	// 7 images in rows of 3: 3, 3, 1; the label on the first row only.
	if len(rows) != 3 || rows[0].Images.Len() != 3 || rows[2].Images.Len() != 1 || rows[0].Label != "all" || rows[1].Label != "" {
		t.Fatalf("Wrap(7 images, 3) = %d rows", len(rows))
	}
	for i, want := range p.Row(6) {
		if rows[2].Images.At(0, i) != want {
			t.Fatalf("last row holds the wrong image")
		}
	}
	if _, err := Wrap("x", p, 0); !errors.Is(err, hopfieldlib.ErrParameter) {
		t.Errorf("Wrap(perRow 0): got %v, want ErrParameter", err)
	}
	if _, err := Wrap("x", nil, 3); !errors.Is(err, hopfieldlib.ErrEmpty) {
		t.Errorf("Wrap(nil): got %v, want ErrEmpty", err)
	}
	// A wide grid stays within the 900-pixel budget: 20 columns of 64×64 images.
	fig, err := ImageGrid(4, 4, []GridRow{{Images: mustZeros(20, 16)}}, GridOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if w := fig.Width.Dots(DPI); w > 900+2*12 {
		t.Errorf("20 columns are %v px wide, want at most 924 (900 + margins)", w)
	}
}
