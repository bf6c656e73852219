package hopfieldlib_test

import (
	"errors"
	"math"
	"slices"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

func TestFlipBitsExactCount(t *testing.T) {
	spins, err := hopfieldlib.RandomSpins(30, 101, utilRand(3))
	if err != nil {
		t.Fatal(err)
	}
	orig := spins.Clone()
	// round(fraction·101), by hand: 0 → 0, 0.1 → 10.1 → 10, 0.25 → 25.25 → 25, 0.5 → 50.5 → 51, 1 → 101.
	for _, tc := range []struct {
		fraction float64
		want     int
	}{{0, 0}, {0.1, 10}, {0.25, 25}, {0.5, 51}, {1, 101}} {
		noisy, err := hopfieldlib.FlipBits(spins, tc.fraction, utilRand(4))
		if err != nil {
			t.Fatal(err)
		}
		if err := noisy.CheckSpins(); err != nil {
			t.Fatal(err)
		}
		for b := range noisy.Len() {
			d, _ := hopfieldlib.Hamming(noisy.Row(b), spins.Row(b))
			if d != tc.want {
				t.Fatalf("fraction %v, row %d: %d units flipped, want %d", tc.fraction, b, d, tc.want)
			}
		}
	}
	if !slices.Equal(orig.Flat(), spins.Flat()) {
		t.Error("FlipBits changed its input")
	}
}

// TestFlipBitsUniform: every unit is equally likely to be flipped. 2,000 rows of 10 units with 3
// flips: each unit is flipped with probability 0.3, 600 times on average (σ ≈ 20.5); allow 5σ.
func TestFlipBitsUniform(t *testing.T) {
	ones := make([]float32, 2000*10)
	for i := range ones {
		ones[i] = 1
	}
	p, _ := hopfieldlib.FromFlat(2000, 10, ones)
	noisy, err := hopfieldlib.FlipBits(p, 0.3, utilRand(5))
	if err != nil {
		t.Fatal(err)
	}
	counts := make([]int, 10)
	for b := range noisy.Len() {
		for i, v := range noisy.Row(b) {
			if v < 0 {
				counts[i]++
			}
		}
	}
	for i, c := range counts {
		if math.Abs(float64(c)-600) > 5*20.5 {
			t.Errorf("unit %d flipped %d times, want ≈ 600", i, c)
		}
	}
}

func TestGaussianNoise(t *testing.T) {
	p, _ := hopfieldlib.Zeros(100, 100)
	noisy, err := hopfieldlib.GaussianNoise(p, 0.5, utilRand(6))
	if err != nil {
		t.Fatal(err)
	}
	var s, s2 float64
	for _, v := range noisy.Flat() {
		s += float64(v)
		s2 += float64(v) * float64(v)
	}
	m := s / 1e4
	sd := math.Sqrt(s2/1e4 - m*m)
	// Mean 0 ± 0.005 (σ/√10⁴), standard deviation 0.5 ± 0.0035: allow about 4σ.
	if math.Abs(m) > 0.02 || math.Abs(sd-0.5) > 0.015 {
		t.Errorf("noise mean %.4f, sd %.4f, want 0 and 0.5", m, sd)
	}
	same, err := hopfieldlib.GaussianNoise(noisy, 0, utilRand(6))
	if err != nil || !slices.Equal(same.Flat(), noisy.Flat()) {
		t.Errorf("sigma 0 changed the patterns (err %v)", err)
	}
}

func TestSaltAndPepper(t *testing.T) {
	p, _ := hopfieldlib.FromFlat(50, 40, slices.Repeat([]float32{0.5}, 2000))
	noisy, err := hopfieldlib.SaltAndPepper(p, 0.25, 0, 1, utilRand(7))
	if err != nil {
		t.Fatal(err)
	}
	high := 0
	for b := range noisy.Len() {
		changed := 0
		for _, v := range noisy.Row(b) {
			switch v {
			case 0.5:
			case 0:
				changed++
			case 1:
				changed++
				high++
			default:
				t.Fatalf("unexpected value %v", v)
			}
		}
		// round(0.25·40) = 10 units per row, by hand.
		if changed != 10 {
			t.Fatalf("row %d: %d units changed, want 10", b, changed)
		}
	}
	// 500 replaced units, half of them high: 250 ± 11; allow 5σ.
	if math.Abs(float64(high)-250) > 56 {
		t.Errorf("%d of 500 replaced units are high, want ≈ 250", high)
	}
}

func TestNoiseErrors(t *testing.T) {
	spins := utilSet(t, []float32{1, -1, 1})
	image := utilSet(t, []float32{0.2, 0.4})
	r := utilRand(1)
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"FlipBits not spins", second(hopfieldlib.FlipBits(image, 0.1, r)), hopfieldlib.ErrNotSpin},
		{"FlipBits nil", second(hopfieldlib.FlipBits(nil, 0.1, r)), hopfieldlib.ErrEmpty},
		{"FlipBits fraction < 0", second(hopfieldlib.FlipBits(spins, -0.1, r)), hopfieldlib.ErrParameter},
		{"FlipBits fraction > 1", second(hopfieldlib.FlipBits(spins, 1.5, r)), hopfieldlib.ErrParameter},
		{"FlipBits fraction NaN", second(hopfieldlib.FlipBits(spins, math.NaN(), r)), hopfieldlib.ErrParameter},
		{"FlipBits nil rand", second(hopfieldlib.FlipBits(spins, 0.1, nil)), hopfieldlib.ErrParameter},
		{"GaussianNoise sigma < 0", second(hopfieldlib.GaussianNoise(image, -1, r)), hopfieldlib.ErrParameter},
		{"GaussianNoise sigma Inf", second(hopfieldlib.GaussianNoise(image, math.Inf(1), r)), hopfieldlib.ErrParameter},
		{"GaussianNoise sigma NaN", second(hopfieldlib.GaussianNoise(image, math.NaN(), r)), hopfieldlib.ErrParameter},
		{"GaussianNoise nil rand", second(hopfieldlib.GaussianNoise(image, 1, nil)), hopfieldlib.ErrParameter},
		{"GaussianNoise NaN", second(hopfieldlib.GaussianNoise(utilNaN(t), 1, r)), hopfieldlib.ErrNotFinite},
		{"GaussianNoise overflow", second(hopfieldlib.GaussianNoise(utilHuge(t), 1e38, r)), hopfieldlib.ErrNotFinite},
		{"SaltAndPepper fraction", second(hopfieldlib.SaltAndPepper(image, 2, 0, 1, r)), hopfieldlib.ErrParameter},
		{"SaltAndPepper nil rand", second(hopfieldlib.SaltAndPepper(image, 0.1, 0, 1, nil)), hopfieldlib.ErrParameter},
		{"SaltAndPepper NaN low", second(hopfieldlib.SaltAndPepper(image, 0.1, float32(math.NaN()), 1, r)), hopfieldlib.ErrNotFinite},
		{"SaltAndPepper empty", second(hopfieldlib.SaltAndPepper(&hopfieldlib.Patterns{}, 0.1, 0, 1, r)), hopfieldlib.ErrEmpty},
	}
	for _, tc := range tests {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: got %v, want an error wrapping %v", tc.name, tc.err, tc.want)
		}
	}
}

// utilHuge is 1×100 units of 3·10³⁸, near float32's largest value: noise of σ = 10³⁸ overflows
// at least one unit (each with probability ≈ 0.34).
func utilHuge(t testing.TB) *hopfieldlib.Patterns {
	t.Helper()
	p, err := hopfieldlib.FromFlat(1, 100, slices.Repeat([]float32{3e38}, 100))
	if err != nil {
		t.Fatal(err)
	}
	return p
}
