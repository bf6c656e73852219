package datasets

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

func TestCartoonFacesDeterministic(t *testing.T) {
	a, err := CartoonFaces(20, 7)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := CartoonFaces(20, 7)
	if !slices.Equal(a.Images.Flat(), b.Images.Flat()) {
		t.Error("same seed, different faces")
	}
	if a.Len() != 20 || a.Height != 32 || a.Width != 32 || a.Names[3] != "face3" || a.Labels[19] != 19 || a.Name != "cartoon-faces" {
		t.Errorf("got %v", a)
	}
	// A prefix of a longer set from the same seed is the shorter set.
	c, _ := CartoonFaces(25, 7)
	if !slices.Equal(a.Images.Flat(), c.Images.Flat()[:20*1024]) {
		t.Error("CartoonFaces(20, 7) is not a prefix of CartoonFaces(25, 7)")
	}
}

func TestCartoonFacesDistinct(t *testing.T) {
	// Property, fixed seeds: different seeds give different faces, and within a set the
	// binarized faces differ in at least minFaceDistance pixels.
	sets := map[uint64]*Set{}
	for _, seed := range []uint64{1, 2, 3} {
		s, err := CartoonFaces(60, seed)
		if err != nil {
			t.Fatal(err)
		}
		sets[seed] = s
		p, _ := s.Spins()
		for i := range p.Len() {
			for j := range i {
				d := 0
				for k, v := range p.Row(i) {
					if v != p.At(j, k) {
						d++
					}
				}
				if d < minFaceDistance {
					t.Errorf("seed %d: faces %d and %d differ in %d pixels", seed, j, i, d)
				}
			}
		}
		lo, hi := float32(1), float32(0)
		for _, v := range s.Images.Flat() {
			lo, hi = min(lo, v), max(hi, v)
		}
		if lo != 0 || hi != 1 {
			t.Errorf("seed %d: pixel range [%v, %v], want [0, 1]", seed, lo, hi)
		}
	}
	if slices.Equal(sets[1].Images.Row(0), sets[2].Images.Row(0)) || slices.Equal(sets[2].Images.Row(0), sets[3].Images.Row(0)) {
		t.Error("different seeds gave the same first face")
	}
}

func TestFaceDraw(t *testing.T) {
	f := Face{HeadWidth: 0.35, HeadHeight: 0.4, EyeSpacing: 0.12, EyeHeight: 0.48, EyeSize: 0.05,
		MouthWidth: 0.12, MouthHeight: 0.72}
	img, err := f.Draw(32)
	if err != nil {
		t.Fatal(err)
	}
	// Background white at the corners, skin (0.85 → 217) at the centre of the forehead, eyes
	// (dots, ink) at the eye centres: pixel (x, y) covers [x, x+1)/32, eye at 32·(0.5 ± 0.12, 0.48).
	if img.GrayAt(0, 0).Y != 255 || img.GrayAt(16, 10).Y != 217 || img.GrayAt(12, 15).Y > 40 || img.GrayAt(19, 15).Y > 40 {
		t.Errorf("corner %d, forehead %d, eyes %d %d", img.GrayAt(0, 0).Y, img.GrayAt(16, 10).Y, img.GrayAt(12, 15).Y, img.GrayAt(19, 15).Y)
	}
	// Left-right symmetric without a nose (the nose is drawn to one side).
	for y := range 32 {
		for x := range 16 {
			if d := int(img.GrayAt(x, y).Y) - int(img.GrayAt(31-x, y).Y); d > 2 || d < -2 {
				t.Fatalf("not symmetric at (%d, %d): %d vs %d", x, y, img.GrayAt(x, y).Y, img.GrayAt(31-x, y).Y)
			}
		}
	}
	big, err := f.Draw(128)
	if err != nil || big.Bounds().Dx() != 128 {
		t.Errorf("Draw(128): %v", err)
	}
}

func TestFaceErrors(t *testing.T) {
	good, _ := RandomFace(rand.New(rand.NewPCG(1, 2)))
	bad := func(edit func(*Face)) Face { f := good; edit(&f); return f }
	tests := []struct {
		name string
		face Face
	}{
		{"head too wide", bad(func(f *Face) { f.HeadWidth = 0.6 })},
		{"NaN eye", bad(func(f *Face) { f.EyeSize = math.NaN() })},
		{"hair style", bad(func(f *Face) { f.Hair = 99 })},
		{"negative mouth style", bad(func(f *Face) { f.Mouth = -1 })},
		{"zero value", Face{}},
	}
	for _, tc := range tests {
		if _, err := tc.face.Draw(32); !errors.Is(err, hopfieldlib.ErrParameter) {
			t.Errorf("%s: err = %v, want ErrParameter", tc.name, err)
		}
		if _, err := FaceSet([]Face{good, tc.face}, 32); !errors.Is(err, hopfieldlib.ErrParameter) {
			t.Errorf("%s: FaceSet err = %v, want ErrParameter", tc.name, err)
		}
	}
	for _, size := range []int{0, 7, 513} {
		if _, err := good.Draw(size); !errors.Is(err, hopfieldlib.ErrParameter) {
			t.Errorf("Draw(%d): err = %v, want ErrParameter", size, err)
		}
	}
	if _, err := RandomFace(nil); !errors.Is(err, hopfieldlib.ErrParameter) {
		t.Errorf("RandomFace(nil): err = %v", err)
	}
	for _, n := range []int{0, -3, MaxCartoonFaces + 1} {
		if _, err := CartoonFaces(n, 1); !errors.Is(err, hopfieldlib.ErrParameter) {
			t.Errorf("CartoonFaces(%d): err = %v, want ErrParameter", n, err)
		}
	}
	if _, err := FaceSet(nil, 32); !errors.Is(err, hopfieldlib.ErrEmpty) {
		t.Errorf("FaceSet(nil): err = %v", err)
	}
}

func BenchmarkCartoonFaces(b *testing.B) {
	for _, n := range []int{10, 100} {
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := CartoonFaces(n, 1); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
