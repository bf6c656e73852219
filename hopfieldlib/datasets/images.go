package datasets

import (
	"bufio"
	"fmt"
	"image"
	"io"
	"path/filepath"
	"strings"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// IndexFile names, in each image folder, the list of images in order: one line per image, the
// image's name (its file is name.png) and its class, separated by a tab.
const IndexFile = "index.txt"

// Sizes of the shipped image sets.
const (
	SpriteSize = 64 // sprites are 64×64
	FaceSize   = 32 // faces are 32×32
)

// Sprites loads the 32 animal faces of Noto Emoji (data/sprites: 64×64, drawn on white), one
// class per image, from the data folder found by [Dir]. They are strongly alike (round heads,
// centred eyes), which is what makes classical recall fail and modern recall succeed. Use
// [Set.Resize] for smaller patterns (32×32 gives N = 1,024).
func Sprites() (*Set, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	return SpritesIn(dir)
}

// SpritesIn is [Sprites] reading from the data folder dir.
func SpritesIn(dir string) (*Set, error) {
	return readImageSet(filepath.Join(dir, "sprites"), "sprites", SpriteSize)
}

// Faces loads the Noto Emoji person heads (data/faces: 32×32, drawn on white) from the data
// folder found by [Dir]: 28 heads (baby, child, boy, girl, adult, …, older_woman), each in its
// default colour then in the five skin tones, 168 images. Labels give the head, so the six
// images of one head share a class; Names give the image, e.g. "boy_skin-tone-3".
func Faces() (*Set, error) {
	dir, err := Dir()
	if err != nil {
		return nil, err
	}
	return FacesIn(dir)
}

// FacesIn is [Faces] reading from the data folder dir.
func FacesIn(dir string) (*Set, error) {
	return readImageSet(filepath.Join(dir, "faces"), "faces", FaceSize)
}

// readImageSet reads folder/index.txt and the PNGs it lists, each size×size.
func readImageSet(folder, name string, size int) (*Set, error) {
	f, err := openFile(filepath.Join(folder, IndexFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	names, classes, err := ReadIndex(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(folder, IndexFile), err)
	}
	s := &Set{Name: name, Height: size, Width: size, Names: names, Labels: make([]int, len(names))}
	classIdx := map[string]int{}
	for i, c := range classes {
		k, ok := classIdx[c]
		if !ok {
			k = len(s.Classes)
			classIdx[c] = k
			s.Classes = append(s.Classes, c)
		}
		s.Labels[i] = k
	}
	data := make([]float32, 0, len(names)*size*size)
	for _, n := range names {
		path := filepath.Join(folder, n+".png")
		img, err := readPNGFile(path)
		if err != nil {
			return nil, err
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			return nil, fmt.Errorf("%w: %s is %d×%d, want %d×%d", ErrData, path, b.Dx(), b.Dy(), size, size)
		}
		for _, p := range img.Pix {
			data = append(data, float32(p)/255)
		}
	}
	if s.Images, err = hopfieldlib.FromFlat(len(names), size*size, data); err != nil {
		return nil, err
	}
	return s, nil
}

// readPNGFile reads the PNG at path as gray, naming the file in errors.
func readPNGFile(path string) (*image.Gray, error) {
	f, err := openFile(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	img, err := ReadGray(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return img, nil
}

// ReadIndex reads an image index: one line per image, "name<TAB>class" or just "name" (the
// class is then the name). Blank lines are skipped. Names must be unique and made of letters,
// digits, '_' and '-'. Problems wrap [ErrData].
func ReadIndex(r io.Reader) (names, classes []string, err error) {
	sc := bufio.NewScanner(io.LimitReader(r, 1<<20))
	seen := map[string]bool{}
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimRight(sc.Text(), "\r")
		if strings.TrimSpace(text) == "" {
			continue
		}
		name, class, found := strings.Cut(text, "\t")
		if !found {
			class = name
		}
		if !validName(name) || !validName(class) {
			return nil, nil, fmt.Errorf("%w: index line %d %q: want name<TAB>class, letters, digits, '_' and '-'", ErrData, line, text)
		}
		if seen[name] {
			return nil, nil, fmt.Errorf("%w: index line %d: %q is listed twice", ErrData, line, name)
		}
		seen[name] = true
		names = append(names, name)
		classes = append(classes, class)
	}
	if err := sc.Err(); err != nil {
		return nil, nil, fmt.Errorf("%w: index: %v", ErrData, err)
	}
	if len(names) == 0 {
		return nil, nil, fmt.Errorf("%w: index lists no images", ErrData)
	}
	return names, classes, nil
}

func validName(s string) bool {
	if s == "" || len(s) > 100 {
		return false
	}
	for _, c := range s {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}
