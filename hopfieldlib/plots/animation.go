package plots

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/janpfeifer/gonb/gonbui"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

// AnimOptions controls [Animate]. The zero value is a good default.
type AnimOptions struct {
	// Title is written above every frame, before the frame label.
	Title string
	// FrameLabel returns the label of frame t (t indexes the frames given to Animate, before any
	// subsampling); nil writes "frame t of T".
	FrameLabel func(t int) string
	// Captions are written above the images, one per row of the frames (optional).
	Captions []string
	// Range and Invert map values to grey as in [GridOptions]; the automatic range is chosen
	// once over all frames, so grey levels mean the same in every frame.
	Range  Range
	Invert bool
	// CellWidth is the width of each image, as in [GridOptions].
	CellWidth vg.Length
	// Delay is the time each frame is shown (0 means 100 ms; at least 20 ms).
	Delay time.Duration
	// Hold is the extra time the last frame stays before the loop restarts (0 means 1.5 s;
	// negative means none).
	Hold time.Duration
	// MaxFrames bounds the frames kept (0 means 200): longer sequences are subsampled evenly,
	// keeping the first and the last.
	MaxFrames int
}

// Animation is a sequence of rendered frames: an animated GIF, or frames updated in place in a
// notebook.
type Animation struct {
	frames []*image.Paletted
	delays []int // hundredths of a second
	delay  time.Duration
}

// Animation limits.
const (
	defaultMaxFrames = 200
	maxAnimFrames    = 2000
	defaultDelay     = 100 * time.Millisecond
	defaultHold      = 1500 * time.Millisecond
)

// grayPalette is the GIF palette: 256 grey levels, so greyscale frames are exact.
var grayPalette = func() color.Palette {
	p := make(color.Palette, 256)
	for i := range p {
		p[i] = color.Gray{Y: uint8(i)}
	}
	return p
}()

