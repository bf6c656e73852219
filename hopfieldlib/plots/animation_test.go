package plots

import (
	"bytes"
	"errors"
	"fmt"
	"image/gif"
	"image/png"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// fakeTrajectory returns frames that walk each probe to its stored pattern, fixing `per` wrong
// units per frame in unit order: the shape of an asynchronous recall trajectory.
func fakeTrajectory(stored, probes *hopfieldlib.Patterns, per int) []*hopfieldlib.Patterns {
	cur := probes.Clone()
	frames := []*hopfieldlib.Patterns{cur.Clone()}
	for {
		changed := false
		for b := range cur.Len() {
			fixed := 0
			for j, v := range cur.Row(b) {
				if want := stored.At(b, j); v != want && fixed < per {
					cur.Set(b, j, want)
					fixed++
					changed = true
				}
			}
		}
		if !changed {
			return frames
		}
		frames = append(frames, cur.Clone())
	}
}

func TestAnimateGolden(t *testing.T) {
	stored := testShapes(3, 16, 16)
	probes := flipped(stored, 0.3, 5)
	frames := fakeTrajectory(stored, probes, 12)
	a, err := Animate(frames, 16, 16, AnimOptions{Title: "Asynchronous recall", Captions: []string{"ξ¹", "ξ²", "ξ³"},
		FrameLabel: func(t int) string { return fmt.Sprintf("%d updates", 12*t) }})
	if err != nil {
		t.Fatal(err)
	}
	if a.Len() != len(frames) {
		t.Fatalf("Len = %d, want %d (no subsampling below MaxFrames)", a.Len(), len(frames))
	}
	data, err := a.GIF()
	if err != nil {
		t.Fatal(err)
	}
	g, err := gif.DecodeAll(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	// Delays: 100 ms per frame by default, plus 1.5 s on the last one.
	if g.Delay[0] != 10 || g.Delay[len(g.Delay)-1] != 160 {
		t.Errorf("delays %d … %d, want 10 … 160 hundredths", g.Delay[0], g.Delay[len(g.Delay)-1])
	}
	if dir := os.Getenv("PLOTS_OUT"); dir != "" {
		_ = os.WriteFile(filepath.Join(dir, "anim_recall.gif"), data, 0o644)
		for _, i := range []int{0, a.Len() - 1} {
			f, _ := a.Frame(i)
			var buf bytes.Buffer
			_ = png.Encode(&buf, f)
			_ = os.WriteFile(filepath.Join(dir, fmt.Sprintf("anim_frame%d.png", i)), buf.Bytes(), 0o644)
		}
	}
	path := filepath.Join("testdata", "anim_recall.gif")
	if *update || os.Getenv("HOPFIELD_UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden animation: %v (regenerate with -update)", err)
	}
	want, err := gif.DecodeAll(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Image) != len(g.Image) {
		t.Fatalf("%d frames, golden has %d", len(g.Image), len(want.Image))
	}
	for i := range g.Image {
		frac, err := imageDiff(g.Image[i], want.Image[i], goldenChannelTol)
		if err != nil {
			t.Fatalf("frame %d: %v", i, err)
		}
		if frac > goldenMaxFraction {
			t.Errorf("frame %d: %.3f%% of pixels differ from the golden animation", i, 100*frac)
		}
	}
}

func TestAnimateSubsample(t *testing.T) {
	stored := testShapes(1, 8, 8)
	frames := make([]*hopfieldlib.Patterns, 50)
	for i := range frames {
		frames[i] = stored
	}
	var labels []int
	a, err := Animate(frames, 8, 8, AnimOptions{MaxFrames: 5, Delay: 40 * time.Millisecond, Hold: -1,
		FrameLabel: func(t int) string { labels = append(labels, t); return "" }})
	if err != nil {
		t.Fatal(err)
	}
	// round(i·49/4) for i = 0…4: 0, 12, 25, 37, 49 (first and last kept).
	want := []int{0, 12, 25, 37, 49}
	if fmt.Sprint(labels) != fmt.Sprint(want) || a.Len() != 5 {
		t.Errorf("frames %v (Len %d), want %v", labels, a.Len(), want)
	}
	if got := sampleIndices(3, 5); fmt.Sprint(got) != "[0 1 2]" {
		t.Errorf("sampleIndices(3, 5) = %v, want [0 1 2]", got)
	}
}

func TestAnimateErrors(t *testing.T) {
	p := testShapes(2, 4, 4)
	one, _ := p.First(1)
	nan := p.Clone()
	nan.Flat()[3] = float32(nanValue())
	cases := []struct {
		name   string
		frames []*hopfieldlib.Patterns
		h, w   int
		opts   AnimOptions
		want   error
	}{
		{"no frames", nil, 4, 4, AnimOptions{}, hopfieldlib.ErrEmpty},
		{"nil frame", []*hopfieldlib.Patterns{p, nil}, 4, 4, AnimOptions{}, hopfieldlib.ErrEmpty},
		{"h·w ≠ N", []*hopfieldlib.Patterns{p}, 4, 5, AnimOptions{}, hopfieldlib.ErrShape},
		{"ragged frames", []*hopfieldlib.Patterns{p, one}, 4, 4, AnimOptions{}, hopfieldlib.ErrShape},
		{"NaN", []*hopfieldlib.Patterns{p, nan}, 4, 4, AnimOptions{}, hopfieldlib.ErrNotFinite},
		{"short delay", []*hopfieldlib.Patterns{p}, 4, 4, AnimOptions{Delay: time.Millisecond}, hopfieldlib.ErrParameter},
		{"negative MaxFrames", []*hopfieldlib.Patterns{p}, 4, 4, AnimOptions{MaxFrames: -1}, hopfieldlib.ErrParameter},
		{"bad range", []*hopfieldlib.Patterns{p}, 4, 4, AnimOptions{Range: Range{1, -1}}, hopfieldlib.ErrParameter},
		{"too many captions", []*hopfieldlib.Patterns{p}, 4, 4, AnimOptions{Captions: []string{"a", "b", "c"}}, hopfieldlib.ErrShape},
	}
	for _, c := range cases {
		_, err := Animate(c.frames, c.h, c.w, c.opts)
		if !errors.Is(err, c.want) {
			t.Errorf("%s: got %v, want an error wrapping %v", c.name, err, c.want)
		}
	}
	a, err := Animate([]*hopfieldlib.Patterns{p}, 4, 4, AnimOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Show(); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("Show outside GoNB: got %v, want ErrNotNotebook", err)
	}
	if err := a.Play(); !errors.Is(err, ErrNotNotebook) {
		t.Errorf("Play outside GoNB: got %v, want ErrNotNotebook", err)
	}
	if err := a.Save(filepath.Join(t.TempDir(), "x.png")); !errors.Is(err, hopfieldlib.ErrParameter) {
		t.Errorf("Save to .png: got %v, want ErrParameter", err)
	}
	if _, err := a.Frame(1); !errors.Is(err, hopfieldlib.ErrParameter) {
		t.Errorf("Frame(1) of 1: got %v, want ErrParameter", err)
	}
	if err := a.Save(filepath.Join(t.TempDir(), "x.gif")); err != nil {
		t.Errorf("Save to .gif: %v", err)
	}
}
