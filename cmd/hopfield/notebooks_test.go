package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib/checks"
	"github.com/hopfieldlib/hopfield/internal/notebook"
)

func TestParseBytes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int64
	}{
		{"0", 0},
		{"4GiB", 4 << 30},
		{"512MiB", 512 << 20},
		{"1.5G", 3 << 29}, // 1.5 × 2^30
		{"2048", 2048},
		{"64K", 64 << 10},
	} {
		got, err := parseBytes(tc.in)
		if err != nil || got != tc.want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d", tc.in, got, err, tc.want)
		}
	}
	for _, bad := range []string{"", "-1G", "lots", "4TB"} {
		if _, err := parseBytes(bad); err == nil {
			t.Errorf("parseBytes(%q) accepted", bad)
		}
	}
}

// cell builds a code cell with nbgrader metadata (nil for none) and one stderr output.
func cell(t *testing.T, nbg *notebook.NBGrader, stderr string) *notebook.Cell {
	t.Helper()
	c := &notebook.Cell{Type: "code", Metadata: map[string]json.RawMessage{}}
	c.SetNBGrader(nbg)
	if stderr != "" {
		c.Outputs = []*notebook.Output{{Type: "stream", Name: "stderr", Text: stderr}}
	}
	return c
}

func TestJudge(t *testing.T) {
	const ni = "panic: not implemented\n\ngoroutine 1 [running]:\n"
	solution := &notebook.NBGrader{SchemaVersion: 3, GradeID: "ex1", Solution: true}
	grade := &notebook.NBGrader{SchemaVersion: 3, GradeID: "t1", Grade: true, Locked: true, Points: 1}
	locked := &notebook.NBGrader{SchemaVersion: 3, GradeID: "text", Locked: true}
	nb := &notebook.Notebook{Cells: []*notebook.Cell{
		cell(t, solution, ni),              // 0: exercise, not implemented: expected
		cell(t, grade, ni),                 // 1: test of the exercise: expected
		cell(t, nil, ni),                   // 2: plain cell: a failure even if not implemented
		cell(t, locked, ni),                // 3: locked, not an exercise: a failure
		cell(t, solution, "panic: boom\n"), // 4: exercise failing otherwise: a failure
		cell(t, nil, ""),                   // 5: clean
		cell(t, grade, "✗ Exercise 1: "+checks.StubFeedback+"\n"), // 6: a check cell's stub feedback: expected
		cell(t, grade, "✗ Exercise 1: 1 of 3 checks failed\n"),    // 7: a check that fails otherwise: a failure
	}}
	problems, expected := judge(nb, true)
	var cells []int
	for _, p := range problems {
		cells = append(cells, p.Cell)
	}
	if expected != 3 || fmt.Sprint(cells) != "[2 3 4 7]" {
		t.Errorf("judge(allowNI) = problems in cells %v, %d expected; want [2 3 4 7], 3", cells, expected)
	}
	problems, expected = judge(nb, false)
	if expected != 0 || len(problems) != 7 {
		t.Errorf("judge(strict) = %d problems, %d expected; want 7, 0", len(problems), expected)
	}
}