// Animate renders an animation of recall: frame t shows every row of frames[t] as an h×w image,
// side by side. Pass RecallResult.Trajectory (with RecordTrajectory and, for smooth asynchronous
// recall, a small TrajectoryStride). Every frame must have the same number of patterns of h·w
// units.
func Animate(frames []*hopfieldlib.Patterns, h, w int, opts AnimOptions) (*Animation, error) {
	if len(frames) == 0 {
		return nil, fmt.Errorf("%w: Animate needs at least one frame, got none", hopfieldlib.ErrEmpty)
	}
	if len(frames) > 100*maxAnimFrames {
		return nil, fmt.Errorf("%w: Animate takes at most %d frames, got %d", hopfieldlib.ErrParameter, 100*maxAnimFrames, len(frames))
	}
	if opts.MaxFrames < 0 || opts.MaxFrames > maxAnimFrames {
		return nil, fmt.Errorf("%w: AnimOptions.MaxFrames must be between 0 (meaning %d) and %d, got %d",
			hopfieldlib.ErrParameter, defaultMaxFrames, maxAnimFrames, opts.MaxFrames)
	}
	if opts.Delay != 0 && (opts.Delay < 20*time.Millisecond || opts.Delay > 10*time.Second) {
		return nil, fmt.Errorf("%w: AnimOptions.Delay must be between 20 ms and 10 s, got %v", hopfieldlib.ErrParameter, opts.Delay)
	}
	if opts.Hold > time.Minute {
		return nil, fmt.Errorf("%w: AnimOptions.Hold must be at most a minute, got %v", hopfieldlib.ErrParameter, opts.Hold)
	}
	if math.IsNaN(float64(opts.CellWidth)) || opts.CellWidth < 0 || opts.CellWidth > 10*vg.Inch {
		return nil, fmt.Errorf("%w: AnimOptions.CellWidth must be between 0 and 10 inches, got %v pt", hopfieldlib.ErrParameter, float64(opts.CellWidth))
	}
	k := 0
	lo, hi := math.Inf(1), math.Inf(-1)
	for t, f := range frames {
		if f == nil || f.Len() == 0 {
			return nil, fmt.Errorf("%w: Animate: frame %d is empty", hopfieldlib.ErrEmpty, t)
		}
		if t == 0 {
			k = f.Len()
		}
		if f.Len() != k {
			return nil, fmt.Errorf("%w: Animate: frame %d has %d patterns, frame 0 has %d", hopfieldlib.ErrShape, t, f.Len(), k)
		}
		if f.Dim() != h*w {
			return nil, fmt.Errorf("%w: Animate: frame %d has patterns of %d units, but h×w = %d×%d = %d",
				hopfieldlib.ErrShape, t, f.Dim(), h, w, h*w)
		}
		if err := f.CheckFinite(); err != nil {
			return nil, fmt.Errorf("Animate: frame %d: %w", t, err)
		}
		for _, v := range f.Flat() {
			lo, hi = math.Min(lo, float64(v)), math.Max(hi, float64(v))
		}
	}
	gopts := GridOptions{Captions: opts.Captions, Range: opts.Range, Invert: opts.Invert}
	gopts.CellWidth = opts.CellWidth
	if gopts.Range.auto() {
		gopts.Range = autoImageRange(lo, hi)
	}
	maxFrames := opts.MaxFrames
	if maxFrames == 0 {
		maxFrames = defaultMaxFrames
	}
	delay := opts.Delay
	if delay == 0 {
		delay = defaultDelay
	}
	hold := opts.Hold
	switch {
	case hold == 0:
		hold = defaultHold
	case hold < 0:
		hold = 0
	}
	label := opts.FrameLabel
	if label == nil {
		label = func(t int) string { return fmt.Sprintf("frame %d of %d", t, len(frames)-1) }
	}
	a := &Animation{delay: delay}
	var grids []*imageGrid
	var width, height vg.Length
	for _, t := range sampleIndices(len(frames), maxFrames) {
		gopts.Title = label(t)
		if opts.Title != "" {
			gopts.Title = opts.Title + "  ·  " + gopts.Title
		}
		g, err := newImageGrid(h, w, []GridRow{{Images: frames[t]}}, gopts)
		if err != nil {
			return nil, err
		}
		gw, gh := g.naturalSize()
		width, height = max(width, gw), max(height, gh)
		grids = append(grids, g)
	}
	for _, g := range grids {
		img, err := rasterize(g.draw, width, height)
		if err != nil {
			return nil, err
		}
		a.frames = append(a.frames, img)
		a.delays = append(a.delays, int(math.Round(delay.Seconds()*100)))
	}
	a.delays[len(a.delays)-1] += int(math.Round(hold.Seconds() * 100))
	return a, nil
}

// sampleIndices picks at most m of n indices evenly, keeping the first and the last.
func sampleIndices(n, m int) []int {
	if n <= m {
		out := make([]int, n)
		for i := range out {
			out[i] = i
		}
		return out
	}
	out := make([]int, 0, m)
	for i := range m {
		idx := int(math.Round(float64(i) * float64(n-1) / float64(m-1)))
		if len(out) == 0 || idx != out[len(out)-1] {
			out = append(out, idx)
		}
	}
	return out
}

// rasterize draws fn on a white w×h canvas at DPI and returns it as a grey paletted image.
func rasterize(fn func(draw.Canvas), w, h vg.Length) (img *image.Paletted, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: drawing the frame failed: %v", hopfieldlib.ErrParameter, r)
		}
	}()
	c := vgimg.NewWith(vgimg.UseWH(w, h), vgimg.UseDPI(DPI))
	dc := draw.New(c)
	fn(dc)
	src := c.Image()
	b := src.Bounds()
	out := image.NewPaletted(image.Rect(0, 0, b.Dx(), b.Dy()), grayPalette)
	rgba, ok := src.(*image.RGBA)
	for y := range b.Dy() {
		for x := range b.Dx() {
			var g uint8
			if ok {
				p := rgba.Pix[rgba.PixOffset(b.Min.X+x, b.Min.Y+y):]
				// ITU-R 601 luma, as color.GrayModel.
				g = uint8((19595*uint32(p[0]) + 38470*uint32(p[1]) + 7471*uint32(p[2]) + 1<<15) >> 16)
			} else {
				g = color.GrayModel.Convert(src.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y
			}
			out.Pix[y*out.Stride+x] = g
		}
	}
	return out, nil
}

