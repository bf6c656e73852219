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
