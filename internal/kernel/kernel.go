// Package kernel runs notebooks headless in a real Jupyter kernel (GoNB's "gonb" by default) and
// returns the executed copies, as Jupyter would have saved them.
//
// The cells are driven by nbclient (Jupyter's own notebook runner) through a small embedded Python
// script, one cell at a time, which reports every finished cell to Go; Go enforces the total time
// limit and the memory limit and, whenever a run ends, kills every process the run left behind
// (the kernel, a cell's program, gopls), found by walking /proc, not only by process group: GoNB
// starts gopls in a group of its own and Jupyter starts the kernel in a new session.
//
// GoNB reports a panic or a failed check in a cell only as stderr text, so a run's verdict is the
// executed notebook's Problems (error outputs and stderr streams), not the kernel's exit status.
// Execute adds an "error" output to a cell that was stopped (time or memory limit, kernel died), so
// Problems sees those cells too.
//
// Cells that need a person (GoNB widgets wait for a browser) can stay out of headless runs: a
// cell tagged "skip-execution" is not run (nbclient's rule), and cells see HOPFIELD_HEADLESS=1 in
// their environment.
//
// The kernel spec, Jupyter and the tools come from docker/setup-kernel.sh.
package kernel

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

//go:embed driver.py
var driverScript string

// SetupHint is what to run when Jupyter or the kernel spec is missing.
const SetupHint = "run docker/setup-kernel.sh (Debian/Ubuntu; it installs Jupyter and the gonb kernel)"

var (
	// ErrSetup: no Python with nbclient, or no such kernel spec, or the kernel failed to start.
	ErrSetup = errors.New("kernel: not set up")
	// ErrCellTimeout: a cell ran longer than Options.CellTimeout.
	ErrCellTimeout = errors.New("kernel: cell time limit exceeded")
	// ErrTimeout: the notebook ran longer than Options.Timeout.
	ErrTimeout = errors.New("kernel: notebook time limit exceeded")
	// ErrMemory: the kernel's processes used more than Options.MemoryLimit.
	ErrMemory = errors.New("kernel: memory limit exceeded")
	// ErrKernelDied: the kernel process died during a cell.
	ErrKernelDied = errors.New("kernel: kernel died")
	// ErrCellFailed: a cell had an error output or a stderr stream and ContinueOnError was false.
	ErrCellFailed = errors.New("kernel: cell failed")
)

// CellError says which cell ended or stopped a run, and why (Err is one of the sentinels).
type CellError struct {
	Cell   int   // index of the cell in the notebook
	Err    error // ErrCellTimeout, ErrTimeout, ErrMemory, ErrKernelDied or ErrCellFailed
	Detail string
}

func (e *CellError) Error() string {
	if e.Detail == "" {
		return fmt.Sprintf("cell %d: %v", e.Cell, e.Err)
	}
	return fmt.Sprintf("cell %d: %v: %s", e.Cell, e.Err, e.Detail)
}

func (e *CellError) Unwrap() error { return e.Err }

// Options configure Execute. The zero value runs the "gonb" kernel in the current directory with
// no limits and stops at the first cell that fails.
type Options struct {
	// Kernel is the kernel spec name; "" means "gonb".
	Kernel string
	// Dir is the kernel's working directory, where the notebook "lives": relative paths in
	// cells (and GoNB's GONB_DIR) resolve from it. "" means the current directory.
	Dir string
	// CellTimeout limits each cell; 0 means no limit. The kernel is killed when it is exceeded.
	CellTimeout time.Duration
	// Timeout limits the whole run, kernel start included; 0 means no limit.
	Timeout time.Duration
	// StartupTimeout limits the kernel's start; 0 means 60 s.
	StartupTimeout time.Duration
	// Env holds extra "KEY=value" entries for the kernel's environment (the kernel spec's own
	// "env" still wins for the keys it sets, such as GOEXPERIMENT).
	Env []string
	// ContinueOnError runs every cell even after one fails (what grading needs). Otherwise the
	// run stops after the first cell with an error output or a stderr stream.
	ContinueOnError bool
	// MemoryLimit caps, in bytes, the resident memory of the kernel and everything it runs (the
	// Go compiler and linker for a cell, the cell's program), summed and sampled every 200 ms;
	// 0 means no limit. gopls (GoNB's code completion) and the driver are not counted.
	MemoryLimit int64
	// GoWork, if set, replaces the kernel spec's --go_work for this run (comma-separated module
	// folders, e.g. the checkout being tested), through a private copy of the spec; "" keeps the
	// installed spec's, which may point at another checkout.
	GoWork string
	// Python is the interpreter that has nbclient; "" means FindPython's choice.
	Python string
	// OnCell, if set, is called after each code cell finishes, with its index and wall time.
	OnCell func(cell int, elapsed time.Duration)
}

