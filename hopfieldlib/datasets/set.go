package datasets

import (
	"fmt"
	"image"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// DefaultThreshold is the pixel intensity above which [Set.Spins] gives +1.
const DefaultThreshold = 0.5

// Set is a set of grayscale images of one size, with their labels, ready for the models.
//
// Images holds one image per row, pixels row by row (Height rows of Width pixels), as
// intensities in [0, 1]: 0 is black, 1 is white, as stored in the file. MNIST digits are white ink
// (1) on black (0); sprites and faces are drawn on white. Use [Set.Spins] for the ±1 patterns of
// the classical and dense networks and Images (or [Set.Raw] for a copy) for the continuous one.
type Set struct {
	// Name says where the set comes from: "mnist", "sprites", "faces" or "cartoon-faces".
	Name string
	// Images is the K×(Height·Width) matrix of pixel intensities in [0, 1].
	Images *hopfieldlib.Patterns
	// Height and Width are the image size in pixels.
	Height, Width int
	// Labels is the class of each image, an index into Classes: the digit for MNIST, the animal
	// for sprites, the head (whatever the skin tone) for faces.
	Labels []int
	// Classes names the classes.
	Classes []string
	// Names names each image, where images have names (sprites, faces, cartoon faces); nil for
	// MNIST.
	Names []string
}

// Len is the number of images.
func (s *Set) Len() int {
	if s == nil {
		return 0
	}
	return s.Images.Len()
}

// String describes the set, e.g. "mnist: 100 images of 28×28, 10 classes".
func (s *Set) String() string {
	if s == nil {
		return "<nil set>"
	}
	return fmt.Sprintf("%s: %d images of %d×%d, %d classes", s.Name, s.Len(), s.Height, s.Width, len(s.Classes))
}

// check verifies that the fields fit together.
func (s *Set) check() error {
	if s == nil || s.Images.Len() == 0 {
		return fmt.Errorf("%w: the set has no images", hopfieldlib.ErrEmpty)
	}
	if s.Height <= 0 || s.Width <= 0 || s.Height*s.Width != s.Images.Dim() {
		return fmt.Errorf("%w: images of %d pixels do not fit Height×Width = %d×%d", hopfieldlib.ErrShape,
			s.Images.Dim(), s.Height, s.Width)
	}
	if s.Labels != nil && len(s.Labels) != s.Len() {
		return fmt.Errorf("%w: %d labels for %d images", hopfieldlib.ErrShape, len(s.Labels), s.Len())
	}
	if s.Names != nil && len(s.Names) != s.Len() {
		return fmt.Errorf("%w: %d names for %d images", hopfieldlib.ErrShape, len(s.Names), s.Len())
	}
	return nil
}

// Spins returns the images as ±1 spins: +1 where the intensity is above [DefaultThreshold]
// (0.5), -1 elsewhere.
func (s *Set) Spins() (*hopfieldlib.Patterns, error) { return s.SpinsAt(DefaultThreshold) }

// SpinsAt returns the images as ±1 spins: +1 where the intensity is above threshold, -1
// elsewhere. The threshold must be finite.
func (s *Set) SpinsAt(threshold float32) (*hopfieldlib.Patterns, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if math.IsNaN(float64(threshold)) || math.IsInf(float64(threshold), 0) {
		return nil, fmt.Errorf("%w: threshold %v, want a finite number", hopfieldlib.ErrParameter, threshold)
	}
	out := s.Images.Clone()
	for i, v := range out.Flat() {
		if v > threshold {
			out.Flat()[i] = 1
		} else {
			out.Flat()[i] = -1
		}
	}
	return out, nil
}

// Raw returns a copy of the images (intensities in [0, 1]), safe to modify.
func (s *Set) Raw() *hopfieldlib.Patterns {
	if s == nil {
		return nil
	}
	return s.Images.Clone()
}

// First returns a new set with the first n images (1 ≤ n ≤ Len). For MNIST the first n are
// class-balanced for n ≤ 8,630 (the files are in round-robin order by class).
func (s *Set) First(n int) (*Set, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if n < 1 || n > s.Len() {
		return nil, fmt.Errorf("%w: First(%d) of a set of %d images: need 1 ≤ n ≤ %d", hopfieldlib.ErrParameter, n, s.Len(), s.Len())
	}
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	return s.Subset(idx...)
}

// Subset returns a new set with the images at the given indices, in that order (repeats allowed).
// Classes are kept as they are, so labels keep their meaning.
func (s *Set) Subset(indices ...int) (*Set, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	imgs, err := s.Images.Subset(indices...)
	if err != nil {
		return nil, err
	}
	out := &Set{Name: s.Name, Images: imgs, Height: s.Height, Width: s.Width,
		Classes: append([]string(nil), s.Classes...)}
	if s.Labels != nil {
		out.Labels = make([]int, len(indices))
		for j, i := range indices {
			out.Labels[j] = s.Labels[i]
		}
	}
	if s.Names != nil {
		out.Names = make([]string, len(indices))
		for j, i := range indices {
			out.Names[j] = s.Names[i]
		}
	}
	return out, nil
}

// Resize returns a new set with every image resampled to height×width by area averaging: each
// new pixel is the mean of the old pixels it covers, weighted by the covered fraction (exact for
// integer factors, e.g. 64×64 → 32×32 averages 2×2 blocks). Enlarging repeats pixels.
func (s *Set) Resize(height, width int) (*Set, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if height < 1 || width < 1 || height > 4096 || width > 4096 {
		return nil, fmt.Errorf("%w: Resize(%d, %d): need sizes in [1, 4096]", hopfieldlib.ErrParameter, height, width)
	}
	wy := areaWeights(s.Height, height)
	wx := areaWeights(s.Width, width)
	k := s.Len()
	data := make([]float32, 0, k*height*width)
	tmp := make([]float64, height*s.Width) // rows resampled, columns not yet
	for i := range k {
		src := s.Images.Row(i)
		clear(tmp)
		for _, w := range wy {
			row := src[w.src*s.Width : (w.src+1)*s.Width]
			dst := tmp[w.dst*s.Width : (w.dst+1)*s.Width]
			for x, v := range row {
				dst[x] += w.w * float64(v)
			}
		}
		out := make([]float64, height*width)
		for y := range height {
			for _, w := range wx {
				out[y*width+w.dst] += w.w * tmp[y*s.Width+w.src]
			}
		}
		for _, v := range out {
			data = append(data, float32(min(1, max(0, v))))
		}
	}
	imgs, err := hopfieldlib.FromFlat(k, height*width, data)
	if err != nil {
		return nil, err
	}
	out := &Set{Name: s.Name, Images: imgs, Height: height, Width: width,
		Labels: append([]int(nil), s.Labels...), Classes: append([]string(nil), s.Classes...),
		Names: append([]string(nil), s.Names...)}
	if s.Labels == nil {
		out.Labels = nil
	}
	if s.Names == nil {
		out.Names = nil
	}
	return out, nil
}

// weight is one term of a 1-D area resampling: dst += w·src.
type weight struct {
	dst, src int
	w        float64
}

// areaWeights gives the 1-D area-averaging weights from n source pixels to m: destination pixel
// d covers the source interval [d·n/m, (d+1)·n/m), and each source pixel contributes the length
// of its overlap with it divided by n/m.
func areaWeights(n, m int) []weight {
	var out []weight
	scale := float64(n) / float64(m)
	for d := range m {
		lo, hi := float64(d)*scale, float64(d+1)*scale
		for j := int(math.Floor(lo)); j < n && float64(j) < hi; j++ {
			ov := math.Min(hi, float64(j+1)) - math.Max(lo, float64(j))
			if ov > 1e-12 {
				out = append(out, weight{dst: d, src: j, w: ov / scale})
			}
		}
	}
	return out
}

// Image returns image i as an 8-bit grayscale image (intensity·255, rounded and clipped to
// [0, 255]), to save or show it.
func (s *Set) Image(i int) (*image.Gray, error) {
	if err := s.check(); err != nil {
		return nil, err
	}
	if i < 0 || i >= s.Len() {
		return nil, fmt.Errorf("%w: Image(%d) of a set of %d images", hopfieldlib.ErrParameter, i, s.Len())
	}
	return PatternImage(s.Images.Row(i), s.Height, s.Width)
}

// PatternImage draws one pattern of height·width values as an 8-bit grayscale image. Values
// are intensities in [0, 1], clipped, so ±1 spins draw as they are: -1 black, +1 white.
func PatternImage(p []float32, height, width int) (*image.Gray, error) {
	if height < 1 || width < 1 || len(p) != height*width {
		return nil, fmt.Errorf("%w: PatternImage: %d values for a %d×%d image", hopfieldlib.ErrShape, len(p), height, width)
	}
	img := image.NewGray(image.Rect(0, 0, width, height))
	for j, v := range p {
		f := float64(v)
		if math.IsNaN(f) {
			return nil, fmt.Errorf("%w: PatternImage: pixel %d is NaN", hopfieldlib.ErrNotFinite, j)
		}
		img.Pix[j] = uint8(math.Round(255 * min(1, max(0, f))))
	}
	return img, nil
}
