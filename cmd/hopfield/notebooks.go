package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/hopfieldlib/hopfield/hopfieldlib/checks"
	"github.com/hopfieldlib/hopfield/internal/kernel"
	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// runExecute runs notebooks headless in the GoNB kernel and fails when any cell has an error
// output or a stderr stream.
func runExecute(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("execute", "[flags] [notebooks or folders…] (default notebooks/source)", stderr)
	out := fs.String("out", filepath.Join("out", "executed"), "folder for the executed copies")
	html := fs.Bool("html", false, "also write an HTML copy of each executed notebook (jupyter nbconvert --to html)")
	cellTimeout := fs.Duration("cell-timeout", 5*time.Minute, "time limit for one cell (0: none)")
	timeout := fs.Duration("timeout", 15*time.Minute, "time limit for one notebook, kernel start included (0: none)")
	memory := fs.String("memory", "0", "memory cap for the kernel and its cells, e.g. 4GiB (0: none)")
	kernelName := fs.String("kernel", "gonb", "Jupyter kernel spec to run the notebooks in")
	allowNI := fs.Bool("allow-not-implemented", false,
		"student versions: a \"not implemented\" panic is expected in exercise cells (nbgrader solution or grade cells); implies -keep-going")
	keepGoing := fs.Bool("keep-going", false, "run every cell even after one fails, to report all problems")
	verbose := fs.Bool("v", false, "print each cell's time")
	showLatency := fs.Bool("latency", false, "print how long each notebook's code cells took from execute request to reply (first, median, p90, max), and over all notebooks")
	goWork := fs.String("go-work", "", "module folders the kernel's go.work uses, comma-separated (default: this repository)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	memLimit, err := parseBytes(*memory)
	if err != nil {
		return usagef("-memory: %v", err)
	}
	if *cellTimeout < 0 || *timeout < 0 {
		return usagef("time limits must be ≥ 0 (got -cell-timeout %v, -timeout %v)", *cellTimeout, *timeout)
	}
	inputs := fs.Args()
	if len(inputs) == 0 {
		inputs = []string{filepath.Join("notebooks", "source")}
	}
	paths, err := notebookPaths(inputs)
	if err != nil {
		return err
	}

	// Check the set-up once, with a message that says what to run.
	py, err := kernel.FindPython()
	if err != nil {
		return err
	}
	spec, err := kernel.FindSpec(py, *kernelName)
	if err != nil {
		return err
	}
	// Notebooks import the library of the checkout they are run from, whichever checkout the
	// installed kernel spec names.
	if *goWork == "" {
		if repo, err := repoRoot(); err == nil {
			*goWork = repo
		} else {
			*goWork = spec.GoWork
		}
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}

	failed := 0
	var allDurations []time.Duration // every notebook's code cells, for -latency
	for _, path := range paths {
		nb, err := notebook.Read(path)
		if err != nil {
			return err
		}
		var cellTimes []string
		var durations []time.Duration
		opts := kernel.Options{
			Kernel:          *kernelName,
			Dir:             filepath.Dir(path),
			CellTimeout:     *cellTimeout,
			Timeout:         *timeout,
			MemoryLimit:     memLimit,
			GoWork:          *goWork,
			ContinueOnError: *keepGoing || *allowNI,
			Python:          py,
			OnCell: func(cell int, d time.Duration) {
				durations = append(durations, d)
				cellTimes = append(cellTimes, fmt.Sprintf("  cell %d: %.2f s", cell, d.Seconds()))
			},
		}
		start := time.Now()
		executed, runErr := kernel.Execute(ctx, nb, opts)
		elapsed := time.Since(start)
		if executed == nil {
			if runErr == nil {
				runErr = errors.New("no result")
			}
			if errors.Is(runErr, kernel.ErrSetup) || ctx.Err() != nil {
				return fmt.Errorf("%s: %w", path, runErr)
			}
			fmt.Fprintf(stdout, "FAIL %s  %.1f s\n  %v\n", path, elapsed.Seconds(), runErr)
			failed++
			continue
		}
		dst := filepath.Join(*out, filepath.Base(path))
		if err := executed.Write(dst); err != nil {
			return err
		}
		problems, expected := judge(executed, *allowNI)
		status := "ok  "
		if len(problems) > 0 || (runErr != nil && !errors.Is(runErr, kernel.ErrCellFailed)) {
			status = "FAIL"
			failed++
		}
		note := ""
		if expected > 0 {
			note = fmt.Sprintf(", %d exercise %s not implemented (expected)", expected, plural(expected, "cell", "cells"))
		}
		fmt.Fprintf(stdout, "%s %s  %.1f s  (%d code cells%s) -> %s\n", status, path, elapsed.Seconds(), codeCells(executed), note, dst)
		if *verbose {
			for _, l := range cellTimes {
				fmt.Fprintln(stdout, l)
			}
		}
		if *showLatency {
			fmt.Fprintf(stdout, "  latency: %v\n", summarizeLatency(durations))
			allDurations = append(allDurations, durations...)
		}
		for _, p := range problems {
			fmt.Fprintf(stdout, "  %s: cell %d: %s\n", path, p.Cell, kernel.Describe(p, executed.Cells[p.Cell], 4))
		}
		if runErr != nil && !errors.Is(runErr, kernel.ErrCellFailed) && len(problems) == 0 {
			fmt.Fprintf(stdout, "  %s: %v\n", path, runErr)
		}
		if *html {
			if err := toHTML(ctx, py, dst); err != nil {
				return err
			}
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d of %d notebooks failed", failed, len(paths))
	}
	if *showLatency && len(paths) > 1 {
		fmt.Fprintf(stdout, "latency over all %d notebooks: %v\n", len(paths), summarizeLatency(allDurations))
	}
	fmt.Fprintf(stdout, "all %d %s passed\n", len(paths), plural(len(paths), "notebook", "notebooks"))
	return nil
}

// judge returns the problems that count as failures and how many "not implemented" panics were
// forgiven: with allowNI, a cell whose nbgrader metadata marks it as an exercise (solution or
// grade) may fail with a "not implemented" panic and nothing else.
func judge(nb *notebook.Notebook, allowNI bool) (problems []notebook.Problem, expected int) {
	for i, c := range nb.Cells {
		ps := c.Problems(i)
		if len(ps) == 0 {
			continue
		}
		if allowNI && isExercise(c) && allNotImplemented(ps) {
			expected++
			continue
		}
		problems = append(problems, ps...)
	}
	return problems, expected
}

func isExercise(c *notebook.Cell) bool {
	m, err := c.NBGrader()
	return err == nil && m != nil && (m.Solution || m.Grade)
}

// allNotImplemented reports whether every problem is the released stub's: its panic, or the
// feedback of a check cell (hopfieldlib/checks) whose exercise still has the stub.
func allNotImplemented(ps []notebook.Problem) bool {
	for _, p := range ps {
		if p.Kind != "stderr" || !(strings.Contains(p.Text, "panic: not implemented") || strings.Contains(p.Text, checks.StubFeedback)) {
			return false
		}
	}
	return true
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func codeCells(nb *notebook.Notebook) int {
	n := 0
	for _, c := range nb.Cells {
		if c.Type == "code" {
			n++
		}
	}
	return n
}

// notebookPaths expands folders to the .ipynb files directly in them and checks every file.
func notebookPaths(inputs []string) ([]string, error) {
	var paths []string
	for _, in := range inputs {
		st, err := os.Stat(in)
		if err != nil {
			return nil, usagef("%v", err)
		}
		if !st.IsDir() {
			if filepath.Ext(in) != ".ipynb" {
				return nil, usagef("%s is not a notebook (.ipynb)", in)
			}
			paths = append(paths, in)
			continue
		}
		found, err := filepath.Glob(filepath.Join(in, "*.ipynb"))
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, usagef("no notebooks (*.ipynb) in %s", in)
		}
		sort.Strings(found)
		paths = append(paths, found...)
	}
	seen := map[string]string{}
	for _, p := range paths {
		base := filepath.Base(p)
		if prev, ok := seen[base]; ok {
			return nil, usagef("%s and %s would both be written as %s: execute them in separate runs with different -out", prev, p, base)
		}
		seen[base] = p
	}
	return paths, nil
}

// toHTML writes an HTML copy next to the executed notebook.
func toHTML(ctx context.Context, py, path string) error {
	cmd := exec.CommandContext(ctx, py, "-m", "nbconvert", "--to", "html", "--log-level=ERROR", filepath.Base(path))
	cmd.Dir = filepath.Dir(path)
	if b, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("nbconvert --to html %s: %v\n%s", path, err, b)
	}
	return nil
}

// parseBytes reads a size such as 512MiB, 4GiB, 4G or 1073741824.
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = strings.TrimSpace(v), u.mult
			break
		}
	}
	n, err := strconv.ParseFloat(s, 64)
	if err != nil || n < 0 || n*float64(mult) > 1<<62 {
		return 0, fmt.Errorf("want a size such as 4GiB or 512MiB, got %q", s)
	}
	return int64(n * float64(mult)), nil
}

// repoRoot finds the course repository: the nearest folder above the working directory whose
// go.mod declares this module.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if b, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil &&
			strings.Contains(string(b), "module github.com/hopfieldlib/hopfield\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("not inside the course repository (no go.mod of github.com/hopfieldlib/hopfield above the working directory)")
		}
		dir = parent
	}
}
