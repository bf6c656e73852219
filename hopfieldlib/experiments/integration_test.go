package experiments_test

import (
	"context"
	"math/rand/v2"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/experiments"
)

// Integration tests: the experiments on the library's real models.

// TestClassicalCapacityTransition: random patterns at N = 1000 in a Hebbian network. Exact
// stability of a stored pattern needs all N bits aligned: per bit the error probability is
// Φ(−1/√α) (signal 1, crosstalk noise of variance α), so P(stable) = (1 − Φ(−1/√α))^N ≈ 0.996 at
// α = 0.05 and ≈ 0.03 at α = 0.138: stability is lost around N/(2 ln N) ≈ 72 patterns (McEliece).
// Retrieval with a few wrong bits survives up to α_c ≈ 0.138 (Amit, Gutfreund & Sompolinsky):
// the overlap after recall from a stored pattern stays ≈ 0.97+ below it and collapses above.
func TestClassicalCapacityTransition(t *testing.T) {
	if testing.Short() {
		t.Skip("N = 1000 sweep")
	}
	alphas := []float64{0.05, 0.10, 0.12, 0.14, 0.16, 0.20}
	tab, err := experiments.Capacity(context.Background(), experiments.CapacityConfig{
		N: 1000, Ks: experiments.LoadsToKs(1000, alphas...), Seeds: []uint64{1, 2},
		Build: experiments.Classical(hopfieldlib.ClassicalConfig{}), MaxProbes: 40,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", tab.Markdown())
	stable, overlap := col(t, tab, "stable"), col(t, tab, "overlap")
	if stable[0] < 0.9 {
		t.Errorf("α = 0.05: %.3f of the patterns stable, want ≥ 0.9", stable[0])
	}
	if stable[3] > 0.15 {
		t.Errorf("α = 0.14: %.3f of the patterns stable, want ≤ 0.15", stable[3])
	}
	for i := 1; i < len(stable); i++ {
		if stable[i] > stable[i-1]+0.05 {
			t.Errorf("stable fraction rises from α = %v to %v: %v", alphas[i-1], alphas[i], stable)
		}
	}
	if overlap[1] < 0.95 || overlap[2] < 0.95 {
		t.Errorf("overlap after recall at α = 0.10, 0.12: %v, want ≥ 0.95 (below α_c)", overlap[1:3])
	}
	if overlap[5] > 0.7 {
		t.Errorf("overlap after recall at α = 0.20: %.3f, want ≤ 0.7 (above α_c)", overlap[5])
	}
}

// TestClassicalSpuriousCensus: a small Hebbian network (N = 100, K = 3) has the stored patterns,
// their negations and the 3-mixtures as attractors, and random starts find all three kinds.
func TestClassicalSpuriousCensus(t *testing.T) {
	net, err := hopfieldlib.NewClassical(spins(t, 3, 100, 11), hopfieldlib.ClassicalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := experiments.SpuriousCensus(context.Background(), net, experiments.CensusConfig{Starts: 400, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", tab.Markdown())
	count, distinct := col(t, tab, "count"), col(t, tab, "distinct")
	var sum float64
	for _, c := range count {
		sum += c
	}
	if sum != 400 {
		t.Errorf("counts add up to %v, want 400", sum)
	}
	for i, name := range []string{"stored", "inverted", "mixture of 3"} {
		if count[i] == 0 {
			t.Errorf("no %s states in 400 random starts", name)
		}
	}
	if distinct[0] > 3 || distinct[1] > 3 || distinct[2] > 8 {
		t.Errorf("distinct states %v: at most 3 stored, 3 inverted, 8 mixtures exist", distinct)
	}
	if count[4] != 0 {
		t.Errorf("%v asynchronous recalls did not converge", count[4])
	}
}

// TestClassicalNoiseRobustness: 5 patterns in 200 units (α = 0.025) are recalled exactly from 10%
// and 25% flipped bits, and not from 50% (the probe is then unrelated to its pattern).
func TestClassicalNoiseRobustness(t *testing.T) {
	net, err := hopfieldlib.NewClassical(spins(t, 5, 200, 12), hopfieldlib.ClassicalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	tab, err := experiments.NoiseRobustness(context.Background(), net, experiments.NoiseConfig{
		Levels: []float64{0, 0.1, 0.25, 0.5}, Seeds: []uint64{1, 2, 3},
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", tab.Markdown())
	acc := col(t, tab, "accuracy")
	if acc[0] != 1 || acc[1] != 1 || acc[2] < 0.9 || acc[3] > 0.5 {
		t.Errorf("accuracy %v, want 1, 1, ≥ 0.9, ≤ 0.5", acc)
	}
}

// TestContinuousBetaSweep: K = 10 spin patterns of 64 units, probes with the second half zeroed.
// At β = 0.001 the fixed point is nearly the average of all patterns (about 10 mixed); at β = 1
// the scores differ by ≈ 32 between the right pattern and the others, so one pattern is retrieved.
func TestContinuousBetaSweep(t *testing.T) {
	stored := spins(t, 10, 64, 13)
	mask, _ := hopfieldlib.BottomHalf(8, 8)
	probes, err := mask.Apply(stored, 0)
	if err != nil {
		t.Fatal(err)
	}
	tab, err := experiments.BetaSweep(context.Background(), stored, experiments.BetaConfig{
		Betas: []float64{0.001, 0.05, 1, 8}, Probes: probes, Tol: 1e-3,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("\n%s", tab.Markdown())
	mixed, acc, ent := col(t, tab, "mixed"), col(t, tab, "accuracy"), col(t, tab, "entropy")
	if mixed[0] < 8 || mixed[2] > 1.01 || mixed[3] > 1.01 {
		t.Errorf("patterns mixed %v: want ≈ 10 at β = 0.001 and ≈ 1 at β ≥ 1", mixed)
	}
	if acc[0] != 0 || acc[2] != 1 || acc[3] != 1 {
		t.Errorf("accuracy %v: want 0 at β = 0.001 and 1 at β ≥ 1", acc)
	}
	for i := 1; i < len(ent); i++ {
		if ent[i] > ent[i-1]+1e-9 {
			t.Errorf("entropy rises with β: %v", ent)
		}
	}
}

// TestConvergenceClassicalVsContinuous: from 20% flipped bits, classical asynchronous recall and
// the continuous network at β = 1 both retrieve every pattern, in a few steps.
func TestConvergenceClassicalVsContinuous(t *testing.T) {
	stored := spins(t, 5, 200, 14)
	probes, err := hopfieldlib.FlipBits(stored, 0.2, rand.New(rand.NewPCG(1, 2)))
	if err != nil {
		t.Fatal(err)
	}
	classical, err := hopfieldlib.NewClassical(stored, hopfieldlib.ClassicalConfig{})
	if err != nil {
		t.Fatal(err)
	}
	continuous, err := hopfieldlib.NewContinuous(stored, 1, hopfieldlib.ContinuousConfig{})
	if err != nil {
		t.Fatal(err)
	}
	for name, mem := range map[string]hopfieldlib.Memory{"classical": classical, "continuous": continuous} {
		tab, err := experiments.ConvergenceSpeed(context.Background(), mem, experiments.ConvergenceConfig{
			Probes: probes, Seeds: []uint64{1, 2}, Tol: 1e-3,
		})
		if err != nil {
			t.Fatal(err)
		}
		steps := experiments.Summarize(col(t, tab, "steps"))
		ret := experiments.Summarize(col(t, tab, "retrieved"))
		t.Logf("%s: steps %+v", name, steps)
		if ret.Min != 1 || steps.Min < 1 || steps.Max > 5 {
			t.Errorf("%s: retrieved %+v, steps %+v: want all retrieved in 1…5 steps", name, ret, steps)
		}
	}
}

// TestDenseBeyondClassicalCapacity: at N = 100, K = 40 (α = 0.4, three times 0.138) the
// classical network keeps almost no pattern stable, while the dense memory with F(x) = x³, whose
// capacity scales as N²/(6 ln N) ≈ 362 here, keeps them all. Its census: random starts end in
// stored patterns, and not in inverted ones (F is odd, so −ξ maximises the energy term of ξ).
func TestDenseBeyondClassicalCapacity(t *testing.T) {
	cfg := experiments.CapacityConfig{N: 100, Ks: []int{40}, Seeds: []uint64{1, 2}, Noise: 0.1}
	cfg.Build = experiments.Classical(hopfieldlib.ClassicalConfig{})
	classical, err := experiments.Capacity(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	cfg.Build = experiments.Dense(hopfieldlib.Polynomial(3), hopfieldlib.DenseConfig{})
	dense, err := experiments.Capacity(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("classical\n%s\ndense x³\n%s", classical.Markdown(), dense.Markdown())
	if s := col(t, classical, "stable")[0]; s > 0.1 {
		t.Errorf("classical at α = 0.4: %.3f stable, want ≈ 0", s)
	}
	if s, r := col(t, dense, "stable")[0], col(t, dense, "recall")[0]; s != 1 || r < 0.95 {
		t.Errorf("dense x³ at α = 0.4: %.3f stable, %.3f recalled from 10%% noise; want 1 and ≥ 0.95", s, r)
	}

	net, err := hopfieldlib.NewDense(spins(t, 10, 100, 15), hopfieldlib.Polynomial(3), hopfieldlib.DenseConfig{})
	if err != nil {
		t.Fatal(err)
	}
	census, err := experiments.SpuriousCensus(context.Background(), net, experiments.CensusConfig{Starts: 200, Seed: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dense census\n%s", census.Markdown())
	if c := col(t, census, "count"); c[0] < 150 || c[1] != 0 {
		t.Errorf("dense census %v: want most of 200 starts to end in a stored pattern, none inverted", c)
	}
}
