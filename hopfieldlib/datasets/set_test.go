package datasets

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// smallSet is a set of 2 images of 2×3 pixels.
func smallSet(t *testing.T) *Set {
	t.Helper()
	imgs, err := hopfieldlib.FromFlat(2, 6, []float32{
		0, 0.5, 1, 0.25, 0.75, 0.51,
		1, 1, 1, 0, 0, 0,
	})
	if err != nil {
		t.Fatal(err)
	}
	return &Set{Name: "small", Images: imgs, Height: 2, Width: 3, Labels: []int{1, 0},
		Classes: []string{"a", "b"}, Names: []string{"x", "y"}}
}

func TestSpins(t *testing.T) {
	s := smallSet(t)
	tests := []struct {
		threshold float32
		want      []float32 // +1 where the pixel is above the threshold (by hand)
	}{
		{0.5, []float32{-1, -1, 1, -1, 1, 1, 1, 1, 1, -1, -1, -1}},
		{0, []float32{-1, 1, 1, 1, 1, 1, 1, 1, 1, -1, -1, -1}},
		{1, []float32{-1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1}},
		{-1, []float32{1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1}},
	}
	for _, tc := range tests {
		p, err := s.SpinsAt(tc.threshold)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(p.Flat(), tc.want) {
			t.Errorf("SpinsAt(%v) = %v, want %v", tc.threshold, p.Flat(), tc.want)
		}
		if err := p.CheckSpins(); err != nil {
			t.Error(err)
		}
	}
	p, _ := s.Spins()
	if !slices.Equal(p.Flat(), tests[0].want) {
		t.Errorf("Spins() = %v", p.Flat())
	}
	if s.Images.At(0, 1) != 0.5 {
		t.Error("Spins changed the set's images")
	}
	for _, bad := range []float32{float32(math.NaN()), float32(math.Inf(1))} {
		if _, err := s.SpinsAt(bad); !errors.Is(err, hopfieldlib.ErrParameter) {
			t.Errorf("SpinsAt(%v): err = %v, want ErrParameter", bad, err)
		}
	}
}

func TestSpinsAdaptive(t *testing.T) {
	// 4×4 images, border pixels first. Image 0: white border, drawing {0.2, 0.2, 0.6, 0.6}: the
	// distances to the background are 0.8, 0.8, 0.4, 0.4, median (lower) 0.4, so all four are
	// "strong" and take -1. Image 1: white border, drawing {0.1, 0.3, 0.7, 0.9} (distances 0.9,
	// 0.7, 0.3, 0.1, lower median 0.3): 0.1, 0.3 and 0.7 take -1, 0.9 keeps +1. Image 2: black
	// border, one ink pixel of 1: it takes +1, the rest -1. Image 3: uniform grey 0.3 (below 0.5):
	// all -1.
	w := float32(1)
	imgs, _ := hopfieldlib.FromFlat(4, 16, []float32{
		w, w, w, w, w, 0.2, 0.2, w, w, 0.6, 0.6, w, w, w, w, w,
		w, w, w, w, w, 0.1, 0.3, w, w, 0.7, 0.9, w, w, w, w, w,
		0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3, 0.3,
	})
	s := &Set{Images: imgs, Height: 4, Width: 4}
	p, err := s.SpinsAdaptive()
	if err != nil {
		t.Fatal(err)
	}
	o, x := float32(1), float32(-1)
	want := []float32{
		o, o, o, o, o, x, x, o, o, x, x, o, o, o, o, o,
		o, o, o, o, o, x, x, o, o, x, o, o, o, o, o, o,
		x, x, x, x, x, o, x, x, x, x, x, x, x, x, x, x,
		x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x,
	}
	if !slices.Equal(p.Flat(), want) {
		t.Errorf("SpinsAdaptive =\n%v\nwant\n%v", p.Flat(), want)
	}
	imgs.Flat()[3] = float32(math.NaN())
	if _, err := s.SpinsAdaptive(); !errors.Is(err, hopfieldlib.ErrNotFinite) {
		t.Errorf("NaN pixel: err = %v, want ErrNotFinite", err)
	}
}

