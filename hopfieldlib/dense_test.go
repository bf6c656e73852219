package hopfieldlib

import (
	"errors"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// denseSpins returns k random ±1 patterns of n units from r.
func denseSpins(t testing.TB, k, n int, r *rand.Rand) *Patterns {
	t.Helper()
	data := make([]float32, k*n)
	for i := range data {
		data[i] = float32(2*r.IntN(2) - 1)
	}
	p, err := FromFlat(k, n, data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// denseNoisy returns a copy of p with exactly round(frac·N) distinct units of every row flipped.
func denseNoisy(p *Patterns, frac float64, r *rand.Rand) *Patterns {
	out := p.Clone()
	n := p.Dim()
	flips := int(math.Round(frac * float64(n)))
	for b := range p.Len() {
		row := out.Row(b)
		for _, i := range r.Perm(n)[:flips] {
			row[i] = -row[i]
		}
	}
	return out
}

func mustDense(t testing.TB, stored *Patterns, f Separation) *Dense {
	t.Helper()
	d, err := NewDense(stored, f, DenseConfig{})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// testProbe builds the dynamics state of one probe (on a copy of s).
func testProbe(d *Dense, s []float32) *engine.DenseProbe { return d.eng.NewProbe(slices.Clone(s)) }

// withEngine returns d with its engine rebuilt with opt (the kernels, the sparse decisions and
// the polynomial gains the tests compare).
func withEngine(d *Dense, opt engine.DenseOptions) *Dense {
	dd := *d
	dd.eng = engine.NewDense(d.stored.data, d.k, d.n, d.f.engine(), opt)
	return &dd
}

// naiveOverlaps returns ξ^μ·σ for every stored pattern, in integers.
func naiveOverlaps(d *Dense, s []float32) []int64 {
	m := make([]int64, d.k)
	for mu := range d.k {
		for i, v := range d.stored.Row(mu) {
			m[mu] += int64(v * s[i])
		}
	}
	return m
}

// naiveSumPoly returns S = Σ_μ F(m_μ) exactly, for a polynomial F.
func naiveSumPoly(d *Dense, s []float32) *big.Int {
	sum := new(big.Int)
	for _, m := range naiveOverlaps(d, s) {
		if d.f.kind == sepRectified && m < 0 {
			m = 0
		}
		sum.Add(sum, new(big.Int).Exp(big.NewInt(m), big.NewInt(int64(d.f.degree)), nil))
	}
	return sum
}

// naiveSumExp returns S = Σ_μ exp(β m_μ) evaluated directly in float64 (small N only).
func naiveSumExp(d *Dense, s []float32) float64 {
	var sum float64
	for _, m := range naiveOverlaps(d, s) {
		sum += math.Exp(d.f.beta * float64(m))
	}
	return sum
}

// naiveFlipSign is the naive rule: evaluate S with σ_i = +1 and with σ_i = −1 from scratch and
// return the sign of S(flipped) − S(current), or 0 for a tie (exact for polynomials; for the
// exponential differences below 1e-9 relative count as "too close to call", reported as 2).
func naiveFlipSign(d *Dense, s []float32, i int) int {
	flipped := slices.Clone(s)
	flipped[i] = -flipped[i]
	if !d.f.IsExponential() {
		return new(big.Int).Sub(naiveSumPoly(d, flipped), naiveSumPoly(d, s)).Sign()
	}
	a, b := naiveSumExp(d, flipped), naiveSumExp(d, s)
	switch diff := a - b; {
	case math.Abs(diff) <= 1e-9*math.Max(a, b):
		return 2
	case diff > 0:
		return 1
	}
	return -1
}

// denseTestSeparations covers every kind, odd and even degrees, high degree and several β.
var denseTestSeparations = []Separation{
	Polynomial(1), Polynomial(2), Polynomial(3), Polynomial(4), Polynomial(7), Polynomial(21), Polynomial(30),
	RectifiedPolynomial(1), RectifiedPolynomial(2), RectifiedPolynomial(3), RectifiedPolynomial(10), RectifiedPolynomial(30),
	Exponential(0.05), Exponential(0.5), Exponential(1), Exponential(3), Exponential(20),
}

func TestDenseEnergyHand(t *testing.T) {
	// ξ¹ = (+,+,+,+), ξ² = (+,−,+,−). For σ = (+,+,+,−): m = (2, 2); for −σ: m = (−2, −2);
	// for σ = (+,+,+,+): m = (4, 0). E = −Σ_μ F(m_μ), by hand.
	stored, _ := NewPatterns([][]float32{{1, 1, 1, 1}, {1, -1, 1, -1}})
	s1 := []float32{1, 1, 1, -1}
	s2 := []float32{-1, -1, -1, 1}
	s3 := []float32{1, 1, 1, 1}
	tests := []struct {
		f    Separation
		want [3]float64
	}{
		{Polynomial(1), [3]float64{-4, 4, -4}},
		{Polynomial(2), [3]float64{-8, -8, -16}},          // the classical energy up to scale
		{Polynomial(3), [3]float64{-16, 16, -64}},         // 2³ + 2³; (−2)³ + (−2)³; 4³ + 0³
		{RectifiedPolynomial(3), [3]float64{-16, 0, -64}}, // negative overlaps count 0
		{Polynomial(4), [3]float64{-32, -32, -256}},
		{Exponential(1), [3]float64{-2 * math.Exp(2), -2 * math.Exp(-2), -(math.Exp(4) + 1)}},
		{Exponential(0.5), [3]float64{-2 * math.E, -2 / math.E, -(math.Exp(2) + 1)}},
	}
	states, _ := NewPatterns([][]float32{s1, s2, s3})
	for _, tt := range tests {
		d := mustDense(t, stored, tt.f)
		got, err := d.Energy(states)
		if err != nil {
			t.Fatal(err)
		}
		for j, w := range tt.want {
			if math.Abs(got[j]-w) > 1e-12*math.Max(1, math.Abs(w)) {
				t.Errorf("%s: Energy(state %d) = %v, want %v", tt.f, j, got[j], w)
			}
		}
		if tt.f.nonNegative() {
			logs, err := d.LogEnergy(states)
			if err != nil {
				t.Fatal(err)
			}
			for j, w := range tt.want {
				want := -math.MaxFloat64 // log 0
				if w != 0 {
					want = math.Log(-w)
				}
				if math.Abs(logs[j]-want) > 1e-12*math.Max(1, math.Abs(want)) {
					t.Errorf("%s: LogEnergy(state %d) = %v, want %v", tt.f, j, logs[j], want)
				}
			}
		}
	}
}

func TestDenseDecisionsHand(t *testing.T) {
	// N = 5, ξ¹ = (+,+,+,+,+), ξ² = (−,−,+,+,+), σ = (+,−,−,+,+): m = (1, 1).
	// Flipping unit 0 (σ₀ = +1, ξ¹₀ agrees, ξ²₀ disagrees) gives m = (−1, 3);
	// unit 1 (σ₁ = −1: ξ¹ disagrees, ξ² agrees) gives m = (3, −1);
	// unit 2 (both disagree) gives m = (3, 3); unit 3 (both agree) gives m = (−1, −1).
	stored, _ := NewPatterns([][]float32{{1, 1, 1, 1, 1}, {-1, -1, 1, 1, 1}})
	s := []float32{1, -1, -1, 1, 1}
	tests := []struct {
		f    Separation
		want [5]bool // flip unit i?
	}{
		// x: S = 2 → 2 (units 0, 1: tie, keep), 6 (unit 2), −2 (unit 3).
		{Polynomial(1), [5]bool{false, false, true, false, false}},
		// x²: S = 2 → 10 (units 0, 1), 18, 2 (unit 3: tie, keep).
		{Polynomial(2), [5]bool{true, true, true, false, false}},
		// x³: S = 2 → 26, 54, −2.
		{Polynomial(3), [5]bool{true, true, true, false, false}},
		// relu: S = 2 → 3, 6, 0.
		{RectifiedPolynomial(1), [5]bool{true, true, true, false, false}},
		// exp: S = 2e → e⁻¹ + e³ > 2e, 2e³, 2e⁻¹.
		{Exponential(1), [5]bool{true, true, true, false, false}},
	}
	for _, tt := range tests {
		d := mustDense(t, stored, tt.f)
		p := testProbe(d, s)
		for i, want := range tt.want {
			if got := p.Lowers(i); got != want {
				t.Errorf("%s: decide(unit %d) = %v, want %v", tt.f, i, got, want)
			}
		}
	}
}

func TestDenseDecisionsMatchNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for _, f := range denseTestSeparations {
		for _, size := range []struct{ n, k int }{{4, 2}, {8, 5}, {11, 17}, {12, 40}} {
			stored := denseSpins(t, size.k, size.n, r)
			d := mustDense(t, stored, f)
			// Both kernels, and for low-degree polynomials both ways to get the gains (float32
			// evaluation and the float64 tables).
			for _, v := range []struct{ portable, tables bool }{{false, false}, {true, false}, {false, true}} {
				isa := engine.Best()
				if v.portable {
					isa = engine.Portable
				}
				d := withEngine(d, engine.DenseOptions{ISA: isa, NoFastPoly: v.tables})
				portable := v
				for range 20 {
					s := denseSpins(t, 1, size.n, r).Row(0)
					p := testProbe(d, s)
					for i := range size.n {
						want := naiveFlipSign(d, s, i)
						got := p.Lowers(i)
						if (want == 1 && !got) || (want <= 0 && got) {
							t.Fatalf("%s N=%d K=%d %+v: state %v unit %d: decide = %v, naive sign %d",
								f, size.n, size.k, portable, s, i, got, want)
						}
					}
				}
			}
		}
	}
}

// TestDenseSweepMatchesNaive runs whole sweeps incrementally and with the naive rule from the
// same order: the states must agree unit by unit (the incremental overlaps and gains stay exact).
func TestDenseSweepMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, f := range denseTestSeparations {
		stored := denseSpins(t, 9, 12, r)
		d := mustDense(t, stored, f)
		unsure := 0
		for trial := range 10 {
			s := denseNoisy(stored, 0.4, r).Row(trial % 9)
			p := testProbe(d, s)
			naive := slices.Clone(s)
			for sweep := range 3 {
				order := r.Perm(12)
				for _, i := range order {
					sign := naiveFlipSign(d, naive, i)
					flipped := p.Lowers(i)
					if flipped {
						p.Flip(i)
					}
					switch {
					case sign == 2: // too close for the float64 reference: follow the fast rule
						unsure++
						if flipped {
							naive[i] = -naive[i]
						}
					case sign == 1:
						naive[i] = -naive[i]
					}
					if p.State()[i] != naive[i] {
						t.Fatalf("%s trial %d sweep %d unit %d: incremental %v, naive %v", f, trial, sweep, i, p.State(), naive)
					}
				}
				want := naiveOverlaps(d, p.State())
				for mu, w := range want {
					if int64(p.Overlaps()[mu]) != w {
						t.Fatalf("%s: overlap %d drifted: %v, want %d", f, mu, p.Overlaps()[mu], w)
					}
				}
			}
		}
		if unsure > 36 { // of 360 decisions
			t.Errorf("%s: the float64 reference could not call %d decisions", f, unsure)
		}
	}
}

func TestDenseEnergyMatchesNaive(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for _, f := range denseTestSeparations {
		stored := denseSpins(t, 15, 10, r)
		d := mustDense(t, stored, f)
		states := denseSpins(t, 30, 10, r)
		got, err := d.Energy(states)
		if err != nil {
			t.Fatal(err)
		}
		for b := range states.Len() {
			var want float64
			if f.IsExponential() {
				want = -naiveSumExp(d, states.Row(b))
			} else {
				v, _ := new(big.Float).SetInt(naiveSumPoly(d, states.Row(b))).Float64()
				want = -v
			}
			if math.Abs(got[b]-want) > 1e-12*math.Abs(want) {
				t.Errorf("%s: Energy(state %d) = %v, want %v", f, b, got[b], want)
			}
		}
	}
}

// TestDenseLargeNoOverflow: at N = 784, K = 1000, F = exp and x³⁰ overflow float64 (exp) or
// float32 (x³⁰) when evaluated directly; energies stay finite, ordered, and recall is exact.
func TestDenseLargeNoOverflow(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	stored := denseSpins(t, 1000, 784, r)
	idx := []int{0, 1, 2, 3, 4, 5, 6, 7}
	clean, _ := stored.Subset(idx...)
	probes := denseNoisy(clean, 0.25, r)
	for _, f := range []Separation{Exponential(1), Polynomial(30), RectifiedPolynomial(30), Exponential(1e4)} {
		d := mustDense(t, stored, f)
		eClean, err := d.Energy(clean)
		if err != nil {
			t.Fatal(err)
		}
		eNoisy, _ := d.Energy(probes)
		for b := range eClean {
			if math.IsNaN(eClean[b]) || math.IsInf(eClean[b], 0) || math.IsNaN(eNoisy[b]) || math.IsInf(eNoisy[b], 0) {
				t.Fatalf("%s: energy not finite: %v, %v", f, eClean[b], eNoisy[b])
			}
			if !(eClean[b] < eNoisy[b]) {
				t.Errorf("%s: stored pattern energy %v not below its noisy version's %v", f, eClean[b], eNoisy[b])
			}
		}
		logs, err := d.LogEnergy(clean)
		if err != nil {
			t.Fatal(err)
		}
		// ln Σ F(m) ≈ ln F(784) for a stored pattern (the others are negligible or near).
		want, _ := f.LogF(784)
		if math.Abs(logs[0]-want) > 0.05*want {
			t.Errorf("%s: LogEnergy = %v, want ≈ %v", f, logs[0], want)
		}
		res, err := d.Recall(probes, RecallOptions{Rand: rand.New(rand.NewPCG(1, 2)), RecordEnergy: true})
		if err != nil {
			t.Fatal(err)
		}
		for b := range probes.Len() {
			if !slices.Equal(res.States.Row(b), clean.Row(b)) {
				t.Errorf("%s: probe %d not recalled", f, b)
			}
			for _, e := range res.Energies[b] {
				if math.IsNaN(e) || math.IsInf(e, 0) {
					t.Fatalf("%s: recorded energy %v", f, e)
				}
			}
		}
	}
}

func TestDenseEnergyNeverIncreasesAsync(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 12))
	for _, f := range denseTestSeparations {
		for _, size := range []struct{ n, k int }{{30, 10}, {64, 150}} {
			stored := denseSpins(t, size.k, size.n, r)
			d := mustDense(t, stored, f)
			probes := denseSpins(t, 20, size.n, r)
			res, err := d.Recall(probes, RecallOptions{Rand: rand.New(rand.NewPCG(uint64(size.n), 1)),
				RecordEnergy: true, RecordTrajectory: true, TrajectoryStride: 1})
			if err != nil {
				t.Fatal(err)
			}
			if !res.AllConverged() {
				t.Errorf("%s N=%d: not all probes converged (steps %v)", f, size.n, res.Steps)
			}
			for b, row := range res.Energies {
				for step := 1; step < len(row); step++ {
					if row[step] > row[step-1] {
						t.Fatalf("%s N=%d probe %d: energy rose from %v to %v at step %d", f, size.n, b, row[step-1], row[step], step)
					}
				}
			}
			// Unit by unit too: every frame of the stride-1 trajectory.
			var prev []float64
			for frame, states := range res.Trajectory {
				e, err := d.Energy(states)
				if err != nil {
					t.Fatal(err)
				}
				for b := range e {
					if prev != nil && e[b] > prev[b] {
						t.Fatalf("%s N=%d probe %d: energy rose from %v to %v at frame %d", f, size.n, b, prev[b], e[b], frame)
					}
				}
				prev = e
			}
			if last := res.Trajectory[len(res.Trajectory)-1]; !slices.Equal(last.Flat(), res.States.Flat()) {
				t.Errorf("%s: last trajectory frame is not the final state", f)
			}
		}
	}
}

