package datasets

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

func TestMNISTShipped(t *testing.T) {
	s, err := MNISTIn(dataDir(t), MNISTSize)
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != MNISTSize || s.Height != 28 || s.Width != 28 || s.Images.Dim() != 784 || len(s.Classes) != 10 {
		t.Fatalf("got %v (%v)", s, s.Images)
	}
	// Class counts of the npm package's digits/<c>.json files (../shared DATA.md; counted there).
	want := [10]int{1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}
	var counts [10]int
	for i, l := range s.Labels {
		counts[l]++
		if i < MNISTBalanced && l != i%10 {
			t.Fatalf("label %d is %d, want %d (round-robin order)", i, l, i%10)
		}
	}
	if counts != want {
		t.Errorf("class counts %v, want %v", counts, want)
	}
	lo, hi := float32(1), float32(0)
	for _, v := range s.Images.Flat() {
		lo, hi = min(lo, v), max(hi, v)
	}
	if lo != 0 || hi != 1 {
		t.Errorf("pixel range [%v, %v], want [0, 1]", lo, hi)
	}
	// Digit 0 is the first digit of package/src/digits/0.json. Expected values computed from that
	// file with Python: bytes(round(v*255) for v in data[:784]); first ink at pixel 127 (row 4,
	// column 15) with bytes 51, 159, 253, 159, 50; byte sum 31095; sha256 below.
	img, err := s.Image(0)
	if err != nil {
		t.Fatal(err)
	}
	sum := 0
	for _, b := range img.Pix {
		sum += int(b)
	}
	h := sha256.Sum256(img.Pix)
	if got := hex.EncodeToString(h[:]); got != "2d1c3087ac5f2bed7c4d54a1b33bf75d09f479ee63c0df2e0a4378f6e7e9ae66" || sum != 31095 {
		t.Errorf("digit 0: sha256 %s, byte sum %d", got, sum)
	}
	if !bytes.Equal(img.Pix[126:132], []byte{0, 51, 159, 253, 159, 50}) || img.GrayAt(15, 4).Y != 51 {
		t.Errorf("digit 0 pixels 126…131 = %v", img.Pix[126:132])
	}
	if got := s.Images.At(0, 129); got != float32(253)/255 {
		t.Errorf("digit 0 pixel 129 = %v, want 253/255", got)
	}
}

func TestMNISTBalancedPrefix(t *testing.T) {
	for _, n := range []int{10, 100, 1000, MNISTBalanced} {
		s, err := MNIST(n)
		if err != nil {
			t.Fatal(err)
		}
		var counts [10]int
		for _, l := range s.Labels {
			counts[l]++
		}
		for c, k := range counts {
			if k != n/10 {
				t.Errorf("MNIST(%d): %d of class %d, want %d", n, k, c, n/10)
			}
		}
	}
}

func TestMNISTErrors(t *testing.T) {
	dir := dataDir(t)
	for _, n := range []int{0, -1, MNISTSize + 1} {
		if _, err := MNISTIn(dir, n); !errors.Is(err, hopfieldlib.ErrParameter) {
			t.Errorf("MNIST(%d): err = %v, want ErrParameter", n, err)
		}
	}
	if _, err := MNISTIn(t.TempDir(), 10); !errors.Is(err, ErrNotFound) {
		t.Errorf("empty folder: err = %v, want ErrNotFound", err)
	}

	// Damaged copies of the shipped files.
	damaged := func(name string, edit func(img, lab []byte) ([]byte, []byte)) {
		t.Helper()
		d := copyData(t, MNISTImagesFile, MNISTLabelsFile)
		ip, lp := filepath.Join(d, MNISTImagesFile), filepath.Join(d, MNISTLabelsFile)
		img, _ := os.ReadFile(ip)
		lab, _ := os.ReadFile(lp)
		img, lab = edit(img, lab)
		os.WriteFile(ip, img, 0o644)
		os.WriteFile(lp, lab, 0o644)
		if _, err := MNISTIn(d, 10); !errors.Is(err, ErrData) {
			t.Errorf("%s: err = %v, want ErrData", name, err)
		}
	}
	damaged("truncated images", func(img, lab []byte) ([]byte, []byte) { return img[:len(img)/2], lab })
	damaged("truncated labels", func(img, lab []byte) ([]byte, []byte) { return img, lab[:len(lab)-3] })
	damaged("images and labels swapped", func(img, lab []byte) ([]byte, []byte) { return lab, img })
	damaged("flipped byte", func(img, lab []byte) ([]byte, []byte) { img[len(img)/2] ^= 0x55; return img, lab })

	// Streams built by hand.
	img3 := idxBytes(t, []int{3, 2, 2}, make([]byte, 12), false)
	tests := []struct {
		name     string
		img, lab []byte
	}{
		{"count mismatch", img3, idxBytes(t, []int{2}, []byte{1, 2}, false)},
		{"label 10", img3, idxBytes(t, []int{3}, []byte{1, 10, 2}, false)},
		{"images with 2 dims", idxBytes(t, []int{3, 4}, make([]byte, 12), false), idxBytes(t, []int{3}, []byte{1, 2, 3}, false)},
		{"labels with 2 dims", img3, idxBytes(t, []int{3, 1}, []byte{1, 2, 3}, false)},
		{"wrong magic", append([]byte{0, 0, 9, 3}, img3[4:]...), idxBytes(t, []int{3}, []byte{1, 2, 3}, false)},
	}
	for _, tc := range tests {
		if _, err := ReadMNIST(bytes.NewReader(tc.img), bytes.NewReader(tc.lab), 1); !errors.Is(err, ErrData) {
			t.Errorf("%s: err = %v, want ErrData", tc.name, err)
		}
	}
	if _, err := ReadMNIST(bytes.NewReader(img3), bytes.NewReader(idxBytes(t, []int{3}, []byte{1, 2, 3}, false)), 4); !errors.Is(err, hopfieldlib.ErrParameter) {
		t.Errorf("n > count: err = %v, want ErrParameter", err)
	}
}

func TestReadMNISTSmall(t *testing.T) {
	// Two 1×2 images: bytes 0, 255 and 51, 102 → intensities 0, 1, 0.2, 0.4.
	img := idxBytes(t, []int{2, 1, 2}, []byte{0, 255, 51, 102}, true)
	lab := idxBytes(t, []int{2}, []byte{7, 3}, false)
	s, err := ReadMNIST(bytes.NewReader(img), bytes.NewReader(lab), 2)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0, 1, 0.2, 0.4}
	for i, v := range s.Images.Flat() {
		if v != want[i] {
			t.Errorf("pixel %d = %v, want %v", i, v, want[i])
		}
	}
	if s.Labels[0] != 7 || s.Labels[1] != 3 || s.Height != 1 || s.Width != 2 || s.Names != nil {
		t.Errorf("got %+v", s)
	}
}

func BenchmarkMNIST(b *testing.B) {
	dir := dataDir(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MNISTIn(dir, MNISTSize); err != nil {
			b.Fatal(err)
		}
	}
}
