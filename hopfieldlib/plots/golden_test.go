package plots

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// Regenerate the golden images with
//
//	go test ./hopfieldlib/plots -run Golden -update
//
// (or HOPFIELD_UPDATE_GOLDEN=1), then look at every changed PNG before committing it.
var update = flag.Bool("update", false, "rewrite the golden images in testdata/")

// Golden comparison tolerance: a pixel differs when one of its channels is off by more than
// goldenChannelTol (of 255); a figure matches when at most goldenMaxFraction of its pixels
// differ. Text anti-aliasing and float rounding on other machines stay well inside this; a moved
// label, a missing line or a wrong colour map do not.
const (
	goldenChannelTol  = 48
	goldenMaxFraction = 0.004
)

// checkGolden renders fig to PNG and compares it with testdata/name.png. With $PLOTS_OUT set it
// also writes the rendering there, to look at.
func checkGolden(t *testing.T, name string, fig *Figure) {
	t.Helper()
	got, err := fig.PNG()
	if err != nil {
		t.Fatalf("%s: PNG: %v", name, err)
	}
	if dir := os.Getenv("PLOTS_OUT"); dir != "" {
		if err := os.WriteFile(filepath.Join(dir, name+".png"), got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join("testdata", name+".png")
	if *update || os.Getenv("HOPFIELD_UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: reading golden image: %v (regenerate with -update)", name, err)
	}
	frac, err := pngDiff(got, want, goldenChannelTol)
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	if frac > goldenMaxFraction {
		out := filepath.Join(os.TempDir(), "plots-"+name+".png")
		_ = os.WriteFile(out, got, 0o644)
		t.Errorf("%s: %.3f%% of pixels differ from %s (allowed %.3f%%); got image written to %s",
			name, 100*frac, path, 100*goldenMaxFraction, out)
	}
}

// pngDiff decodes two PNGs and returns the fraction of pixels where some channel differs by more
// than tol. Images of different sizes are an error.
func pngDiff(a, b []byte, tol int) (float64, error) {
	ia, err := png.Decode(bytes.NewReader(a))
	if err != nil {
		return 0, fmt.Errorf("decoding the first image: %w", err)
	}
	ib, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return 0, fmt.Errorf("decoding the second image: %w", err)
	}
	return imageDiff(ia, ib, tol)
}

// imageDiff returns the fraction of pixels of a and b where some channel (8-bit) differs by more
// than tol.
func imageDiff(a, b image.Image, tol int) (float64, error) {
	if a.Bounds().Size() != b.Bounds().Size() {
		return 0, fmt.Errorf("image sizes differ: %v vs %v", a.Bounds().Size(), b.Bounds().Size())
	}
	sz := a.Bounds().Size()
	if sz.X == 0 || sz.Y == 0 {
		return 0, nil
	}
	differ := 0
	for y := range sz.Y {
		for x := range sz.X {
			r1, g1, b1, a1 := a.At(a.Bounds().Min.X+x, a.Bounds().Min.Y+y).RGBA()
			r2, g2, b2, a2 := b.At(b.Bounds().Min.X+x, b.Bounds().Min.Y+y).RGBA()
			for _, d := range [4][2]uint32{{r1, r2}, {g1, g2}, {b1, b2}, {a1, a2}} {
				if math.Abs(float64(d[0]>>8)-float64(d[1]>>8)) > float64(tol) {
					differ++
					break
				}
			}
		}
	}
	return float64(differ) / float64(sz.X*sz.Y), nil
}

// testShapes returns k simple ±1 shapes of h×w units (bars, rings, crosses, frames, discs,
// checkers), deterministic: fixtures for image figures.
func testShapes(k, h, w int) *hopfieldlib.Patterns {
	data := make([]float32, k*h*w)
	for s := range k {
		for r := range h {
			for c := range w {
				y := (float64(r)+0.5)/float64(h)*2 - 1
				x := (float64(c)+0.5)/float64(w)*2 - 1
				rad := math.Hypot(x, y)
				var on bool
				switch s % 6 {
				case 0:
					on = math.Abs(x+0.3*float64(s/6)) < 0.25
				case 1:
					on = math.Abs(y) < 0.25
				case 2:
					on = rad > 0.45 && rad < 0.8
				case 3:
					on = math.Abs(x-y) < 0.3 || math.Abs(x+y) < 0.3
				case 4:
					on = math.Max(math.Abs(x), math.Abs(y)) > 0.6
				case 5:
					on = (r/4+c/4)%2 == 0
				}
				v := float32(-1)
				if on {
					v = 1
				}
				data[s*h*w+r*w+c] = v
			}
		}
	}
	p, err := hopfieldlib.FromFlat(k, h*w, data)
	if err != nil {
		panic(err)
	}
	return p
}

// flipped returns a copy of p with each unit's sign flipped with probability frac (fixed seed).
func flipped(p *hopfieldlib.Patterns, frac float64, seed uint64) *hopfieldlib.Patterns {
	q := p.Clone()
	rng := rand.New(rand.NewPCG(seed, 1))
	flat := q.Flat()
	for i := range flat {
		if rng.Float64() < frac {
			flat[i] = -flat[i]
		}
	}
	return q
}

// nanValue returns a NaN (a function, so vet does not flag a constant division).
func nanValue() float64 { return math.NaN() }
