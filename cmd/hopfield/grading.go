package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/hopfieldlib/hopfield/internal/grading"
)

// runRelease writes student versions of the instructor notebooks, checks them (--check), or
// writes the solutions versions (--solutions).
func runRelease(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("release", "SOURCE_DIR OUT_DIR [--check | --solutions]", stderr)
	check := fs.Bool("check", false, "do not write: exit 1 if OUT_DIR's student notebooks differ from what release would write")
	solutions := fs.Bool("solutions", false, "write the solutions versions to hand out after the deadline (solutions and common-mistakes notes kept; hidden tests, mistake cells and outputs removed) instead of the student versions")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fs.Usage()
		return usagef("want SOURCE_DIR and OUT_DIR, got %d arguments", len(pos))
	}
	if *check && *solutions {
		return usagef("--check and --solutions do not go together: --check compares the student versions")
	}
	src, out := pos[0], pos[1]
	if same, err := samePath(src, out); err != nil {
		return err
	} else if same {
		return usagef("SOURCE_DIR and OUT_DIR are the same folder: release would overwrite the solutions")
	}
	if *solutions {
		names, err := grading.ReleaseSolutions(src, out)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %d solutions notebook(s) to %s: %s (they hold the solutions: hand them out after the deadline)\n", len(names), out, strings.Join(names, ", "))
		return nil
	}
	if *check {
		diffs, err := grading.CheckRelease(src, out)
		if err != nil {
			return err
		}
		if len(diffs) == 0 {
			fmt.Fprintf(stdout, "student notebooks in %s are up to date with %s\n", out, src)
			return nil
		}
		for _, d := range diffs {
			fmt.Fprintf(stderr, "  %s\n", d)
		}
		return fmt.Errorf("%d difference(s) between %s and a fresh release of %s: run hopfield release %s %s", len(diffs), out, src, src, out)
	}
	names, err := grading.Release(src, out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "wrote %d student notebook(s) to %s: %s\n", len(names), out, strings.Join(names, ", "))
	return nil
}

// gradeConfig holds the flags of hopfield grade.
type gradeConfig struct {
	source, out, memory, kernel, shard string
	workers                            int
	cellTimeout, timeout               time.Duration
	noNamespace, regrade               bool
}

// gradeFlags defines the flags of hopfield grade; their defaults are the sandbox's limits (the
// Kubernetes manifests in k8s/ use the same, checked by a test).
func gradeFlags(stderr io.Writer) (*flag.FlagSet, *gradeConfig) {
	c := &gradeConfig{}
	fs := newFlagSet("grade", "--source SOURCE_DIR SUBMISSIONS_DIR --out OUT_DIR [flags]\n       hopfield grade merge OUT_DIR SHARD_OUT_DIR…", stderr)
	fs.StringVar(&c.source, "source", "", "folder of the instructor (source) notebooks (required)")
	fs.StringVar(&c.out, "out", "", "folder for grades.csv, grades.json, feedback/, graded/ and records/, written as each submission is graded (required)")
	fs.IntVar(&c.workers, "workers", runtime.NumCPU(), "submissions graded at once")
	fs.DurationVar(&c.cellTimeout, "cell-timeout", 2*time.Minute, "time limit of each cell")
	fs.DurationVar(&c.timeout, "timeout", 10*time.Minute, "time limit of each notebook, kernel start included")
	fs.StringVar(&c.memory, "memory", "4GiB", "memory limit of each notebook's kernel and programs (bytes, or with KiB/MiB/GiB)")
	fs.StringVar(&c.kernel, "kernel", "gonb", "Jupyter kernel spec name")
	fs.BoolVar(&c.noNamespace, "no-namespace", false, "do not run submissions in a network namespace of their own even where possible")
	fs.StringVar(&c.shard, "shard", "", "grade shard I of N only (I/N, 0 ≤ I < N: the students in name order, round robin); merge the shards' --out folders with hopfield grade merge")
	fs.BoolVar(&c.regrade, "regrade", false, "grade every submission again, even those --out already holds a result for")
	return fs, c
}

