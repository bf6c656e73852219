package kernel

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// needKernel skips tests that start the real GoNB kernel unless HOPFIELD_KERNEL_TESTS=1 (which
// .ci/test sets after running docker/setup-kernel.sh).
func needKernel(t *testing.T) {
	t.Helper()
	if os.Getenv("HOPFIELD_KERNEL_TESTS") != "1" {
		t.Skip("starts the GoNB kernel: run docker/setup-kernel.sh, then set HOPFIELD_KERNEL_TESTS=1")
	}
}

func readTestdata(t *testing.T, name string) *notebook.Notebook {
	t.Helper()
	nb, err := notebook.Read(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

// stdout returns everything a cell wrote to stdout.
func stdout(c *notebook.Cell) string {
	var b strings.Builder
	for _, o := range c.Outputs {
		if o.Type == "stream" && o.Name == "stdout" {
			b.WriteString(o.Text)
		}
	}
	return b.String()
}

// marked runs Execute with a unique environment marker and then checks that no process carrying
// the marker survived (the kernel, gopls and the cells' programs all inherit it).
func marked(t *testing.T, nb *notebook.Notebook, opts Options) (*notebook.Notebook, error) {
	t.Helper()
	mark := fmt.Sprintf("HOPFIELD_KERNEL_TEST_MARK=%d", rand.Uint64())
	opts.Env = append(opts.Env, mark)
	if opts.Dir == "" {
		opts.Dir = "testdata"
	}
	if opts.GoWork == "" {
		opts.GoWork = "../.." // this checkout, whatever checkout the installed spec names
	}
	out, err := Execute(context.Background(), nb, opts)
	// Execute kills what the run started before it returns; on a busy machine the last of them
	// can take a moment to leave /proc.
	deadline := time.Now().Add(30 * time.Second)
	for {
		left := withEnv(mark)
		if len(left) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("processes left running after Execute: %v", left)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	return out, err
}

// withEnv lists the processes whose environment holds entry.
func withEnv(entry string) []string {
	var left []string
	for pid := range processes() {
		b, err := os.ReadFile(fmt.Sprintf("/proc/%d/environ", pid))
		if err != nil {
			continue
		}
		for _, kv := range strings.Split(string(b), "\x00") {
			if kv == entry {
				comm, _ := os.ReadFile(fmt.Sprintf("/proc/%d/comm", pid))
				left = append(left, fmt.Sprintf("%d %s", pid, strings.TrimSpace(string(comm))))
			}
		}
	}
	return left
}

func TestExecuteSmoke(t *testing.T) {
	needKernel(t)
	var cells []int
	out, err := marked(t, readTestdata(t, "smoke.ipynb"), Options{
		CellTimeout: 2 * time.Minute, Timeout: 5 * time.Minute,
		OnCell: func(cell int, d time.Duration) { cells = append(cells, cell) },
	})
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	if ps := out.Problems(); len(ps) != 0 {
		t.Fatalf("problems: %v", ps)
	}
	got := stdout(out.Cells[2])
	for _, want := range []string{
		"patterns: 2 x 3\n",                            // NewPatterns of two rows of three
		"working directory holds the notebook: true\n", // Options.Dir = testdata
		"GOEXPERIMENT: simd\n",                         // the kernel spec's env
		"headless: 1\n",                                // set by Execute
	} {
		if !strings.Contains(got, want) {
			t.Errorf("cell 2 stdout %q lacks %q", got, want)
		}
	}
	html := false
	for _, o := range out.Cells[3].Outputs {
		if o.Type == "display_data" && strings.Contains(string(o.Data["text/html"]), "hello from gonbui") {
			html = true
		}
	}
	if !html {
		t.Errorf("cell 3: no HTML display output; outputs %+v", out.Cells[3].Outputs)
	}
	png := false
	for _, o := range out.Cells[4].Outputs {
		png = png || (o.Type == "display_data" && len(o.Data["image/png"]) > 0)
	}
	if !png {
		t.Errorf("cell 4: no PNG display output; outputs %+v", out.Cells[4].Outputs)
	}
	if fmt.Sprint(cells) != "[1 2 3 4 5]" {
		t.Errorf("OnCell saw cells %v, want [1 2 3 4 5] (the code cells)", cells)
	}
	if out.Cells[5].ExecutionCount != nil || len(out.Cells[5].Outputs) != 0 {
		t.Errorf("cell 5 (tagged skip-execution) ran: %+v", out.Cells[5].Outputs)
	}
	for _, i := range []int{1, 2, 3, 4} {
		if out.Cells[i].ExecutionCount == nil {
			t.Errorf("cell %d has no execution count", i)
		}
		if _, ok := out.Cells[i].Metadata["execution"]; !ok {
			t.Errorf("cell %d has no execution timing metadata", i)
		}
	}
}

func TestExecutePanicStops(t *testing.T) {
	needKernel(t)
	out, err := marked(t, readTestdata(t, "panic.ipynb"), Options{CellTimeout: 2 * time.Minute})
	var ce *CellError
	if !errors.Is(err, ErrCellFailed) || !errors.As(err, &ce) || ce.Cell != 1 {
		t.Fatalf("err = %v, want a CellError for cell 1 wrapping ErrCellFailed", err)
	}
	if !strings.Contains(ce.Detail, "boom: the check failed") {
		t.Errorf("detail %q does not quote the panic", ce.Detail)
	}
	if len(out.Cells[2].Outputs) != 0 || out.Cells[2].ExecutionCount != nil {
		t.Errorf("cell 2 ran after the failing cell: %+v", out.Cells[2].Outputs)
	}
}

func TestExecuteContinueOnError(t *testing.T) {
	needKernel(t)
	out, err := marked(t, readTestdata(t, "panic.ipynb"), Options{CellTimeout: 2 * time.Minute, ContinueOnError: true})
	if err != nil {
		t.Fatalf("Execute: %v", err)
	}
	ps := out.Problems()
	// Cell 1 panics (GoNB shows it as stderr), cell 3 does not compile (an error output).
	byCell := map[int]string{}
	for _, p := range ps {
		byCell[p.Cell] += p.Kind + ":" + p.Text
	}
	if !strings.Contains(byCell[1], "stderr:") || !strings.Contains(byCell[1], "boom: the check failed") {
		t.Errorf("cell 1 problems %q: want the panic on stderr", byCell[1])
	}
	if !strings.Contains(byCell[3], "error:") {
		t.Errorf("cell 3 problems %q: want an error output for the compile failure", byCell[3])
	}
	if len(byCell) != 2 {
		t.Errorf("problems in cells %v, want only 1 and 3", ps)
	}
	if got := stdout(out.Cells[2]); got != "after\n" {
		t.Errorf("cell 2 stdout = %q, want %q", got, "after\n")
	}
}

// The limits of the timeout tests leave the kernel's start and the first cell (a Go build) time to
// finish on a busy machine (a grading test may be running kernels beside them); the tests run in
// parallel, as they mostly wait.
const (
	testCellLimit  = 45 * time.Second
	testTotalLimit = 60 * time.Second
)

func TestExecuteCellTimeout(t *testing.T) {
	needKernel(t)
	t.Parallel()
	start := time.Now()
	out, err := marked(t, readTestdata(t, "sleep.ipynb"), Options{CellTimeout: testCellLimit})
	var ce *CellError
	if !errors.Is(err, ErrCellTimeout) || !errors.As(err, &ce) || ce.Cell != 1 {
		t.Fatalf("err = %v, want a CellError for cell 1 wrapping ErrCellTimeout", err)
	}
	// The sleep is an hour: the run must end at the cell limit, not when the cell does.
	if d := time.Since(start); d > testCellLimit+time.Minute {
		t.Errorf("Execute took %v with a %v cell limit", d, testCellLimit)
	}
	ps := out.Problems()
	if len(ps) != 1 || ps[0].Cell != 1 || ps[0].Kind != "error" || !strings.Contains(ps[0].Text, "CellTimeoutError") {
		t.Errorf("problems %v, want one CellTimeoutError in cell 1", ps)
	}
	if got := stdout(out.Cells[1]); got != "sleeping\n" {
		t.Errorf("cell 1 stdout %q, want the output it wrote before the limit", got)
	}
}

func TestExecuteTotalTimeout(t *testing.T) {
	needKernel(t)
	t.Parallel()
	start := time.Now()
	out, err := marked(t, readTestdata(t, "sleep.ipynb"), Options{Timeout: testTotalLimit})
	var ce *CellError
	if !errors.Is(err, ErrTimeout) || !errors.As(err, &ce) || ce.Cell != 1 {
		t.Fatalf("err = %v, want a CellError for cell 1 wrapping ErrTimeout", err)
	}
	if out == nil || len(out.Cells[1].Problems(1)) != 1 {
		t.Fatalf("want the timeout recorded in cell 1; got %v", out)
	}
	if d := time.Since(start); d > testTotalLimit+time.Minute {
		t.Errorf("Execute took %v with a %v limit", d, testTotalLimit)
	}
}

func TestExecuteMemoryLimit(t *testing.T) {
	needKernel(t)
	// The cell touches 64 blocks of 64 MiB (4 GiB); the limit is 1 GiB.
	out, err := marked(t, readTestdata(t, "memory.ipynb"), Options{CellTimeout: 2 * time.Minute, MemoryLimit: 1 << 30})
	var ce *CellError
	if !errors.Is(err, ErrMemory) || !errors.As(err, &ce) || ce.Cell != 0 {
		t.Fatalf("err = %v, want a CellError for cell 0 wrapping ErrMemory", err)
	}
	if ps := out.Problems(); len(ps) == 0 || !strings.Contains(ps[len(ps)-1].Text, "MemoryLimitError") {
		t.Errorf("problems %v, want a MemoryLimitError", ps)
	}
}

func TestExecuteNoSuchKernel(t *testing.T) {
	needKernel(t)
	out, err := Execute(context.Background(), readTestdata(t, "smoke.ipynb"), Options{Kernel: "no-such-kernel-here", Dir: "testdata"})
	if !errors.Is(err, ErrSetup) || out != nil {
		t.Fatalf("got (%v, %v), want (nil, ErrSetup)", out, err)
	}
	if !strings.Contains(err.Error(), "setup-kernel.sh") {
		t.Errorf("error %q does not say what to run", err)
	}
}

func TestExecuteBadOptions(t *testing.T) {
	nb := readTestdata(t, "smoke.ipynb")
	for _, tc := range []struct {
		name string
		nb   *notebook.Notebook
		opts Options
		want error
	}{
		{"nil notebook", nil, Options{}, notebook.ErrFormat},
		{"negative cell timeout", nb, Options{CellTimeout: -time.Second}, nil},
		{"negative memory", nb, Options{MemoryLimit: -1}, nil},
		{"missing dir", nb, Options{Dir: "testdata/no-such-dir"}, nil},
		{"python without nbclient", nb, Options{Python: "/bin/false", Dir: "testdata"}, ErrSetup},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out, err := Execute(context.Background(), tc.nb, tc.opts)
			if err == nil || out != nil {
				t.Fatalf("got (%v, %v), want an error", out, err)
			}
			if tc.want != nil && !errors.Is(err, tc.want) {
				t.Errorf("err = %v, want errors.Is %v", err, tc.want)
			}
		})
	}
}

func TestPrivateSpec(t *testing.T) {
	needKernel(t)
	py, err := FindPython()
	if err != nil {
		t.Fatal(err)
	}
	repo, _ := filepath.Abs("../..")
	dir, err := privateSpec(py, "gonb", "../..", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("JUPYTER_PATH", dir)
	s, err := FindSpec(py, "gonb")
	if err != nil {
		t.Fatal(err)
	}
	if s.GoWork != repo || s.Env["GOEXPERIMENT"] != "simd" {
		t.Errorf("private spec: go.work %q, env %v; want %q and the installed spec's env", s.GoWork, s.Env, repo)
	}
	if _, err := privateSpec(py, "gonb", t.TempDir(), t.TempDir()); err == nil {
		t.Error("privateSpec accepted a folder without go.mod")
	}
}

func TestCheckSetup(t *testing.T) {
	needKernel(t)
	repo, _ := filepath.Abs("../..")
	if missing := CheckSetup("gonb", repo); len(missing) != 0 {
		t.Errorf("CheckSetup after docker/setup-kernel.sh: missing %q", missing)
	}
	if missing := CheckSetup("no-such-kernel-here", repo); len(missing) == 0 {
		t.Error("CheckSetup found a kernel spec that does not exist")
	}
}
