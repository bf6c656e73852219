package hopfieldlib_test

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// utilRand is a fixed-seed random source for the utility tests.
func utilRand(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0xC0FFEE)) }

// utilSet builds a set from rows or fails the test.
func utilSet(t testing.TB, rows ...[]float32) *hopfieldlib.Patterns {
	t.Helper()
	p, err := hopfieldlib.NewPatterns(rows)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// utilNaN returns a 1×2 set whose second unit is NaN, built behind the constructors' back (they
// reject it) to reach the utilities' own checks.
func utilNaN(t testing.TB) *hopfieldlib.Patterns {
	t.Helper()
	p := utilSet(t, []float32{1, 1})
	p.Set(0, 1, float32(math.NaN()))
	return p
}

func TestBinarizeAndToSpins(t *testing.T) {
	images := utilSet(t, []float32{0, 0.25, 0.5, 0.75, 1})
	tests := []struct {
		name string
		fn   func() (*hopfieldlib.Patterns, error)
		want []float32 // by hand: +1 iff x > threshold
	}{
		{"Binarize 0.5", func() (*hopfieldlib.Patterns, error) { return hopfieldlib.Binarize(images, 0.5) }, []float32{-1, -1, -1, 1, 1}},
		{"Binarize 0.2", func() (*hopfieldlib.Patterns, error) { return hopfieldlib.Binarize(images, 0.2) }, []float32{-1, 1, 1, 1, 1}},
		{"Binarize 0 (the sign)", func() (*hopfieldlib.Patterns, error) { return hopfieldlib.Binarize(images, 0) }, []float32{-1, 1, 1, 1, 1}},
		{"ToSpins", func() (*hopfieldlib.Patterns, error) { return hopfieldlib.ToSpins(images) }, []float32{-1, -1, -1, 1, 1}},
	}
	for _, tc := range tests {
		got, err := tc.fn()
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if !slices.Equal(got.Flat(), tc.want) {
			t.Errorf("%s = %v, want %v", tc.name, got.Flat(), tc.want)
		}
	}
	if !slices.Equal(images.Flat(), []float32{0, 0.25, 0.5, 0.75, 1}) {
		t.Errorf("the input changed: %v", images.Flat())
	}
}

func TestSpinsToImages(t *testing.T) {
	states := utilSet(t, []float32{-1, 1, 0, 0.5, -3, 2})
	got, err := hopfieldlib.SpinsToImages(states)
	if err != nil {
		t.Fatal(err)
	}
	// (s+1)/2, clipped to [0, 1]: by hand.
	if want := []float32{0, 1, 0.5, 0.75, 0, 1}; !slices.Equal(got.Flat(), want) {
		t.Errorf("SpinsToImages = %v, want %v", got.Flat(), want)
	}
	// Round trip: binary images → spins → the same images.
	bin := utilSet(t, []float32{0, 1, 1, 0})
	s, err := hopfieldlib.ToSpins(bin)
	if err != nil {
		t.Fatal(err)
	}
	back, err := hopfieldlib.SpinsToImages(s)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(back.Flat(), bin.Flat()) {
		t.Errorf("round trip = %v, want %v", back.Flat(), bin.Flat())
	}
}

func TestRandomPatterns(t *testing.T) {
	const k, n = 20, 500
	s, err := hopfieldlib.RandomSpins(k, n, utilRand(1))
	if err != nil {
		t.Fatal(err)
	}
	if s.Len() != k || s.Dim() != n {
		t.Fatalf("RandomSpins shape %v, want %d×%d", s, k, n)
	}
	if err := s.CheckSpins(); err != nil {
		t.Fatal(err)
	}
	// Unbiased: the mean of k·n = 10,000 units has standard deviation 0.01; allow 4σ.
	var sum float64
	for _, v := range s.Flat() {
		sum += float64(v)
	}
	if m := sum / float64(k*n); math.Abs(m) > 0.04 {
		t.Errorf("mean spin %.3f, want ≈ 0", m)
	}
	again, _ := hopfieldlib.RandomSpins(k, n, utilRand(1))
	if !slices.Equal(again.Flat(), s.Flat()) {
		t.Error("RandomSpins is not reproducible from the seed")
	}

	u, err := hopfieldlib.RandomUniform(k, n, utilRand(2))
	if err != nil {
		t.Fatal(err)
	}
	sum = 0
	for _, v := range u.Flat() {
		if v < 0 || v >= 1 {
			t.Fatalf("RandomUniform value %v outside [0, 1)", v)
		}
		sum += float64(v)
	}
	// Mean ½, standard deviation 1/√(12·10,000) ≈ 0.003; allow 4σ.
	if m := sum / float64(k*n); math.Abs(m-0.5) > 0.012 {
		t.Errorf("mean uniform %.3f, want ≈ 0.5", m)
	}
}

func TestConvertErrors(t *testing.T) {
	ok := utilSet(t, []float32{0, 1})
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"Binarize nil", second(hopfieldlib.Binarize(nil, 0)), hopfieldlib.ErrEmpty},
		{"Binarize NaN", second(hopfieldlib.Binarize(utilNaN(t), 0)), hopfieldlib.ErrNotFinite},
		{"Binarize NaN threshold", second(hopfieldlib.Binarize(ok, float32(math.NaN()))), hopfieldlib.ErrNotFinite},
		{"Binarize Inf threshold", second(hopfieldlib.Binarize(ok, float32(math.Inf(1)))), hopfieldlib.ErrNotFinite},
		{"ToSpins empty", second(hopfieldlib.ToSpins(&hopfieldlib.Patterns{})), hopfieldlib.ErrEmpty},
		{"ToSpins 0…255", second(hopfieldlib.ToSpins(utilSet(t, []float32{0, 255}))), hopfieldlib.ErrParameter},
		{"ToSpins negative", second(hopfieldlib.ToSpins(utilSet(t, []float32{-1, 1}))), hopfieldlib.ErrParameter},
		{"ToSpins NaN", second(hopfieldlib.ToSpins(utilNaN(t))), hopfieldlib.ErrNotFinite},
		{"SpinsToImages NaN", second(hopfieldlib.SpinsToImages(utilNaN(t))), hopfieldlib.ErrNotFinite},
		{"SpinsToImages nil", second(hopfieldlib.SpinsToImages(nil)), hopfieldlib.ErrEmpty},
		{"RandomSpins k=0", second(hopfieldlib.RandomSpins(0, 3, utilRand(1))), hopfieldlib.ErrEmpty},
		{"RandomSpins n<0", second(hopfieldlib.RandomSpins(3, -1, utilRand(1))), hopfieldlib.ErrEmpty},
		{"RandomSpins nil rand", second(hopfieldlib.RandomSpins(3, 3, nil)), hopfieldlib.ErrParameter},
		{"RandomUniform n=0", second(hopfieldlib.RandomUniform(3, 0, utilRand(1))), hopfieldlib.ErrEmpty},
		{"RandomUniform nil rand", second(hopfieldlib.RandomUniform(3, 3, nil)), hopfieldlib.ErrParameter},
	}
	for _, tc := range tests {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: got %v, want an error wrapping %v", tc.name, tc.err, tc.want)
		}
	}
}

// second returns the error of a (value, error) pair.
func second[T any](_ T, err error) error { return err }
