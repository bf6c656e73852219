package experiments_test

import (
	"context"
	"errors"
	"math"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/experiments"
)

// fixedCount builds fake memories in which the first s stored patterns are fixed points, so
// the stable fraction at K patterns is min(s, K)/K.
func fixedCount(s int) experiments.Builder {
	return func(stored *hopfieldlib.Patterns) (hopfieldlib.Memory, error) { return newFake(stored, s, 0), nil }
}

func TestCapacityAt(t *testing.T) {
	base := experiments.CapacityConfig{N: 16, Build: fixedCount(20), MaxProbes: -1}
	for _, c := range []struct {
		name  string
		cfg   experiments.CapacityAtConfig
		want  float64
		isErr error
	}{
		// K = 10, 20 pass (1.0), 40 gives 0.5 < 0.6: ln K interpolated at w = (1−0.6)/(1−0.5) = 0.8
		// between 20 and 40: 20·2^0.8.
		{"interpolated", experiments.CapacityAtConfig{Capacity: base, Level: 0.6, Start: 10, Factor: 2, Max: 1000}, 20 * math.Pow(2, 0.8), nil},
		// K = 40 gives exactly 0.5 = Level and passes; 80 gives 0.25: w = 0, K = 40.
		{"level met exactly", experiments.CapacityAtConfig{Capacity: base, Level: 0.5, Start: 10, Factor: 2, Max: 1000}, 40, nil},
		// Default factor 2^(1/4): K = 16, 19 pass (1.0), round(16·√2) = 23 gives 20/23 < 1 = Level;
		// the interpolation weight (1 − 1)/(1 − 20/23) is 0, so K = 19.
		{"default factor", experiments.CapacityAtConfig{Capacity: base, Level: 1, Start: 16, Max: 1000}, 19, nil},
		{"start fails", experiments.CapacityAtConfig{Capacity: base, Level: 0.9, Start: 100, Factor: 2, Max: 1000}, 0, hopfieldlib.ErrParameter},
		{"max reached", experiments.CapacityAtConfig{Capacity: base, Level: 0.9, Start: 2, Factor: 2, Max: 16}, 0, hopfieldlib.ErrParameter},
		{"bad level", experiments.CapacityAtConfig{Capacity: base, Level: 0, Start: 2, Max: 16}, 0, hopfieldlib.ErrParameter},
		{"bad factor", experiments.CapacityAtConfig{Capacity: base, Level: 0.5, Start: 2, Factor: 1, Max: 16}, 0, hopfieldlib.ErrParameter},
		{"bad start", experiments.CapacityAtConfig{Capacity: base, Level: 0.5, Start: 0, Max: 16}, 0, hopfieldlib.ErrParameter},
		{"max below start", experiments.CapacityAtConfig{Capacity: base, Level: 0.5, Start: 8, Max: 4}, 0, hopfieldlib.ErrParameter},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := experiments.CapacityAt(context.Background(), c.cfg)
			if c.isErr != nil {
				if !errors.Is(err, c.isErr) {
					t.Fatalf("err = %v, want %v", err, c.isErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(got-c.want) > 1e-9 {
				t.Fatalf("K = %v, want %v", got, c.want)
			}
		})
	}
}

// TestCapacityAtPolynomial: the measured capacity of x³ at N = 100 lies within a factor 2 of
// PolynomialCapacity (≈ 362), the Krotov–Hopfield estimate.
func TestCapacityAtPolynomial(t *testing.T) {
	k, err := experiments.CapacityAt(context.Background(), experiments.CapacityAtConfig{
		Capacity: experiments.CapacityConfig{N: 100, Build: experiments.Dense(hopfieldlib.Polynomial(3), hopfieldlib.DenseConfig{}),
			MaxProbes: -1, Seeds: []uint64{1, 2}},
		Level: 0.9, Start: 50, Max: 5000,
	})
	if err != nil {
		t.Fatal(err)
	}
	theory := experiments.PolynomialCapacity(100, 3)
	if k < theory/2 || k > 2*theory {
		t.Fatalf("measured capacity %v, theory %v: not within a factor 2", k, theory)
	}
	t.Logf("x^3, N=100: measured K(0.9) = %.0f, theory %.0f", k, theory)
}
