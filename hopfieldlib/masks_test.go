package hopfieldlib_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// maskString draws a mask of an h×w image as rows of '#' (hidden) and '.' (visible).
func maskString(m hopfieldlib.Mask, w int) string {
	var s []byte
	for i, h := range m {
		if i > 0 && i%w == 0 {
			s = append(s, '/')
		}
		if h {
			s = append(s, '#')
		} else {
			s = append(s, '.')
		}
	}
	return string(s)
}

func TestImageMasks(t *testing.T) {
	tests := []struct {
		name string
		mask func() (hopfieldlib.Mask, error)
		w    int
		want string // drawn by hand
	}{
		{"BottomHalf 4×3", func() (hopfieldlib.Mask, error) { return hopfieldlib.BottomHalf(4, 3) }, 3, ".../.../###/###"},
		{"BottomHalf 3×2 (odd h)", func() (hopfieldlib.Mask, error) { return hopfieldlib.BottomHalf(3, 2) }, 2, "../../##"},
		{"RightHalf 2×5", func() (hopfieldlib.Mask, error) { return hopfieldlib.RightHalf(2, 5) }, 5, "...##/...##"},
		{"RectMask corner", func() (hopfieldlib.Mask, error) { return hopfieldlib.RectMask(3, 4, 0, 2, 2, 2) }, 4, "..##/..##/...."},
		{"RectMask empty", func() (hopfieldlib.Mask, error) { return hopfieldlib.RectMask(2, 2, 1, 1, 0, 1) }, 2, "../.."},
		// round(0.7·10) = 7 visible pixels, by hand.
		{"Occlusion 70%", func() (hopfieldlib.Mask, error) { return hopfieldlib.Occlusion(2, 5, 0.7) }, 5, "...../..###"},
		{"Occlusion 0%", func() (hopfieldlib.Mask, error) { return hopfieldlib.Occlusion(1, 3, 0) }, 3, "###"},
	}
	for _, tc := range tests {
		m, err := tc.mask()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if got := maskString(m, tc.w); got != tc.want {
			t.Errorf("%s = %s, want %s", tc.name, got, tc.want)
		}
	}
}

func TestMaskApplyAndCombine(t *testing.T) {
	p := utilSet(t, []float32{1, -1, 1, -1}, []float32{1, 1, 1, 1})
	m, _ := hopfieldlib.RectMask(2, 2, 1, 0, 1, 2) // bottom row
	got, err := m.Apply(p, 0)
	if err != nil {
		t.Fatal(err)
	}
	if want := []float32{1, -1, 0, 0, 1, 1, 0, 0}; !slices.Equal(got.Flat(), want) {
		t.Errorf("Apply = %v, want %v", got.Flat(), want)
	}
	if want := []float32{1, -1, 1, -1, 1, 1, 1, 1}; !slices.Equal(p.Flat(), want) {
		t.Errorf("Apply changed its input: %v", p.Flat())
	}
	left, _ := hopfieldlib.RectMask(2, 2, 0, 0, 2, 1)
	u, err := m.Or(left)
	if err != nil {
		t.Fatal(err)
	}
	if got := maskString(u, 2); got != "#./##" {
		t.Errorf("Or = %s, want #./##", got)
	}
	if got := maskString(u.Not(), 2); got != ".#/.." {
		t.Errorf("Not = %s, want .#/..", got)
	}
	if u.Hidden() != 3 {
		t.Errorf("Hidden = %d, want 3", u.Hidden())
	}
}

func TestRandomMasks(t *testing.T) {
	m, err := hopfieldlib.RandomMask(784, 0.3, utilRand(8))
	if err != nil {
		t.Fatal(err)
	}
	if m.Hidden() != 235 { // round(0.3·784) = round(235.2)
		t.Errorf("RandomMask hides %d units, want 235", m.Hidden())
	}
	p, _ := hopfieldlib.RandomSpins(20, 50, utilRand(9))
	got, err := hopfieldlib.MaskRandom(p, 0.5, 0, utilRand(10))
	if err != nil {
		t.Fatal(err)
	}
	var first []bool
	differ := false
	for b := range got.Len() {
		hidden := make([]bool, 50)
		c := 0
		for i, v := range got.Row(b) {
			if v == 0 {
				hidden[i] = true
				c++
			} else if v != p.At(b, i) {
				t.Fatalf("row %d unit %d changed to %v", b, i, v)
			}
		}
		if c != 25 {
			t.Fatalf("row %d: %d hidden, want 25", b, c)
		}
		if b == 0 {
			first = hidden
		} else if !slices.Equal(first, hidden) {
			differ = true
		}
	}
	if !differ {
		t.Error("MaskRandom used the same mask for every row")
	}
}