// runGrade grades a folder of submissions (parseBytes is shared with execute, in notebooks.go),
// or merges shard outputs (hopfield grade merge). Run with grading.WorkerEnv=1 it is the
// sandbox's worker instead: one notebook in, the executed notebook out (grade starts these itself).
func runGrade(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if os.Getenv(grading.WorkerEnv) == "1" {
		if code := grading.Worker(ctx, os.Stdin, stdout); code != 0 {
			return fmt.Errorf("grading worker failed (exit code %d)", code)
		}
		return nil
	}
	if len(args) > 0 && args[0] == "merge" {
		return runGradeMerge(args[1:], stdout, stderr)
	}
	fs, c := gradeFlags(stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 1:
		fs.Usage()
		return usagef("want one SUBMISSIONS_DIR, got %d arguments", len(pos))
	case c.source == "" || c.out == "":
		fs.Usage()
		return usagef("--source and --out are required")
	case c.workers < 1 || c.cellTimeout < 0 || c.timeout < 0:
		return usagef("--workers must be ≥ 1 and time limits ≥ 0 (got %d, %v, %v)", c.workers, c.cellTimeout, c.timeout)
	}
	mem, err := parseBytes(c.memory)
	if err != nil {
		return usagef("--memory: %v", err)
	}
	var shard grading.Shard
	if c.shard != "" {
		if shard, err = grading.ParseShard(c.shard); err != nil {
			return usagef("--shard: %v", err)
		}
	}
	subs := pos[0]
	for _, in := range []string{c.source, subs} {
		if inside, err := within(c.out, in); err != nil {
			return err
		} else if inside {
			return usagef("--out %s is inside %s: results must not mix with the notebooks they grade", c.out, in)
		}
	}
	// Before anything is graded: can the results be written?
	results, err := grading.OpenResults(c.out, grading.ResultsOptions{
		Settings: fmt.Sprintf("kernel=%s cell-timeout=%v timeout=%v memory=%d", c.kernel, c.cellTimeout, c.timeout, mem),
		Regrade:  c.regrade,
	})
	if err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	sb := &grading.Sandbox{
		Command: []string{exe, "grade"}, Kernel: c.kernel,
		CellTimeout: c.cellTimeout, Timeout: c.timeout, Memory: mem, NoNamespace: c.noNamespace,
	}
	start := time.Now()
	var graded, reused int
	book, err := grading.Grade(ctx, c.source, subs, grading.Options{
		Run:     sb.Run,
		Workers: c.workers,
		Results: results,
		Shard:   shard,
		Progress: func(done, total int, r *grading.Result) {
			how := fmt.Sprintf("%.1f s", r.Seconds)
			if r.Reused {
				how = "from an earlier run, not run again"
				reused++
			} else {
				graded++
			}
			fmt.Fprintf(stdout, "[%d/%d] %s/%s: %s / %s points, %s (%s)\n", done, total, r.Student, r.Notebook,
				strconv.FormatFloat(r.Points, 'f', -1, 64), strconv.FormatFloat(r.Max, 'f', -1, 64), r.Status, how)
		},
	})
	if err != nil {
		if ctx.Err() != nil {
			return fmt.Errorf("interrupted: the %d submission(s) graded so far are in %s; run the same command again to grade the rest", graded+reused, c.out)
		}
		return err
	}
	elapsed := time.Since(start)
	of := ""
	if shard.Count > 1 {
		of = fmt.Sprintf(" (shard %s)", shard)
	}
	per := ""
	if graded > 0 {
		per = fmt.Sprintf(", %.1f s per submission", elapsed.Seconds()/float64(graded))
	}
	network := sb.Isolation()
	if graded == 0 {
		network = "not used (nothing run)"
	}
	fmt.Fprintf(stdout, "graded %d submission(s) of %d student(s)%s in %.0f s (%d workers%s); %d already graded in %s; network: %s\n",
		graded, len(book.Students), of, elapsed.Seconds(), c.workers, per, reused, c.out, network)
	fmt.Fprintf(stdout, "wrote %s, %s, feedback/, graded/ and records/\n", filepath.Join(c.out, "grades.csv"), filepath.Join(c.out, "grades.json"))
	return nil
}

// runGradeMerge joins shard output folders into one (hopfield grade merge OUT SHARD_OUT…).
func runGradeMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("grade merge", "OUT_DIR SHARD_OUT_DIR…", stderr)
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) < 2 {
		fs.Usage()
		return usagef("want OUT_DIR and the output folders of every shard, got %d arguments", len(pos))
	}
	book, err := grading.MergeResults(pos[0], pos[1:])
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "merged %d shard(s): %d submission(s) of %d student(s) into %s (grades.csv, grades.json, feedback/, graded/, records/)\n",
		len(pos)-1, len(book.Results), len(book.Students), pos[0])
	return nil
}

// parseInterspersed parses flags that may come before, between or after the positional
// arguments, and returns the positional ones.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// samePath reports whether a and b name the same folder.
func samePath(a, b string) (bool, error) {
	aa, err := filepath.Abs(a)
	if err != nil {
		return false, err
	}
	bb, err := filepath.Abs(b)
	if err != nil {
		return false, err
	}
	return aa == bb, nil
}

// within reports whether path is dir or inside it.
func within(path, dir string) (bool, error) {
	p, err := filepath.Abs(path)
	if err != nil {
		return false, err
	}
	d, err := filepath.Abs(dir)
	if err != nil {
		return false, err
	}
	rel, err := filepath.Rel(d, p)
	if err != nil {
		return false, nil
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))), nil
}
