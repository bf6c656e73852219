package hopfieldlib

import (
	"errors"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// testSpins returns k random ±1 patterns of n units, each unit +1 with probability p.
func testSpins(r *rand.Rand, k, n int, p float64) *Patterns {
	data := make([]float32, k*n)
	for i := range data {
		data[i] = -1
		if r.Float64() < p {
			data[i] = 1
		}
	}
	return &Patterns{rows: k, cols: n, data: data}
}

// testFlip returns a copy of p with round(frac·N) distinct units of every row flipped.
func testFlip(r *rand.Rand, p *Patterns, frac float64) *Patterns {
	out := p.Clone()
	n := p.Dim()
	flips := int(math.Round(frac * float64(n)))
	for b := range out.Len() {
		row := out.Row(b)
		for _, j := range r.Perm(n)[:flips] {
			row[j] = -row[j]
		}
	}
	return out
}

func mustPatterns(t testing.TB, rows [][]float32) *Patterns {
	t.Helper()
	p, err := NewPatterns(rows)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func mustClassical(t testing.TB, stored *Patterns, cfg ClassicalConfig) *Classical {
	t.Helper()
	c, err := NewClassical(stored, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func seeded(seed uint64) *rand.Rand { return rand.New(rand.NewPCG(seed, 0x5eed)) }

// Hand-calculated networks. A: ξ¹ = (1,1,-1,-1), ξ² = (1,-1,1,-1): 4W = ξ¹ξ¹ᵀ + ξ²ξ²ᵀ has -2 at
// (0,3) and (1,2) and 0 elsewhere off the diagonal, so W_03 = W_12 = -½ and
// E(s) = ½(s0·s3 + s1·s2). B: ξ¹ = (1,1,1,-1,-1), ξ² = (1,-1,1,-1,1): ξ¹_iξ²_i = (1,-1,1,1,-1),
// so 5W_ij = ξ¹_iξ¹_j(1 + a_i a_j) is ±2 inside {0,2,3} and {1,4}: W_02 = .4, W_03 = W_23 =
// W_14 = -.4, and E(s) = -(.4 s0s2 - .4 s0s3 - .4 s2s3 - .4 s1s4). C: A plus ξ³ = (1,-1,-1,1):
// 4W = 3I - 1 off the diagonal, W_ij = -¼, E(s) = ((Σs)² - 4)/8.
var (
	handA      = [][]float32{{1, 1, -1, -1}, {1, -1, 1, -1}}
	handB      = [][]float32{{1, 1, 1, -1, -1}, {1, -1, 1, -1, 1}}
	handC      = [][]float32{{1, 1, -1, -1}, {1, -1, 1, -1}, {1, -1, -1, 1}}
	handWeight = map[string][][]float32{
		"A": {{0, 0, 0, -.5}, {0, 0, -.5, 0}, {0, -.5, 0, 0}, {-.5, 0, 0, 0}},
		"B": {{0, 0, .4, -.4, 0}, {0, 0, 0, 0, -.4}, {.4, 0, 0, -.4, 0}, {-.4, 0, -.4, 0, 0}, {0, -.4, 0, 0, 0}},
		"C": {{0, -.25, -.25, -.25}, {-.25, 0, -.25, -.25}, {-.25, -.25, 0, -.25}, {-.25, -.25, -.25, 0}},
	}
)

func TestClassicalHandWeights(t *testing.T) {
	for name, stored := range map[string][][]float32{"A": handA, "B": handB, "C": handC} {
		c := mustClassical(t, mustPatterns(t, stored), ClassicalConfig{})
		got := c.Weights().Rows()
		for i, row := range handWeight[name] {
			for j, want := range row {
				if got[i][j] != want {
					t.Errorf("%s: W[%d][%d] = %v, want %v", name, i, j, got[i][j], want)
				}
			}
		}
	}
}

func TestClassicalHandEnergyAndSyncStep(t *testing.T) {
	tests := []struct {
		name     string
		stored   [][]float32
		theta    []float32
		state    []float32
		energy   float64   // hand calculation from the formulas above
		syncNext []float32 // sign(Ws - θ), zero field keeps the unit
	}{
		// A: E(ξ¹) = ½(-1 - 1) = -1; h = -½(s3, s2, s1, s0) = (½, ½, -½, -½): ξ¹ is fixed.
		{"A/xi1", handA, nil, []float32{1, 1, -1, -1}, -1, []float32{1, 1, -1, -1}},
		// A: E(1,1,1,1) = ½(1 + 1) = 1; h = (-½, -½, -½, -½): all flip (the start of a two-cycle).
		{"A/ones", handA, nil, []float32{1, 1, 1, 1}, 1, []float32{-1, -1, -1, -1}},
		// A: E(1,-1,-1,-1) = ½(-1 + 1) = 0; h = (½, ½, ½, -½).
		{"A/mixed", handA, nil, []float32{1, -1, -1, -1}, 0, []float32{1, 1, 1, -1}},
		// B: ones: 5h = (2-2, -2, 2-2, -2-2, -2) = (0, -2, 0, -4, -2): units 0 and 2 have zero
		// field and keep +1, landing on ξ¹. E = -(.4 - .4 - .4 - .4) = .8.
		{"B/ones", handB, nil, []float32{1, 1, 1, 1, 1}, 0.8, []float32{1, -1, 1, -1, -1}},
		// B: E(ξ¹) = -(.4 + .4 + .4 + .4) = -1.6 (also -(m1² + m2² - KN)/2N = -(25+1-10)/10).
		{"B/xi1", handB, nil, []float32{1, 1, 1, -1, -1}, -1.6, []float32{1, 1, 1, -1, -1}},
		// B with θ0 = ½: E = .8 + ½·1 = 1.3; h0 = 0 - ½ < 0 flips unit 0.
		{"B/ones/theta", handB, []float32{.5, 0, 0, 0, 0}, []float32{1, 1, 1, 1, 1}, 1.3, []float32{-1, -1, 1, -1, -1}},
		// B with θ = (0,0,0,0,-1) at ξ¹: E = -1.6 + (-1)(-1) = -0.6; h4 = -.4·s1 + 1 = .6 > 0 flips unit 4.
		{"B/xi1/theta", handB, []float32{0, 0, 0, 0, -1}, []float32{1, 1, 1, -1, -1}, -0.6, []float32{1, 1, 1, -1, 1}},
		// C: E(ξ¹) = (0 - 4)/8 = -½; h_i = -¼ Σ_{j≠i} s_j = (¼, ¼, -¼, -¼): fixed.
		{"C/xi1", handC, nil, []float32{1, 1, -1, -1}, -0.5, []float32{1, 1, -1, -1}},
		// C: E(ones) = (16 - 4)/8 = 1.5; h = -¾ everywhere.
		{"C/ones", handC, nil, []float32{1, 1, 1, 1}, 1.5, []float32{-1, -1, -1, -1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := mustClassical(t, mustPatterns(t, tt.stored), ClassicalConfig{Thresholds: tt.theta})
			s := mustPatterns(t, [][]float32{tt.state})
			e, err := c.Energy(s)
			if err != nil {
				t.Fatal(err)
			}
			if math.Abs(e[0]-tt.energy) > 1e-6 {
				t.Errorf("Energy = %v, want %v", e[0], tt.energy)
			}
			next, err := c.Step(s, RecallOptions{Dynamics: Sync})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(next.Row(0), tt.syncNext) {
				t.Errorf("sync step = %v, want %v", next.Row(0), tt.syncNext)
			}
		})
	}
}

func TestClassicalAccessors(t *testing.T) {
	stored := mustPatterns(t, handB)
	theta := []float32{.5, 0, 0, 0, 0}
	c := mustClassical(t, stored, ClassicalConfig{Rule: Storkey, Thresholds: theta})
	if c.Dim() != 5 || c.Rule() != Storkey || c.Rule().String() != "storkey" {
		t.Errorf("Dim, Rule = %d, %v", c.Dim(), c.Rule())
	}
	theta[0] = 9 // the network keeps its own copy
	got := c.Thresholds()
	if got[0] != .5 {
		t.Errorf("Thresholds()[0] = %v, want .5", got[0])
	}
	got[0] = 7
	if c.Thresholds()[0] != .5 {
		t.Error("Thresholds() returned the network's own slice")
	}
	s := c.Stored()
	s.Set(0, 0, -1)
	if c.Stored().At(0, 0) != 1 {
		t.Error("Stored() returned the network's own patterns")
	}
	w := c.Weights()
	w.Set(0, 1, 42)
	if c.Weights().At(0, 1) == 42 {
		t.Error("Weights() returned the network's own matrix")
	}
	if mustClassical(t, stored, ClassicalConfig{}).Thresholds() != nil {
		t.Error("Thresholds() of a network without thresholds is not nil")
	}
	var _ Memory = c
	for r, want := range map[LearningRule]string{Hebbian: "hebbian", PseudoInverse: "pseudo-inverse", LearningRule(9): "LearningRule(9)"} {
		if r.String() != want {
			t.Errorf("%d.String() = %q, want %q", int(r), r.String(), want)
		}
	}
}

// directField returns h_i = Σ_j W_ij s_j − θ_i in float64. For the Hebbian rule it sums the
// integers N·W_ij = Σ_μ ξ_i^μ ξ_j^μ from the patterns, exactly, and divides once; otherwise it uses
// the float32 weights.
func directField(c *Classical, w *Patterns, s []float32, i int) float64 {
	var v float64
	for j := range c.n {
		if c.rule == Hebbian {
			if j == i {
				continue
			}
			var nw float64
			for mu := range c.k {
				nw += float64(c.stored.At(mu, i)) * float64(c.stored.At(mu, j))
			}
			v += nw * float64(s[j])
		} else {
			v += float64(w.At(i, j)) * float64(s[j])
		}
	}
	if c.rule == Hebbian {
		v /= float64(c.n)
	}
	if c.theta != nil {
		v -= float64(c.theta[i])
	}
	return v
}

// directFields returns every h_i of directField.
func directFields(c *Classical, s []float32) []float64 {
	w := c.Weights()
	h := make([]float64, c.n)
	for i := range h {
		h[i] = directField(c, w, s, i)
	}
	return h
}

// crossCheckNets covers every field graph: Hebbian with 2K < N (overlaps) and 2K ≥ N (weights),
// async with overlaps (K ≤ N/10) and with fields, the other rules, thresholds.
func crossCheckNets(t *testing.T) map[string]*Classical {
	r := seeded(1)
	theta := func(n int) []float32 {
		th := make([]float32, n)
		for i := range th {
			th[i] = float32(r.NormFloat64() * 0.05)
		}
		return th
	}
	return map[string]*Classical{
		"hebbian/K=5/N=80":        mustClassical(t, testSpins(r, 5, 80, .5), ClassicalConfig{}),
		"hebbian/K=20/N=80":       mustClassical(t, testSpins(r, 20, 80, .5), ClassicalConfig{}),
		"hebbian/K=50/N=80":       mustClassical(t, testSpins(r, 50, 80, .5), ClassicalConfig{}),
		"hebbian/K=20/N=80/theta": mustClassical(t, testSpins(r, 20, 80, .5), ClassicalConfig{Thresholds: theta(80)}),
		"storkey/K=12/N=60":       mustClassical(t, testSpins(r, 12, 60, .5), ClassicalConfig{Rule: Storkey, Thresholds: theta(60)}),
		"pinv/K=30/N=60":          mustClassical(t, testSpins(r, 30, 60, .5), ClassicalConfig{Rule: PseudoInverse}),
	}
}

func TestClassicalHebbianWeightsMatchFloat64(t *testing.T) {
	r := seeded(2)
	for _, kn := range [][2]int{{3, 7}, {20, 50}, {60, 50}} {
		x := testSpins(r, kn[0], kn[1], .5)
		c := mustClassical(t, x, ClassicalConfig{})
		w := c.Weights()
		n := x.Dim()
		for i := range n {
			for j := range n {
				var s float64
				if i != j {
					for mu := range x.Len() {
						s += float64(x.At(mu, i)) * float64(x.At(mu, j))
					}
					s /= float64(n)
				}
				// N·W is an exact integer, so W is the correctly rounded float32 of the float64 value.
				if w.At(i, j) != float32(s) {
					t.Fatalf("K=%d N=%d: W[%d][%d] = %v, direct float64 %v", kn[0], n, i, j, w.At(i, j), s)
				}
			}
		}
	}
}

func TestClassicalGraphsMatchFloat64(t *testing.T) {
	r := seeded(3)
	for name, c := range crossCheckNets(t) {
		t.Run(name, func(t *testing.T) {
			exact := c.rule == Hebbian
			states := testSpins(r, 7, c.n, .5)
			energies, err := c.Energy(states)
			if err != nil {
				t.Fatal(err)
			}
			next, err := c.Step(states, RecallOptions{Dynamics: Sync})
			if err != nil {
				t.Fatal(err)
			}
			for b := range states.Len() {
				s := states.Row(b)
				h := directFields(c, s)
				var e float64
				for i, hi := range h {
					th := 0.0
					if c.theta != nil {
						th = float64(c.theta[i])
					}
					e += -0.5*float64(s[i])*(hi+th) + th*float64(s[i])
				}
				// Tolerance: float32 weights k/N are rounded (1e-7 relative) before the direct sum.
				if math.Abs(e-energies[b]) > 1e-5*float64(c.n) {
					t.Errorf("state %d: graph energy %v, direct %v", b, energies[b], e)
				}
				for i, hi := range h {
					want := s[i]
					if hi > 0 {
						want = 1
					} else if hi < 0 {
						want = -1
					}
					if !exact && math.Abs(hi) < 1e-4 {
						continue // real weights: too close to zero to call
					}
					if next.At(b, i) != want {
						t.Errorf("state %d unit %d: sync → %v, direct field %v", b, i, next.At(b, i), hi)
					}
				}
			}
		})
	}
}

// TestClassicalAsyncMatchesDirect replays one asynchronous sweep unit by unit with fields
// recomputed from scratch in float64, in the same random order as the library draws.
func TestClassicalAsyncMatchesDirect(t *testing.T) {
	r := seeded(4)
	for name, c := range crossCheckNets(t) {
		t.Run(name, func(t *testing.T) {
			states := testFlip(r, c.stored, 0.3)
			got, err := c.Step(states, RecallOptions{Rand: seeded(99)})
			if err != nil {
				t.Fatal(err)
			}
			w := c.Weights()
			gens := probePCGs(seeded(99), states.Len())
			order := make([]int32, c.n)
			for b := range states.Len() {
				for i := range order {
					order[i] = int32(i)
				}
				shuffle(order, gens[b])
				s := slices.Clone(states.Row(b))
				for _, i := range order {
					h := directField(c, w, s, int(i))
					if c.rule != Hebbian && math.Abs(h) < 1e-5 {
						t.Skip("a field too close to zero for real weights")
					}
					if h > 0 {
						s[i] = 1
					} else if h < 0 {
						s[i] = -1
					}
				}
				if !slices.Equal(s, got.Row(b)) {
					t.Errorf("probe %d: async sweep differs from the direct replay", b)
				}
			}
		})
	}
}

// TestClassicalAsyncOverlapsEqualFields: both Hebbian async representations are exact, so with
// the same seed they give identical states, steps and energies.
func TestClassicalAsyncOverlapsEqualFields(t *testing.T) {
	r := seeded(5)
	for _, k := range []int{5, 15, 40} {
		c := mustClassical(t, testSpins(r, k, 100, .5), ClassicalConfig{})
		probes := testFlip(r, c.stored, 0.25)
		opts := RecallOptions{RecordEnergy: true}
		var results [2]*RecallResult
		for i, overlaps := range []bool{true, false} {
			cc := *c
			cc.overlaps = nil
			if overlaps {
				cc.overlaps = engine.NewOverlaps(c.stored.data, c.k, c.n, c.stheta, c.isa)
			}
			opts.Rand = seeded(7)
			res, err := cc.Recall(probes, opts)
			if err != nil {
				t.Fatal(err)
			}
			results[i] = res
		}
		if !slices.Equal(results[0].States.Flat(), results[1].States.Flat()) ||
			!slices.Equal(results[0].Steps, results[1].Steps) {
			t.Errorf("K=%d: overlaps and fields disagree", k)
		}
		for b := range results[0].Energies {
			if !slices.Equal(results[0].Energies[b], results[1].Energies[b]) {
				t.Errorf("K=%d probe %d: energies %v vs %v", k, b, results[0].Energies[b], results[1].Energies[b])
			}
		}
	}
}

func TestClassicalEnergyNeverIncreasesAsync(t *testing.T) {
	r := seeded(6)
	for name, c := range crossCheckNets(t) {
		t.Run(name, func(t *testing.T) {
			probes := testSpins(r, 20, c.n, .5) // random starts: many flips
			res, err := c.Recall(probes, RecallOptions{Rand: seeded(8), RecordEnergy: true})
			if err != nil {
				t.Fatal(err)
			}
			final, err := c.Energy(res.States)
			if err != nil {
				t.Fatal(err)
			}
			tol := 0.0 // Hebbian fields are exact
			if c.rule != Hebbian {
				tol = 1e-4
			}
			for b, es := range res.Energies {
				if len(es) != len(res.Energies[0]) {
					t.Fatalf("energy rows of different lengths")
				}
				for i := 1; i < len(es); i++ {
					if es[i] > es[i-1]+tol {
						t.Errorf("probe %d: energy rose from %v to %v at sweep %d", b, es[i-1], es[i], i)
					}
				}
				if math.Abs(es[len(es)-1]-final[b]) > 1e-4 {
					t.Errorf("probe %d: recorded final energy %v, Energy() %v", b, es[len(es)-1], final[b])
				}
				if !res.Converged[b] {
					t.Errorf("probe %d did not converge in %d sweeps", b, res.Steps[b])
				}
			}
		})
	}
}

func TestClassicalStoredAreFixedPointsBelowCapacity(t *testing.T) {
	r := seeded(7)
	// K = 0.05N. For Hebbian a bit is unstable with probability Φ(−√((N−1)/(K−1))) ≈ 1.3e-6
	// (see TestClassicalCapacity): ≈ 0.3% chance that any of the 2,000 bits is.
	const n = 200
	for _, rule := range []LearningRule{Hebbian, Storkey, PseudoInverse} {
		x := testSpins(r, n/20, n, .5) // K = 0.05N
		c := mustClassical(t, x, ClassicalConfig{Rule: rule})
		neg := x.Clone()
		for i, v := range neg.data {
			neg.data[i] = -v
		}
		for what, states := range map[string]*Patterns{"stored": x, "negated": neg} {
			next, err := c.Step(states, RecallOptions{Dynamics: Sync})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(next.Flat(), states.Flat()) {
				t.Errorf("%v: %s patterns are not all fixed points under sync", rule, what)
			}
			res, err := c.Recall(states, RecallOptions{Rand: seeded(1)})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(res.States.Flat(), states.Flat()) || !res.AllConverged() || slices.Max(res.Steps) != 0 {
				t.Errorf("%v: %s patterns are not all fixed points under async (steps %v)", rule, what, res.Steps)
			}
		}
	}
}

func TestClassicalSyncAndAsyncAgreeOnFixedPoints(t *testing.T) {
	r := seeded(8)
	for name, c := range crossCheckNets(t) {
		t.Run(name, func(t *testing.T) {
			res, err := c.Recall(testSpins(r, 30, c.n, .5), RecallOptions{Rand: seeded(2)})
			if err != nil {
				t.Fatal(err)
			}
			next, err := c.Step(res.States, RecallOptions{Dynamics: Sync})
			if err != nil {
				t.Fatal(err)
			}
			for b := range res.States.Len() {
				if res.Converged[b] != slices.Equal(next.Row(b), res.States.Row(b)) {
					t.Errorf("state %d: async converged=%v, but sync step leaves it unchanged=%v",
						b, res.Converged[b], !res.Converged[b])
				}
			}
			// And the other way round: sync fixed points are async fixed points.
			sres, err := c.Recall(testSpins(r, 30, c.n, .5), RecallOptions{Dynamics: Sync})
			if err != nil {
				t.Fatal(err)
			}
			after, err := c.Step(sres.States, RecallOptions{Rand: seeded(3)})
			if err != nil {
				t.Fatal(err)
			}
			for b := range sres.States.Len() {
				if sres.Converged[b] && !slices.Equal(after.Row(b), sres.States.Row(b)) {
					t.Errorf("state %d: a sync fixed point moved under an async sweep", b)
				}
			}
		})
	}
}

func TestClassicalSyncTwoCycle(t *testing.T) {
	// Network A from (1,1,1,1): sync goes to (-1,-1,-1,-1) and back (hand calculation above).
	c := mustClassical(t, mustPatterns(t, handA), ClassicalConfig{})
	probes := mustPatterns(t, [][]float32{{1, 1, 1, 1}, {1, 1, -1, -1}, {1, -1, -1, -1}})
	res, err := c.Recall(probes, RecallOptions{Dynamics: Sync, RecordEnergy: true, RecordTrajectory: true})
	if err != nil {
		t.Fatal(err)
	}
	// h = -½(s3, s2, s1, s0): a state is fixed iff s0 = -s3 and s1 = -s2; otherwise every pair
	// with equal signs flips each step, a two-cycle. Probe 0: two steps, back at the start.
	// Probe 1: ξ¹, fixed. Probe 2: (1,-1,-1,-1) → (1,1,1,-1) → (1,-1,-1,-1).
	wantSteps := []int{2, 0, 2}
	wantConv := []bool{false, true, false}
	if !slices.Equal(res.Steps, wantSteps) || !slices.Equal(res.Converged, wantConv) {
		t.Errorf("steps %v converged %v, want %v %v", res.Steps, res.Converged, wantSteps, wantConv)
	}
	if !slices.Equal(res.States.Row(0), []float32{1, 1, 1, 1}) || !slices.Equal(res.States.Row(2), probes.Row(2)) {
		t.Errorf("final states %v", res.States.Rows())
	}
	// Energies: probe 0 stays at 1 (E(-s) = E(s)); probe 2: E(1,1,1,-1) = ½(-1+1) = 0 like the start.
	if len(res.Trajectory) != 3 || !slices.Equal(res.Energies[0], []float64{1, 1, 1}) ||
		!slices.Equal(res.Energies[2], []float64{0, 0, 0}) {
		t.Errorf("trajectory of %d frames, energies %v", len(res.Trajectory), res.Energies)
	}
	// Async from the same start cannot cycle.
	ares, err := c.Recall(probes, RecallOptions{Rand: seeded(1)})
	if err != nil {
		t.Fatal(err)
	}
	if !ares.AllConverged() {
		t.Errorf("async did not converge: %v", ares.Converged)
	}
}

func TestClassicalMaxStepsAndConvergence(t *testing.T) {
	r := seeded(9)
	c := mustClassical(t, testSpins(r, 5, 200, .5), ClassicalConfig{})
	probes := testFlip(r, c.stored, 0.2)
	for _, d := range []Dynamics{Async, Sync} {
		res, err := c.Recall(probes, RecallOptions{Dynamics: d, Rand: seeded(1), MaxSteps: 1})
		if err != nil {
			t.Fatal(err)
		}
		// From 20% noise at K = 5, N = 200 one step already lands on the pattern (crosstalk is
		// tiny), so a limit of one step still ends on a fixed point.
		if !slices.Equal(res.States.Flat(), c.stored.Flat()) || !res.AllConverged() || slices.Max(res.Steps) != 1 {
			t.Errorf("%v: MaxSteps 1: steps %v converged %v", d, res.Steps, res.Converged)
		}
	}
	// A random start at high load does not settle in one sweep: MaxSteps 1 reports unconverged.
	big := mustClassical(t, testSpins(r, 60, 100, .5), ClassicalConfig{})
	res, err := big.Recall(testSpins(r, 10, 100, .5), RecallOptions{Rand: seeded(2), MaxSteps: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.AllConverged() {
		t.Error("every random probe converged in one sweep at K = 0.6N")
	}
}

func TestClassicalTrajectory(t *testing.T) {
	r := seeded(10)
	c := mustClassical(t, testSpins(r, 4, 64, .5), ClassicalConfig{})
	probes := testFlip(r, c.stored, 0.3)
	res, err := c.Recall(probes, RecallOptions{Rand: seeded(1), RecordTrajectory: true, RecordEnergy: true})
	if err != nil {
		t.Fatal(err)
	}
	maxSteps := slices.Max(res.Steps)
	if len(res.Trajectory) != maxSteps+1 || len(res.Energies[0]) != maxSteps+1 {
		t.Fatalf("%d frames and %d energies, want %d", len(res.Trajectory), len(res.Energies[0]), maxSteps+1)
	}
	if !slices.Equal(res.Trajectory[0].Flat(), probes.Flat()) || !slices.Equal(res.Trajectory[maxSteps].Flat(), res.States.Flat()) {
		t.Error("trajectory does not run from the probes to the final states")
	}
	// Strided: a frame every 8 unit updates; same final states (same seed), more frames.
	sres, err := c.Recall(probes, RecallOptions{Rand: seeded(1), RecordTrajectory: true, TrajectoryStride: 8})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(sres.States.Flat(), res.States.Flat()) {
		t.Error("strided recording changed the dynamics")
	}
	if len(sres.Trajectory) < 64/8*maxSteps || !slices.Equal(sres.Trajectory[len(sres.Trajectory)-1].Flat(), res.States.Flat()) {
		t.Errorf("strided trajectory: %d frames for %d sweeps", len(sres.Trajectory), maxSteps)
	}
	// Consecutive strided frames differ in at most 8 units per probe.
	for f := 1; f < len(sres.Trajectory); f++ {
		for b := range probes.Len() {
			d := 0
			for j, v := range sres.Trajectory[f].Row(b) {
				if v != sres.Trajectory[f-1].At(b, j) {
					d++
				}
			}
			if d > 8 {
				t.Fatalf("frame %d probe %d: %d units changed between frames", f, b, d)
			}
		}
	}
}

func TestClassicalAsyncDeterministic(t *testing.T) {
	r := seeded(11)
	c := mustClassical(t, testSpins(r, 30, 150, .5), ClassicalConfig{})
	probes := testSpins(r, 16, 150, .5)
	run := func() *RecallResult {
		res, err := c.Recall(probes, RecallOptions{Rand: seeded(5)})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	a := run()
	prev := runtime.GOMAXPROCS(1)
	b := run()
	runtime.GOMAXPROCS(prev)
	if !slices.Equal(a.States.Flat(), b.States.Flat()) || !slices.Equal(a.Steps, b.Steps) {
		t.Error("async recall depends on the number of cores")
	}
	c2, err := c.Recall(probes, RecallOptions{Rand: seeded(6)})
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.States.Flat(), c2.States.Flat()) {
		t.Error("another seed gave the very same states from random probes at high load")
	}
}

// TestClassicalCapacity checks one synchronous step from every stored pattern of a Hebbian network
// of N = 1000 random patterns. Each bit's crosstalk is a sum of (K−1)(N−1) ±1/N terms, so a bit is
// unstable with probability P ≈ Φ(−√((N−1)/(K−1))) (Hertz, Krogh & Palmer 1991, §2.2, Table 2.1:
// P = 0.0036 at K/N = 0.138), and a pattern is a fixed point with probability ≈ (1−P)^N: close to 1
// at K/N = 0.05, ≈ 0.45 at 0.1, ≈ 0.03 at 0.138, ≈ 0 at 0.2.
func TestClassicalCapacity(t *testing.T) {
	if testing.Short() {
		t.Skip("N = 1000 capacity sweep")
	}
	const n = 1000
	r := seeded(12)
	var prevFixed float64 = 2
	for _, k := range []int{50, 100, 138, 200} {
		x := testSpins(r, k, n, .5)
		c := mustClassical(t, x, ClassicalConfig{})
		next, err := c.Step(x, RecallOptions{Dynamics: Sync})
		if err != nil {
			t.Fatal(err)
		}
		bad, fixed := 0, 0
		for mu := range k {
			d := 0
			for j, v := range next.Row(mu) {
				if v != x.At(mu, j) {
					d++
				}
			}
			bad += d
			if d == 0 {
				fixed++
			}
		}
		pBit := float64(bad) / float64(k*n)
		fracFixed := float64(fixed) / float64(k)
		theory := 0.5 * math.Erfc(math.Sqrt(float64(n-1)/float64(k-1))/math.Sqrt2)
		t.Logf("K/N=%.3f: unstable bits %.5f (theory %.5f), fixed points %.3f (theory %.3f)",
			float64(k)/n, pBit, theory, fracFixed, math.Pow(1-theory, n))
		// Within 4 binomial standard deviations plus 15% for the Gaussian approximation.
		if tol := 4*math.Sqrt(theory/float64(k*n)) + 0.15*theory; math.Abs(pBit-theory) > tol {
			t.Errorf("K/N=%.3f: unstable-bit rate %.5f, theory %.5f ± %.5f", float64(k)/n, pBit, theory, tol)
		}
		if fracFixed > prevFixed {
			t.Errorf("K/N=%.3f: fraction of fixed points rose to %.3f", float64(k)/n, fracFixed)
		}
		prevFixed = fracFixed
		switch k {
		case 50:
			if fracFixed < 0.95 {
				t.Errorf("K/N=0.05: only %.3f of the patterns are fixed points", fracFixed)
			}
		case 200:
			if fracFixed > 0.02 {
				t.Errorf("K/N=0.2: %.3f of the patterns are still fixed points", fracFixed)
			}
		}
	}
}

// fixedFraction returns the fraction of stored patterns that one synchronous step leaves unchanged.
func fixedFraction(t *testing.T, c *Classical) float64 {
	t.Helper()
	next, err := c.Step(c.stored, RecallOptions{Dynamics: Sync})
	if err != nil {
		t.Fatal(err)
	}
	fixed := 0
	for mu := range c.k {
		if slices.Equal(next.Row(mu), c.stored.Row(mu)) {
			fixed++
		}
	}
	return float64(fixed) / float64(c.k)
}

func TestClassicalRulesCapacity(t *testing.T) {
	r := seeded(13)
	const n = 100
	for _, tc := range []struct {
		name string
		k    int
		p    float64 // probability of +1: 0.5 random, 0.75 correlated (biased) patterns
	}{
		{"random/K=25", 25, 0.5},     // Hebbian α = 0.25 > 0.138; Storkey capacity ≈ N/√(2 ln N) ≈ 33
		{"correlated/K=10", 10, .75}, // mean overlap between patterns (2p−1)² = 0.25
	} {
		x := testSpins(r, tc.k, n, tc.p)
		frac := map[LearningRule]float64{}
		for _, rule := range []LearningRule{Hebbian, Storkey, PseudoInverse} {
			frac[rule] = fixedFraction(t, mustClassical(t, x, ClassicalConfig{Rule: rule}))
		}
		t.Logf("%s: fixed points hebbian %.2f storkey %.2f pseudo-inverse %.2f", tc.name, frac[Hebbian], frac[Storkey], frac[PseudoInverse])
		if frac[PseudoInverse] != 1 {
			t.Errorf("%s: pseudo-inverse stores %.2f of the patterns, want all", tc.name, frac[PseudoInverse])
		}
		if frac[Storkey] <= frac[Hebbian] || frac[Storkey] < 0.8 {
			t.Errorf("%s: Storkey stores %.2f, Hebbian %.2f", tc.name, frac[Storkey], frac[Hebbian])
		}
		if frac[Hebbian] > 0.5 {
			t.Errorf("%s: Hebbian stores %.2f: the case is not hard enough to compare", tc.name, frac[Hebbian])
		}
	}
}

func TestClassicalPseudoInverseUpToN(t *testing.T) {
	r := seeded(14)
	const n = 64
	x := testSpins(r, n-1, n, .5)
	c := mustClassical(t, x, ClassicalConfig{Rule: PseudoInverse})
	if f := fixedFraction(t, c); f != 1 {
		t.Errorf("K = N−1: %.3f of the patterns are fixed points, want all", f)
	}
	// W is the projection onto the span with its diagonal removed: W ξ = (1 − P_ii) ξ_i.
	w, rank := pseudoInverseWeights(x)
	if rank != n-1 {
		t.Errorf("rank %d, want %d", rank, n-1)
	}
	_ = w
	// A repeated pattern and K > N: dependent patterns are skipped, not an error.
	rows := append(x.Rows(), x.Row(0), x.Row(5))
	more := append(rows, testSpins(r, 3, n, .5).Rows()...)
	big := mustClassical(t, mustPatterns(t, more), ClassicalConfig{Rule: PseudoInverse})
	if _, rank := pseudoInverseWeights(big.stored); rank != n {
		t.Errorf("K = %d > N: rank %d, want %d", len(more), rank, n)
	}
	for i, v := range big.Weights().Flat() {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatalf("weight %d is %v", i, v)
		}
	}
}

func TestClassicalErrors(t *testing.T) {
	good := mustPatterns(t, handA)
	c := mustClassical(t, good, ClassicalConfig{})
	notSpin := mustPatterns(t, [][]float32{{1, 0.5, -1, 1}})
	nan := good.Clone()
	nan.data[2] = float32(math.NaN())
	wrongDim := mustPatterns(t, [][]float32{{1, -1, 1}})
	ctorTests := []struct {
		name   string
		stored *Patterns
		cfg    ClassicalConfig
		want   error
	}{
		{"nil patterns", nil, ClassicalConfig{}, ErrEmpty},
		{"empty patterns", &Patterns{}, ClassicalConfig{}, ErrEmpty},
		{"not spins", notSpin, ClassicalConfig{}, ErrNotSpin},
		{"NaN pattern", nan, ClassicalConfig{}, ErrNotSpin},
		{"unknown rule", good, ClassicalConfig{Rule: LearningRule(7)}, ErrParameter},
		{"negative rule", good, ClassicalConfig{Rule: -1}, ErrParameter},
		{"short thresholds", good, ClassicalConfig{Thresholds: []float32{0, 0}}, ErrShape},
		{"empty thresholds", good, ClassicalConfig{Thresholds: []float32{}}, ErrShape},
		{"NaN threshold", good, ClassicalConfig{Thresholds: []float32{0, float32(math.NaN()), 0, 0}}, ErrNotFinite},
		{"Inf threshold", good, ClassicalConfig{Thresholds: []float32{0, 0, float32(math.Inf(-1)), 0}}, ErrNotFinite},
	}
	for _, tt := range ctorTests {
		if _, err := NewClassical(tt.stored, tt.cfg); !errors.Is(err, tt.want) {
			t.Errorf("NewClassical(%s): error %v, want %v", tt.name, err, tt.want)
		}
	}
	t.Setenv("GOMLX_BACKEND", "nosuchbackend")
	if _, err := NewClassical(good, ClassicalConfig{}); !errors.Is(err, ErrBackend) {
		t.Errorf("NewClassical with an unknown backend: error %v, want ErrBackend", err)
	}

	r := seeded(1)
	runTests := []struct {
		name   string
		states *Patterns
		opts   RecallOptions
		want   error
	}{
		{"nil states", nil, RecallOptions{Dynamics: Sync}, ErrEmpty},
		{"empty states", &Patterns{}, RecallOptions{Dynamics: Sync}, ErrEmpty},
		{"wrong length", wrongDim, RecallOptions{Dynamics: Sync}, ErrShape},
		{"not spins", notSpin, RecallOptions{Dynamics: Sync}, ErrNotSpin},
		{"NaN", nan, RecallOptions{Dynamics: Sync}, ErrNotSpin},
		{"negative MaxSteps", good, RecallOptions{Dynamics: Sync, MaxSteps: -1}, ErrParameter},
		{"nil Rand for Async", good, RecallOptions{}, ErrParameter},
		{"unknown dynamics", good, RecallOptions{Dynamics: Dynamics(5), Rand: r}, ErrParameter},
		{"negative stride", good, RecallOptions{Rand: r, TrajectoryStride: -2}, ErrParameter},
	}
	for _, tt := range runTests {
		if _, err := c.Recall(tt.states, tt.opts); !errors.Is(err, tt.want) {
			t.Errorf("Recall(%s): error %v, want %v", tt.name, err, tt.want)
		}
		if _, err := c.Step(tt.states, tt.opts); !errors.Is(err, tt.want) {
			t.Errorf("Step(%s): error %v, want %v", tt.name, err, tt.want)
		}
	}
	energyTests := []struct {
		name   string
		states *Patterns
		want   error
	}{
		{"nil", nil, ErrEmpty},
		{"empty", &Patterns{}, ErrEmpty},
		{"wrong length", wrongDim, ErrShape},
		{"NaN", nan, ErrNotFinite},
	}
	for _, tt := range energyTests {
		if _, err := c.Energy(tt.states); !errors.Is(err, tt.want) {
			t.Errorf("Energy(%s): error %v, want %v", tt.name, err, tt.want)
		}
	}
	// Energy accepts real-valued states: E(½ξ¹) = ¼E(ξ¹) = -¼.
	e, err := c.Energy(mustPatterns(t, [][]float32{{.5, .5, -.5, -.5}}))
	if err != nil || e[0] != -0.25 {
		t.Errorf("Energy of a real-valued state = %v, %v; want -0.25", e, err)
	}
}

// TestClassicalShuffleUniform: every permutation of 4 units is equally likely (χ² test, 23
// degrees of freedom: 49.7 is the 0.1% critical value), and the 32-bit path used for more than
// 2¹² units gives permutations with the right mean position.
func TestClassicalShuffleUniform(t *testing.T) {
	gen := probePCGs(seeded(16), 1)[0]
	counts := map[[4]int32]int{}
	const draws = 24000
	order := make([]int32, 4)
	for range draws {
		for i := range order {
			order[i] = int32(i)
		}
		shuffle(order, gen)
		counts[[4]int32(order)]++
	}
	if len(counts) != 24 {
		t.Fatalf("%d distinct permutations of 4, want 24", len(counts))
	}
	var chi2 float64
	for _, c := range counts {
		d := float64(c) - draws/24
		chi2 += d * d / (draws / 24)
	}
	if chi2 > 49.7 {
		t.Errorf("χ² = %.1f over 24 permutations: not uniform", chi2)
	}
	const n, reps = 5000, 2000
	big := make([]int32, n)
	var sum float64
	for range reps {
		for i := range big {
			big[i] = int32(i)
		}
		shuffle(big, gen)
		sum += float64(big[0])
		seen := make([]bool, n)
		for _, v := range big {
			seen[v] = true
		}
		if slices.Contains(seen, false) {
			t.Fatal("shuffle did not return a permutation")
		}
	}
	// order[0] is uniform on [0, n): mean (n−1)/2, standard error n/√12/√reps ≈ 32.
	if mean := sum / reps; math.Abs(mean-(n-1)/2.0) > 4*32.3 {
		t.Errorf("mean of order[0] over %d shuffles of %d: %.1f, want %.1f", reps, n, mean, (n-1)/2.0)
	}
}

// TestClassicalEdgeCases: the smallest networks, and thresholds so large that N·θ would overflow
// float32, still give finite energies and the forced states.
func TestClassicalEdgeCases(t *testing.T) {
	// N = 1: W = 0, every field is -θ.
	one := mustClassical(t, mustPatterns(t, [][]float32{{1}}), ClassicalConfig{})
	res, err := one.Recall(mustPatterns(t, [][]float32{{-1}}), RecallOptions{Rand: seeded(1)})
	if err != nil || res.States.At(0, 0) != -1 || !res.Converged[0] {
		t.Errorf("N=1: %v, %v", res, err)
	}
	big := float32(3e38)
	r := seeded(17)
	for _, rule := range []LearningRule{Hebbian, Storkey, PseudoInverse} {
		x := testSpins(r, 3, 40, .5)
		theta := make([]float32, 40)
		for i := range theta {
			theta[i] = big
			if i%2 == 1 {
				theta[i] = -big
			}
		}
		c := mustClassical(t, x, ClassicalConfig{Rule: rule, Thresholds: theta})
		for _, d := range []Dynamics{Async, Sync} {
			res, err := c.Recall(x, RecallOptions{Dynamics: d, Rand: seeded(2), RecordEnergy: true})
			if err != nil {
				t.Fatal(err)
			}
			for b := range x.Len() {
				for i, v := range res.States.Row(b) {
					// θ_i = +3e38 forces s_i = -1, θ_i = -3e38 forces +1.
					if want := float32(1 - 2*(1-i%2)); v != want {
						t.Fatalf("%v %v: unit %d = %v, want %v", rule, d, i, v, want)
					}
				}
				for _, e := range res.Energies[b] {
					if math.IsNaN(e) || math.IsInf(e, 0) {
						t.Fatalf("%v %v: energy %v", rule, d, e)
					}
				}
			}
		}
	}
}

// TestClassicalSameWithAndWithoutSIMD pins recall results to values recorded once: the test
// passes in both builds (go test, GOEXPERIMENT=simd go test) only if the AVX2 kernels and the
// portable loops give bit-identical dynamics.
func TestClassicalSameWithAndWithoutSIMD(t *testing.T) {
	tests := []struct {
		name string
		k    int
		rule LearningRule
		want uint64 // FNV-1a of the final states and steps, recorded from the portable build
	}{
		{"hebbian/overlaps", 15, Hebbian, 8875795681731261173},
		{"hebbian/fields", 40, Hebbian, 8620142878966522122},
		{"storkey", 25, Storkey, 7573439131023640821},
	}
	for _, tt := range tests {
		r := seeded(18)
		c := mustClassical(t, testSpins(r, tt.k, 200, .5), ClassicalConfig{Rule: tt.rule})
		probes := testFlip(r, testSpins(r, 12, 200, .5), 0)
		res, err := c.Recall(probes, RecallOptions{Rand: seeded(19)})
		if err != nil {
			t.Fatal(err)
		}
		h := uint64(14695981039346656037)
		for _, v := range res.States.Flat() {
			h = (h ^ uint64(math.Float32bits(v))) * 1099511628211
		}
		for _, s := range res.Steps {
			h = (h ^ uint64(s)) * 1099511628211
		}
		if h != tt.want {
			t.Errorf("%s: hash %d, want %d (kernels %v)", tt.name, h, tt.want, engine.Best())
		}
	}
}

// TestClassicalPseudoInverseFullRank: 16 random patterns of 16 spins (PCG(1, 1)) are linearly
// independent, so they span ℝ¹⁶: the projection is the identity and W, without its diagonal, is
// exactly 0. Computed naively, W is rounding noise of about 2.4·10⁻¹⁵ whose signs drive the
// dynamics (synchronous recall from the stored patterns: accuracy 0); here every stored pattern
// stays fixed.
func TestClassicalPseudoInverseFullRank(t *testing.T) {
	x, err := RandomSpins(16, 16, rand.New(rand.NewPCG(1, 1)))
	if err != nil {
		t.Fatal(err)
	}
	if _, rank := pseudoInverseWeights(x); rank != 16 {
		t.Fatalf("rank %d, want 16 (the case needs independent patterns)", rank)
	}
	net := mustClassical(t, x, ClassicalConfig{Rule: PseudoInverse})
	for i, v := range net.Weights().Flat() {
		if v != 0 {
			t.Fatalf("W entry %d is %g, want exactly 0", i, v)
		}
	}
	for _, dyn := range []Dynamics{Sync, Async} {
		res, err := net.Recall(x, RecallOptions{Dynamics: dyn, Rand: seeded(1)})
		if err != nil {
			t.Fatal(err)
		}
		if acc, err := Accuracy(x, res.States, nil, 0); err != nil || acc != 1 {
			t.Errorf("%v recall from the stored patterns: accuracy %v (%v), want 1", dyn, acc, err)
		}
	}
}

// TestClassicalPseudoInverseUnitInSpan: when a unit vector e_i lies in the span of the patterns
// (here (1,1,…) and (−1,1,…) give e_0), P e_i = e_i, so row i of W is exactly 0 and unit i has no
// field: its rounding noise must not decide it. Every stored pattern stays a fixed point.
func TestClassicalPseudoInverseUnitInSpan(t *testing.T) {
	const n = 12
	r := seeded(21)
	rows := [][]float32{make([]float32, n), make([]float32, n)}
	for j := range n {
		rows[0][j], rows[1][j] = 1, 1
	}
	rows[1][0] = -1
	rows = append(rows, testSpins(r, 4, n, .5).Rows()...)
	x := mustPatterns(t, rows)
	net := mustClassical(t, x, ClassicalConfig{Rule: PseudoInverse})
	w := net.Weights()
	for j := range n {
		if v := w.At(0, j); v != 0 {
			t.Errorf("W[0][%d] = %g, want exactly 0 (e_0 is in the span)", j, v)
		}
	}
	if f := fixedFraction(t, net); f != 1 {
		t.Errorf("%.2f of the stored patterns are fixed points, want all", f)
	}
}