func TestNotebookPaths(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"b.ipynb", "a.ipynb", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("{}"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	empty := t.TempDir()
	got, err := notebookPaths([]string{dir})
	if err != nil || len(got) != 2 || filepath.Base(got[0]) != "a.ipynb" || filepath.Base(got[1]) != "b.ipynb" {
		t.Errorf("notebookPaths(folder) = %v, %v; want a.ipynb, b.ipynb", got, err)
	}
	for _, bad := range [][]string{
		{filepath.Join(dir, "missing.ipynb")},
		{filepath.Join(dir, "notes.txt")},
		{empty},
		{dir, filepath.Join(dir, "a.ipynb")}, // a.ipynb twice: same output name
	} {
		if _, err := notebookPaths(bad); err == nil {
			t.Errorf("notebookPaths(%v) accepted", bad)
		}
	}
}

func TestExecuteUsageErrors(t *testing.T) {
	for _, args := range [][]string{
		{"-memory", "lots", "x.ipynb"},
		{"-cell-timeout", "-1s", "x.ipynb"},
		{"no-such-notebook.ipynb"},
	} {
		var out, errb bytes.Buffer
		if code := run(context.Background(), append([]string{"execute"}, args...), &out, &errb); code != 2 {
			t.Errorf("execute %v: exit %d, want 2 (usage); stderr %q", args, code, errb.String())
		}
	}
	var out, errb bytes.Buffer
	if code := run(context.Background(), []string{"lab", "-port", "70000"}, &out, &errb); code != 2 || !strings.Contains(errb.String(), "-port") {
		t.Errorf("lab -port 70000: exit %d, stderr %q; want a usage error", code, errb.String())
	}
}

// TestExecuteCommand runs the command on the kernel package's test notebooks; it starts the real
// GoNB kernel, so it runs only with HOPFIELD_KERNEL_TESTS=1 (after docker/setup-kernel.sh).
func TestExecuteCommand(t *testing.T) {
	if os.Getenv("HOPFIELD_KERNEL_TESTS") != "1" {
		t.Skip("starts the GoNB kernel: run docker/setup-kernel.sh, then set HOPFIELD_KERNEL_TESTS=1")
	}
	testdata := filepath.Join("..", "..", "internal", "kernel", "testdata")
	out := t.TempDir()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"execute", "-out", out, "-cell-timeout", "2m",
		filepath.Join(testdata, "smoke.ipynb"), filepath.Join(testdata, "panic.ipynb")}, &stdout, &stderr)
	if code != 1 {
		t.Errorf("exit %d, want 1 (panic.ipynb fails)", code)
	}
	got := stdout.String()
	for _, want := range []string{
		"ok   " + filepath.Join(testdata, "smoke.ipynb"),
		"FAIL " + filepath.Join(testdata, "panic.ipynb"),
		"panic.ipynb: cell 1: stderr: panic: boom: the check failed",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if !strings.Contains(stderr.String(), "1 of 2 notebooks failed") {
		t.Errorf("stderr %q does not count the failures", stderr.String())
	}
	executed, err := notebook.Read(filepath.Join(out, "smoke.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if ps := executed.Problems(); len(ps) != 0 || executed.Cells[2].ExecutionCount == nil {
		t.Errorf("executed copy: problems %v, execution count %v", ps, executed.Cells[2].ExecutionCount)
	}
}

// TestExecuteStudentVersion: with -allow-not-implemented, the "not implemented" panic of the
// exercise's test cell is expected (the solution cell only declares the stub); the plain cell
// that calls the stub still fails.
func TestExecuteStudentVersion(t *testing.T) {
	if os.Getenv("HOPFIELD_KERNEL_TESTS") != "1" {
		t.Skip("starts the GoNB kernel: run docker/setup-kernel.sh, then set HOPFIELD_KERNEL_TESTS=1")
	}
	nb := filepath.Join("..", "..", "internal", "kernel", "testdata", "student.ipynb")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"execute", "-allow-not-implemented", "-out", t.TempDir(), nb}, &stdout, &stderr)
	got := stdout.String()
	if code != 1 || !strings.Contains(got, "student.ipynb: cell 3: stderr: panic: not implemented") {
		t.Errorf("exit %d, output:\n%s\nwant exit 1 naming cell 3 (a plain cell calling the stub)", code, got)
	}
	if strings.Contains(got, "cell 1:") || strings.Contains(got, "cell 2:") {
		t.Errorf("exercise cells 1 and 2 reported as failures:\n%s", got)
	}
	if !strings.Contains(got, "1 exercise cell not implemented (expected)") {
		t.Errorf("output does not count the expected panics:\n%s", got)
	}
}
