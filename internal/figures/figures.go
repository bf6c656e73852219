// Package figures reproduces the headline results of the Hopfield tutorials on the shipped data:
// each Study runs one experiment, draws its figures, and states what it measured next to what
// the tutorials claim, with the protocol. `hopfield figures` runs every study into a folder and
// writes the results table (results.md) that the README quotes.
//
// The studies are deterministic (fixed seeds), so two runs write the same numbers.
package figures

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/datasets"
	"github.com/hopfieldlib/hopfield/hopfieldlib/experiments"
	"github.com/hopfieldlib/hopfield/hopfieldlib/plots"
)

// Verdict says how a measurement compares with a tutorial's claim.
type Verdict string

const (
	Reproduced Verdict = "reproduced"
	Partly     Verdict = "partly"
	Refuted    Verdict = "not reproduced"
	Beyond     Verdict = "beyond the tutorials"
)

// Claim is one row of the results table.
type Claim struct {
	// Topic is the model family or question, e.g. "classical: MNIST, half-masked".
	Topic string
	// Claimed is what the tutorials say ("—" for results beyond them).
	Claimed string
	// Protocol is how it was measured here: data, sizes, probes, criterion, seeds.
	Protocol string
	// Measured is the result, with numbers.
	Measured string
	Verdict  Verdict
	// Figure is the file name (PNG) of the figure that shows it.
	Figure string
}

// Figure is one figure of a study: Name is the file stem ("classical-mnist").
type Figure struct {
	Name string
	Fig  *plots.Figure
}

// Report is what a study produces.
type Report struct {
	Figures []Figure
	Claims  []Claim
	// Tables are the measured tables, written as CSV next to the figures.
	Tables []*experiments.Table
}

// Study is one experiment of the results table.
type Study struct {
	// Name is the study's identifier (the -only flag of `hopfield figures`).
	Name string
	Run  func(ctx context.Context, d *Data) (*Report, error)
}

// Data holds the data sets the studies share, loaded once.
type Data struct {
	// MNIST is the first 1,000 digits of data/mnist (100 of each class, round-robin).
	MNIST *datasets.Set
	// Faces is the 28 Noto heads in their default colour (data/faces, skin tones left out).
	Faces *datasets.Set
	// Progress hears about long sweeps; nil for none.
	Progress experiments.Progress
}

// LoadData reads the data sets from the data folder (see datasets.Dir).
func LoadData() (*Data, error) {
	mnist, err := datasets.MNIST(1000)
	if err != nil {
		return nil, err
	}
	faces, err := datasets.Faces()
	if err != nil {
		return nil, err
	}
	var keep []int
	for i, name := range faces.Names {
		if !strings.Contains(name, "skin-tone") {
			keep = append(keep, i)
		}
	}
	faces, err = faces.Subset(keep...)
	if err != nil {
		return nil, err
	}
	return &Data{MNIST: mnist, Faces: faces}, nil
}

// Studies returns every study, in the order of the results table.
func Studies() []Study {
	return []Study{
		{Name: "classical-mnist", Run: classicalMNIST},
		{Name: "capacity", Run: classicalCapacity},
		{Name: "dense-mnist", Run: denseMNIST},
		{Name: "continuous-mnist", Run: continuousMNIST},
		{Name: "faces-noise", Run: facesNoise},
		{Name: "convergence", Run: convergence},
		{Name: "beta", Run: betaSweep},
	}
}

// Options configures Run.
type Options struct {
	// Dir receives the figures (PNG), the tables (CSV) and results.md.
	Dir string
	// Only, if not empty, names the studies to run.
	Only []string
	// Log hears one line per study; nil for none.
	Log io.Writer
}

// Run runs the studies into opts.Dir and returns their claims. The folder is created; files in
// it with the same names are replaced.
func Run(ctx context.Context, d *Data, opts Options) ([]Claim, error) {
	studies, err := selectStudies(opts.Only)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return nil, err
	}
	logf := func(format string, args ...any) {
		if opts.Log != nil {
			fmt.Fprintf(opts.Log, format, args...)
		}
	}
	var claims []Claim
	start := time.Now()
	for _, s := range studies {
		t := time.Now()
		rep, err := s.Run(ctx, d)
		if err != nil {
			return nil, fmt.Errorf("study %s: %w", s.Name, err)
		}
		var files []string
		for _, f := range rep.Figures {
			name := f.Name + ".png"
			if err := f.Fig.Save(filepath.Join(opts.Dir, name)); err != nil {
				return nil, fmt.Errorf("study %s: %w", s.Name, err)
			}
			files = append(files, name)
		}
		for i, tab := range rep.Tables {
			name := fmt.Sprintf("%s-%d.csv", s.Name, i+1)
			if err := writeCSV(filepath.Join(opts.Dir, name), tab); err != nil {
				return nil, fmt.Errorf("study %s: %w", s.Name, err)
			}
			files = append(files, name)
		}
		claims = append(claims, rep.Claims...)
		logf("%-17s %5.1f s  %s\n", s.Name, time.Since(t).Seconds(), strings.Join(files, " "))
	}
	if err := os.WriteFile(filepath.Join(opts.Dir, "results.md"), []byte(ResultsMarkdown(claims, "")), 0o644); err != nil {
		return nil, err
	}
	logf("%-17s %5.1f s  results.md (%d claims)\n", "total", time.Since(start).Seconds(), len(claims))
	return claims, nil
}

func selectStudies(only []string) ([]Study, error) {
	all := Studies()
	if len(only) == 0 {
		return all, nil
	}
	var out []Study
	for _, name := range only {
		found := false
		for _, s := range all {
			if s.Name == name {
				out = append(out, s)
				found = true
			}
		}
		if !found {
			var names []string
			for _, s := range all {
				names = append(names, s.Name)
			}
			return nil, fmt.Errorf("%w: no study named %q; the studies are %s",
				hopfieldlib.ErrParameter, name, strings.Join(names, ", "))
		}
	}
	return out, nil
}

func writeCSV(path string, t *experiments.Table) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return t.WriteCSV(f)
}

// ResultsMarkdown is the results table: one row per claim, with links to the figures, each
// prefixed by linkPrefix ("" in results.md beside them, "figures/" in the README).
func ResultsMarkdown(claims []Claim, linkPrefix string) string {
	var b strings.Builder
	b.WriteString("| Topic | Tutorials claim | Protocol here | Measured here | Verdict | Figure |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	cell := func(s string) string { return strings.ReplaceAll(s, "|", `\|`) }
	for _, c := range claims {
		fig := ""
		if c.Figure != "" {
			fig = fmt.Sprintf("[%s](%s%s)", strings.TrimSuffix(c.Figure, ".png"), linkPrefix, c.Figure)
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n",
			cell(c.Topic), cell(c.Claimed), cell(c.Protocol), cell(c.Measured), c.Verdict, fig)
	}
	return b.String()
}
