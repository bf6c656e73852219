package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const gradingFixtures = "../../internal/grading/testdata/source"

func TestReleaseCommand(t *testing.T) {
	out := filepath.Join(t.TempDir(), "student")
	var stdout, stderr bytes.Buffer
	// --check before any release: the student notebook is missing, exit code 1.
	if code := run(context.Background(), []string{"release", gradingFixtures, out, "--check"}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "energy.ipynb: missing") {
		t.Errorf("check of a missing release: exit %d, stderr %q", code, stderr.String())
	}
	stdout.Reset()
	stderr.Reset()
	if code := run(context.Background(), []string{"release", gradingFixtures, out}, &stdout, &stderr); code != 0 || stderr.Len() > 0 {
		t.Fatalf("release: exit %d, stderr %q", code, stderr.String())
	}
	if _, err := os.Stat(filepath.Join(out, "energy.ipynb")); err != nil {
		t.Fatal(err)
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"release", "--check", gradingFixtures, out}, &stdout, &stderr); code != 0 ||
		!strings.Contains(stdout.String(), "up to date") {
		t.Errorf("check after release: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
}

func TestGradingCommandUsage(t *testing.T) {
	dir := t.TempDir()
	for _, args := range [][]string{
		{"release", gradingFixtures},
		{"release", gradingFixtures, gradingFixtures},
		{"grade", dir},
		{"grade", "--source", gradingFixtures, dir},
		{"grade", "--source", gradingFixtures, "--out", filepath.Join(dir, "out"), dir},
		{"grade", "--source", gradingFixtures, "--out", dir, "--memory", "lots", dir},
		{"grade", "--source", gradingFixtures, "--out", dir, "--workers", "0", dir},
		{"grade", "--source", gradingFixtures, "--out", filepath.Join(t.TempDir(), "out"), "--shard", "4/4", dir},
		{"grade", "--source", gradingFixtures, "--out", filepath.Join(t.TempDir(), "out"), "--shard", "two", dir},
		{"grade", "merge", filepath.Join(dir, "merged")},
	} {
		var stdout, stderr bytes.Buffer
		if code := run(context.Background(), args, &stdout, &stderr); code != 2 {
			t.Errorf("%v: exit %d, want 2 (usage); stderr %q", args, code, stderr.String())
		}
	}
}

func TestWithin(t *testing.T) {
	for _, tc := range []struct {
		path, dir string
		want      bool
	}{
		{"a/b", "a", true}, {"a", "a", true}, {"a", "a/b", false}, {"ab", "a", false}, {"../x", ".", false}, {"..x", ".", true},
	} {
		if got, err := within(tc.path, tc.dir); err != nil || got != tc.want {
			t.Errorf("within(%q, %q) = %v, %v; want %v", tc.path, tc.dir, got, err, tc.want)
		}
	}
}

// TestGradeChecksOutBeforeGrading: an --out that cannot be written stops hopfield grade before
// any submission is graded, naming the folder (the permission case, with owner and mode, is
// tested in internal/grading).
func TestGradeChecksOutBeforeGrading(t *testing.T) {
	dir := t.TempDir()
	subs := filepath.Join(dir, "submissions", "alice")
	os.MkdirAll(subs, 0o755)
	file := filepath.Join(dir, "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	var stdout, stderr bytes.Buffer
	// The kernel named does not exist: had grading started, the error would say so.
	code := run(context.Background(), []string{"grade", "--kernel", "no-such-kernel", "--source", gradingFixtures,
		"--out", filepath.Join(file, "out"), filepath.Dir(subs)}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "cannot write the output folder "+filepath.Join(file, "out")) ||
		!strings.Contains(stderr.String(), "Nothing was graded") || strings.Contains(stderr.String(), "no-such-kernel") {
		t.Errorf("exit %d, stderr %q; want the output folder refused before grading", code, stderr.String())
	}
	if stdout.Len() > 0 {
		t.Errorf("something was graded: %q", stdout.String())
	}
}

func TestGradeMergeCommandRefusesStrangers(t *testing.T) {
	var stdout, stderr bytes.Buffer
	dir := t.TempDir()
	code := run(context.Background(), []string{"grade", "merge", filepath.Join(t.TempDir(), "merged"), dir, gradingFixtures}, &stdout, &stderr)
	if code != 1 || !strings.Contains(stderr.String(), "is not the output folder of hopfield grade") {
		t.Errorf("exit %d, stderr %q", code, stderr.String())
	}
}

func TestReleaseSolutionsCommand(t *testing.T) {
	dir := t.TempDir()
	student, sols := filepath.Join(dir, "student"), filepath.Join(dir, "solutions")
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"release", gradingFixtures, student}, &stdout, &stderr); code != 0 {
		t.Fatalf("release: exit %d, %s", code, stderr.String())
	}
	// Never over the student versions.
	stderr.Reset()
	if code := run(context.Background(), []string{"release", "--solutions", gradingFixtures, student}, &stdout, &stderr); code != 1 ||
		!strings.Contains(stderr.String(), "is the student version") {
		t.Errorf("solutions over the student versions: exit %d, stderr %q", code, stderr.String())
	}
	stdout.Reset()
	if code := run(context.Background(), []string{"release", gradingFixtures, sols, "--solutions"}, &stdout, &stderr); code != 0 ||
		!strings.Contains(stdout.String(), "wrote 1 solutions notebook(s)") {
		t.Fatalf("release --solutions: exit %d, stdout %q, stderr %q", code, stdout.String(), stderr.String())
	}
	b, err := os.ReadFile(filepath.Join(sols, "energy.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"HIDDEN", "MISTAKE", "not implemented"} {
		if strings.Contains(string(b), bad) {
			t.Errorf("the solutions notebook holds %q", bad)
		}
	}
	if code := run(context.Background(), []string{"release", "--solutions", "--check", gradingFixtures, sols}, &stdout, &stderr); code != 2 {
		t.Errorf("--solutions --check: exit %d, want 2", code)
	}
}
