package datasets

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestSpritesShipped(t *testing.T) {
	s, err := SpritesIn(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	// The 32 animal faces listed in DATA.md, in that order.
	if s.Len() != 32 || s.Height != 64 || s.Width != 64 || len(s.Classes) != 32 || len(s.Names) != 32 {
		t.Fatalf("got %v", s)
	}
	if s.Names[0] != "monkey_face" || s.Names[31] != "turtle" || s.Classes[s.Labels[5]] != "cat" {
		t.Errorf("names %v", s.Names)
	}
	// Drawn on white: every corner pixel is white, and every sprite covers part of the image.
	for i := range s.Len() {
		row := s.Images.Row(i)
		if row[0] != 1 || row[63] != 1 || row[64*63] != 1 || row[64*64-1] != 1 {
			t.Errorf("%s: corners are not white", s.Names[i])
		}
		drawn := 0
		for _, v := range row {
			if v < 0.95 {
				drawn++
			}
		}
		if drawn < 300 || drawn > 4000 {
			t.Errorf("%s: %d of 4096 pixels drawn", s.Names[i], drawn)
		}
	}
}

func TestFacesShipped(t *testing.T) {
	s, err := FacesIn(dataDir(t))
	if err != nil {
		t.Fatal(err)
	}
	// emoji.json 16.0.0 has 28 heads in subcategory "person", each with 5 skin tones.
	if s.Len() != 168 || s.Height != 32 || s.Width != 32 || len(s.Classes) != 28 {
		t.Fatalf("got %v", s)
	}
	if s.Classes[0] != "baby" || s.Classes[27] != "older_woman" || s.Names[1] != "baby_skin-tone-2" {
		t.Errorf("classes %v, names %v", s.Classes, s.Names[:6])
	}
	for i, l := range s.Labels {
		if l != i/6 || !strings.HasPrefix(s.Names[i], s.Classes[l]) {
			t.Fatalf("image %d %s has label %d (%s)", i, s.Names[i], l, s.Classes[l])
		}
	}
}

// writePNG encodes img as a PNG file at path.
func writePNG(t *testing.T, path string, img image.Image) {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestImageSetErrors(t *testing.T) {
	tests := []struct {
		name   string
		damage func(dir string)
		want   error
	}{
		{"missing index", func(d string) { os.Remove(filepath.Join(d, "sprites", IndexFile)) }, ErrNotFound},
		{"missing image", func(d string) { os.Remove(filepath.Join(d, "sprites", "cat.png")) }, ErrNotFound},
		{"not a PNG", func(d string) { os.WriteFile(filepath.Join(d, "sprites", "cat.png"), []byte("GIF89a"), 0o644) }, ErrData},
		{"truncated PNG", func(d string) {
			p := filepath.Join(d, "sprites", "cat.png")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)/2], 0o644)
		}, ErrData},
		{"wrong size", func(d string) {
			writePNG(t, filepath.Join(d, "sprites", "cat.png"), image.NewGray(image.Rect(0, 0, 32, 64)))
		}, ErrData},
		{"bad index", func(d string) { os.WriteFile(filepath.Join(d, "sprites", IndexFile), []byte("cat\ncat\n"), 0o644) }, ErrData},
	}
	for _, tc := range tests {
		d := t.TempDir()
		os.MkdirAll(filepath.Join(d, "sprites"), 0o755)
		os.WriteFile(filepath.Join(d, "sprites", IndexFile), []byte("cat\ndog\n"), 0o644)
		writePNG(t, filepath.Join(d, "sprites", "cat.png"), image.NewGray(image.Rect(0, 0, 64, 64)))
		writePNG(t, filepath.Join(d, "sprites", "dog.png"), image.NewGray(image.Rect(0, 0, 64, 64)))
		if _, err := SpritesIn(d); err != nil {
			t.Fatalf("%s: undamaged set: %v", tc.name, err)
		}
		tc.damage(d)
		if _, err := SpritesIn(d); !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if _, err := FacesIn(t.TempDir()); !errors.Is(err, ErrNotFound) {
		t.Errorf("faces in an empty folder: err = %v, want ErrNotFound", err)
	}
}