// Execute runs the code cells of nb in order in a fresh kernel and returns an executed copy: the
// outputs, execution counts and nbclient's timing metadata filled in, and the outputs of cells
// that did not run cleared. nb itself is not changed.
//
// The error is nil when every cell ran (even if some failed: see Notebook.Problems) and the
// copy is complete. A *CellError (errors.Is with ErrCellTimeout, ErrTimeout, ErrMemory,
// ErrKernelDied or ErrCellFailed) comes with the partial copy; ErrSetup and a cancelled ctx come
// with a nil notebook when the kernel never started.
func Execute(ctx context.Context, nb *notebook.Notebook, opts Options) (*notebook.Notebook, error) {
	if nb == nil {
		return nil, fmt.Errorf("%w: nil notebook", notebook.ErrFormat)
	}
	if opts.CellTimeout < 0 || opts.Timeout < 0 || opts.StartupTimeout < 0 || opts.MemoryLimit < 0 {
		return nil, fmt.Errorf("kernel: negative limit in options (cell %v, total %v, startup %v, memory %d)",
			opts.CellTimeout, opts.Timeout, opts.StartupTimeout, opts.MemoryLimit)
	}
	kernelName := opts.Kernel
	if kernelName == "" {
		kernelName = "gonb"
	}
	dir := opts.Dir
	if dir == "" {
		dir = "."
	}
	dir, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if st, err := os.Stat(dir); err != nil || !st.IsDir() {
		return nil, fmt.Errorf("kernel: working directory %q is not a directory", dir)
	}
	py := opts.Python
	if py == "" {
		if py, err = FindPython(); err != nil {
			return nil, err
		}
	}
	startup := opts.StartupTimeout
	if startup == 0 {
		startup = 60 * time.Second
	}
	if opts.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, opts.Timeout)
		defer cancel()
	}

	out := cleared(nb)
	// A private temporary folder for the run: the driver's input, and TMPDIR for the kernel and
	// its cells (GoNB's work folder lives there), removed at the end whatever happened.
	tmp, err := os.MkdirTemp("", "hopfield-kernel-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp)
	env := append(append(os.Environ(), opts.Env...), "TMPDIR="+tmp, "PYTHONUNBUFFERED=1", "HOPFIELD_HEADLESS=1")
	if opts.GoWork != "" {
		share, err := privateSpec(py, kernelName, opts.GoWork, filepath.Join(tmp, "jupyter"))
		if err != nil {
			return nil, err
		}
		env = append(env, "JUPYTER_PATH="+share+string(os.PathListSeparator)+os.Getenv("JUPYTER_PATH"))
	}
	input := filepath.Join(tmp, "input.ipynb")
	if err := out.Write(input); err != nil {
		return nil, err
	}

	r := &run{opts: opts, out: out, current: -1}
	cmd := exec.Command(py, "-c", driverScript, input, kernelName, dir,
		strconv.Itoa(ceilSeconds(opts.CellTimeout)), strconv.Itoa(ceilSeconds(startup)), boolArg(opts.ContinueOnError))
	cmd.Dir = dir
	cmd.Env = env
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stderr := &syncBuffer{}
	cmd.Stdout = stderr // the driver prints nothing itself; libraries might
	cmd.Stderr = stderr
	evr, evw, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	cmd.ExtraFiles = []*os.File{evw}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		evr.Close()
		evw.Close()
		return nil, fmt.Errorf("%w: cannot start %s: %v (%s)", ErrSetup, py, err, SetupHint)
	}
	evw.Close()
	pid := cmd.Process.Pid

	events := make(chan event)
	go func() {
		defer close(events)
		sc := bufio.NewScanner(evr)
		sc.Buffer(make([]byte, 1<<20), 1<<30)
		for sc.Scan() {
			var ev event
			if json.Unmarshal(sc.Bytes(), &ev) == nil {
				events <- ev
			}
		}
	}()
	memExceeded := make(chan int64, 1)
	stopWatch := make(chan struct{})
	var watchers sync.WaitGroup
	if opts.MemoryLimit > 0 {
		watchers.Add(1)
		go func() {
			defer watchers.Done()
			watchMemory(pid, opts.MemoryLimit, stopWatch, memExceeded)
		}()
	}
	finish := func() {
		close(stopWatch)
		watchers.Wait()
		killTree(pid)
		stdin.Close()
		_ = cmd.Wait()
		evr.Close()
		for range events { // drain, so the reader goroutine ends
		}
	}

	var result error
