package figures

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// TestRun runs every study once and checks the files and the measurements the README quotes:
// the numbers are deterministic (fixed seeds), so a change in the library that moves them fails
// here before it silently changes the results table.
func TestRun(t *testing.T) {
	if testing.Short() {
		t.Skip("runs every study (≈ 10 s)")
	}
	d, err := LoadData()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	var log bytes.Buffer
	claims, err := Run(context.Background(), d, Options{Dir: dir, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if len(claims) != 13 {
		t.Errorf("got %d claims, want 13", len(claims))
	}
	for _, c := range claims {
		if c.Topic == "" || c.Claimed == "" || c.Protocol == "" || c.Measured == "" || c.Verdict == "" {
			t.Errorf("claim with an empty field: %+v", c)
		}
		b, err := os.ReadFile(filepath.Join(dir, c.Figure))
		if err != nil {
			t.Errorf("claim %q: %v", c.Topic, err)
			continue
		}
		if !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("%s is not a PNG", c.Figure)
		}
	}
	md, err := os.ReadFile(filepath.Join(dir, "results.md"))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(string(md), "\n"); got != 2+len(claims) {
		t.Errorf("results.md has %d lines, want %d", got, 2+len(claims))
	}
	// The committed table (figures/results.md, quoted by the README) is what the code measures now.
	committed, err := os.ReadFile(filepath.Join("..", "..", "figures", "results.md"))
	if err != nil {
		t.Fatalf("the committed results table: %v (regenerate: go run ./cmd/hopfield figures)", err)
	}
	if !bytes.Equal(committed, md) {
		t.Errorf("figures/results.md is out of date: regenerate it with `GOEXPERIMENT=simd go run ./cmd/hopfield figures`")
	}
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(readme), ResultsMarkdown(claims, "figures/")) {
		t.Errorf("README.md does not quote the results table as measured: paste ResultsMarkdown(claims, \"figures/\") (figures/results.md with figures/ links)")
	}
	measured := map[string]string{}
	for _, c := range claims {
		measured[c.Topic] = c.Measured
	}
	for topic, want := range map[string]string{
		// The walkthrough's own protocol: 1 and 2 digits perfect, 3 not even up to sign.
		"classical: the MNIST walkthrough (one synchronous update)": "K = 1: 1 of 1; K = 2: 2 of 2; K = 3: 0 of 3",
		// Hebbian recalls 2 binarized digits, not 3; the pseudo-inverse rule recalls 10.
		"classical: MNIST from half-masked probes, to convergence": "all recalled up to K = 2; K = 3: 0%, K = 10: 0% (Storkey 10%, pseudo-inverse 100% at K = 10)",
		// x^15 recalls the 4 of the demonstration in every update order.
		"dense: x^15 against the classical network": "the 4 is recalled in 5 of 5 orders by x^15, 0 of 5 by the classical network",
		// Rectified x^6: 9 of the 10 stored digits are not even fixed points.
		"dense: rectified x^6 from randomly masked probes": "relu^6 0% (stored digits that are fixed points: 1 of 10)",
		// exp(x/10): 10 digits perfect, mistakes among the first 6 of 100.
		"dense (Demircigil): exponential on MNIST": "K = 10: the first 6 probes 6.0 of 6, every probe 100%; K = 100: the first 6 probes 4.0 of 6",
		// Raw [0, 1] pixels, counted as the demonstration counted (by class, plotted probes) and strictly.
		"continuous: MNIST, β = 8, raw pixels": "plotted probes: 0 of 5, 2 of 5, 3 of 10 wrong; every probe: 0 of 10, 19 of 100, 390 of 1,000 wrong by class. Strictly (until ‖Δξ‖ < 1e-3, every pixel within 0.1 of the digit): 0, 34 and 715 mistakes",
		// Signed pixels: one mistake at 1,000.
		"continuous: the pixel scaling fixes K = 1,000": "signed: 0 / 0 / 1 mistakes",
		"continuous: occlusion on faces, β = 5":         "100% retrieved",
	} {
		if !strings.Contains(measured[topic], want) {
			t.Errorf("%s: measured %q, want it to contain %q", topic, measured[topic], want)
		}
	}
	if !strings.Contains(log.String(), "total") {
		t.Errorf("log has no total line:\n%s", log.String())
	}
}

func TestSelectStudies(t *testing.T) {
	got, err := selectStudies([]string{"beta", "capacity"})
	if err != nil || len(got) != 2 || got[0].Name != "beta" || got[1].Name != "capacity" {
		t.Fatalf("selectStudies(beta, capacity) = %v, %v", got, err)
	}
	_, err = selectStudies([]string{"nope"})
	if !errors.Is(err, hopfieldlib.ErrParameter) || !strings.Contains(err.Error(), `no study named "nope"`) ||
		!strings.Contains(err.Error(), "classical-mnist") {
		t.Fatalf("selectStudies(nope) error = %v", err)
	}
}

func TestCrossing(t *testing.T) {
	xs := []float64{0, 1, 2, 3}
	tests := []struct {
		ys    []float64
		level float64
		want  float64
	}{
		{[]float64{1, 1, 0, 0}, 0.5, 1.5},                       // halfway between x = 1 and 2
		{[]float64{1, 0.9, 0.8, 0.7}, 0.5, 3},                   // never below: the last x
		{[]float64{1, 0.4, 0.9, 0.1}, 0.5, 1.0 - 0.1/0.6 + 0.0}, // the first crossing
	}
	for _, tt := range tests {
		if got := crossing(xs, tt.ys, tt.level); got-tt.want > 1e-12 || tt.want-got > 1e-12 {
			t.Errorf("crossing(%v, %v) = %v, want %v", tt.ys, tt.level, got, tt.want)
		}
	}
}

func TestScaleSigned(t *testing.T) {
	stored, _ := hopfieldlib.NewPatterns([][]float32{{0, 1}, {1, 0.5}})
	mask := hopfieldlib.Mask{false, true}
	ss, sp, err := scale(Signed, stored, stored, mask)
	if err != nil {
		t.Fatal(err)
	}
	// 2x − 1 for the stored patterns; the hidden unit of each probe is 0.
	if got := ss.Flat(); got[0] != -1 || got[1] != 1 || got[2] != 1 || got[3] != 0 {
		t.Errorf("signed stored = %v, want [-1 1 1 0]", got)
	}
	if got := sp.Flat(); got[0] != -1 || got[1] != 0 || got[2] != 1 || got[3] != 0 {
		t.Errorf("signed probes = %v, want [-1 0 1 0]", got)
	}
	cs, _, err := scale(Centred, stored, stored, nil)
	if err != nil {
		t.Fatal(err)
	}
	// The mean is (0.5, 0.75).
	if got := cs.Flat(); got[0] != -0.5 || got[1] != 0.25 || got[2] != 0.5 || got[3] != -0.25 {
		t.Errorf("centred = %v, want [-0.5 0.25 0.5 -0.25]", got)
	}
}

func TestValueAt(t *testing.T) {
	xs, ys := []float64{10, 100, 1000}, []float64{1, 0.66, 0.28}
	if got := valueAt(xs, ys, 100); got != 0.66 {
		t.Errorf("valueAt(100) = %v, want 0.66", got)
	}
	if got := valueAt(xs, ys, 50); got != 0 {
		t.Errorf("valueAt(50) = %v, want 0 (not among the xs)", got)
	}
}
