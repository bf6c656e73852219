package hopfieldlib_test

import (
	"errors"
	"math"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/datasets"
)

func TestCenterShiftNormalize(t *testing.T) {
	p := utilSet(t, []float32{1, 0, 3}, []float32{3, 2, 3}) // mean (2, 1, 3), by hand
	c, mean, err := hopfieldlib.Center(p)
	if err != nil {
		t.Fatal(err)
	}
	wantMean := []float32{2, 1, 3}
	wantC := [][]float32{{-1, -1, 0}, {1, 1, 0}}
	for j := range wantMean {
		if mean[j] != wantMean[j] {
			t.Errorf("mean[%d] = %v, want %v", j, mean[j], wantMean[j])
		}
	}
	for i, row := range wantC {
		for j, w := range row {
			if got := c.At(i, j); got != w {
				t.Errorf("centred[%d][%d] = %v, want %v", i, j, got, w)
			}
		}
	}
	back, err := hopfieldlib.Shift(c, mean, 1)
	if err != nil {
		t.Fatal(err)
	}
	for i := range p.Len() {
		for j := range p.Dim() {
			if back.At(i, j) != p.At(i, j) {
				t.Errorf("Shift(Center(p), mean, 1)[%d][%d] = %v, want %v", i, j, back.At(i, j), p.At(i, j))
			}
		}
	}
	if p.At(0, 0) != 1 {
		t.Error("Center changed its input")
	}

	n, err := hopfieldlib.Normalize(utilSet(t, []float32{3, 4}, []float32{0, 0}))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		i, j int
		want float32
	}{{0, 0, 0.6}, {0, 1, 0.8}, {1, 0, 0}, {1, 1, 0}} { // 3-4-5 triangle; a zero row stays zero
		if got := n.At(tc.i, tc.j); math.Abs(float64(got-tc.want)) > 1e-7 {
			t.Errorf("Normalize[%d][%d] = %v, want %v", tc.i, tc.j, got, tc.want)
		}
	}
}

func TestCenteringErrors(t *testing.T) {
	p := utilSet(t, []float32{1, 2})
	nan := float32(math.NaN())
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"Shift short vector", second(hopfieldlib.Shift(p, []float32{1}, 1)), hopfieldlib.ErrShape},
		{"Shift NaN vector", second(hopfieldlib.Shift(p, []float32{1, nan}, 1)), hopfieldlib.ErrNotFinite},
		{"Shift NaN factor", second(hopfieldlib.Shift(p, []float32{1, 1}, nan)), hopfieldlib.ErrNotFinite},
		{"Shift overflow", second(hopfieldlib.Shift(utilSet(t, []float32{3e38, 0}), []float32{3e38, 0}, 1)), hopfieldlib.ErrNotFinite},
		{"MeanPattern NaN", second(hopfieldlib.MeanPattern(utilNaN(t))), hopfieldlib.ErrNotFinite},
		{"Normalize empty", second(hopfieldlib.Normalize(&hopfieldlib.Patterns{})), hopfieldlib.ErrEmpty},
	}
	for _, tc := range tests {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: error %v, want one wrapping %v", tc.name, tc.err, tc.want)
		}
	}
	if _, _, err := hopfieldlib.Center(&hopfieldlib.Patterns{}); !errors.Is(err, hopfieldlib.ErrEmpty) {
		t.Errorf("Center of an empty set: error %v, want ErrEmpty", err)
	}
}

// TestCenteringRescuesMNIST is the notebook's measurement: raw digits in [0, 1] with the bottom
// half zeroed are retrieved badly by the dot product at β = 8 (66 of the first 100 when this test
// was written), the same digits centred almost all (99 of 100 within 0.01, 100 nearest).
func TestCenteringRescuesMNIST(t *testing.T) {
	set, err := datasets.MNIST(100)
	if err != nil {
		t.Skip("no MNIST data:", err)
	}
	mask, err := hopfieldlib.BottomHalf(28, 28)
	if err != nil {
		t.Fatal(err)
	}
	nearest := func(stored *hopfieldlib.Patterns) float64 {
		net, err := hopfieldlib.NewContinuous(stored, 8, hopfieldlib.ContinuousConfig{})
		if err != nil {
			t.Fatal(err)
		}
		probes, err := mask.Apply(stored, 0)
		if err != nil {
			t.Fatal(err)
		}
		res, err := net.Recall(probes, hopfieldlib.RecallOptions{})
		if err != nil {
			t.Fatal(err)
		}
		acc, err := hopfieldlib.NearestAccuracy(stored, res.States, nil)
		if err != nil {
			t.Fatal(err)
		}
		return acc
	}
	centred, _, err := hopfieldlib.Center(set.Images)
	if err != nil {
		t.Fatal(err)
	}
	raw, cen := nearest(set.Images), nearest(centred)
	if raw > 0.8 || cen < 0.99 {
		t.Errorf("nearest accuracy raw %.2f (want ≤ 0.8), centred %.2f (want ≥ 0.99)", raw, cen)
	}
}