loop:
	for {
		select {
		case ev, ok := <-events:
			if !ok {
				result = r.fail(fmt.Errorf("%w: the notebook runner exited unexpectedly: %s", ErrSetup, tail(stderr.String(), 20)))
				break loop
			}
			done, err := r.handle(ev, stderr.String())
			if done {
				result = err
				break loop
			}
		case rss := <-memExceeded:
			result = r.stop(ErrMemory, fmt.Sprintf("the kernel's processes used %d MiB, over the limit of %d MiB",
				rss>>20, opts.MemoryLimit>>20))
			break loop
		case <-ctx.Done():
			if errors.Is(ctx.Err(), context.DeadlineExceeded) && opts.Timeout > 0 {
				result = r.stop(ErrTimeout, fmt.Sprintf("the notebook did not finish within %v; the kernel was stopped", opts.Timeout))
			} else {
				result = r.fail(ctx.Err())
			}
			break loop
		}
	}
	finish()
	if r.started {
		return out, result
	}
	return nil, result
}

// event is one line from the driver.
type event struct {
	Event          string            `json:"event"`
	Cell           int               `json:"cell"`
	Outputs        []json.RawMessage `json:"outputs"`
	ExecutionCount *int              `json:"execution_count"`
	Execution      json.RawMessage   `json:"execution"`
	Kind           string            `json:"kind"`
	Message        string            `json:"message"`
}

// run is the state of one Execute call.
type run struct {
	opts      Options
	out       *notebook.Notebook
	started   bool
	current   int // cell running now, -1 if none
	cellStart time.Time
}

// handle applies one driver event; done reports the end of the run, with its error.
func (r *run) handle(ev event, stderr string) (done bool, err error) {
	switch ev.Event {
	case "started":
		r.started = true
	case "cell_start":
		r.current, r.cellStart = ev.Cell, time.Now()
	case "cell_done":
		if err := r.fill(ev); err != nil {
			return true, r.fail(err)
		}
		if r.opts.OnCell != nil {
			r.opts.OnCell(ev.Cell, time.Since(r.cellStart))
		}
		r.current = -1
	case "timeout":
		r.current = ev.Cell
		return true, r.stop(ErrCellTimeout, fmt.Sprintf("the cell did not finish within %v; the kernel was stopped", r.opts.CellTimeout))
	case "dead":
		r.current = ev.Cell
		return true, r.stop(ErrKernelDied, "the kernel process died while running the cell")
	case "stopped":
		return true, &CellError{Cell: ev.Cell, Err: ErrCellFailed, Detail: firstProblem(r.out, ev.Cell)}
	case "fatal":
		msg := ev.Message
		if ev.Kind == "start" {
			msg += "\n" + tail(stderr, 20)
		}
		return true, fmt.Errorf("%w: %s (%s)", ErrSetup, strings.TrimSpace(msg), SetupHint)
	case "done":
		return true, nil
	}
	return false, nil
}

// stop records a limit that ended the run as an error output of the running cell.
func (r *run) stop(sentinel error, detail string) error {
	cell := r.current
	if cell >= 0 && cell < len(r.out.Cells) {
		c := r.out.Cells[cell]
		c.Outputs = append(c.Outputs, &notebook.Output{
			Type:      "error",
			EName:     errorName(sentinel),
			EValue:    detail,
			Traceback: []string{errorName(sentinel) + ": " + detail},
		})
	}
	return &CellError{Cell: cell, Err: sentinel, Detail: detail}
}

// fail is an error of the run itself, not of a cell.
func (r *run) fail(err error) error { return err }

