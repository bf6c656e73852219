package grading

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// TestMain lets the test binary act as the sandbox's worker, as the hopfield command does.
func TestMain(m *testing.M) {
	if os.Getenv(WorkerEnv) == "1" {
		os.Exit(Worker(context.Background(), os.Stdin, os.Stdout))
	}
	if os.Getenv(openResultsEnv) != "" {
		os.Exit(openResultsChild())
	}
	os.Exit(m.Run())
}

// needKernel skips a test unless the real GoNB kernel is requested.
func needKernel(t *testing.T) {
	t.Helper()
	if os.Getenv("HOPFIELD_KERNEL_TESTS") != "1" {
		t.Skip("real-kernel test: set HOPFIELD_KERNEL_TESTS=1 after docker/setup-kernel.sh to run it")
	}
}

// testSandbox runs workers from this test binary with small limits.
func testSandbox(cellTimeout time.Duration) *Sandbox {
	return &Sandbox{
		Command:     []string{os.Args[0]},
		CellTimeout: cellTimeout,
		Timeout:     3 * time.Minute,
		Memory:      2 << 30,
	}
}

// TestGradeHostileSubmissionsWithRealKernel grades the fixture's hostile submissions in the real
// kernel, as two shards into results folders, and merges them: the merged gradebook meets the
// expectations and its grades.csv is the shards' results rendered as one gradebook.
func TestGradeHostileSubmissionsWithRealKernel(t *testing.T) {
	needKernel(t)
	subs := t.TempDir()
	exp := fixtureSubmissions(t, subs)
	// 45 s per cell: an infinite loop costs that much, and an ordinary cell (a Go build) stays
	// well inside it on a busy machine.
	sb := testSandbox(45 * time.Second)
	start := time.Now()
	parts := t.TempDir()
	whole := &Gradebook{}
	var dirs []string
	for i := range 2 {
		dir := filepath.Join(parts, fmt.Sprintf("shard-%d", i))
		res, err := OpenResults(dir, ResultsOptions{Settings: "test"})
		if err != nil {
			t.Fatal(err)
		}
		book, err := Grade(context.Background(), fixtureDir, subs, Options{Run: sb.Run, Workers: runtime.NumCPU(), Results: res, Shard: Shard{Index: i, Count: 2}})
		if err != nil {
			t.Fatal(err)
		}
		whole.Notebooks = book.Notebooks
		whole.Students = append(whole.Students, book.Students...)
		whole.Results = append(whole.Results, book.Results...)
		dirs = append(dirs, dir)
	}
	elapsed := time.Since(start)
	t.Logf("graded %d submissions in %v (%.1f s each, %d workers); network: %s",
		len(whole.Results), elapsed.Round(time.Second), elapsed.Seconds()/float64(len(whole.Results)), runtime.NumCPU(), sb.Isolation())
	merged := filepath.Join(t.TempDir(), "class")
	book, err := MergeResults(merged, dirs)
	if err != nil {
		t.Fatal(err)
	}
	checkExpectations(t, book, exp)
	// The same gradebook, student by student, as the shards graded it.
	sort.Strings(whole.Students)
	sort.SliceStable(whole.Results, func(i, j int) bool { return whole.Results[i].Student < whole.Results[j].Student })
	want, _ := whole.CSV()
	if got, _ := os.ReadFile(filepath.Join(merged, gradesCSV)); !bytes.Equal(got, want) {
		t.Errorf("merged grades.csv:\n%s\nwant the shards' results:\n%s", got, want)
	}
	if dir := os.Getenv("HOPFIELD_GRADING_TEST_OUT"); dir != "" { // to read the real feedback
		if err := book.Write(dir); err != nil {
			t.Error(err)
		}
	}
	if t.Failed() {
		for _, r := range book.Results {
			t.Logf("%s:\n%s", r.Student, r.Feedback())
		}
	}
}

func TestSandboxHasNoNetwork(t *testing.T) {
	needKernel(t)
	if !namespacesAvailable() {
		t.Skip("network namespaces need root on Linux")
	}
	nb := nbWith(codeCell("import \"net\"\n%%\nifs, _ := net.Interfaces()\nfor _, i := range ifs {\n\tfmt.Println(i.Name)\n}", nil))
	sb := testSandbox(2 * time.Minute)
	ex, err := sb.Run(context.Background(), nb, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var text strings.Builder
	for _, o := range ex.Cells[0].Outputs {
		text.WriteString(o.Text)
	}
	if got := strings.Fields(text.String()); len(got) != 1 || got[0] != "lo" {
		t.Errorf("interfaces inside the sandbox: %q (problems %v), want just lo", text.String(), ex.Problems())
	}
	if !strings.Contains(sb.Isolation(), "own network namespace") {
		t.Errorf("Isolation() = %q", sb.Isolation())
	}
}

// TestCourseNotebooks grades the course's own notebooks, when they exist: the source must get
// full marks and the released version zero, without a crash.
func TestCourseNotebooks(t *testing.T) {
	needKernel(t)
	srcDir := filepath.Join("..", "..", "notebooks", "source")
	names, err := Notebooks(srcDir)
	if err != nil || len(names) == 0 {
		t.Skipf("no course notebooks in %s yet", srcDir)
	}
	subs := t.TempDir()
	for _, name := range names {
		src, err := notebook.Read(filepath.Join(srcDir, name))
		if err != nil {
			t.Fatal(err)
		}
		rel, err := ReleaseNotebook(name, src)
		if err != nil {
			t.Fatal(err)
		}
		for student, nb := range map[string]*notebook.Notebook{"source": src, "release": rel} {
			b, _ := nb.Marshal()
			os.MkdirAll(filepath.Join(subs, student), 0o755)
			if err := os.WriteFile(filepath.Join(subs, student, name), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	sb := testSandbox(2 * time.Minute)
	sb.Timeout = 10 * time.Minute
	start := time.Now()
	book, err := Grade(context.Background(), srcDir, subs, Options{Run: sb.Run, Workers: runtime.NumCPU()})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("graded %d notebooks × 2 in %v", len(names), time.Since(start).Round(time.Second))
	for _, r := range book.Results {
		switch {
		case r.Status != ResultGraded:
			t.Errorf("%s/%s: status %s %v", r.Student, r.Notebook, r.Status, r.Notes)
		case r.Student == "source" && r.Points != r.Max:
			t.Errorf("source %s scored %v / %v:\n%s", r.Notebook, r.Points, r.Max, r.Feedback())
		case r.Student == "release" && r.Points != 0:
			t.Errorf("release %s scored %v / %v:\n%s", r.Notebook, r.Points, r.Max, r.Feedback())
		}
	}
}