func TestReadIndex(t *testing.T) {
	names, classes, err := ReadIndex(strings.NewReader("a_1\tA\r\n\nb-2\n"))
	if err != nil || strings.Join(names, ",") != "a_1,b-2" || strings.Join(classes, ",") != "A,b-2" {
		t.Errorf("got %v %v %v", names, classes, err)
	}
	for _, bad := range []string{"", "\n\n", "a\na\n", "a b\n", "a\t\n", "../x\n", "a\tb\tc\n"} {
		if _, _, err := ReadIndex(strings.NewReader(bad)); !errors.Is(err, ErrData) {
			t.Errorf("%q: err = %v, want ErrData", bad, err)
		}
	}
}

func TestGrayOnWhite(t *testing.T) {
	// Expected values: image/color's GrayModel on the composite C + (1-α)·white, computed by hand
	// from Y = (19595 R + 38470 G + 7471 B + 2¹⁵) >> 24 on 16-bit premultiplied values.
	tests := []struct {
		c    color.NRGBA
		want uint8
	}{
		{color.NRGBA{0, 0, 0, 0}, 255},         // transparent → white
		{color.NRGBA{0, 0, 0, 255}, 0},         // opaque black
		{color.NRGBA{255, 0, 0, 255}, 76},      // red: 0.299·255 = 76.2
		{color.NRGBA{0, 255, 0, 255}, 150},     // green: 0.587·255 = 149.7
		{color.NRGBA{0, 0, 0, 128}, 127},       // half-transparent black: 1 - 128/255 of white
		{color.NRGBA{200, 200, 200, 255}, 200}, // grey keeps its level
	}
	for _, tc := range tests {
		img := image.NewNRGBA(image.Rect(3, 4, 5, 5)) // bounds not at the origin
		img.SetNRGBA(4, 4, tc.c)
		g := GrayOnWhite(img)
		if g.Bounds() != image.Rect(0, 0, 2, 1) || g.GrayAt(1, 0).Y != tc.want || g.GrayAt(0, 0).Y != 255 {
			t.Errorf("%v: got %v, want %d", tc.c, g.Pix, tc.want)
		}
	}
	src := image.NewGray(image.Rect(1, 1, 3, 3))
	copy(src.Pix, []byte{1, 2, 3, 4})
	if g := GrayOnWhite(src); !bytes.Equal(g.Pix, []byte{1, 2, 3, 4}) {
		t.Errorf("gray copy: %v", g.Pix)
	}
}

func TestReadGrayErrors(t *testing.T) {
	var big bytes.Buffer
	png.Encode(&big, image.NewGray(image.Rect(0, 0, 5000, 1)))
	for name, raw := range map[string][]byte{
		"empty":     nil,
		"not a PNG": []byte("hello"),
		"too wide":  big.Bytes(),
	} {
		if _, err := ReadGray(bytes.NewReader(raw)); !errors.Is(err, ErrData) {
			t.Errorf("%s: err = %v, want ErrData", name, err)
		}
	}
}

// FuzzReadGray: any input decodes to a bounded image or fails with ErrData.
func FuzzReadGray(f *testing.F) {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewNRGBA(image.Rect(0, 0, 3, 2)))
	f.Add(buf.Bytes())
	buf.Reset()
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, 4, 4)))
	f.Add(buf.Bytes())
	f.Add([]byte("\x89PNG\r\n\x1a\n"))
	f.Fuzz(func(t *testing.T, raw []byte) {
		img, err := ReadGray(bytes.NewReader(raw))
		if err != nil {
			if !errors.Is(err, ErrData) {
				t.Fatalf("error %v does not wrap ErrData", err)
			}
			return
		}
		if b := img.Bounds(); b.Dx() < 1 || b.Dy() < 1 || b.Dx() > maxPNGSide || b.Dy() > maxPNGSide {
			t.Fatalf("bounds %v", b)
		}
	})
}

// FuzzReadIndex: any input gives unique valid names or fails with ErrData.
func FuzzReadIndex(f *testing.F) {
	f.Add("cat\ndog\n")
	f.Add("boy\tboy\nboy_skin-tone-2\tboy\n")
	f.Fuzz(func(t *testing.T, text string) {
		names, classes, err := ReadIndex(strings.NewReader(text))
		if err != nil {
			if !errors.Is(err, ErrData) {
				t.Fatalf("error %v does not wrap ErrData", err)
			}
			return
		}
		seen := map[string]bool{}
		for i, n := range names {
			if seen[n] || !validName(n) || !validName(classes[i]) {
				t.Fatalf("bad name %q / class %q", n, classes[i])
			}
			seen[n] = true
		}
	})
}
