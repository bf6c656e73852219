package datasets

import (
	"fmt"
	"image"
	"math"
	"math/bits"
	"math/rand/v2"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// Hair styles of a cartoon [Face].
const (
	HairNone = iota
	HairShort
	HairLong
	HairSpiky
	HairBangs
	numHair
)

// Eye styles of a cartoon [Face].
const (
	EyesDot    = iota // filled discs
	EyesRing          // open circles
	EyesClosed        // short arcs, like a smile
	numEyes
)

// Eyebrow styles of a cartoon [Face].
const (
	BrowsNone   = iota
	BrowsFlat   // level
	BrowsRaised // arched
	BrowsAngry  // slanting down towards the nose
	BrowsSad    // slanting up towards the nose
	numBrows
)

// Mouth styles of a cartoon [Face].
const (
	MouthSmile = iota
	MouthFrown
	MouthFlat
	MouthOpen // an "O"
	numMouth
)

// Face describes a cartoon face drawn by [Face.Draw]. Positions and lengths are fractions of the
// image side, x to the right and y down from the top-left corner; the head is an ellipse centred
// at (0.5, 0.54). Strokes are dark (0.0), the skin light (0.85), hair dark grey (0.2), the
// background white (1.0), so binarizing at 0.5 keeps outline, hair and features.
type Face struct {
	HeadWidth, HeadHeight float64 // semi-axes of the head ellipse, in [0.2, 0.45]
	Hair                  int     // HairNone … HairBangs
	EyeSpacing            float64 // half the distance between the eye centres, in [0.05, 0.2]
	EyeHeight             float64 // y of the eye centres, in [0.35, 0.6]
	EyeSize               float64 // eye radius, in [0.02, 0.08]
	Eyes                  int     // EyesDot, EyesRing or EyesClosed
	Brows                 int     // BrowsNone … BrowsSad
	Mouth                 int     // MouthSmile … MouthOpen
	MouthWidth            float64 // half the mouth's width, in [0.05, 0.25]
	MouthHeight           float64 // y of the mouth, in [0.62, 0.82]
	Nose                  bool    // a small nose between eyes and mouth
}

// RandomFace draws a face's parameters from r: every style uniformly, every length uniformly in
// a range that keeps the face recognisable at 32×32.
func RandomFace(r *rand.Rand) (Face, error) {
	if r == nil {
		return Face{}, fmt.Errorf("%w: RandomFace needs a *rand.Rand, got nil", hopfieldlib.ErrParameter)
	}
	u := func(lo, hi float64) float64 { return lo + (hi-lo)*r.Float64() }
	return Face{
		HeadWidth:   u(0.30, 0.40),
		HeadHeight:  u(0.36, 0.43),
		Hair:        r.IntN(numHair),
		EyeSpacing:  u(0.10, 0.16),
		EyeHeight:   u(0.44, 0.52),
		EyeSize:     u(0.035, 0.06),
		Eyes:        r.IntN(numEyes),
		Brows:       r.IntN(numBrows),
		Mouth:       r.IntN(numMouth),
		MouthWidth:  u(0.08, 0.18),
		MouthHeight: u(0.68, 0.76),
		Nose:        r.IntN(2) == 1,
	}, nil
}

// check validates the parameters.
func (f Face) check() error {
	ranges := []struct {
		name   string
		v      float64
		lo, hi float64
	}{
		{"HeadWidth", f.HeadWidth, 0.2, 0.45}, {"HeadHeight", f.HeadHeight, 0.2, 0.45},
		{"EyeSpacing", f.EyeSpacing, 0.05, 0.2}, {"EyeHeight", f.EyeHeight, 0.35, 0.6},
		{"EyeSize", f.EyeSize, 0.02, 0.08}, {"MouthWidth", f.MouthWidth, 0.05, 0.25},
		{"MouthHeight", f.MouthHeight, 0.62, 0.82},
	}
	for _, p := range ranges {
		if !(p.v >= p.lo && p.v <= p.hi) { // also rejects NaN
			return fmt.Errorf("%w: Face.%s = %v, want a value in [%v, %v]", hopfieldlib.ErrParameter, p.name, p.v, p.lo, p.hi)
		}
	}
	styles := []struct {
		name string
		v, n int
	}{{"Hair", f.Hair, numHair}, {"Eyes", f.Eyes, numEyes}, {"Brows", f.Brows, numBrows}, {"Mouth", f.Mouth, numMouth}}
	for _, s := range styles {
		if s.v < 0 || s.v >= s.n {
			return fmt.Errorf("%w: Face.%s = %d, want 0…%d", hopfieldlib.ErrParameter, s.name, s.v, s.n-1)
		}
	}
	return nil
}

// Grey levels of the drawing.
const (
	inkLevel  = 0.0
	hairLevel = 0.2
	skinLevel = 0.85
	bgLevel   = 1.0
)

// Draw renders the face as a size×size grey image (8 ≤ size ≤ 512), anti-aliased by averaging
// 4×4 samples per pixel. Strokes are about 1.6 pixels wide at 32×32 and scale with the image.
func (f Face) Draw(size int) (*image.Gray, error) {
	px, err := f.pixels(size)
	if err != nil {
		return nil, err
	}
	return PatternImage(px, size, size)
}

// pixels renders the face as size·size intensities in [0, 1].
func (f Face) pixels(size int) ([]float32, error) {
	if size < 8 || size > 512 {
		return nil, fmt.Errorf("%w: Face.Draw(%d): want a size in [8, 512]", hopfieldlib.ErrParameter, size)
	}
	if err := f.check(); err != nil {
		return nil, err
	}
	const ss = 4 // samples per pixel side
	d := f.drawing(max(1.6/32, 1.6/float64(size)))
	out := make([]float32, size*size)
	for y := range size {
		for x := range size {
			sum := 0.0
			for sy := range ss {
				for sx := range ss {
					u := (float64(x) + (float64(sx)+0.5)/ss) / float64(size)
					v := (float64(y) + (float64(sy)+0.5)/ss) / float64(size)
					sum += d(u, v)
				}
			}
			out[y*size+x] = float32(sum / (ss * ss))
		}
	}
	return out, nil
}

// drawing returns the grey level at any point (x, y) of the unit square, painting the layers
// back to front: long hair, head, hair on the head, eyes, brows, nose, mouth. t is the stroke
// width.
func (f Face) drawing(t float64) func(x, y float64) float64 {
	const cx, cy = 0.5, 0.54
	hw, hh := f.HeadWidth, f.HeadHeight
	mouth := f.mouthPath()
	return func(x, y float64) float64 {
		level := bgLevel
		q := ellipseQ(x, y, cx, cy, hw, hh)
		if f.Hair == HairLong && ellipseQ(x, y, cx, cy-0.02, hw+0.07, hh+0.05) <= 1 && y < cy+hh*0.55 {
			level = hairLevel
		}
		if q <= 1 {
			level = skinLevel
			top := cy - hh // top of the head
			switch f.Hair {
			case HairShort, HairLong:
				if y < top+0.32*hh-0.05*math.Cos(math.Pi*(x-cx)/hw) {
					level = hairLevel
				}
			case HairBangs:
				if y < top+0.5*hh {
					level = hairLevel
				}
			case HairSpiky:
				if y < top+0.25*hh {
					level = hairLevel
				}
			}
		}
		if f.Hair == HairSpiky && q > 1 {
			// five spikes standing on the top of the head
			top := cy - hh
			for k := range 5 {
				sx := cx + (float64(k)-2)*hw*0.38
				if y < top+0.1 && y > top-0.1 && math.Abs(x-sx) < 0.045*(y-(top-0.1))/0.2+0.004 {
					level = hairLevel
				}
			}
		}
		// outline
		if math.Abs(math.Sqrt(q)-1)*min(hw, hh) <= t/2 {
			level = inkLevel
		}
		if f.eyesInk(x, y, t) || f.noseInk(x, y, t) || f.mouthInk(x, y, t, mouth) {
			level = inkLevel
		}
		return level
	}
}

// eyesInk says whether (x, y) is on an eye or an eyebrow.
func (f Face) eyesInk(x, y, t float64) bool {
	const cx = 0.5
	// Nothing is drawn outside this box: the brows reach 0.13 above the eye centre at most.
	if y < f.EyeHeight-f.EyeSize-0.14 || y > f.EyeHeight+f.EyeSize+t || math.Abs(x-cx) > f.EyeSpacing+2*f.EyeSize+t {
		return false
	}
	for _, s := range [2]float64{-1, 1} {
		ex, ey := cx+s*f.EyeSpacing, f.EyeHeight
		r := math.Sqrt((x-ex)*(x-ex) + (y-ey)*(y-ey))
		switch f.Eyes {
		case EyesDot:
			if r <= f.EyeSize {
				return true
			}
		case EyesRing:
			if math.Abs(r-f.EyeSize) <= t/2 {
				return true
			}
		case EyesClosed: // the lower half of a circle: a happy closed eye
			if y >= ey-t/2 && math.Abs(r-f.EyeSize) <= t/2 {
				return true
			}
		}
		if f.Brows == BrowsNone {
			continue
		}
		// two segments above the eye: inner end, middle, outer end
		by := ey - f.EyeSize - 0.05
		inner, outer, lift := by, by, 0.0
		switch f.Brows {
		case BrowsRaised:
			inner, outer, lift = by-0.03, by-0.03, 0.025
		case BrowsAngry:
			inner, outer = by+0.025, by-0.025
		case BrowsSad:
			inner, outer = by-0.025, by+0.025
		}
		ix, ox := ex-s*f.EyeSize*1.1, ex+s*f.EyeSize*1.1
		mx, my := (ix+ox)/2, (inner+outer)/2-lift
		if segDist(x, y, ix, inner, mx, my) <= t/2 || segDist(x, y, mx, my, ox, outer) <= t/2 {
			return true
		}
	}
	return false
}

// noseInk says whether (x, y) is on the nose: a small "L" halfway between eyes and mouth.
func (f Face) noseInk(x, y, t float64) bool {
	const cx = 0.5
	if !f.Nose || math.Abs(x-cx) > 0.05 {
		return false
	}
	ny := (f.EyeHeight + f.MouthHeight) / 2
	return segDist(x, y, cx, ny-0.04, cx-0.02, ny+0.02) <= t/2 || segDist(x, y, cx-0.02, ny+0.02, cx+0.01, ny+0.02) <= t/2
}

// mouthInk says whether (x, y) is on the mouth: the polyline mouth, or an ellipse for MouthOpen.
func (f Face) mouthInk(x, y, t float64, mouth [][2]float64) bool {
	const cx = 0.5
	if math.Abs(y-f.MouthHeight) > 0.05+t || math.Abs(x-cx) > f.MouthWidth+t {
		return false
	}
	if f.Mouth == MouthOpen {
		return math.Abs(math.Sqrt(ellipseQ(x, y, cx, f.MouthHeight, f.MouthWidth*0.5, 0.045))-1)*0.045 <= t/2
	}
	for k := 1; k < len(mouth); k++ {
		if segDist(x, y, mouth[k-1][0], mouth[k-1][1], mouth[k][0], mouth[k][1]) <= t/2 {
			return true
		}
	}
	return false
}

// mouthPath is the mouth as a polyline: a parabola through the corners, bending down (smile),
// up (frown) or not at all.
func (f Face) mouthPath() [][2]float64 {
	depth := map[int]float64{MouthSmile: 0.05, MouthFrown: -0.05}[f.Mouth]
	const segs = 8
	path := make([][2]float64, segs+1)
	for k := range path {
		s := 2*float64(k)/segs - 1 // -1 … 1
		path[k] = [2]float64{0.5 + s*f.MouthWidth, f.MouthHeight + depth*(1-s*s) - depth/2}
	}
	return path
}

// ellipseQ is ((x-cx)/rx)² + ((y-cy)/ry)²: ≤ 1 inside the ellipse.
func ellipseQ(x, y, cx, cy, rx, ry float64) float64 {
	dx, dy := (x-cx)/rx, (y-cy)/ry
	return dx*dx + dy*dy
}

// segDist is the distance from (x, y) to the segment (ax, ay)–(bx, by).
func segDist(x, y, ax, ay, bx, by float64) float64 {
	dx, dy := bx-ax, by-ay
	l2 := dx*dx + dy*dy
	t := 0.0
	if l2 > 0 {
		t = min(1, max(0, ((x-ax)*dx+(y-ay)*dy)/l2))
	}
	ex, ey := x-ax-t*dx, y-ay-t*dy
	return math.Sqrt(ex*ex + ey*ey)
}

// MaxCartoonFaces bounds [CartoonFaces]'s n (the distinctness check is quadratic in n).
const MaxCartoonFaces = 10000

// minFaceDistance is the least number of pixels in which the binarized images of two faces of
// one [CartoonFaces] set differ.
const minFaceDistance = 16

// CartoonFaces draws n distinct random cartoon faces of 32×32 pixels (1 ≤ n ≤
// [MaxCartoonFaces]). The same seed gives the same faces; faces whose binarized images (at 0.5)
// differ from an earlier face's in fewer than 16 pixels are redrawn. Each face is its own class,
// named "face0", "face1", ….
func CartoonFaces(n int, seed uint64) (*Set, error) {
	if n < 1 || n > MaxCartoonFaces {
		return nil, fmt.Errorf("%w: CartoonFaces(%d): want 1 ≤ n ≤ %d", hopfieldlib.ErrParameter, n, MaxCartoonFaces)
	}
	r := rand.New(rand.NewPCG(seed, 0x63617274_6f6f6e73)) // second word: "cartoons"
	const size = FaceSize
	var faces []Face
	var signs [][]uint64
	data := make([]float32, 0, n*size*size)
	for tries := 0; len(faces) < n; tries++ {
		if tries > 20*n+1000 {
			return nil, fmt.Errorf("%w: CartoonFaces(%d): could not draw that many distinct faces", hopfieldlib.ErrParameter, n)
		}
		f, err := RandomFace(r)
		if err != nil {
			return nil, err
		}
		px, err := f.pixels(size)
		if err != nil {
			return nil, err
		}
		sig := make([]uint64, (len(px)+63)/64)
		for i, v := range px {
			if v > DefaultThreshold {
				sig[i/64] |= 1 << (i % 64)
			}
		}
		distinct := true
		for _, o := range signs {
			d := 0
			for w := range sig {
				d += bits.OnesCount64(sig[w] ^ o[w])
			}
			if d < minFaceDistance {
				distinct = false
				break
			}
		}
		if distinct {
			faces = append(faces, f)
			signs = append(signs, sig)
			data = append(data, px...)
		}
	}
	return newFaceSet(len(faces), size, data)
}

// FaceSet draws the given faces as a set of size×size images (8 ≤ size ≤ 512), each its own
// class named "face0", "face1", ….
func FaceSet(faces []Face, size int) (*Set, error) {
	if len(faces) == 0 {
		return nil, fmt.Errorf("%w: FaceSet needs at least one face, got none", hopfieldlib.ErrEmpty)
	}
	data := make([]float32, 0, len(faces)*size*size)
	for i, f := range faces {
		px, err := f.pixels(size)
		if err != nil {
			return nil, fmt.Errorf("face %d: %w", i, err)
		}
		data = append(data, px...)
	}
	return newFaceSet(len(faces), size, data)
}

// newFaceSet wraps k drawn faces of size×size, each its own class.
func newFaceSet(k, size int, data []float32) (*Set, error) {
	s := &Set{Name: "cartoon-faces", Height: size, Width: size,
		Labels: make([]int, k), Classes: make([]string, k), Names: make([]string, k)}
	for i := range k {
		s.Labels[i] = i
		s.Classes[i] = fmt.Sprintf("face%d", i)
		s.Names[i] = s.Classes[i]
	}
	var err error
	if s.Images, err = hopfieldlib.FromFlat(k, size*size, data); err != nil {
		return nil, err
	}
	return s, nil
}
