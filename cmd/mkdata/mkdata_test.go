package main

import (
	"bytes"
	"image"
	"slices"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib/datasets"
)

// These tests cover the conversion's parts on small inputs; the conversion itself needs the npm
// tarballs and is checked with `go run ./cmd/mkdata -npm -check`.

func TestRoundRobin(t *testing.T) {
	var digits [10][][]byte
	// class c has 3 - c%3 images; image i of class c is {c, i}
	for c := range 10 {
		for i := range 3 - c%3 {
			digits[c] = append(digits[c], []byte{byte(c), byte(i)})
		}
	}
	images, labels := roundRobin(digits)
	// By hand: round 0 has all ten classes, round 1 the classes with ≥ 2 images (c%3 ≠ 2), round 2
	// those with 3 (c%3 = 0).
	want := []byte{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 3, 4, 6, 7, 9, 0, 3, 6, 9}
	if !slices.Equal(labels, want) {
		t.Errorf("labels %v, want %v", labels, want)
	}
	for k, img := range images {
		if img[0] != labels[k] {
			t.Fatalf("image %d is of class %d, labelled %d", k, img[0], labels[k])
		}
	}
	if images[10][1] != 1 || images[17][1] != 2 {
		t.Errorf("within-class order lost: %v", images)
	}
}

func TestGzipDeterministic(t *testing.T) {
	data := bytes.Repeat([]byte("hopfield "), 1000)
	a, err := gzipBytes(data)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := gzipBytes(data)
	if !bytes.Equal(a, b) {
		t.Error("two compressions differ")
	}
	// RFC 1952 header: ID1 ID2 CM FLG MTIME(4) XFL OS: no flags (no name), MTIME zero.
	if a[3] != 0 || !bytes.Equal(a[4:8], []byte{0, 0, 0, 0}) {
		t.Errorf("gzip header % x carries a name or a time", a[:10])
	}
	x, err := datasets.ReadIDX(bytes.NewReader(mustGzipIDX(t)))
	if err != nil || !slices.Equal(x.Dims, []int{2, 2}) {
		t.Errorf("ReadIDX of a written file: %v %v", x, err)
	}
}

func mustGzipIDX(t *testing.T) []byte {
	var buf bytes.Buffer
	if err := datasets.WriteIDX(&buf, []int{2, 2}, []byte{1, 2, 3, 4}); err != nil {
		t.Fatal(err)
	}
	z, err := gzipBytes(buf.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func TestHalveAndPNG(t *testing.T) {
	img := image.NewGray(image.Rect(0, 0, 4, 2))
	copy(img.Pix, []byte{0, 1, 10, 20, 2, 2, 30, 41})
	h := halve(img)
	// By hand: ((0+1+2+2) + 2)/4 = 7/4 → 1 and ((10+20+30+41) + 2)/4 = 103/4 → 25, integer
	// division after adding 2: the mean rounded half up.
	if !slices.Equal(h.Pix, []byte{1, 25}) {
		t.Errorf("halve = %v", h.Pix)
	}
	a, err := encodePNG(img)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := encodePNG(img)
	back, err := datasets.ReadGray(bytes.NewReader(a))
	if !bytes.Equal(a, b) || err != nil || !slices.Equal(back.Pix, img.Pix) {
		t.Errorf("PNG not deterministic or not lossless: %v", err)
	}
}

func TestIndexText(t *testing.T) {
	imgs := []converted{{Name: "boy", Class: "boy"}, {Name: "boy_skin-tone-2", Class: "boy"}}
	names, classes, err := datasets.ReadIndex(bytes.NewReader(indexText(imgs, true)))
	if err != nil || !slices.Equal(names, []string{"boy", "boy_skin-tone-2"}) || !slices.Equal(classes, []string{"boy", "boy"}) {
		t.Errorf("index round trip: %v %v %v", names, classes, err)
	}
}
