package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/hopfieldlib/hopfield/internal/grading"
	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// runMistakes runs the mistakes test: every mistake cell of the instructor notebooks through
// its exercise's released check and, separately, its hidden tests, in the real kernel.
func runMistakes(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("mistakes", "[flags] [SOURCE_DIR or notebooks…] (default notebooks/source)", stderr)
	minMistakes := fs.Int("min", grading.MinMistakes, "mistakes every code exercise must list (0: any number)")
	workers := fs.Int("workers", runtime.NumCPU(), "notebooks tested at once")
	cellTimeout := fs.Duration("cell-timeout", 2*time.Minute, "time limit of each cell")
	timeout := fs.Duration("timeout", 30*time.Minute, "time limit of each notebook's run (its own cells, then every mistake's)")
	memory := fs.String("memory", "4GiB", "memory limit of each notebook's kernel and programs")
	kernelName := fs.String("kernel", "gonb", "Jupyter kernel spec name")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if *workers < 1 || *minMistakes < 0 || *cellTimeout < 0 || *timeout < 0 {
		return usagef("-workers ≥ 1, -min ≥ 0 and time limits ≥ 0, please")
	}
	mem, err := parseBytes(*memory)
	if err != nil {
		return usagef("-memory: %v", err)
	}
	if len(pos) == 0 {
		pos = []string{filepath.Join("notebooks", "source")}
	}
	paths, err := notebookPaths(pos)
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	sb := &grading.Sandbox{Command: []string{exe, "grade"}, Kernel: *kernelName, CellTimeout: *cellTimeout, Timeout: *timeout, Memory: mem}
	reports := make([]*grading.MistakeReport, len(paths))
	errs := make([]error, len(paths))
	start := time.Now()
	var wg sync.WaitGroup
	sem := make(chan struct{}, *workers)
	for i, path := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			nb, err := notebook.Read(path)
			if err == nil {
				reports[i], err = grading.CheckMistakes(ctx, filepath.Base(path), nb, sb.Run)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	if ctx.Err() != nil {
		return ctx.Err()
	}
	var problems []string
	total := 0
	for i, path := range paths {
		if errs[i] != nil {
			problems = append(problems, errs[i].Error())
			fmt.Fprintf(stdout, "%s: %v\n", path, errs[i])
			continue
		}
		total += printMistakeReport(stdout, path, reports[i])
		problems = append(problems, reports[i].Problems(*minMistakes)...)
	}
	fmt.Fprintf(stdout, "\n%d mistake(s) in %d notebook(s), tested in %.0f s\n", total, len(paths), time.Since(start).Seconds())
	if len(problems) > 0 {
		fmt.Fprintf(stdout, "\n%d problem(s):\n", len(problems))
		for _, p := range problems {
			fmt.Fprintf(stdout, "  - %s\n", p)
		}
		return fmt.Errorf("the checks do not catch every listed mistake, or an exercise lists fewer than %d (see above)", *minMistakes)
	}
	fmt.Fprintln(stdout, "every mistake is rejected by the visible check and by the hidden tests")
	return nil
}

// printMistakeReport prints one notebook's mistakes, each with the first lines of the feedback a
// student making it sees, and returns how many there are.
func printMistakeReport(w io.Writer, path string, r *grading.MistakeReport) int {
	fmt.Fprintf(w, "\n%s\n", path)
	n := 0
	yes := func(rejected bool) string {
		if rejected {
			return "rejected"
		}
		return "ACCEPTED"
	}
	for _, ex := range r.Exercises {
		if len(ex.Mistakes) == 0 {
			fmt.Fprintf(w, "  %-22s (no mistakes listed)\n", ex.GradeID)
		}
		for _, m := range ex.Mistakes {
			n++
			hidden := yes(m.HiddenRejected)
			if !m.HasHidden {
				hidden = "(none)"
			}
			visible := yes(m.VisibleRejected)
			if !m.Clean {
				visible, hidden = "-", "-"
			}
			fmt.Fprintf(w, "  %-22s %-60s visible: %-8s  hidden: %s\n", ex.GradeID, truncate(m.Says, 60), visible, hidden)
			switch {
			case !m.Clean:
				fmt.Fprintf(w, "      the mistake cell fails: %s\n", m.Failure)
			default:
				if m.Feedback != "" {
					fmt.Fprintf(w, "      the student sees: %s\n", m.Feedback)
				} else {
					fmt.Fprintf(w, "      the student sees: all checks passed\n")
				}
			}
		}
		if ex.Problem != "" {
			fmt.Fprintf(w, "      %s\n", ex.Problem)
		}
	}
	for _, p := range r.SourceProblems {
		fmt.Fprintf(w, "  %s\n", p)
	}
	return n
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return strings.TrimSpace(s)
}