func errorName(sentinel error) string {
	switch sentinel {
	case ErrCellTimeout:
		return "CellTimeoutError"
	case ErrTimeout:
		return "NotebookTimeoutError"
	case ErrMemory:
		return "MemoryLimitError"
	case ErrKernelDied:
		return "DeadKernelError"
	}
	return "KernelError"
}

// fill copies a finished cell's outputs into the result.
func (r *run) fill(ev event) error {
	if ev.Cell < 0 || ev.Cell >= len(r.out.Cells) {
		return fmt.Errorf("kernel: runner reported cell %d of %d", ev.Cell, len(r.out.Cells))
	}
	outs, err := parseOutputs(ev.Outputs)
	if err != nil {
		return fmt.Errorf("kernel: cell %d: %w", ev.Cell, err)
	}
	c := r.out.Cells[ev.Cell]
	c.Outputs = coalesceStreams(outs)
	c.ExecutionCount = ev.ExecutionCount
	if len(ev.Execution) > 0 && string(ev.Execution) != "null" {
		if c.Metadata == nil {
			c.Metadata = map[string]json.RawMessage{}
		}
		c.Metadata["execution"] = ev.Execution
	}
	return nil
}

// parseOutputs reads nbformat outputs through the notebook package, so they keep every field.
func parseOutputs(raw []json.RawMessage) ([]*notebook.Output, error) {
	cell := map[string]any{"cell_type": "code", "source": "", "metadata": map[string]any{}, "outputs": raw}
	b, err := json.Marshal(map[string]any{"nbformat": 4, "nbformat_minor": 5, "metadata": map[string]any{}, "cells": []any{cell}})
	if err != nil {
		return nil, err
	}
	nb, err := notebook.Parse(b)
	if err != nil {
		return nil, err
	}
	return nb.Cells[0].Outputs, nil
}

// coalesceStreams joins consecutive stream outputs of the same name, as Jupyter's front end
// shows them (a program's stderr arrives in arbitrary chunks).
func coalesceStreams(outs []*notebook.Output) []*notebook.Output {
	var merged []*notebook.Output
	for _, o := range outs {
		if n := len(merged); n > 0 && o.Type == "stream" && merged[n-1].Type == "stream" && merged[n-1].Name == o.Name {
			merged[n-1].Text += o.Text
			continue
		}
		merged = append(merged, o)
	}
	return merged
}

// cleared returns a deep copy of nb with every code cell's outputs and execution count removed.
func cleared(nb *notebook.Notebook) *notebook.Notebook {
	b, err := nb.Marshal()
	if err != nil {
		panic(fmt.Sprintf("kernel: re-encoding a parsed notebook: %v", err)) // cannot happen: raw JSON in, JSON out
	}
	c, err := notebook.Parse(b)
	if err != nil {
		panic(fmt.Sprintf("kernel: re-parsing a notebook: %v", err))
	}
	for _, cell := range c.Cells {
		if cell.Type == "code" {
			cell.Outputs = nil
			cell.ExecutionCount = nil
			delete(cell.Metadata, "execution")
		}
	}
	return c
}

// firstProblem describes the first problem of a cell, for error messages.
func firstProblem(nb *notebook.Notebook, cell int) string {
	if cell < 0 || cell >= len(nb.Cells) {
		return ""
	}
	ps := nb.Cells[cell].Problems(cell)
	if len(ps) == 0 {
		return ""
	}
	return ps[0].Kind + ": " + FirstLines(ps[0].Text, 3)
}

// FirstLines returns the first n non-empty lines of s, joined by " | ".
func FirstLines(s string, n int) string {
	var lines []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
			if len(lines) == n {
				break
			}
		}
	}
	return strings.Join(lines, " | ")
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// syncBuffer keeps the last 256 KiB written to it (the driver's and the kernel's logs, only read
// for error messages), safe for one writer (os/exec's copier) and one reader.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

const syncBufferKeep = 256 << 10

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf.Write(p)
	if b.buf.Len() > 2*syncBufferKeep {
		b.buf.Next(b.buf.Len() - syncBufferKeep)
	}
	return len(p), nil
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func ceilSeconds(d time.Duration) int {
	if d <= 0 {
		return 0
	}
	return int((d + time.Second - 1) / time.Second)
}

func boolArg(b bool) string {
	if b {
		return "1"
	}
	return "0"
}
