package grading

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/hopfieldlib/hopfield/internal/kernel"
	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// WorkerEnv is the environment variable that makes a program that calls Worker act as a sandbox
// worker: the hopfield command (and this package's tests) check it first thing.
const WorkerEnv = "HOPFIELD_GRADE_WORKER"

// ErrRunner reports that notebooks cannot be run at all (no kernel set up, no worker program):
// a problem of the grading machine, not of a submission. Grade stops on it rather than give the
// class zeros.
var ErrRunner = errors.New("grading: cannot run notebooks")

// Sandbox runs each submission in a worker process of its own: this program again (Command),
// started in a new process group and, where the platform allows (Linux, as root), in a network
// namespace of its own with only a loopback interface: the submission's code has no network.
// The worker runs the notebook in the GoNB kernel (internal/kernel) with the time and memory
// limits, caps the address space of every process it starts, adopts every process the
// submission's code leaves behind (it is their "subreaper") and kills them all when the notebook
// ends. The parent kills the worker's process group if the worker itself overruns.
//
// The submission's code runs as the same user as the grader: the sandbox keeps it from the
// network, from running forever and from eating the machine's memory, not from reading or
// writing the user's files. For that, run the grader in a container (see the README, "For instructors").
type Sandbox struct {
	// Command starts a worker: a program that calls Worker when WorkerEnv is "1".
	Command []string
	// Kernel is the Jupyter kernel spec name; "" means "gonb".
	Kernel string
	// CellTimeout and Timeout limit each cell and the whole notebook (kernel start included);
	// 0 means no limit.
	CellTimeout, Timeout time.Duration
	// Memory limits the resident memory of the kernel and everything it runs, summed; 0 means no
	// limit. Each process's address space is also capped at AddressSpace(Memory).
	Memory int64
	// NoNamespace disables the network namespace even where it is available.
	NoNamespace bool

	mu        sync.Mutex
	isolation string // what the last run achieved, for the gradebook
}

// AddressSpace is the per-process address-space limit (RLIMIT_AS) a sandbox with memory limit m
// sets: a backstop that makes a runaway allocation fail at once instead of after the next memory
// sample. Go reserves address space generously, so it is well above m: 4m, at least 8 GiB.
func AddressSpace(m int64) int64 {
	if m <= 0 {
		return 0
	}
	return max(4*m, 8<<30)
}

// Isolation says how the last run was isolated from the network.
func (s *Sandbox) Isolation() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.isolation
}

func (s *Sandbox) setIsolation(v string) {
	s.mu.Lock()
	s.isolation = v
	s.mu.Unlock()
}

// workerRequest is what the parent sends a worker on its standard input.
type workerRequest struct {
	Notebook     json.RawMessage `json:"notebook"`
	Dir          string          `json:"dir"`
	Kernel       string          `json:"kernel"`
	CellTimeout  time.Duration   `json:"cell_timeout"`
	Timeout      time.Duration   `json:"timeout"`
	Memory       int64           `json:"memory"`
	AddressSpace int64           `json:"address_space"`
	Isolated     bool            `json:"isolated"` // started in a network namespace of its own
}

// workerResponse is what a worker prints on its standard output.
type workerResponse struct {
	Notebook json.RawMessage `json:"notebook,omitempty"`
	Kind     string          `json:"kind,omitempty"` // "", "cell-timeout", "timeout", "memory", "died", "setup", "stopped", "error"
	Cell     int             `json:"cell"`
	Message  string          `json:"message,omitempty"`
	Detail   string          `json:"detail,omitempty"` // the kernel's words for a stopped cell
	Network  string          `json:"network"`          // how the worker found its network
}

// maxWorkerOutput bounds what the parent reads from a worker.
const maxWorkerOutput = 256 << 20

// killGrace is how long past its notebook time limit a worker may take before it is killed.
const killGrace = 30 * time.Second

// Run is a Runner: it runs nb in a worker, with dir as the notebook's working folder.
func (s *Sandbox) Run(ctx context.Context, nb *notebook.Notebook, dir string) (*notebook.Notebook, error) {
	if len(s.Command) == 0 {
		return nil, fmt.Errorf("%w: Sandbox.Command is empty", ErrRunner)
	}
	raw, err := nb.Marshal()
	if err != nil {
		return nil, err
	}
	request := func(isolated bool) []byte {
		b, _ := json.Marshal(workerRequest{ // plain fields and valid raw JSON: cannot fail
			Notebook: raw, Dir: dir, Kernel: s.Kernel,
			CellTimeout: s.CellTimeout, Timeout: s.Timeout,
			Memory: s.Memory, AddressSpace: AddressSpace(s.Memory), Isolated: isolated,
		})
		return b
	}
	if s.Timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, s.Timeout+killGrace)
		defer cancel()
	}

	isolate := !s.NoNamespace && namespacesAvailable()
	stdout, stderr, runErr := s.start(ctx, request(isolate), isolate)
	if isolate && runErr != nil && errors.Is(runErr, errStart) {
		// No permission for namespaces here (a container without CAP_SYS_ADMIN): run without.
		isolate = false
		stdout, stderr, runErr = s.start(ctx, request(false), false)
	}
	if errors.Is(runErr, errStart) {
		return nil, fmt.Errorf("%w: %v", ErrRunner, runErr)
	}
	var resp workerResponse
	if err := json.Unmarshal(stdout, &resp); err != nil {
		if ctx.Err() != nil && s.Timeout > 0 {
			return nil, &TimeoutError{Cell: -1, Limit: s.Timeout, Total: true}
		}
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		return nil, fmt.Errorf("the grading worker failed (%v): %s", runErr, lastLines(stderr, 5))
	}
	s.setIsolation(resp.Network)
	var out *notebook.Notebook
	if len(resp.Notebook) > 0 {
		if out, err = notebook.Parse(resp.Notebook); err != nil {
			return nil, fmt.Errorf("the grading worker returned a bad notebook: %v", err)
		}
	}
	switch resp.Kind {
	case "":
		return out, nil
	case "cell-timeout":
		return out, &TimeoutError{Cell: resp.Cell, Limit: s.CellTimeout}
	case "timeout":
		return out, &TimeoutError{Cell: resp.Cell, Limit: s.Timeout, Total: true}
	case "memory", "died":
		return out, &StopError{Cell: resp.Cell, Memory: resp.Kind == "memory", Detail: resp.Detail}
	case "setup":
		return nil, fmt.Errorf("%w: %s", ErrRunner, resp.Message)
	}
	return out, errors.New(resp.Message)
}