func TestSpinsAdaptiveShipped(t *testing.T) {
	// Property: on every sprite, about half of the drawing is dark, so no sprite is blank
	// (a fixed threshold of 0.5 leaves fewer than 30 dark pixels on the unicorn).
	s, err := SpritesIn(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	p, err := s.SpinsAdaptive()
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Len() {
		dark := 0
		for _, v := range p.Row(i) {
			if v < 0 {
				dark++
			}
		}
		if dark < 200 || dark > 3000 {
			t.Errorf("%s: %d of 4096 pixels dark", s.Names[i], dark)
		}
	}
}

func TestSubsetFirst(t *testing.T) {
	s := smallSet(t)
	sub, err := s.Subset(1, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	if sub.Len() != 3 || !slices.Equal(sub.Labels, []int{0, 0, 1}) || !slices.Equal(sub.Names, []string{"y", "y", "x"}) ||
		sub.Images.At(2, 2) != 1 || sub.Height != 2 || sub.Width != 3 || len(sub.Classes) != 2 {
		t.Errorf("Subset: %+v", sub)
	}
	f, err := s.First(1)
	if err != nil || f.Len() != 1 || f.Names[0] != "x" {
		t.Errorf("First(1): %v %v", f, err)
	}
	for _, n := range []int{0, 3} {
		if _, err := s.First(n); !errors.Is(err, hopfieldlib.ErrParameter) {
			t.Errorf("First(%d): err = %v, want ErrParameter", n, err)
		}
	}
	if _, err := s.Subset(2); !errors.Is(err, hopfieldlib.ErrShape) {
		t.Errorf("Subset(2): err = %v, want ErrShape", err)
	}
}

func TestResize(t *testing.T) {
	// 2×4 → 1×2: each output pixel averages a 2×2 block (by hand).
	imgs, _ := hopfieldlib.FromFlat(1, 8, []float32{0, 1, 0.5, 0.5, 1, 0, 0.25, 0.75})
	s := &Set{Images: imgs, Height: 2, Width: 4, Labels: []int{0}}
	r, err := s.Resize(1, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.Images.Flat(), []float32{0.5, 0.5}) || r.Height != 1 || r.Width != 2 || r.Names != nil || len(r.Labels) != 1 {
		t.Errorf("Resize(1, 2) = %+v %v", r, r.Images.Flat())
	}
	// 1×3 → 1×2: output 0 covers [0, 1.5): pixel 0 fully, pixel 1 half: (a + b/2)/1.5.
	imgs, _ = hopfieldlib.FromFlat(1, 3, []float32{0.3, 0.6, 0.9})
	s = &Set{Images: imgs, Height: 1, Width: 3}
	r, _ = s.Resize(1, 2)
	want := []float64{(0.3 + 0.3) / 1.5, (0.3 + 0.9) / 1.5}
	for i, v := range r.Images.Flat() {
		if math.Abs(float64(v)-want[i]) > 1e-6 {
			t.Errorf("Resize 3→2 pixel %d = %v, want %v", i, v, want[i])
		}
	}
	// 1×2 → 1×4 repeats pixels.
	imgs, _ = hopfieldlib.FromFlat(1, 2, []float32{0.2, 0.8})
	s = &Set{Images: imgs, Height: 1, Width: 2}
	r, _ = s.Resize(1, 4)
	if !slices.Equal(r.Images.Flat(), []float32{0.2, 0.2, 0.8, 0.8}) {
		t.Errorf("Resize 2→4 = %v", r.Images.Flat())
	}
	for _, hw := range [][2]int{{0, 1}, {1, 0}, {5000, 1}} {
		if _, err := s.Resize(hw[0], hw[1]); !errors.Is(err, hopfieldlib.ErrParameter) {
			t.Errorf("Resize%v: err = %v, want ErrParameter", hw, err)
		}
	}
}

func TestResizeShippedSprites(t *testing.T) {
	// Property: halving keeps the mean intensity (area averaging conserves mass).
	s, err := SpritesIn(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	r, err := s.Resize(32, 32)
	if err != nil {
		t.Fatal(err)
	}
	mean := func(p []float32) (m float64) {
		for _, v := range p {
			m += float64(v)
		}
		return m / float64(len(p))
	}
	for i := range s.Len() {
		if d := mean(s.Images.Row(i)) - mean(r.Images.Row(i)); math.Abs(d) > 1e-5 {
			t.Errorf("%s: mean changed by %v", s.Names[i], d)
		}
	}
}

func TestImage(t *testing.T) {
	s := smallSet(t)
	img, err := s.Image(0)
	if err != nil {
		t.Fatal(err)
	}
	// round(255·v): 0, 127.5 → 128, 255, 63.75 → 64, 191.25 → 191, 130.05 → 130
	if !slices.Equal(img.Pix, []uint8{0, 128, 255, 64, 191, 130}) || img.Bounds().Dx() != 3 {
		t.Errorf("Image(0) = %v", img.Pix)
	}
	if _, err := s.Image(2); !errors.Is(err, hopfieldlib.ErrParameter) {
		t.Errorf("Image(2): err = %v", err)
	}
	if _, err := PatternImage([]float32{1, 2, 3}, 2, 2); !errors.Is(err, hopfieldlib.ErrShape) {
		t.Errorf("PatternImage shape: err = %v", err)
	}
	if _, err := PatternImage([]float32{float32(math.NaN())}, 1, 1); !errors.Is(err, hopfieldlib.ErrNotFinite) {
		t.Errorf("PatternImage NaN: err = %v", err)
	}
	if g, _ := PatternImage([]float32{-1, 1}, 1, 2); !slices.Equal(g.Pix, []uint8{0, 255}) {
		t.Errorf("spins draw as %v", g.Pix)
	}
}

func TestSetCheck(t *testing.T) {
	s := smallSet(t)
	tests := []struct {
		name string
		set  *Set
		want error
	}{
		{"nil", nil, hopfieldlib.ErrEmpty},
		{"no images", &Set{}, hopfieldlib.ErrEmpty},
		{"bad size", &Set{Images: s.Images, Height: 3, Width: 3}, hopfieldlib.ErrShape},
		{"labels", &Set{Images: s.Images, Height: 2, Width: 3, Labels: []int{1}}, hopfieldlib.ErrShape},
		{"names", &Set{Images: s.Images, Height: 2, Width: 3, Names: []string{"a", "b", "c"}}, hopfieldlib.ErrShape},
	}
	for _, tc := range tests {
		if _, err := tc.set.Spins(); !errors.Is(err, tc.want) {
			t.Errorf("%s: Spins err = %v, want %v", tc.name, err, tc.want)
		}
		if _, err := tc.set.SpinsAdaptive(); !errors.Is(err, tc.want) {
			t.Errorf("%s: SpinsAdaptive err = %v, want %v", tc.name, err, tc.want)
		}
		if _, err := tc.set.Resize(2, 2); !errors.Is(err, tc.want) {
			t.Errorf("%s: Resize err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if s.String() != "small: 2 images of 2×3, 2 classes" || (*Set)(nil).Len() != 0 {
		t.Errorf("String() = %q", s.String())
	}
}
