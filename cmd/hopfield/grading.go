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

// runRelease writes student versions of the instructor notebooks, or checks them (--check).
func runRelease(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("release", "SOURCE_DIR OUT_DIR [--check]", stderr)
	check := fs.Bool("check", false, "do not write: exit 1 if OUT_DIR's student notebooks differ from what release would write")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fs.Usage()
		return usagef("want SOURCE_DIR and OUT_DIR, got %d arguments", len(pos))
	}
	src, out := pos[0], pos[1]
	if same, err := samePath(src, out); err != nil {
		return err
	} else if same {
		return usagef("SOURCE_DIR and OUT_DIR are the same folder: release would overwrite the solutions")
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

// runGrade grades a folder of submissions (parseBytes is shared with execute, in notebooks.go). Run with grading.WorkerEnv=1 it is the sandbox's
// worker instead: one notebook in, the executed notebook out (grade starts these itself).
func runGrade(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if os.Getenv(grading.WorkerEnv) == "1" {
		if code := grading.Worker(ctx, os.Stdin, stdout); code != 0 {
			return fmt.Errorf("grading worker failed (exit code %d)", code)
		}
		return nil
	}
	fs := newFlagSet("grade", "--source SOURCE_DIR SUBMISSIONS_DIR --out OUT_DIR [flags]", stderr)
	source := fs.String("source", "", "folder of the instructor (source) notebooks (required)")
	out := fs.String("out", "", "folder for grades.csv, grades.json, feedback/ and graded/ (required)")
	workers := fs.Int("workers", runtime.NumCPU(), "submissions graded at once")
	cellTimeout := fs.Duration("cell-timeout", 2*time.Minute, "time limit of each cell")
	timeout := fs.Duration("timeout", 10*time.Minute, "time limit of each notebook, kernel start included")
	memory := fs.String("memory", "4GiB", "memory limit of each notebook's kernel and programs (bytes, or with KiB/MiB/GiB)")
	kernelName := fs.String("kernel", "gonb", "Jupyter kernel spec name")
	noNamespace := fs.Bool("no-namespace", false, "do not run submissions in a network namespace of their own even where possible")
	pos, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) != 1:
		fs.Usage()
		return usagef("want one SUBMISSIONS_DIR, got %d arguments", len(pos))
	case *source == "" || *out == "":
		fs.Usage()
		return usagef("--source and --out are required")
	case *workers < 1 || *cellTimeout < 0 || *timeout < 0:
		return usagef("--workers must be ≥ 1 and time limits ≥ 0 (got %d, %v, %v)", *workers, *cellTimeout, *timeout)
	}
	mem, err := parseBytes(*memory)
	if err != nil {
		return usagef("--memory: %v", err)
	}
	subs := pos[0]
	for _, in := range []string{*source, subs} {
		if inside, err := within(*out, in); err != nil {
			return err
		} else if inside {
			return usagef("--out %s is inside %s: results must not mix with the notebooks they grade", *out, in)
		}
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	sb := &grading.Sandbox{
		Command: []string{exe, "grade"}, Kernel: *kernelName,
		CellTimeout: *cellTimeout, Timeout: *timeout, Memory: mem, NoNamespace: *noNamespace,
	}
	start := time.Now()
	book, err := grading.Grade(ctx, *source, subs, grading.Options{
		Run:     sb.Run,
		Workers: *workers,
		Progress: func(done, total int, r *grading.Result) {
			fmt.Fprintf(stdout, "[%d/%d] %s/%s: %s / %s points, %s (%.1f s)\n", done, total, r.Student, r.Notebook,
				strconv.FormatFloat(r.Points, 'f', -1, 64), strconv.FormatFloat(r.Max, 'f', -1, 64), r.Status, r.Seconds)
		},
	})
	if err != nil {
		return err
	}
	if err := book.Write(*out); err != nil {
		return err
	}
	elapsed := time.Since(start)
	fmt.Fprintf(stdout, "graded %d submission(s) of %d student(s) in %.0f s (%.1f s per submission, %d workers); network: %s\n",
		len(book.Results), len(book.Students), elapsed.Seconds(), elapsed.Seconds()/float64(len(book.Results)), *workers, sb.Isolation())
	fmt.Fprintf(stdout, "wrote %s, %s, feedback/ and graded/\n", filepath.Join(*out, "grades.csv"), filepath.Join(*out, "grades.json"))
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
