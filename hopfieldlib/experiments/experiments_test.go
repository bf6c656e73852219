package experiments_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/experiments"
)

// spins returns k random ±1 patterns of n units from a fixed seed.
func spins(t testing.TB, k, n int, seed uint64) *hopfieldlib.Patterns {
	t.Helper()
	p, err := hopfieldlib.RandomSpins(k, n, rand.New(rand.NewPCG(seed, 7)))
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// col returns a numeric column or fails the test.
func col(t testing.TB, tab *experiments.Table, name string) []float64 {
	t.Helper()
	v, err := tab.Col(name)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// near reports whether got and want agree within 1e-12 everywhere.
func near(got, want []float64) bool {
	return slices.EqualFunc(got, want, func(a, b float64) bool { return math.Abs(a-b) <= 1e-12 })
}

// progressLog records progress updates and checks that they are well formed.
type progressLog struct {
	t     *testing.T
	calls [][2]int
}

func (p *progressLog) Update(task string, done, total int) {
	if task == "" || done < 0 || done > total {
		p.t.Errorf("progress %q %d/%d", task, done, total)
	}
	p.calls = append(p.calls, [2]int{done, total})
}

// check verifies that progress went from 0 to total by non-decreasing steps.
func (p *progressLog) check(total int) {
	p.t.Helper()
	if len(p.calls) == 0 || p.calls[0] != [2]int{0, total} || p.calls[len(p.calls)-1] != [2]int{total, total} {
		p.t.Errorf("progress calls %v, want 0/%d … %d/%d", p.calls, total, total, total)
	}
	for i := 1; i < len(p.calls); i++ {
		if p.calls[i][0] < p.calls[i-1][0] {
			p.t.Errorf("progress went back: %v", p.calls)
		}
	}
}

func TestNoiseRobustnessOnFake(t *testing.T) {
	stored := spins(t, 5, 20, 1)
	mem := newFake(stored, 5, 0.25) // every pattern stable, basins of 5 units
	prog := &progressLog{t: t}
	tab, err := experiments.NoiseRobustness(context.Background(), mem, experiments.NoiseConfig{
		Levels:   []float64{0, 0.2, 0.3},
		Seeds:    []uint64{1, 2, 3},
		Progress: prog,
	})
	if err != nil {
		t.Fatal(err)
	}
	prog.check(9)
	// Levels flip 0, 4 and 6 of 20 units: within the basin of 5, within, outside.
	for _, c := range []struct {
		name string
		want []float64
	}{
		{"level", []float64{0, 0.2, 0.3}},
		{"accuracy", []float64{1, 1, 0}},
		{"accuracy_std", []float64{0, 0, 0}},
		{"probe_cosine", []float64{1, 0.6, 0.4}}, // 1 − 2·(flips/N), by hand
		{"steps", []float64{0, 1, 1}},
		{"converged", []float64{1, 1, 0}}, // after a step outside the basin the state moves again
		{"seeds", []float64{3, 3, 3}},
	} {
		if got := col(t, tab, c.name); !near(got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	if got := col(t, tab, "cosine"); !near(got[:2], []float64{1, 1}) {
		t.Errorf("cosine = %v, want 1 at levels 0 and 0.2", got)
	}
	if got := col(t, tab, "nearest_accuracy"); !near(got[:2], []float64{1, 1}) {
		t.Errorf("nearest_accuracy = %v, want 1 at levels 0 and 0.2", got)
	}
	if mem.recalls != 9 {
		t.Errorf("%d recalls, want 3 levels × 3 seeds", mem.recalls)
	}
	// Probes limits the probed patterns; a custom Corruption is used.
	tab, err = experiments.NoiseRobustness(context.Background(), mem, experiments.NoiseConfig{
		Levels: []float64{0.5}, Probes: 2, Corrupt: experiments.RandomOcclusion(-1),
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := tab.Title; got != "noise robustness: 2 probes, 1 seeds" {
		t.Errorf("title %q", got)
	}
}

func TestCapacityOnFake(t *testing.T) {
	const n = 20
	build := func(stored *hopfieldlib.Patterns) (hopfieldlib.Memory, error) {
		return newFake(stored, 5, 0), nil // patterns 0…4 are fixed points, the rest are not
	}
	prog := &progressLog{t: t}
	tab, err := experiments.Capacity(context.Background(), experiments.CapacityConfig{
		N: n, Ks: []int{2, 5, 10}, Build: build, Seeds: []uint64{1, 2}, Progress: prog,
	})
	if err != nil {
		t.Fatal(err)
	}
	prog.check(6)
	// By hand: K = 10 has 5 stable patterns; each unstable one has 1 of 20 units changed by a
	// step, so 5 of 200 units change; recall turns unstable patterns into a state at overlap
	// 1 − 2/20 = 0.9.
	for _, c := range []struct {
		name string
		want []float64
	}{
		{"N", []float64{20, 20, 20}},
		{"K", []float64{2, 5, 10}},
		{"alpha", []float64{0.1, 0.25, 0.5}},
		{"stable", []float64{1, 1, 0.5}},
		{"stable_std", []float64{0, 0, 0}},
		{"stable_bits", []float64{1, 1, 1 - 5.0/200}},
		{"recall", []float64{1, 1, 0.5}},
		{"overlap", []float64{1, 1, (5 + 5*0.9) / 10}},
		{"seeds", []float64{2, 2, 2}},
	} {
		if got := col(t, tab, c.name); !near(got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	// MaxProbes: only the first 3 patterns are probed, all stable → recall 1 at K = 10.
	tab, err = experiments.Capacity(context.Background(), experiments.CapacityConfig{N: n, Ks: []int{10}, Build: build, MaxProbes: 3})
	if err != nil {
		t.Fatal(err)
	}
	if got := col(t, tab, "recall"); got[0] != 1 {
		t.Errorf("recall with MaxProbes 3 = %v, want 1", got)
	}
	// MaxProbes < 0 skips the recall test.
	tab, err = experiments.Capacity(context.Background(), experiments.CapacityConfig{N: n, Ks: []int{10}, Build: build, MaxProbes: -1})
	if err != nil {
		t.Fatal(err)
	}
	if got := col(t, tab, "recall"); got[0] != 0 {
		t.Errorf("recall with MaxProbes -1 = %v, want 0 (skipped)", got)
	}
}

func TestLoadsToKs(t *testing.T) {
	// round(α·N), at least 1: by hand.
	if got, want := experiments.LoadsToKs(1000, 0.0001, 0.05, 0.138, 0.1385), []int{1, 50, 138, 139}; !slices.Equal(got, want) {
		t.Errorf("LoadsToKs = %v, want %v", got, want)
	}
}

func TestTheoryLines(t *testing.T) {
	tests := []struct {
		name      string
		got, want float64
	}{
		{"AGS N=1000", experiments.AGSCapacity(1000), 138},
		// 1000 / (2 ln 1000) = 1000 / 13.8155… = 72.382…
		{"McEliece N=1000", experiments.McElieceCapacity(1000), 1000 / (2 * math.Log(1000))},
		{"McEliece N=1", experiments.McElieceCapacity(1), 0},
		// d = 2 is the classical network: (2·2−3)!! = 1.
		{"Polynomial d=2 = McEliece", experiments.PolynomialCapacity(1000, 2), experiments.McElieceCapacity(1000)},
		// d = 3: N² / (2·3!!·ln N) = 10⁴ / (6 ln 100).
		{"Polynomial d=3 N=100", experiments.PolynomialCapacity(100, 3), 1e4 / (6 * math.Log(100))},
		// d = 4: 5!! = 15: N³ / (30 ln N).
		{"Polynomial d=4 N=100", experiments.PolynomialCapacity(100, 4), 1e6 / (30 * math.Log(100))},
		{"Polynomial d=1", experiments.PolynomialCapacity(100, 1), 0},
		// ρ = 0: ln K = N ln2 / 2.
		{"LogExponential ρ=0", experiments.LogExponentialCapacity(100, 0), 50 * math.Ln2},
		// ρ = 0.25: x = 0.5, I = ½(1.5 ln 1.5 + 0.5 ln 0.5), ln K = N·I/2.
		{"LogExponential ρ=0.25", experiments.LogExponentialCapacity(100, 0.25), 100 * 0.5 * (1.5*math.Log(1.5) + 0.5*math.Log(0.5)) / 2},
		{"LogExponential ρ=0.5", experiments.LogExponentialCapacity(100, 0.5), 0},
	}
	for _, tc := range tests {
		if math.Abs(tc.got-tc.want) > 1e-9*math.Max(1, math.Abs(tc.want)) {
			t.Errorf("%s = %v, want %v", tc.name, tc.got, tc.want)
		}
	}
}

func TestConvergenceSpeedOnFake(t *testing.T) {
	stored := spins(t, 4, 20, 2)
	mem := newFake(stored, 4, 0.25)
	probes, err := hopfieldlib.FlipBits(stored, 0.1, rand.New(rand.NewPCG(3, 3)))
	if err != nil {
		t.Fatal(err)
	}
	copy(probes.Row(0), stored.Row(0)) // probe 0 is the pattern itself: 0 steps
	tab, err := experiments.ConvergenceSpeed(context.Background(), mem, experiments.ConvergenceConfig{
		Probes: probes, Seeds: []uint64{5, 6},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want []float64
	}{
		{"seed", []float64{5, 5, 5, 5, 6, 6, 6, 6}},
		{"probe", []float64{0, 1, 2, 3, 0, 1, 2, 3}},
		{"steps", []float64{0, 1, 1, 1, 0, 1, 1, 1}},
		{"converged", []float64{1, 1, 1, 1, 1, 1, 1, 1}},
		{"retrieved", []float64{1, 1, 1, 1, 1, 1, 1, 1}},
	} {
		if got := col(t, tab, c.name); !near(got, c.want) {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
	s := experiments.Summarize(col(t, tab, "steps"))
	if s.Mean != 0.75 || s.Median != 1 {
		t.Errorf("steps summary %+v, want mean 0.75, median 1", s)
	}
}

// mixtureStates returns three orthogonal patterns of 8 units and states that are, in order: ξ⁰,
// −ξ¹, sign(ξ⁰ + ξ¹ + ξ²) and the all-ones state (overlap 0 with every pattern).
func mixtureStates(t *testing.T) (stored, states *hopfieldlib.Patterns) {
	stored, err := hopfieldlib.NewPatterns([][]float32{
		{1, 1, 1, 1, -1, -1, -1, -1},
		{1, 1, -1, -1, 1, 1, -1, -1},
		{1, -1, 1, -1, 1, -1, 1, -1},
	})
	if err != nil {
		t.Fatal(err)
	}
	states, err = hopfieldlib.NewPatterns([][]float32{
		{1, 1, 1, 1, -1, -1, -1, -1},
		{-1, -1, 1, 1, -1, -1, 1, 1},
		{1, 1, 1, -1, 1, -1, -1, -1}, // sums 3,1,1,−1,1,−1,−1,−3, by hand
		{1, 1, 1, 1, 1, 1, 1, 1},
	})
	if err != nil {
		t.Fatal(err)
	}
	return stored, states
}

func TestClassify(t *testing.T) {
	stored, states := mixtureStates(t)
	got, err := experiments.Classify(stored, states)
	if err != nil {
		t.Fatal(err)
	}
	want := []experiments.StateClass{experiments.StoredState, experiments.InvertedState, experiments.MixtureState, experiments.OtherState}
	if !slices.Equal(got, want) {
		t.Errorf("Classify = %v, want %v", got, want)
	}
	// A mixture with a negative sign, −ξ¹ in the mix: sign(ξ⁰ − ξ¹ + ξ²).
	neg, _ := hopfieldlib.NewPatterns([][]float32{{1, -1, 1, 1, -1, -1, 1, -1}}) // sums 1,−1,3,1,−1,−3,1,−1
	if got, _ := experiments.Classify(stored, neg); got[0] != experiments.MixtureState {
		t.Errorf("Classify(sign(ξ⁰−ξ¹+ξ²)) = %v, want mixture", got[0])
	}
	// With two patterns there are no 3-mixtures.
	two, _ := stored.First(2)
	if got, _ := experiments.Classify(two, states); got[2] != experiments.OtherState {
		t.Errorf("with 2 patterns, state 2 is %v, want other", got[2])
	}
	if s := experiments.StateClass(9).String(); s != "StateClass(9)" {
		t.Errorf("String = %q", s)
	}
}

func TestSpuriousCensusOnFake(t *testing.T) {
	stored, _ := mixtureStates(t)
	// Radius 1: every state is within 8 units of ξ⁰, so every start ends there.
	mem := newFake(stored, 3, 1)
	prog := &progressLog{t: t}
	tab, err := experiments.SpuriousCensus(context.Background(), mem, experiments.CensusConfig{Starts: 10, Batch: 4, Progress: prog})
	if err != nil {
		t.Fatal(err)
	}
	prog.check(10)
	if mem.recalls != 3 { // batches of 4, 4, 2
		t.Errorf("%d recalls, want 3", mem.recalls)
	}
	classes, _ := tab.TextCol("class")
	if !slices.Equal(classes, []string{"stored", "inverted", "mixture of 3", "other", "not converged"}) {
		t.Errorf("classes %v", classes)
	}
	if got := col(t, tab, "count"); !near(got, []float64{10, 0, 0, 0, 0}) {
		t.Errorf("count = %v", got)
	}
	if got := col(t, tab, "fraction"); !near(got, []float64{1, 0, 0, 0, 0}) {
		t.Errorf("fraction = %v", got)
	}
	if got := col(t, tab, "distinct"); !near(got, []float64{1, 0, 0, 0, 0}) {
		t.Errorf("distinct = %v", got)
	}
}

// TestCancellation: a context cancelled during the first recall stops every experiment before
// the next one, with ctx.Err().
func TestCancellation(t *testing.T) {
	stored := spins(t, 4, 20, 4)
	runs := map[string]func(ctx context.Context, mem *fakeMemory) error{
		"NoiseRobustness": func(ctx context.Context, mem *fakeMemory) error {
			_, err := experiments.NoiseRobustness(ctx, mem, experiments.NoiseConfig{Levels: []float64{0, 0.1, 0.2}, Seeds: []uint64{1, 2}})
			return err
		},
		"Capacity": func(ctx context.Context, mem *fakeMemory) error {
			_, err := experiments.Capacity(ctx, experiments.CapacityConfig{N: 20, Ks: []int{1, 2, 3, 4},
				Build: func(*hopfieldlib.Patterns) (hopfieldlib.Memory, error) { return mem, nil }})
			return err
		},
		"BetaSweep": func(ctx context.Context, mem *fakeMemory) error {
			_, err := experiments.BetaSweep(ctx, stored, experiments.BetaConfig{Betas: []float64{1, 2, 3}, Probes: stored,
				Build: func(*hopfieldlib.Patterns, float64) (hopfieldlib.Memory, error) { return mem, nil }})
			return err
		},
		"ConvergenceSpeed": func(ctx context.Context, mem *fakeMemory) error {
			_, err := experiments.ConvergenceSpeed(ctx, mem, experiments.ConvergenceConfig{Probes: stored, Seeds: []uint64{1, 2, 3}})
			return err
		},
		"SpuriousCensus": func(ctx context.Context, mem *fakeMemory) error {
			_, err := experiments.SpuriousCensus(ctx, mem, experiments.CensusConfig{Starts: 100, Batch: 10})
			return err
		},
	}
	for name, run := range runs {
		ctx, cancel := context.WithCancel(context.Background())
		mem := newFake(stored, 4, 0.25)
		mem.onRecall = cancel
		err := run(ctx, mem)
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s: got %v, want context.Canceled", name, err)
		}
		if mem.recalls != 1 {
			t.Errorf("%s: %d recalls after cancelling in the first, want 1", name, mem.recalls)
		}
		// Already cancelled: no recall at all.
		mem.recalls = 0
		if err := run(ctx, mem); !errors.Is(err, context.Canceled) || mem.recalls != 0 {
			t.Errorf("%s with a cancelled context: %v after %d recalls", name, err, mem.recalls)
		}
	}
}
