package hopfieldlib

import (
	"errors"
	"math"
	"testing"
)

func TestMetastabilityMeasures(t *testing.T) {
	tests := []struct {
		name             string
		weights          []float32
		entropy, eff, pr float64
	}{
		// One pattern retrieved: H = 0, one pattern mixed by either count.
		{"one-hot", []float32{0, 1, 0}, 0, 1, 1},
		// Even mixtures of n: H = log n, both counts n.
		{"even 2", []float32{0.5, 0.5}, 0.6931471805599453, 2, 2},
		{"even 4", []float32{0.25, 0.25, 0.25, 0.25}, 1.3862943611198906, 4, 4},
		// Uneven: H = −(0.7 log 0.7 + 0.2 log 0.2 + 0.1 log 0.1), exp(H), 1/(0.49 + 0.04 + 0.01)
		// (computed with Python's math module).
		{"uneven", []float32{0.7, 0.2, 0.1}, 0.8018185525433372, 2.229591873920416, 1.851851851851852},
	}
	for _, tc := range tests {
		w := contPatterns(t, [][]float32{tc.weights})
		h, err := Entropy(w)
		if err != nil {
			t.Fatal(err)
		}
		eff, err := EffectiveCount(w)
		if err != nil {
			t.Fatal(err)
		}
		pr, err := ParticipationRatio(w)
		if err != nil {
			t.Fatal(err)
		}
		if math.Abs(h[0]-tc.entropy) > 1e-6 || math.Abs(eff[0]-tc.eff) > 1e-6 || math.Abs(pr[0]-tc.pr) > 1e-6 {
			t.Errorf("%s: Entropy, EffectiveCount, ParticipationRatio = %.9g, %.9g, %.9g; want %.9g, %.9g, %.9g",
				tc.name, h[0], eff[0], pr[0], tc.entropy, tc.eff, tc.pr)
		}
	}
}

func TestEffectiveCountFollowsBeta(t *testing.T) {
	// Property: the number of patterns a state mixes falls from K (β → 0, the global average) to
	// 1 (β large, retrieval) as β grows; fixed seed, 50 random patterns, half-masked probes.
	x := contRandom(t, 50, 64, 0, 1, 31)
	probes := contHalfMasked(t, x, 10)
	prev := math.Inf(1)
	for _, beta := range []float64{1e-6, 0.01, 0.1, 1, 10, 100} {
		net, err := NewContinuous(x, beta, ContinuousConfig{Backend: contBackend(t)})
		if err != nil {
			t.Fatal(err)
		}
		w, err := net.Weights(probes)
		if err != nil {
			t.Fatal(err)
		}
		eff, err := EffectiveCount(w)
		if err != nil {
			t.Fatal(err)
		}
		var mean float64
		for _, e := range eff {
			mean += e / float64(len(eff))
		}
		if mean > prev+1e-9 {
			t.Errorf("β = %g: mean effective count %.4g rose from %.4g", beta, mean, prev)
		}
		switch beta {
		case 1e-6:
			if mean < 49.99 {
				t.Errorf("β = 1e-6: effective count %.4g, want ≈ K = 50", mean)
			}
		case 100:
			if mean > 1.01 {
				t.Errorf("β = 100: effective count %.6g, want ≈ 1", mean)
			}
		}
		prev = mean
	}
}

func TestMetastabilityErrors(t *testing.T) {
	nan := contPatterns(t, [][]float32{{0.5, 0.5}})
	nan.Set(0, 0, float32(math.NaN()))
	for _, tc := range []struct {
		name string
		w    *Patterns
		want error
	}{
		{"nil", nil, ErrEmpty},
		{"empty", &Patterns{}, ErrEmpty},
		{"NaN", nan, ErrNotFinite},
		{"negative", contPatterns(t, [][]float32{{1.5, -0.5}}), ErrParameter},
		{"not summing to 1", contPatterns(t, [][]float32{{0.2, 0.3}}), ErrParameter},
	} {
		for name, fn := range map[string]func(*Patterns) ([]float64, error){
			"Entropy": Entropy, "EffectiveCount": EffectiveCount, "ParticipationRatio": ParticipationRatio,
		} {
			if _, err := fn(tc.w); !errors.Is(err, tc.want) {
				t.Errorf("%s(%s): err = %v, want %v", name, tc.name, err, tc.want)
			}
		}
	}
}