// Len is the number of frames.
func (a *Animation) Len() int { return len(a.frames) }

// Frame returns frame i (0 ≤ i < Len).
func (a *Animation) Frame(i int) (image.Image, error) {
	if i < 0 || i >= len(a.frames) {
		return nil, fmt.Errorf("%w: Frame(%d) of an animation of %d frames", hopfieldlib.ErrParameter, i, len(a.frames))
	}
	return a.frames[i], nil
}

// GIF encodes the animation as an animated GIF that loops forever.
func (a *Animation) GIF() ([]byte, error) {
	if a == nil || len(a.frames) == 0 {
		return nil, fmt.Errorf("%w: empty animation: build one with Animate", hopfieldlib.ErrEmpty)
	}
	var buf bytes.Buffer
	if err := gif.EncodeAll(&buf, &gif.GIF{Image: a.frames, Delay: a.delays}); err != nil {
		return nil, fmt.Errorf("plots: encoding GIF: %w", err)
	}
	return buf.Bytes(), nil
}

// Save writes the animation as a GIF; path must end in .gif.
func (a *Animation) Save(path string) error {
	if ext := strings.ToLower(filepath.Ext(path)); ext != ".gif" {
		return fmt.Errorf("%w: Animation.Save(%q): the extension must be .gif, got %q", hopfieldlib.ErrParameter, path, ext)
	}
	data, err := a.GIF()
	if err != nil {
		return err
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("plots: saving animation: %w", err)
	}
	return nil
}

// html returns an <img> element showing a PNG or GIF inline.
func imgHTML(mime string, data []byte, w, h int) string {
	return fmt.Sprintf(`<img src="data:%s;base64,%s" width="%d" height="%d" style="image-rendering:pixelated" alt="animation of recall">`,
		mime, base64.StdEncoding.EncodeToString(data), w, h)
}

// Show displays the animation inline in a GoNB notebook as an animated GIF (it keeps playing in
// the saved notebook). Outside GoNB it returns an error wrapping [ErrNotNotebook].
func (a *Animation) Show() error {
	if !gonbui.IsNotebook {
		return notNotebook("Animation.Show")
	}
	data, err := a.GIF()
	if err != nil {
		return err
	}
	b := a.frames[0].Bounds()
	gonbui.DisplayHTML(imgHTML("image/gif", data, b.Dx(), b.Dy()))
	gonbui.Sync() // as in Figure.Show: a cell that ends right after Show keeps its output
	return notebookError()
}

// Play shows the frames one after the other in a single notebook output, updated in place, and
// returns after the last frame (about Len × Delay); the last frame stays. Outside GoNB it
// returns an error wrapping [ErrNotNotebook].
func (a *Animation) Play() error {
	if !gonbui.IsNotebook {
		return notNotebook("Animation.Play")
	}
	if len(a.frames) == 0 {
		return fmt.Errorf("%w: empty animation: build one with Animate", hopfieldlib.ErrEmpty)
	}
	id := "hopfield-animation-" + gonbui.UniqueId()
	b := a.frames[0].Bounds()
	for i, f := range a.frames {
		var buf bytes.Buffer
		if err := png.Encode(&buf, f); err != nil {
			return fmt.Errorf("plots: encoding frame %d: %w", i, err)
		}
		gonbui.UpdateHTML(id, imgHTML("image/png", buf.Bytes(), b.Dx(), b.Dy()))
		if i == len(a.frames)-1 {
			gonbui.Sync() // the last frame stays even if the cell ends right after Play
		}
		if err := notebookError(); err != nil {
			return err
		}
		if i < len(a.frames)-1 {
			time.Sleep(a.delay)
		}
	}
	return nil
}