func TestDenseStoredAreFixedPoints(t *testing.T) {
	r := rand.New(rand.NewPCG(13, 14))
	// K = 2N stored patterns: far beyond the classical 0.138·N; x², the classical energy, is
	// left out on purpose.
	stored := denseSpins(t, 200, 100, r)
	for _, f := range []Separation{Exponential(1), Polynomial(6), RectifiedPolynomial(6), Polynomial(30)} {
		d := mustDense(t, stored, f)
		for _, dyn := range []Dynamics{Async, Sync} {
			next, err := d.Step(stored, RecallOptions{Dynamics: dyn, Rand: rand.New(rand.NewPCG(1, 1))})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(next.Flat(), stored.Flat()) {
				t.Errorf("%s %v: a stored pattern moved", f, dyn)
			}
		}
	}
}

// TestDenseCapacity: N = 100 with K = 200 random patterns (the classical network stores ≈ 14)
// is recalled exactly from 15% flipped bits.
func TestDenseCapacity(t *testing.T) {
	r := rand.New(rand.NewPCG(15, 16))
	stored := denseSpins(t, 200, 100, r)
	idx := make([]int, 50)
	for i := range idx {
		idx[i] = 4 * i
	}
	clean, _ := stored.Subset(idx...)
	probes := denseNoisy(clean, 0.15, r)
	for _, f := range []Separation{Exponential(1), Polynomial(6), RectifiedPolynomial(8)} {
		d := mustDense(t, stored, f)
		for _, dyn := range []Dynamics{Async, Sync} {
			res, err := d.Recall(probes, RecallOptions{Dynamics: dyn, Rand: rand.New(rand.NewPCG(2, 3))})
			if err != nil {
				t.Fatal(err)
			}
			exact := 0
			for b := range probes.Len() {
				if slices.Equal(res.States.Row(b), clean.Row(b)) {
					exact++
				}
			}
			if exact < probes.Len() {
				t.Errorf("%s %v: %d of %d probes recalled exactly", f, dyn, exact, probes.Len())
			}
		}
	}
	// The classical energy (x²) fails at this load.
	d := mustDense(t, stored, Polynomial(2))
	res, err := d.Recall(probes, RecallOptions{Rand: rand.New(rand.NewPCG(2, 3))})
	if err != nil {
		t.Fatal(err)
	}
	exact := 0
	for b := range probes.Len() {
		if slices.Equal(res.States.Row(b), clean.Row(b)) {
			exact++
		}
	}
	if exact > probes.Len()/5 {
		t.Errorf("x^2: %d of %d recalled at K = 2N; the classical network should fail", exact, probes.Len())
	}
}