func TestMaskErrors(t *testing.T) {
	p := utilSet(t, []float32{1, 1, 1, 1})
	m4, _ := hopfieldlib.BottomHalf(2, 2)
	m6, _ := hopfieldlib.BottomHalf(2, 3)
	r := utilRand(1)
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"RectMask h=0", second(hopfieldlib.RectMask(0, 3, 0, 0, 0, 0)), hopfieldlib.ErrEmpty},
		{"RectMask outside", second(hopfieldlib.RectMask(3, 3, 2, 0, 2, 1)), hopfieldlib.ErrShape},
		{"RectMask negative", second(hopfieldlib.RectMask(3, 3, -1, 0, 1, 1)), hopfieldlib.ErrShape},
		{"BottomHalf w=0", second(hopfieldlib.BottomHalf(3, 0)), hopfieldlib.ErrEmpty},
		{"RightHalf h<0", second(hopfieldlib.RightHalf(-1, 3)), hopfieldlib.ErrEmpty},
		{"Occlusion visible > 1", second(hopfieldlib.Occlusion(2, 2, 1.1)), hopfieldlib.ErrParameter},
		{"Occlusion empty", second(hopfieldlib.Occlusion(0, 2, 0.5)), hopfieldlib.ErrEmpty},
		{"RandomMask n=0", second(hopfieldlib.RandomMask(0, 0.5, r)), hopfieldlib.ErrEmpty},
		{"RandomMask fraction", second(hopfieldlib.RandomMask(3, -0.5, r)), hopfieldlib.ErrParameter},
		{"RandomMask nil rand", second(hopfieldlib.RandomMask(3, 0.5, nil)), hopfieldlib.ErrParameter},
		{"Or lengths", second(m4.Or(m6)), hopfieldlib.ErrShape},
		{"Apply length", second(m6.Apply(p, 0)), hopfieldlib.ErrShape},
		{"Apply NaN fill", second(m4.Apply(p, float32(math.NaN()))), hopfieldlib.ErrNotFinite},
		{"Apply NaN patterns", second(hopfieldlib.Mask{true, false}.Apply(utilNaN(t), 0)), hopfieldlib.ErrNotFinite},
		{"Apply nil patterns", second(m4.Apply(nil, 0)), hopfieldlib.ErrEmpty},
		{"MaskRandom fraction", second(hopfieldlib.MaskRandom(p, 3, 0, r)), hopfieldlib.ErrParameter},
		{"MaskRandom nil rand", second(hopfieldlib.MaskRandom(p, 0.5, 0, nil)), hopfieldlib.ErrParameter},
		{"MaskRandom Inf fill", second(hopfieldlib.MaskRandom(p, 0.5, float32(math.Inf(-1)), r)), hopfieldlib.ErrNotFinite},
		{"MaskRandom NaN", second(hopfieldlib.MaskRandom(utilNaN(t), 0.5, 0, r)), hopfieldlib.ErrNotFinite},
	}
	for _, tc := range tests {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: got %v, want an error wrapping %v", tc.name, tc.err, tc.want)
		}
	}
}

// TestMaskFillForSpins: what Mask.Apply's doc says about fills: a 0 fill on spins is rejected by
// the classical and dense networks with ErrNotSpin (and the message says to mask with −1), a −1
// fill is a valid probe.
func TestMaskFillForSpins(t *testing.T) {
	x, err := hopfieldlib.RandomSpins(3, 16, rand.New(rand.NewPCG(3, 4)))
	if err != nil {
		t.Fatal(err)
	}
	mask, err := hopfieldlib.BottomHalf(4, 4)
	if err != nil {
		t.Fatal(err)
	}
	zero, err := mask.Apply(x, 0)
	if err != nil {
		t.Fatal(err)
	}
	minus, err := mask.Apply(x, -1)
	if err != nil {
		t.Fatal(err)
	}
	classical, err := hopfieldlib.NewClassical(x, hopfieldlib.ClassicalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	dense, err := hopfieldlib.NewDense(x, hopfieldlib.Exponential(1), hopfieldlib.DenseConfig{})
	if err != nil {
		t.Fatal(err)
	}
	opts := hopfieldlib.RecallOptions{Rand: rand.New(rand.NewPCG(1, 2))}
	for name, m := range map[string]hopfieldlib.Memory{"classical": classical, "dense": dense} {
		_, err := m.Recall(zero, opts)
		if !errors.Is(err, hopfieldlib.ErrNotSpin) || !strings.Contains(err.Error(), "mask spins with -1") {
			t.Errorf("%s: recall of 0-filled probes: %v, want ErrNotSpin saying to mask with -1", name, err)
		}
		if _, err := m.Recall(minus, opts); err != nil {
			t.Errorf("%s: recall of -1-filled probes: %v", name, err)
		}
	}
}
