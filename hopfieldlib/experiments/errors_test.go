package experiments_test

import (
	"context"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/experiments"
)

// TestBetaSweepOwnWeights: a memory without Weights gets softmax(β X ξ) computed by the sweep.
// Three orthogonal patterns of 8 units and β = ln2/8: at ξ⁰ the scores are β·(8, 0, 0), so the
// weights are (½, ¼, ¼) by hand, H = 1.5 ln 2, exp(H) = 2√2.
func TestBetaSweepOwnWeights(t *testing.T) {
	stored, _ := mixtureStates(t)
	build := func(s *hopfieldlib.Patterns, _ float64) (hopfieldlib.Memory, error) { return newFake(s, 3, 0), nil }
	tab, err := experiments.BetaSweep(context.Background(), stored, experiments.BetaConfig{
		Betas: []float64{math.Ln2 / 8}, Probes: stored, Build: build,
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name string
		want float64
	}{
		{"accuracy", 1}, {"nearest_accuracy", 1}, {"entropy", 1.5 * math.Ln2},
		{"mixed", 2 * math.Sqrt2}, {"mixed_std", 0}, {"max_weight", 0.5}, {"steps", 0}, {"converged", 1},
	} {
		if got := col(t, tab, c.name)[0]; math.Abs(got-c.want) > 1e-6 {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestExperimentErrors(t *testing.T) {
	ctx := context.Background()
	stored := spins(t, 4, 20, 5)
	mem := newFake(stored, 4, 0.2)
	images, _ := hopfieldlib.RandomUniform(3, 20, rand.New(rand.NewPCG(1, 1)))
	wide := spins(t, 2, 30, 6)
	fakeBuild := func(s *hopfieldlib.Patterns) (hopfieldlib.Memory, error) { return newFake(s, 1, 0), nil }
	failBuild := func(*hopfieldlib.Patterns) (hopfieldlib.Memory, error) {
		return nil, hopfieldlib.ErrBackend
	}
	capacity := func(cfg experiments.CapacityConfig) error {
		if cfg.N == 0 {
			cfg.N = 20
		}
		if cfg.Ks == nil {
			cfg.Ks = []int{2}
		}
		_, err := experiments.Capacity(ctx, cfg)
		return err
	}
	noise := func(m hopfieldlib.Memory, cfg experiments.NoiseConfig) error {
		_, err := experiments.NoiseRobustness(ctx, m, cfg)
		return err
	}
	beta := func(st *hopfieldlib.Patterns, cfg experiments.BetaConfig) error {
		if cfg.Betas == nil {
			cfg.Betas = []float64{1}
		}
		_, err := experiments.BetaSweep(ctx, st, cfg)
		return err
	}
	conv := func(m hopfieldlib.Memory, cfg experiments.ConvergenceConfig) error {
		_, err := experiments.ConvergenceSpeed(ctx, m, cfg)
		return err
	}
	census := func(m hopfieldlib.Memory, cfg experiments.CensusConfig) error {
		_, err := experiments.SpuriousCensus(ctx, m, cfg)
		return err
	}
	levels := []float64{0.1}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"Noise nil memory", noise(nil, experiments.NoiseConfig{Levels: levels}), hopfieldlib.ErrParameter},
		{"Noise no levels", noise(mem, experiments.NoiseConfig{}), hopfieldlib.ErrEmpty},
		{"Noise NaN level", noise(mem, experiments.NoiseConfig{Levels: []float64{math.NaN()}}), hopfieldlib.ErrNotFinite},
		{"Noise level > 1", noise(mem, experiments.NoiseConfig{Levels: []float64{2}}), hopfieldlib.ErrParameter},
		{"Noise Tol < 0", noise(mem, experiments.NoiseConfig{Levels: levels, Tol: -1}), hopfieldlib.ErrParameter},
		{"Noise Probes > K", noise(mem, experiments.NoiseConfig{Levels: levels, Probes: 5}), hopfieldlib.ErrParameter},
		{"Noise Probes < 0", noise(mem, experiments.NoiseConfig{Levels: levels, Probes: -1}), hopfieldlib.ErrParameter},
		{"Noise recall fails", noise(mem, experiments.NoiseConfig{Levels: levels, Recall: hopfieldlib.RecallOptions{MaxSteps: -1}}), hopfieldlib.ErrParameter},
		{"Noise flips of images", noise(newFake(images, 3, 0), experiments.NoiseConfig{Levels: levels}), hopfieldlib.ErrNotSpin},
		{"Noise bad occlusion", noise(mem, experiments.NoiseConfig{Levels: []float64{1.5}, Corrupt: experiments.Occlusion(4, 5, 0)}), hopfieldlib.ErrParameter},
		{"Noise occlusion of wrong shape", noise(mem, experiments.NoiseConfig{Levels: levels, Corrupt: experiments.Occlusion(4, 4, 0)}), hopfieldlib.ErrShape},

		{"Capacity N=0", capacity(experiments.CapacityConfig{N: -1, Build: fakeBuild}), hopfieldlib.ErrEmpty},
		{"Capacity no Ks", capacity(experiments.CapacityConfig{Ks: []int{}, Build: fakeBuild}), hopfieldlib.ErrEmpty},
		{"Capacity K=0", capacity(experiments.CapacityConfig{Ks: []int{3, 0}, Build: fakeBuild}), hopfieldlib.ErrParameter},
		{"Capacity nil Build", capacity(experiments.CapacityConfig{}), hopfieldlib.ErrParameter},
		{"Capacity NaN noise", capacity(experiments.CapacityConfig{Build: fakeBuild, Noise: math.NaN()}), hopfieldlib.ErrNotFinite},
		{"Capacity noise > 1", capacity(experiments.CapacityConfig{Build: fakeBuild, Noise: 1.5}), hopfieldlib.ErrParameter},
		{"Capacity Tol NaN", capacity(experiments.CapacityConfig{Build: fakeBuild, Tol: math.NaN()}), hopfieldlib.ErrParameter},
		{"Capacity Build fails", capacity(experiments.CapacityConfig{Build: failBuild}), hopfieldlib.ErrBackend},
		{"Capacity Patterns of wrong shape", capacity(experiments.CapacityConfig{Build: fakeBuild,
			Patterns: func(k, n int, r *rand.Rand) (*hopfieldlib.Patterns, error) { return hopfieldlib.RandomSpins(k, n+1, r) }}), hopfieldlib.ErrShape},
		{"Capacity recall fails", capacity(experiments.CapacityConfig{Build: fakeBuild, Recall: hopfieldlib.RecallOptions{MaxSteps: -2}}), hopfieldlib.ErrParameter},

		{"Beta no betas", beta(stored, experiments.BetaConfig{Betas: []float64{}, Probes: stored}), hopfieldlib.ErrEmpty},
		{"Beta β = 0", beta(stored, experiments.BetaConfig{Betas: []float64{0}, Probes: stored}), hopfieldlib.ErrParameter},
		{"Beta β NaN", beta(stored, experiments.BetaConfig{Betas: []float64{math.NaN()}, Probes: stored}), hopfieldlib.ErrParameter},
		{"Beta β Inf", beta(stored, experiments.BetaConfig{Betas: []float64{math.Inf(1)}, Probes: stored}), hopfieldlib.ErrParameter},
		{"Beta nil stored", beta(nil, experiments.BetaConfig{Probes: stored}), hopfieldlib.ErrEmpty},
		{"Beta nil probes", beta(stored, experiments.BetaConfig{}), hopfieldlib.ErrEmpty},
		{"Beta probe width", beta(stored, experiments.BetaConfig{Probes: wide}), hopfieldlib.ErrShape},
		{"Beta Want length", beta(stored, experiments.BetaConfig{Probes: stored, Want: []int{0}}), hopfieldlib.ErrShape},
		{"Beta Want range", beta(stored, experiments.BetaConfig{Probes: stored, Want: []int{0, 1, 2, 4}}), hopfieldlib.ErrShape},
		{"Beta more probes than patterns", beta(mustFirst(t, stored, 2), experiments.BetaConfig{Probes: stored}), hopfieldlib.ErrShape},
		{"Beta Tol", beta(stored, experiments.BetaConfig{Probes: stored, Tol: math.Inf(1)}), hopfieldlib.ErrParameter},
		{"Beta β above MaxBeta", beta(stored, experiments.BetaConfig{Probes: stored, Betas: []float64{2 * hopfieldlib.MaxBeta}}), hopfieldlib.ErrParameter},

		{"Convergence nil memory", conv(nil, experiments.ConvergenceConfig{Probes: stored}), hopfieldlib.ErrParameter},
		{"Convergence nil probes", conv(mem, experiments.ConvergenceConfig{}), hopfieldlib.ErrEmpty},
		{"Convergence width", conv(mem, experiments.ConvergenceConfig{Probes: wide}), hopfieldlib.ErrShape},
		{"Convergence Want", conv(mem, experiments.ConvergenceConfig{Probes: stored, Want: []int{0, 0, 0, -1}}), hopfieldlib.ErrShape},
		{"Convergence Tol", conv(mem, experiments.ConvergenceConfig{Probes: stored, Tol: -0.5}), hopfieldlib.ErrParameter},
		{"Convergence recall fails", conv(mem, experiments.ConvergenceConfig{Probes: stored, Recall: hopfieldlib.RecallOptions{MaxSteps: -1}}), hopfieldlib.ErrParameter},

		{"Census nil memory", census(nil, experiments.CensusConfig{Starts: 1}), hopfieldlib.ErrParameter},
		{"Census no starts", census(mem, experiments.CensusConfig{}), hopfieldlib.ErrParameter},
		{"Census Batch < 0", census(mem, experiments.CensusConfig{Starts: 3, Batch: -1}), hopfieldlib.ErrParameter},
		{"Census of images", census(newFake(images, 3, 0), experiments.CensusConfig{Starts: 3}), hopfieldlib.ErrNotSpin},
		{"Census recall fails", census(mem, experiments.CensusConfig{Starts: 3, Recall: hopfieldlib.RecallOptions{MaxSteps: -1}}), hopfieldlib.ErrParameter},

		{"Classify images", second(experiments.Classify(images, stored)), hopfieldlib.ErrNotSpin},
		{"Classify image states", second(experiments.Classify(stored, images)), hopfieldlib.ErrNotSpin},
		{"Classify widths", second(experiments.Classify(stored, wide)), hopfieldlib.ErrShape},
		{"Classify nil", second(experiments.Classify(nil, stored)), hopfieldlib.ErrEmpty},
	}
	for _, tc := range tests {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: got %v, want an error wrapping %v", tc.name, tc.err, tc.want)
		}
	}
}

func mustFirst(t *testing.T, p *hopfieldlib.Patterns, k int) *hopfieldlib.Patterns {
	t.Helper()
	out, err := p.First(k)
	if err != nil {
		t.Fatal(err)
	}
	return out
}
