package figures

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/experiments"
	"github.com/hopfieldlib/hopfield/hopfieldlib/plots"
)

// denseModel is one model of the dense comparison.
type denseModel struct {
	name  string
	build func(stored *hopfieldlib.Patterns) (hopfieldlib.Memory, error)
}

func denseModels() []denseModel {
	models := []denseModel{{name: "classical", build: func(s *hopfieldlib.Patterns) (hopfieldlib.Memory, error) {
		return hopfieldlib.NewClassical(s, hopfieldlib.ClassicalConfig{})
	}}}
	for _, n := range []int{3, 6, 10, 15} {
		f := hopfieldlib.Polynomial(n)
		models = append(models, denseModel{name: fmt.Sprintf("x^%d", n), build: func(s *hopfieldlib.Patterns) (hopfieldlib.Memory, error) {
			return hopfieldlib.NewDense(s, f, hopfieldlib.DenseConfig{})
		}})
	}
	f := hopfieldlib.Exponential(1)
	models = append(models, denseModel{name: "exp", build: func(s *hopfieldlib.Patterns) (hopfieldlib.Memory, error) {
		return hopfieldlib.NewDense(s, f, hopfieldlib.DenseConfig{})
	}})
	return models
}

// denseMNIST: 10, 100 and 1,000 half-masked binarized MNIST digits in the classical network and in
// dense memories with F = x^n and exp (Demircigil et al. 2017; Krotov & Hopfield 2016).
func denseMNIST(ctx context.Context, d *Data) (*Report, error) {
	ks := []int{10, 100, 1000}
	models := denseModels()
	exact := make([][]float64, len(ks)) // [k][model]
	ceiling := make([]float64, len(ks)) // probes whose closest stored pattern is the right one
	var grid *plots.Figure
	for i, k := range ks {
		stored, probes, err := maskedSpinProbes(d, k)
		if err != nil {
			return nil, err
		}
		if ceiling[i], err = hopfieldlib.NearestAccuracy(stored, probes, nil); err != nil {
			return nil, err
		}
		for _, m := range models {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			mem, err := m.build(stored)
			if err != nil {
				return nil, err
			}
			// Near the edge of what a memory can do the update order matters: the mean of
			// denseSeeds orders (the grid shows the first).
			var res *hopfieldlib.RecallResult
			var failed []bool
			mean, seeds := 0.0, uint64(denseSeeds)
			if k > 100 {
				seeds = 1 // the order barely matters at K = 1,000, and it is the slow case
			}
			for s := uint64(1); s <= seeds; s++ {
				r, ex, _, f, err := recallScore(mem, probes, asyncOptions(s), 0)
				if err != nil {
					return nil, err
				}
				if s == 1 {
					res, failed = r, f
				}
				mean += ex / float64(seeds)
			}
			exact[i] = append(exact[i], mean)
			if m.name == "x^3" && k == 100 {
				first := 12
				s, _ := stored.First(first)
				p, _ := probes.First(first)
				r, _ := res.States.First(first)
				grid, err = plots.ImageGrid(d.MNIST.Height, d.MNIST.Width, []plots.GridRow{
					{Label: "stored", Images: s}, {Label: "probe", Images: p},
					{Label: "recalled", Images: r, Highlight: failed[:first]},
				}, plots.GridOptions{Title: "Dense memory F = x³, K = 100 digits: the first 12 (framed: not recalled)", CellWidth: 48})
				if err != nil {
					return nil, err
				}
			}
		}
	}
	names := make([]string, len(models)+1)
	for j, m := range models {
		names[j] = m.name
	}
	names[len(models)] = "closest"
	for i := range ks { // the last category: a memory that returned the closest stored pattern
		exact[i] = append(exact[i], ceiling[i])
	}
	var series []plots.BarSeries
	for i, k := range ks {
		series = append(series, plots.BarSeries{Name: fmt.Sprintf("K = %d", k), Values: exact[i]})
	}
	bars, err := plots.Bars(names, series, plots.BarOptions{
		Title:  "Half-masked MNIST digits recalled exactly",
		XLabel: "separation function F, or the probe's closest stored digit", YLabel: "fraction recalled exactly",
		YRange: plots.Range{Min: 0, Max: 1.05}, Legend: plots.LegendTopLeft,
	})
	if err != nil {
		return nil, err
	}
	cols := []experiments.Column{{Name: "model", Text: names}}
	for i, k := range ks {
		cols = append(cols, experiments.Column{Name: fmt.Sprintf("K%d", k), Values: exact[i]})
	}
	tab, err := experiments.NewTable("dense memories: binarized MNIST, half-masked probes, fraction recalled exactly", cols...)
	if err != nil {
		return nil, err
	}
	var parts []string
	for j, m := range models[1:len(models)] {
		parts = append(parts, fmt.Sprintf("%s %.0f/%.0f/%.0f%%", m.name, 100*exact[0][j+1], 100*exact[1][j+1], 100*exact[2][j+1]))
	}
	tutorial, rectified, err := denseTutorialClaims(ctx, d)
	if err != nil {
		return nil, err
	}
	return &Report{
		Figures: []Figure{{Name: "dense-mnist", Fig: bars}, {Name: "dense-mnist-grid", Fig: grid}, {Name: "dense-rectified", Fig: rectified}},
		Tables:  []*experiments.Table{tab},
		Claims: append(tutorial, Claim{
			Topic:    "dense memories: MNIST from half-masked probes, every probe",
			Claimed:  "—",
			Protocol: fmt.Sprintf("first K digits, spins, bottom half −1, async energy-difference rule until stable; recalled = every bit right; mean of %d update orders (one at K = 1,000); K = 10 / 100 / 1,000", denseSeeds),
			Measured: fmt.Sprintf("recalled at K = 10/100/1,000: classical %.0f/%.0f/%.0f%%; %s. The probe's closest stored digit is the right one for %.0f/%.0f/%.0f%%: exp reaches that ceiling, the failures are digits whose top half is closer to another digit",
				100*exact[0][0], 100*exact[1][0], 100*exact[2][0], strings.Join(parts, "; "), 100*ceiling[0], 100*ceiling[1], 100*ceiling[2]),
			Verdict: Beyond,
			Figure:  "dense-mnist.png",
		}),
	}, nil
}