// errStart marks a worker that could not be started.
var errStart = errors.New("cannot start the grading worker")

// start runs one worker to its end and returns its output.
func (s *Sandbox) start(ctx context.Context, req []byte, isolate bool) (stdout, stderr []byte, err error) {
	cmd := exec.Command(s.Command[0], s.Command[1:]...)
	cmd.Dir = os.TempDir()
	cmd.Env = append(withoutEnv(os.Environ(), WorkerEnv), WorkerEnv+"=1")
	cmd.Stdin = bytes.NewReader(req)
	var out, errb limitedBuffer
	out.limit, errb.limit = maxWorkerOutput, 1<<16
	cmd.Stdout, cmd.Stderr = &out, &errb
	cmd.SysProcAttr = workerAttr(isolate)
	if err := cmd.Start(); err != nil {
		return nil, nil, fmt.Errorf("%w: %s: %v", errStart, s.Command[0], err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err = <-done:
	case <-ctx.Done():
		killGroup(cmd.Process.Pid)
		err = <-done
	}
	killGroup(cmd.Process.Pid) // whatever is left in the worker's group
	return out.Bytes(), errb.Bytes(), err
}

// Worker is the worker side of Sandbox: it reads a request on stdin, runs the notebook in the
// kernel and writes the response on stdout. It returns the process exit code.
func Worker(ctx context.Context, stdin io.Reader, stdout io.Writer) int {
	var req workerRequest
	if err := json.NewDecoder(io.LimitReader(stdin, maxWorkerOutput)).Decode(&req); err != nil {
		fmt.Fprintf(os.Stderr, "grade worker: bad request: %v\n", err)
		return 2
	}
	resp := runWorker(ctx, req)
	if err := json.NewEncoder(stdout).Encode(resp); err != nil {
		return 1
	}
	return 0
}

func runWorker(ctx context.Context, req workerRequest) (resp workerResponse) {
	resp.Network = prepareWorker(req.Isolated, req.AddressSpace)
	defer killAdopted()
	nb, err := notebook.Parse(req.Notebook)
	if err != nil {
		return workerResponse{Kind: "error", Message: err.Error(), Network: resp.Network}
	}
	work := filepath.Join(req.Dir, "work")
	if err := os.MkdirAll(work, 0o700); err != nil {
		return workerResponse{Kind: "error", Message: err.Error(), Network: resp.Network}
	}
	os.Setenv("TMPDIR", req.Dir)
	ex, err := kernel.Execute(ctx, nb, kernel.Options{
		Kernel:          req.Kernel,
		Dir:             work,
		CellTimeout:     req.CellTimeout,
		Timeout:         req.Timeout,
		ContinueOnError: true,
		MemoryLimit:     req.Memory,
	})
	if ex != nil {
		resp.Notebook, _ = ex.Marshal()
	}
	if err == nil {
		return resp
	}
	resp.Message = err.Error()
	resp.Kind = "stopped"
	var ce *kernel.CellError
	if errors.As(err, &ce) {
		resp.Cell, resp.Detail = ce.Cell, ce.Detail
	}
	switch {
	case errors.Is(err, kernel.ErrCellTimeout):
		resp.Kind = "cell-timeout"
	case errors.Is(err, kernel.ErrTimeout):
		resp.Kind = "timeout"
	case errors.Is(err, kernel.ErrMemory):
		resp.Kind = "memory"
	case errors.Is(err, kernel.ErrKernelDied):
		resp.Kind = "died"
	case errors.Is(err, kernel.ErrSetup):
		resp.Kind = "setup"
	case ce == nil:
		resp.Kind = "error"
	}
	return resp
}

func withoutEnv(env []string, key string) []string {
	out := env[:0:0]
	for _, e := range env {
		if !strings.HasPrefix(e, key+"=") {
			out = append(out, e)
		}
	}
	return out
}

// lastLines returns the last n lines of b.
func lastLines(b []byte, n int) string {
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}

// limitedBuffer keeps the first limit bytes written to it and discards the rest.
type limitedBuffer struct {
	bytes.Buffer
	limit int
}

func (b *limitedBuffer) Write(p []byte) (int, error) {
	if room := b.limit - b.Len(); room > 0 {
		b.Buffer.Write(p[:min(len(p), room)])
	}
	return len(p), nil
}
