package hopfieldlib

import (
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"

	"github.com/gomlx/compute"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// contBackendOnce shares one GoMLX backend between the tests of this file.
var contBackendOnce = sync.OnceValues(NewBackend)

func contBackend(t testing.TB) compute.Backend {
	t.Helper()
	b, err := contBackendOnce()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// contPath is one way a continuous step can be computed.
type contPath struct {
	name string
	cfg  ContinuousConfig
}

// contPaths are the ways a continuous step can be computed: the kernels of every instruction set
// this CPU runs (portable Go included) and the GoMLX graphs, each with and without Dense. Every
// cross-check runs all of them.
func contPaths(t testing.TB) []contPath {
	b := contBackend(t)
	var out []contPath
	for _, isa := range engine.Available() {
		out = append(out,
			contPath{isa.String(), ContinuousConfig{Backend: b, forceISA: true, isa: isa}},
			contPath{isa.String() + "-dense", ContinuousConfig{Backend: b, Dense: true, forceISA: true, isa: isa}})
	}
	return append(out,
		contPath{"graphs", ContinuousConfig{Backend: b, graphs: true}},
		contPath{"graphs-dense", ContinuousConfig{Backend: b, Dense: true, graphs: true}})
}

func contPatterns(t testing.TB, rows [][]float32) *Patterns {
	t.Helper()
	p, err := NewPatterns(rows)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// contRandom returns k×d values uniform in [lo, hi), seeded.
func contRandom(t testing.TB, k, d int, lo, hi float64, seed uint64) *Patterns {
	t.Helper()
	r := rand.New(rand.NewPCG(seed, 7))
	data := make([]float32, k*d)
	for i := range data {
		data[i] = float32(lo + (hi-lo)*r.Float64())
	}
	p, err := FromFlat(k, d, data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// contReference is the float64 reference of one continuous step: Vᵀ softmax(β X ξ), with the
// weights and E(ξ) = −lse(β, Xξ) + ½ξᵀξ + β⁻¹ log K + ½M² (Ramsauer et al. 2020, eqs. 2-3),
// straight from the formulas (max-shifted).
func contReference(x, v *Patterns, beta float64, xi []float32) (next []float64, weights []float64, energy float64) {
	k := x.Len()
	s := make([]float64, k)
	var maxNorm float64
	for mu := range k {
		var dot, sq float64
		for j, a := range x.Row(mu) {
			dot += float64(a) * float64(xi[j])
			sq += float64(a) * float64(a)
		}
		s[mu] = dot
		maxNorm = max(maxNorm, math.Sqrt(sq))
	}
	m := math.Inf(-1)
	for _, a := range s {
		m = max(m, a)
	}
	weights = make([]float64, k)
	var z float64
	for mu, a := range s {
		weights[mu] = math.Exp(beta * (a - m))
		z += weights[mu]
	}
	next = make([]float64, v.Dim())
	for mu := range k {
		weights[mu] /= z
		for j, a := range v.Row(mu) {
			next[j] += weights[mu] * float64(a)
		}
	}
	var half float64
	for _, a := range xi {
		half += 0.5 * float64(a) * float64(a)
	}
	lse := m + math.Log(z)/beta
	energy = -lse + half + math.Log(float64(k))/beta + 0.5*maxNorm*maxNorm
	return next, weights, energy
}

func TestContinuousHandCalculated(t *testing.T) {
	e1, e2 := []float32{1, 0}, []float32{0, 1}
	three := [][]float32{{1, 1}, {-1, 1}, {0, -2}}
	tests := []struct {
		name    string
		stored  [][]float32
		beta    float64
		state   []float32
		next    []float64
		weights []float64
		energy  float64
	}{
		// scores (1, 0): weights (e, 1)/(e+1); E = −log(1+e) + ½ + log 2 + ½ (M = 1).
		{"two orthonormal", [][]float32{e1, e2}, 1, []float32{1, 0},
			[]float64{0.7310585786300049, 0.2689414213699951},
			[]float64{0.7310585786300049, 0.2689414213699951}, 0.3798854930417226},
		// all scores 0: uniform weights, the update is the mean (0, 0); E = ½M² = 2 (M = ‖(0,−2)‖).
		{"three at zero", three, 2, []float32{0, 0},
			[]float64{0, 0}, []float64{1.0 / 3, 1.0 / 3, 1.0 / 3}, 2},
		// scores (1, −1, 0), β = 2: weights ∝ (e², e⁻², 1); E = −½ log(e²+e⁻²+1) + ½ + ½ log 3 + 2.
		{"three from (1,0)", three, 2, []float32{1, 0},
			[]float64{0.8509370922208681, 0.648068716521405},
			[]float64{0.8668133321973349, 0.01587623997646677, 0.11731042782619837}, 1.977840330084105},
	}
	for _, tc := range tests {
		for _, path := range contPaths(t) {
			t.Run(tc.name+"/"+path.name, func(t *testing.T) {
				net, err := NewContinuous(contPatterns(t, tc.stored), tc.beta, path.cfg)
				if err != nil {
					t.Fatal(err)
				}
				state := contPatterns(t, [][]float32{tc.state})
				next, err := net.Step(state, RecallOptions{})
				if err != nil {
					t.Fatal(err)
				}
				for j, want := range tc.next {
					if got := float64(next.At(0, j)); math.Abs(got-want) > 1e-6 {
						t.Errorf("next[%d] = %v, want %v", j, got, want)
					}
				}
				w, err := net.Weights(state)
				if err != nil {
					t.Fatal(err)
				}
				for mu, want := range tc.weights {
					if got := float64(w.At(0, mu)); math.Abs(got-want) > 1e-6 {
						t.Errorf("weight[%d] = %v, want %v", mu, got, want)
					}
				}
				energy, err := net.Energy(state)
				if err != nil {
					t.Fatal(err)
				}
				if math.Abs(energy[0]-tc.energy) > 1e-9 {
					t.Errorf("energy = %.16g, want %.16g", energy[0], tc.energy)
				}
			})
		}
	}
}

// contHalfMasked returns the first b stored patterns with units [d/2, d) set to 0 (W1's probes).
func contHalfMasked(t testing.TB, x *Patterns, b int) *Patterns {
	t.Helper()
	q, err := x.First(b)
	if err != nil {
		t.Fatal(err)
	}
	for i := range b {
		clear(q.Row(i)[x.Dim()/2:])
	}
	return q
}

// TestContinuousAgreesWithFloat64Reference compares Step, Energy, Weights and Attention with a
// direct float64 evaluation of the formulas, on every computation path, at several sizes and β.
// CI runs it with and without GOEXPERIMENT=simd.
func TestContinuousAgreesWithFloat64Reference(t *testing.T) {
	sizes := []struct{ k, d, b int }{
		{3, 2, 2},
		{50, 30, 7},      // d not a multiple of 8, K of 4, B of 3
		{300, 784, 10},   // MNIST-sized patterns
		{1001, 100, 20},  // more patterns than the sparse limit at small β
		{2000, 784, 100}, // several query tiles
	}
	for _, sz := range sizes {
		x := contRandom(t, sz.k, sz.d, 0, 1, uint64(sz.k))
		probes := contHalfMasked(t, x, min(sz.b, sz.k))
		if sz.b > sz.k { // extra random probes
			probes = contRandom(t, sz.b, sz.d, -1, 1, 3)
		}
		for _, beta := range []float64{0.01, 1, 8, 100} {
			// The float64 reference of every probe, once for all the paths.
			refNext, refW, refE := make([][]float64, probes.Len()), make([][]float64, probes.Len()), make([]float64, probes.Len())
			for b := range probes.Len() {
				refNext[b], refW[b], refE[b] = contReference(x, x, beta, probes.Row(b))
			}
			for _, path := range contPaths(t) {
				if sz.k == 2000 && (path.cfg.Dense || (path.cfg.forceISA && path.cfg.isa != engine.Best())) {
					continue // the dense paths and the other kernels at this size add time, not coverage
				}
				name := fmt.Sprintf("K=%d/d=%d/B=%d/beta=%g/%s", sz.k, sz.d, probes.Len(), beta, path.name)
				t.Run(name, func(t *testing.T) {
					net, err := NewContinuous(x, beta, path.cfg)
					if err != nil {
						t.Fatal(err)
					}
					next, err := net.Step(probes, RecallOptions{})
					if err != nil {
						t.Fatal(err)
					}
					energy, err := net.Energy(probes)
					if err != nil {
						t.Fatal(err)
					}
					weights, err := net.Weights(probes)
					if err != nil {
						t.Fatal(err)
					}
					// The pruned paths finish in float64: float32 rounding of the output only. The
					// dense paths weigh with float32 scores, whose rounding (~1e-7·‖x‖‖ξ‖) β amplifies.
					tol := 1e-5
					if path.cfg.Dense {
						var maxProbe float64
						for b := range probes.Len() {
							var sq float64
							for _, a := range probes.Row(b) {
								sq += float64(a) * float64(a)
							}
							maxProbe = max(maxProbe, math.Sqrt(sq))
						}
						tol += 1e-7 * beta * net.MaxNorm() * maxProbe
					}
					var errNext, errW, errE float64
					for b := range probes.Len() {
						for j, a := range refNext[b] {
							errNext = max(errNext, math.Abs(float64(next.At(b, j))-a))
						}
						for mu, a := range refW[b] {
							errW = max(errW, math.Abs(float64(weights.At(b, mu))-a))
						}
						errE = max(errE, math.Abs(energy[b]-refE[b])/max(1, math.Abs(refE[b])))
					}
					if errNext > tol || errW > tol || errE > 1e-6 {
						t.Errorf("max |Δ| vs float64: next %.3g, weights %.3g (want ≤ %.3g); energy (relative) %.3g (want ≤ 1e-6)",
							errNext, errW, tol, errE)
					}
				})
			}
		}
	}
}

func TestContinuousLargeBetaRetrievesNearestInOneStep(t *testing.T) {
	// Random patterns in [-1, 1)^64 are far apart; a probe with 25% of its units zeroed is still
	// nearest (largest overlap) to its own pattern, and at β = 1e4 one step lands on it exactly.
	x := contRandom(t, 100, 64, -1, 1, 11)
	probes, err := x.First(100)
	if err != nil {
		t.Fatal(err)
	}
	for b := range probes.Len() {
		clear(probes.Row(b)[:16])
	}
	for _, path := range contPaths(t) {
		t.Run(path.name, func(t *testing.T) {
			net, err := NewContinuous(x, MaxBeta, path.cfg)
			if err != nil {
				t.Fatal(err)
			}
			next, err := net.Step(probes, RecallOptions{})
			if err != nil {
				t.Fatal(err)
			}
			for b := range probes.Len() {
				for j, a := range x.Row(b) {
					if d := math.Abs(float64(next.At(b, j) - a)); d > 1e-6 {
						t.Fatalf("probe %d unit %d: got %v, want stored %v", b, j, next.At(b, j), a)
					}
				}
			}
		})
	}
}

func TestContinuousSmallBetaGoesToTheMean(t *testing.T) {
	// As β → 0 the weights become uniform: from any state, one step gives the mean of the stored
	// patterns up to O(β·‖x‖²); Recall stays there (the global fixed point, Ramsauer et al. Lemma A7).
	x := contRandom(t, 40, 20, 0, 1, 5)
	mean := make([]float64, x.Dim())
	for mu := range x.Len() {
		for j, a := range x.Row(mu) {
			mean[j] += float64(a) / float64(x.Len())
		}
	}
	probes := contRandom(t, 6, 20, -3, 3, 9)
	for _, path := range contPaths(t) {
		t.Run(path.name, func(t *testing.T) {
			net, err := NewContinuous(x, 1e-6, path.cfg)
			if err != nil {
				t.Fatal(err)
			}
			res, err := net.Recall(probes, RecallOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if !res.AllConverged() {
				t.Fatalf("not all converged: %v", res.Converged)
			}
			for b := range probes.Len() {
				for j, a := range mean {
					if d := math.Abs(float64(res.States.At(b, j)) - a); d > 1e-4 {
						t.Fatalf("probe %d unit %d: got %v, want the mean %v", b, j, res.States.At(b, j), a)
					}
				}
				if res.Steps[b] > 2 {
					t.Errorf("probe %d took %d steps, want ≤ 2", b, res.Steps[b])
				}
			}
		})
	}
}

func TestContinuousEnergyNeverIncreases(t *testing.T) {
	// The update is a concave-convex procedure (Ramsauer et al. 2020, Theorem 1): E(ξ_{t+1}) ≤ E(ξ_t).
	// Checked along whole recalls, at β where states mix several patterns (slow convergence) and
	// where they snap to one; tolerance: float32 rounding of the states.
	for _, beta := range []float64{0.05, 0.3, 1, 8} {
		for seed := range uint64(3) {
			x := contRandom(t, 30, 16, -1, 1, 100+seed)
			probes := contRandom(t, 8, 16, -1, 1, 200+seed)
			net, err := NewContinuous(x, beta, ContinuousConfig{Backend: contBackend(t)})
			if err != nil {
				t.Fatal(err)
			}
			res, err := net.Recall(probes, RecallOptions{RecordEnergy: true, MaxSteps: 200})
			if err != nil {
				t.Fatal(err)
			}
			for b, es := range res.Energies {
				if len(es) < 2 {
					t.Fatalf("β=%g probe %d: %d energies, want ≥ 2", beta, b, len(es))
				}
				for s := 1; s < len(es); s++ {
					if es[s] > es[s-1]+1e-6*(1+math.Abs(es[s-1])) {
						t.Errorf("β=%g seed %d probe %d: energy rose at step %d: %.12g → %.12g", beta, seed, b, s, es[s-1], es[s])
					}
					if es[s] < -1e-9 {
						t.Errorf("β=%g probe %d: energy %.12g < 0 (the constants make E ≥ 0)", beta, b, es[s])
					}
				}
			}
		}
	}
}

func TestContinuousRecallResult(t *testing.T) {
	x := contRandom(t, 20, 32, 0, 1, 4)
	probes := contHalfMasked(t, x, 5)
	net, err := NewContinuous(x, 8, ContinuousConfig{Backend: contBackend(t)})
	if err != nil {
		t.Fatal(err)
	}
	res, err := net.Recall(probes, RecallOptions{RecordEnergy: true, RecordTrajectory: true})
	if err != nil {
		t.Fatal(err)
	}
	if !res.AllConverged() {
		t.Fatalf("converged = %v, want all", res.Converged)
	}
	steps := 0
	for b := range 5 {
		steps = max(steps, res.Steps[b])
		if res.Steps[b] < 1 {
			t.Errorf("probe %d: %d steps, want ≥ 1 (a masked probe moves)", b, res.Steps[b])
		}
	}
	// Trajectory: the probes, then one entry per update round (the last one confirms).
	if len(res.Trajectory) != steps+2 {
		t.Errorf("%d trajectory entries, want %d (probes + %d steps + the confirming one)", len(res.Trajectory), steps+2, steps)
	}
	for b, es := range res.Energies {
		if len(es) != len(res.Trajectory) {
			t.Errorf("probe %d: %d energies, want %d (one per trajectory entry)", b, len(es), len(res.Trajectory))
		}
	}
	for b := range 5 {
		for j := range 32 {
			if res.Trajectory[0].At(b, j) != probes.At(b, j) {
				t.Fatal("Trajectory[0] is not the probes")
			}
		}
	}
	// MaxSteps bounds the work: one step from a masked probe does not confirm convergence.
	res, err = net.Recall(probes, RecallOptions{MaxSteps: 1})
	if err != nil {
		t.Fatal(err)
	}
	for b := range 5 {
		if res.Converged[b] || res.Steps[b] != 1 {
			t.Errorf("MaxSteps 1, probe %d: converged %v after %d steps, want false after 1", b, res.Converged[b], res.Steps[b])
		}
	}
}

func TestContinuousExtremeValuesStayFinite(t *testing.T) {
	// Scores of magnitude 784·(1e18)² overflow float32 (and exp(β·score) float64); tiny values
	// underflow. Power-of-two scaling and the max-shifted softmax keep everything finite.
	for _, scale := range []float64{1e30, 1e18, 1, 1e-20, 1e-35} {
		for _, beta := range []float64{1e-3, 1, MaxBeta} {
			t.Run(fmt.Sprintf("scale=%g/beta=%g", scale, beta), func(t *testing.T) {
				x := contRandom(t, 50, 784, -1, 1, 8)
				for i := range x.data {
					x.data[i] = float32(float64(x.data[i]) * scale)
				}
				probes := contHalfMasked(t, x, 6)
				for _, path := range contPaths(t) {
					net, err := NewContinuous(x, beta, path.cfg)
					if err != nil {
						t.Fatal(err)
					}
					res, err := net.Recall(probes, RecallOptions{RecordEnergy: true, MaxSteps: 5})
					if err != nil {
						t.Fatal(err)
					}
					if err := res.States.CheckFinite(); err != nil {
						t.Fatalf("%s: states: %v", path.name, err)
					}
					for b, es := range res.Energies {
						for _, e := range es {
							if math.IsNaN(e) || math.IsInf(e, 0) {
								t.Fatalf("%s: probe %d: energy %v", path.name, b, e)
							}
						}
					}
					w, err := net.Weights(probes)
					if err != nil {
						t.Fatal(err)
					}
					if err := w.CheckFinite(); err != nil {
						t.Fatalf("%s: weights: %v", path.name, err)
					}
				}
			})
		}
	}
}

func TestContinuousErrors(t *testing.T) {
	b := contBackend(t)
	x := contPatterns(t, [][]float32{{1, 0}, {0, 1}})
	nan := contPatterns(t, [][]float32{{1, 0}})
	nan.Set(0, 1, float32(math.NaN()))
	inf := contPatterns(t, [][]float32{{1, 0}})
	inf.Set(0, 0, float32(math.Inf(1)))
	cfg := ContinuousConfig{Backend: b}
	for _, tc := range []struct {
		name   string
		stored *Patterns
		beta   float64
		want   error
	}{
		{"nil stored", nil, 1, ErrEmpty},
		{"empty stored", &Patterns{}, 1, ErrEmpty},
		{"NaN stored", nan, 1, ErrNotFinite},
		{"Inf stored", inf, 1, ErrNotFinite},
		{"beta zero", x, 0, ErrParameter},
		{"beta negative", x, -1, ErrParameter},
		{"beta NaN", x, math.NaN(), ErrParameter},
		{"beta Inf", x, math.Inf(1), ErrParameter},
		{"beta too large", x, 1.0001e4, ErrParameter},
	} {
		if _, err := NewContinuous(tc.stored, tc.beta, cfg); !errors.Is(err, tc.want) {
			t.Errorf("NewContinuous(%s): err = %v, want %v", tc.name, err, tc.want)
		}
	}
	net, err := NewContinuous(x, 1, cfg)
	if err != nil {
		t.Fatal(err)
	}
	wrongDim := contPatterns(t, [][]float32{{1, 0, 0}})
	ok := contPatterns(t, [][]float32{{1, 0}})
	for _, tc := range []struct {
		name   string
		states *Patterns
		want   error
	}{
		{"nil", nil, ErrEmpty},
		{"empty", &Patterns{}, ErrEmpty},
		{"wrong dim", wrongDim, ErrShape},
		{"NaN", nan, ErrNotFinite},
		{"Inf", inf, ErrNotFinite},
	} {
		if _, err := net.Step(tc.states, RecallOptions{}); !errors.Is(err, tc.want) {
			t.Errorf("Step(%s): err = %v, want %v", tc.name, err, tc.want)
		}
		if _, err := net.Energy(tc.states); !errors.Is(err, tc.want) {
			t.Errorf("Energy(%s): err = %v, want %v", tc.name, err, tc.want)
		}
		if _, err := net.Weights(tc.states); !errors.Is(err, tc.want) {
			t.Errorf("Weights(%s): err = %v, want %v", tc.name, err, tc.want)
		}
		if _, err := net.Recall(tc.states, RecallOptions{}); !errors.Is(err, tc.want) {
			t.Errorf("Recall(%s): err = %v, want %v", tc.name, err, tc.want)
		}
	}
	for _, opts := range []RecallOptions{{MaxSteps: -1}, {Tol: -1}, {Tol: math.NaN()}, {Tol: math.Inf(1)}} {
		if _, err := net.Recall(ok, opts); !errors.Is(err, ErrParameter) {
			t.Errorf("Recall(%+v): err = %v, want ErrParameter", opts, err)
		}
	}
}

func TestContinuousAccessors(t *testing.T) {
	x := contPatterns(t, [][]float32{{3, 4}, {0, 1}, {1, 1}})
	net, err := NewContinuous(x, 2.5, ContinuousConfig{Backend: contBackend(t)})
	if err != nil {
		t.Fatal(err)
	}
	var _ Memory = net
	if net.Dim() != 2 || net.Len() != 3 || net.Beta() != 2.5 || net.MaxNorm() != 5 { // ‖(3,4)‖ = 5
		t.Errorf("Dim, Len, Beta, MaxNorm = %d, %d, %g, %g; want 2, 3, 2.5, 5", net.Dim(), net.Len(), net.Beta(), net.MaxNorm())
	}
	s := net.Stored()
	s.Set(0, 0, 99)
	x.Set(0, 1, 99)
	if got := net.Stored().Row(0); got[0] != 3 || got[1] != 4 {
		t.Errorf("Stored()[0] = %v after changing a copy and the caller's set, want [3 4]", got)
	}
}

func TestContinuousConcurrentUse(t *testing.T) {
	// A Continuous is shared by goroutines (e.g. a sweep over probes): results equal the serial ones.
	x := contRandom(t, 300, 64, 0, 1, 41)
	for _, path := range contPaths(t) {
		t.Run(path.name, func(t *testing.T) {
			net, err := NewContinuous(x, 0.5, path.cfg) // small β: the dense product runs too
			if err != nil {
				t.Fatal(err)
			}
			probes := contHalfMasked(t, x, 20)
			want, err := net.Step(probes, RecallOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var wg sync.WaitGroup
			errs := make([]error, 4)
			for g := range errs {
				wg.Go(func() {
					got, err := net.Step(probes, RecallOptions{})
					if err == nil && !slices.Equal(got.Flat(), want.Flat()) {
						err = fmt.Errorf("goroutine %d: result differs from the serial one", g)
					}
					errs[g] = err
				})
			}
			wg.Wait()
			if err := errors.Join(errs...); err != nil {
				t.Error(err)
			}
		})
	}
}

// TestContinuousScoresAgreeWithFloat64Reference: the scores on every path, through the weights at
// β = 1, on shapes that are not multiples of the kernels' tiles (12 patterns, 32 queries) and on
// spans of units (half the states have their second half zero, as for masked probes).
func TestContinuousScoresAgreeWithFloat64Reference(t *testing.T) {
	for _, sz := range []struct{ k, d, b int }{{1, 1, 1}, {5, 9, 4}, {33, 17, 50}, {130, 784, 97}} {
		x := contRandom(t, sz.k, sz.d, -1, 1, 5)
		q := contRandom(t, sz.b, sz.d, -1, 1, 6)
		for b := range sz.b {
			if b%2 == 0 {
				clear(q.Row(b)[sz.d/2:])
			}
		}
		for _, path := range contPaths(t) {
			t.Run(fmt.Sprintf("K=%d/d=%d/B=%d/%s", sz.k, sz.d, sz.b, path.name), func(t *testing.T) {
				net, err := NewContinuous(x, 1, path.cfg)
				if err != nil {
					t.Fatal(err)
				}
				w, err := net.Weights(q)
				if err != nil {
					t.Fatal(err)
				}
				for b := range sz.b {
					_, ref, _ := contReference(x, x, 1, q.Row(b))
					for mu := range sz.k {
						got := float64(w.At(b, mu))
						if math.Abs(got-ref[mu]) > 1e-6*max(1, ref[mu]) {
							t.Fatalf("state %d pattern %d: weight %v, float64 %v", b, mu, got, ref[mu])
						}
					}
				}
			})
		}
	}
}