// denseSeeds is the number of update orders the dense MNIST measurements average over.
const denseSeeds = 5

// denseTutorialClaims measures the three dense-memory demonstrations with their own protocols:
// x^15 against the classical network on 10 digits (one probe shown), the rectified x^6 from
// probes with a random half masked (one query shown), and Demircigil's exponential with the
// energies divided by 10 (the first 6 probes shown).
func denseTutorialClaims(ctx context.Context, d *Data) ([]Claim, *plots.Figure, error) {
	stored, probes, err := maskedSpinProbes(d, 10)
	if err != nil {
		return nil, nil, err
	}
	// recalledOver returns, over denseSeeds update orders, the mean fraction of probes recalled
	// exactly and in how many orders probe b was recalled.
	recalledOver := func(mem hopfieldlib.Memory, probes *hopfieldlib.Patterns, b int) (mean float64, orders int, err error) {
		for s := uint64(1); s <= denseSeeds; s++ {
			_, ex, _, failed, err := recallScore(mem, probes, asyncOptions(s), 0)
			if err != nil {
				return 0, 0, err
			}
			mean += ex / denseSeeds
			if !failed[b] {
				orders++
			}
		}
		return mean, orders, nil
	}
	classical, err := hopfieldlib.NewClassical(stored, hopfieldlib.ClassicalConfig{})
	if err != nil {
		return nil, nil, err
	}
	x15, err := hopfieldlib.NewDense(stored, hopfieldlib.Polynomial(15), hopfieldlib.DenseConfig{})
	if err != nil {
		return nil, nil, err
	}
	const four = 4 // the probe shown: the round-robin order puts a 4 at index 4
	cMean, cFour, err := recalledOver(classical, probes, four)
	if err != nil {
		return nil, nil, err
	}
	pMean, pFour, err := recalledOver(x15, probes, four)
	if err != nil {
		return nil, nil, err
	}
	polyVerdict := Partly
	if pFour == denseSeeds && pMean >= cMean+0.5 {
		polyVerdict = Reproduced
	}
	poly := Claim{
		Topic:    "dense: x^15 against the classical network",
		Claimed:  "with the same 10 digits, x^15 \"distinguishes far more effectively\" (one probe shown, a 4)",
		Protocol: fmt.Sprintf("10 digits (one per class), spins, bottom half −1, async until stable, %d update orders; recalled = every bit right", denseSeeds),
		Measured: fmt.Sprintf("the 4 is recalled in %d of %d orders by x^15, %d of %d by the classical network; all 10 probes: %.0f%% against %.0f%%",
			pFour, denseSeeds, cFour, denseSeeds, 100*pMean, 100*cMean),
		Verdict: polyVerdict,
		Figure:  "dense-mnist-grid.png",
	}

	// Rectified x^6, a random half of each probe set to −1: are the stored digits even fixed points?
	fixedPoints := func(f hopfieldlib.Separation) (int, error) {
		net, err := hopfieldlib.NewDense(stored, f, hopfieldlib.DenseConfig{})
		if err != nil {
			return 0, err
		}
		next, err := net.Step(stored, hopfieldlib.RecallOptions{Dynamics: hopfieldlib.Sync})
		if err != nil {
			return 0, err
		}
		n := 0
		for mu := range stored.Len() {
			if h, _ := hopfieldlib.Hamming(next.Row(mu), stored.Row(mu)); h == 0 {
				n++
			}
		}
		return n, nil
	}
	random := func(seed uint64) (*hopfieldlib.Patterns, error) {
		return hopfieldlib.MaskRandom(stored, 0.5, -1, rand.New(rand.NewPCG(seed, 9)))
	}
	rows := []plots.GridRow{{Label: "stored", Images: stored}}
	first, err := random(1)
	if err != nil {
		return nil, nil, err
	}
	rows = append(rows, plots.GridRow{Label: "50% set to −1", Images: first})
	var relu []string
	var relu6 float64
	for _, n := range []int{6, 10, 15} {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		f := hopfieldlib.RectifiedPolynomial(n)
		fixed, err := fixedPoints(f)
		if err != nil {
			return nil, nil, err
		}
		net, err := hopfieldlib.NewDense(stored, f, hopfieldlib.DenseConfig{})
		if err != nil {
			return nil, nil, err
		}
		mean := 0.0
		for s := uint64(1); s <= denseSeeds; s++ {
			p, err := random(s)
			if err != nil {
				return nil, nil, err
			}
			res, ex, _, failed, err := recallScore(net, p, asyncOptions(s), 0)
			if err != nil {
				return nil, nil, err
			}
			mean += ex / denseSeeds
			if s == 1 {
				rows = append(rows, plots.GridRow{Label: f.String(), Images: res.States, Highlight: failed})
			}
		}
		if n == 6 {
			relu6 = mean
		}
		relu = append(relu, fmt.Sprintf("%s %.0f%% (stored digits that are fixed points: %d of 10)", f, 100*mean, fixed))
	}
	grid, err := plots.ImageGrid(d.MNIST.Height, d.MNIST.Width, rows, plots.GridOptions{
		Title: "Rectified polynomials, 10 digits, a random half of each probe set to −1 (framed: not recalled)", CellWidth: 48})
	if err != nil {
		return nil, nil, err
	}
	reluVerdict := Reproduced
	if relu6 < 0.5 {
		reluVerdict = Refuted
	}
	rect := Claim{
		Topic:    "dense: rectified x^6 from randomly masked probes",
		Claimed:  "10 digits stored with max(x, 0)^6; a query with a random 50% of its pixels masked is recalled (one query shown)",
		Protocol: fmt.Sprintf("10 digits (one per class), spins, a random 50%% of each probe set to −1, async until stable, %d masks and update orders; recalled = every bit right", denseSeeds),
		Measured: fmt.Sprintf("recalled: %s. With x^6 the stored digits are not fixed points (at an ink pixel the other nine digits lack, their pull outweighs the digit's own), so no protocol recalls them exactly; n ≥ 10 does",
			strings.Join(relu, "; ")),
		Verdict: reluVerdict,
		Figure:  "dense-rectified.png",
	}

	// Demircigil et al.'s exponential with the energies divided by 10: F(x) = exp(x/10).
	var expParts []string
	var exp10, exp100shown float64
	for _, k := range []int{10, 100} {
		st, pr, err := maskedSpinProbes(d, k)
		if err != nil {
			return nil, nil, err
		}
		net, err := hopfieldlib.NewDense(st, hopfieldlib.Exponential(0.1), hopfieldlib.DenseConfig{})
		if err != nil {
			return nil, nil, err
		}
		mean, shownOK := 0.0, 0.0
		for s := uint64(1); s <= denseSeeds; s++ {
			_, ex, _, failed, err := recallScore(net, pr, asyncOptions(s), 0)
			if err != nil {
				return nil, nil, err
			}
			mean += ex / denseSeeds
			for b := range 6 {
				if !failed[b] {
					shownOK += 1.0 / denseSeeds
				}
			}
		}
		if k == 10 {
			exp10 = mean
		} else {
			exp100shown = shownOK
		}
		expParts = append(expParts, fmt.Sprintf("K = %d: the first 6 probes %.1f of 6, every probe %.0f%%", k, shownOK, 100*mean))
	}
	expVerdict := Partly
	if exp10 == 1 && exp100shown < 6 {
		expVerdict = Reproduced
	}
	exp := Claim{
		Topic:    "dense (Demircigil): exponential on MNIST",
		Claimed:  "10 digits without degradation; \"some incorrect retrievals\" with 100 (the first 6 probes shown)",
		Protocol: fmt.Sprintf("first K digits, spins, bottom half −1 (the tutorial zeroes it; the library's probes are ±1), F(x) = exp(x/10) (energies divided by 10 before exp), async until stable, %d update orders; recalled = every bit right", denseSeeds),
		Measured: strings.Join(expParts, "; "),
		Verdict:  expVerdict,
		Figure:   "dense-mnist.png",
	}
	return []Claim{poly, rect, exp}, grid, nil
}