// TestDensePortableMatchesSIMD: the SIMD and portable kernels give identical recalls.
func TestDensePortableMatchesSIMD(t *testing.T) {
	r := rand.New(rand.NewPCG(17, 18))
	stored := denseSpins(t, 300, 128, r)
	probes := denseSpins(t, 16, 128, r)
	for _, f := range []Separation{Exponential(1), Exponential(0.05), RectifiedPolynomial(3), Polynomial(4)} {
		var got [2]*RecallResult
		for j, isa := range []engine.ISA{engine.Best(), engine.Portable} {
			d := withEngine(mustDense(t, stored, f), engine.DenseOptions{ISA: isa})
			res, err := d.Recall(probes, RecallOptions{Rand: rand.New(rand.NewPCG(4, 5)), RecordEnergy: true})
			if err != nil {
				t.Fatal(err)
			}
			got[j] = res
		}
		if !slices.Equal(got[0].States.Flat(), got[1].States.Flat()) || !slices.Equal(got[0].Steps, got[1].Steps) {
			t.Errorf("%s: the %v and portable kernels disagree", f, engine.Best())
		}
	}
}

// TestDenseSparseMatchesDense: restricting the exponential's decisions to the patterns near
// the best one changes nothing.
func TestDenseSparseMatchesDense(t *testing.T) {
	r := rand.New(rand.NewPCG(25, 26))
	stored := denseSpins(t, 400, 256, r)
	probes := denseNoisy(stored, 0.3, r)
	probes, _ = probes.First(40)
	mixed := denseSpins(t, 10, 256, r) // far from every pattern: many weights matter
	for _, f := range []Separation{Exponential(1), Exponential(0.3), Exponential(5)} {
		d := mustDense(t, stored, f)
		for _, ps := range []*Patterns{probes, mixed} {
			var got [2]*RecallResult
			for j, noSparse := range []bool{false, true} {
				d := withEngine(d, engine.DenseOptions{ISA: engine.Best(), NoSparse: noSparse})
				res, err := d.Recall(ps, RecallOptions{Rand: rand.New(rand.NewPCG(4, 5)), RecordEnergy: true})
				if err != nil {
					t.Fatal(err)
				}
				got[j] = res
			}
			if !slices.Equal(got[0].States.Flat(), got[1].States.Flat()) || !slices.Equal(got[0].Steps, got[1].Steps) {
				t.Errorf("%s: sparse and dense decisions disagree", f)
			}
		}
	}
}

func TestDenseSyncTwoCycle(t *testing.T) {
	// N = 2, ξ = (+,+), F = x: from σ = (−,−) each unit alone would flip (S: −2 → 0), so the
	// synchronous step flips both: (+,+), a fixed point. From (+,−) with ξ¹ = (+,+), ξ² = (−,−)
	// and F = relu: m = (0, 0), S = 0; flipping unit 0 gives m = (−2, 2): S = 2, and unit 1 gives
	// m = (2, −2): S = 2, so both flip: (−,+), and by symmetry back again: a two-cycle.
	stored, _ := NewPatterns([][]float32{{1, 1}, {-1, -1}})
	d := mustDense(t, stored, RectifiedPolynomial(1))
	probes, _ := NewPatterns([][]float32{{1, -1}})
	res, err := d.Recall(probes, RecallOptions{Dynamics: Sync, RecordTrajectory: true, RecordEnergy: true})
	if err != nil {
		t.Fatal(err)
	}
	if res.Converged[0] || res.Steps[0] != 2 || !slices.Equal(res.States.Row(0), []float32{1, -1}) {
		t.Errorf("two-cycle: converged %v, steps %d, state %v; want false, 2, [1 -1]", res.Converged[0], res.Steps[0], res.States.Row(0))
	}
	if len(res.Trajectory) != 3 || len(res.Energies[0]) != 3 {
		t.Errorf("two-cycle: %d frames, %d energies, want 3 and 3", len(res.Trajectory), len(res.Energies[0]))
	}
	// Asynchronous dynamics end in a fixed point instead.
	res, err = d.Recall(probes, RecallOptions{Rand: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Converged[0] || res.Steps[0] != 1 {
		t.Errorf("async: converged %v, steps %d; want true, 1", res.Converged[0], res.Steps[0])
	}
}

func TestDenseMaxStepsAndConvergence(t *testing.T) {
	r := rand.New(rand.NewPCG(21, 22))
	stored := denseSpins(t, 20, 64, r)
	d := mustDense(t, stored, Exponential(1))
	probes := denseNoisy(stored, 0.3, r)
	res, err := d.Recall(probes, RecallOptions{MaxSteps: 1, Rand: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	step, err := d.Step(probes, RecallOptions{Rand: rand.New(rand.NewPCG(1, 2))})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(step.Flat(), res.States.Flat()) {
		t.Error("Recall with MaxSteps 1 differs from one Step with the same seed")
	}
	for b := range probes.Len() {
		if res.Steps[b] > 1 {
			t.Errorf("probe %d: %d steps with MaxSteps 1", b, res.Steps[b])
		}
		// One sweep from 30% noise reaches the stored pattern at K = 20, N = 64: then it is a
		// fixed point and Converged says so.
		if slices.Equal(res.States.Row(b), stored.Row(b)) && !res.Converged[b] {
			t.Errorf("probe %d: at a stored pattern but not converged", b)
		}
	}
	// Same seed, same result: independent of scheduling.
	again, _ := d.Recall(probes, RecallOptions{MaxSteps: 1, Rand: rand.New(rand.NewPCG(1, 2))})
	if !slices.Equal(again.States.Flat(), res.States.Flat()) {
		t.Error("same seed gave different results")
	}
}

// TestDenseTinyAndConcurrent: one unit, one pattern, and one network used from several
// goroutines at once (the per-probe scratch is shared through a pool).
func TestDenseTinyAndConcurrent(t *testing.T) {
	one, _ := NewPatterns([][]float32{{1}})
	minus, _ := NewPatterns([][]float32{{-1}})
	for _, f := range denseTestSeparations {
		d := mustDense(t, one, f)
		res, err := d.Recall(minus, RecallOptions{Rand: rand.New(rand.NewPCG(1, 2))})
		if err != nil {
			t.Fatal(err)
		}
		// S(−1) = F(−1), S(+1) = F(1): the unit flips iff F(1) > F(−1), i.e. for all but the
		// even polynomials (F(1) = F(−1): a tie keeps it).
		want := float32(1)
		if f.kind == sepPolynomial && f.degree%2 == 0 {
			want = -1
		}
		if got := res.States.At(0, 0); got != want || !res.Converged[0] {
			t.Errorf("%s: N = K = 1 from -1: state %v converged %v, want %v", f, got, res.Converged[0], want)
		}
	}
	r := rand.New(rand.NewPCG(27, 28))
	stored := denseSpins(t, 300, 200, r)
	probes := denseNoisy(stored, 0.2, r)
	for _, f := range []Separation{Exponential(1), RectifiedPolynomial(3), Polynomial(30)} {
		d := mustDense(t, stored, f)
		want, err := d.Recall(probes, RecallOptions{Rand: rand.New(rand.NewPCG(1, 2))})
		if err != nil {
			t.Fatal(err)
		}
		errs := make(chan error, 4)
		for range 4 {
			go func() {
				got, err := d.Recall(probes, RecallOptions{Rand: rand.New(rand.NewPCG(1, 2))})
				if err == nil && !slices.Equal(got.States.Flat(), want.States.Flat()) {
					err = fmt.Errorf("%s: concurrent recall differs", f)
				}
				errs <- err
			}()
		}
		for range 4 {
			if err := <-errs; err != nil {
				t.Error(err)
			}
		}
	}
}

func TestDenseAccessors(t *testing.T) {
	stored, _ := NewPatterns([][]float32{{1, -1, 1}, {-1, -1, 1}})
	d := mustDense(t, stored, RectifiedPolynomial(3))
	if d.Dim() != 3 || d.Separation() != RectifiedPolynomial(3) {
		t.Errorf("Dim %d, Separation %v", d.Dim(), d.Separation())
	}
	got := d.Stored()
	got.Set(0, 0, -1) // a copy: the network is unchanged
	if !slices.Equal(d.Stored().Flat(), stored.Flat()) {
		t.Error("Stored is not a copy")
	}
	var _ Memory = d
}

func TestDenseErrors(t *testing.T) {
	stored, _ := NewPatterns([][]float32{{1, -1, 1, 1}, {-1, -1, 1, 1}})
	notSpin, _ := NewPatterns([][]float32{{1, 0.5, 1, 1}})
	short, _ := NewPatterns([][]float32{{1, 1, 1}})
	good, _ := NewPatterns([][]float32{{1, 1, 1, 1}})
	for _, tt := range []struct {
		name   string
		stored *Patterns
		f      Separation
		want   error
	}{
		{"nil", nil, Exponential(1), ErrEmpty},
		{"empty", &Patterns{}, Exponential(1), ErrEmpty},
		{"not spins", notSpin, Exponential(1), ErrNotSpin},
		{"zero separation", stored, Separation{}, ErrParameter},
		{"degree 0", stored, Polynomial(0), ErrParameter},
		{"degree 41", stored, RectifiedPolynomial(41), ErrParameter},
		{"beta 0", stored, Exponential(0), ErrParameter},
		{"beta NaN", stored, Exponential(math.NaN()), ErrParameter},
		{"beta Inf", stored, Exponential(math.Inf(1)), ErrParameter},
	} {
		if _, err := NewDense(tt.stored, tt.f, DenseConfig{}); !errors.Is(err, tt.want) {
			t.Errorf("NewDense(%s) = %v, want %v", tt.name, err, tt.want)
		}
	}
	// A size that needs more memory than a test has: checked through the helper.
	if err := denseSizeCheck(1 << 24); !errors.Is(err, ErrShape) {
		t.Errorf("N = 2^24: %v, want ErrShape", err)
	}
	if err := denseSizeCheck(1<<24 - 1); err != nil {
		t.Errorf("N = 2^24-1: %v", err)
	}
	if _, err := NewDense(stored, Exponential(1), DenseConfig{Backend: nil}); err != nil {
		t.Fatal(err)
	}

	d := mustDense(t, stored, Polynomial(3))
	r := rand.New(rand.NewPCG(1, 2))
	type call struct {
		name string
		fn   func() error
		want error
	}
	var calls []call
	for _, bad := range []struct {
		name   string
		states *Patterns
		want   error
	}{{"nil", nil, ErrEmpty}, {"short", short, ErrShape}, {"not spins", notSpin, ErrNotSpin}} {
		calls = append(calls,
			call{"Energy " + bad.name, func() error { _, err := d.Energy(bad.states); return err }, bad.want},
			call{"Step " + bad.name, func() error { _, err := d.Step(bad.states, RecallOptions{Rand: r}); return err }, bad.want},
			call{"Recall " + bad.name, func() error { _, err := d.Recall(bad.states, RecallOptions{Rand: r}); return err }, bad.want},
		)
	}
	calls = append(calls,
		call{"LogEnergy odd polynomial", func() error { _, err := d.LogEnergy(good); return err }, ErrParameter},
		call{"LogEnergy nil", func() error { _, err := mustDense(t, stored, Exponential(1)).LogEnergy(nil); return err }, ErrEmpty},
		call{"Recall nil Rand", func() error { _, err := d.Recall(good, RecallOptions{}); return err }, ErrParameter},
		call{"Step nil Rand", func() error { _, err := d.Step(good, RecallOptions{}); return err }, ErrParameter},
		call{"Recall MaxSteps -1", func() error {
			_, err := d.Recall(good, RecallOptions{Rand: r, MaxSteps: -1})
			return err
		}, ErrParameter},
		call{"Recall bad Dynamics", func() error {
			_, err := d.Recall(good, RecallOptions{Dynamics: Dynamics(7)})
			return err
		}, ErrParameter},
		call{"Recall negative stride", func() error {
			_, err := d.Recall(good, RecallOptions{Rand: r, TrajectoryStride: -1})
			return err
		}, ErrParameter},
	)
	for _, c := range calls {
		if err := c.fn(); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
	// LogEnergy of a rectified polynomial with every overlap ≤ 0 is log 0: −MaxFloat64.
	dr := mustDense(t, stored, RectifiedPolynomial(2))
	neg, _ := NewPatterns([][]float32{{-1, 1, -1, -1}})
	if l, err := dr.LogEnergy(neg); err != nil || l[0] != -math.MaxFloat64 {
		t.Errorf("LogEnergy of an all-negative state = %v, %v; want -MaxFloat64", l, err)
	}
}

func TestDenseStringer(t *testing.T) {
	// Each Separation prints the name used by the benchmarks and the notebooks.
	got := fmt.Sprint(Exponential(1), " ", RectifiedPolynomial(3), " ", Polynomial(30))
	if got != "exp relu^3 x^30" {
		t.Errorf("got %q", got)
	}
}

// expBig is e^x to prec bits: e^x = (e^(x/2¹²))^(2¹²), the inner value from its Taylor series.
func expBig(x *big.Float, prec uint) *big.Float {
	y := new(big.Float).SetPrec(prec).Quo(x, new(big.Float).SetPrec(prec).SetInt64(1<<12))
	sum := new(big.Float).SetPrec(prec).SetInt64(1)
	term := new(big.Float).SetPrec(prec).SetInt64(1)
	for n := int64(1); n < 60; n++ {
		term.Mul(term, y)
		term.Quo(term, new(big.Float).SetPrec(prec).SetInt64(n))
		sum.Add(sum, term)
	}
	for range 12 {
		sum.Mul(sum, sum)
	}
	return sum
}

// ulps is the distance between a and b in units of the last place of b.
func ulps(a, b float64) float64 {
	return math.Abs(a-b) / (math.Nextafter(math.Abs(b), math.Inf(1)) - math.Abs(b))
}

// TestDenseEnergyWithinFourUlp: Energy is within 4 ulp of the exact value −Σ_μ F(ξ^μ·σ) on every
// path (exact integers, float64 tables of F(m)/(N+2)ⁿ, big integers for odd polynomials, the
// exponential's max-shifted sum at two β), the reference computed in big integers or 256-bit
// floats.
func TestDenseEnergyWithinFourUlp(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	stored := denseSpins(t, 50, 64, r)
	states := denseSpins(t, 40, 64, r)
	for _, f := range []Separation{Polynomial(3), Polynomial(8), Polynomial(20), Polynomial(21),
		RectifiedPolynomial(7), Exponential(1), Exponential(0.37)} {
		d := mustDense(t, stored, f)
		got, err := d.Energy(states)
		if err != nil {
			t.Fatal(err)
		}
		var worst float64
		for b := range states.Len() {
			var want float64
			if f.IsExponential() {
				sum := new(big.Float).SetPrec(256)
				for _, m := range naiveOverlaps(d, states.Row(b)) {
					x := new(big.Float).SetPrec(256).SetFloat64(f.beta)
					x.Mul(x, new(big.Float).SetPrec(256).SetInt64(m))
					sum.Add(sum, expBig(x, 256))
				}
				want, _ = sum.Neg(sum).Float64()
			} else {
				v, _ := new(big.Float).SetInt(naiveSumPoly(d, states.Row(b))).Float64()
				want = -v
			}
			worst = max(worst, ulps(got[b], want))
		}
		t.Logf("%s: worst %.1f ulp", f, worst)
		if worst > 4 {
			t.Errorf("%s: Energy is %.1f ulp from the exact value, want ≤ 4", f, worst)
		}
	}
}
