package main

import (
	"bufio"
	"bytes"
	"context"
	_ "embed"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// `hopfield bench -numpy` times the numpy reference of every workload in the same run, on the
// same machine, sizes and data as the library: the project's rule is that a speed ratio is only
// quoted from one run. The Go side writes each size's data (the stored patterns and the
// queries or noisy probes, as raw float32) to a temporary folder, starts bench_numpy.py once per
// workload with a JSON spec of the cases, and merges the script's figures into the records.

//go:embed bench_numpy.py
var numpyScript []byte

// numpyPython is the interpreter of the numpy reference: Debian's, whose python3-numpy package
// is the reference (numpy 1.24 + OpenBLAS), not whatever python3 comes first on PATH. A variable
// so that tests can point it elsewhere.
var numpyPython = "/usr/bin/python3"

// numpyTimeout bounds one workload's reference (all its sizes); the full sizes need about a
// minute.
var numpyTimeout = 20 * time.Minute

// errNumpyMissing is the error when the interpreter or numpy cannot be found.
var errNumpyMissing = errors.New("hopfield bench -numpy needs /usr/bin/python3 with numpy: apt-get install python3-numpy")

// numpyExitNoNumpy is bench_numpy.py's exit status when `import numpy` fails.
const numpyExitNoNumpy = 3

// numpySpec is the JSON spec given to bench_numpy.py: one workload, its cases.
type numpySpec struct {
	Workload string      `json:"workload"`
	Runs     int         `json:"runs"`
	Cases    []numpyCase `json:"cases"`
}

// numpyCase is one size (and for W3 one separation function) of a workload: one record.
type numpyCase struct {
	ID        int     `json:"id"`
	N         int     `json:"N"`
	K         int     `json:"K"`
	B         int     `json:"B"`
	Beta      float64 `json:"beta,omitempty"`
	F         string  `json:"F,omitempty"`
	Stored    string  `json:"stored"`               // K×N float32 little-endian
	Queries   string  `json:"queries"`              // B×N float32 little-endian
	Out       string  `json:"out,omitempty"`        // W1: where the script writes its step's result
	MaxSweeps int     `json:"max_sweeps,omitempty"` // W2, W3: recall limit
}

// numpyInfo is the script's first line: what the reference ran on.
type numpyInfo struct {
	Numpy          string   `json:"numpy"`
	Python         string   `json:"python"`
	BLASLibraries  []string `json:"blas_libraries"`
	OpenBLASConfig string   `json:"openblas_config"`
	BLASThreads    int      `json:"blas_threads"`
}

// String is the short description that goes into every record's numpy_config.
func (i numpyInfo) String() string {
	blas := "BLAS: " + strings.Join(i.BLASLibraries, ", ")
	if i.OpenBLASConfig != "" {
		blas = i.OpenBLASConfig + ", " + strconv.Itoa(i.BLASThreads) + " threads"
	}
	return fmt.Sprintf("numpy %s (Python %s), %s", i.Numpy, i.Python, blas)
}

// numpyResult is one case's figures from the script.
type numpyResult struct {
	ID        int      `json:"id"`
	Seconds   float64  `json:"seconds"`
	Min       float64  `json:"min_seconds"`
	Max       float64  `json:"max_seconds"`
	Runs      int      `json:"runs"`
	Accuracy  *float64 `json:"accuracy"`
	Sweeps    *int     `json:"sweeps"`
	Converged *bool    `json:"converged"`
}

// parseNumpyOutput reads the script's stdout: an {"info": …} line, then one result per case,
// each case exactly once.
func parseNumpyOutput(out []byte, cases int) (numpyInfo, []numpyResult, error) {
	var info numpyInfo
	results := make([]numpyResult, cases)
	seen := make([]bool, cases)
	haveInfo := false
	sc := bufio.NewScanner(bytes.NewReader(out))
	sc.Buffer(nil, 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var probe struct {
			Info *numpyInfo `json:"info"`
		}
		if err := json.Unmarshal([]byte(text), &probe); err != nil {
			return info, nil, fmt.Errorf("numpy reference output line %d: %w: %q", line, err, text)
		}
		if probe.Info != nil {
			info, haveInfo = *probe.Info, true
			continue
		}
		var r numpyResult
		dec := json.NewDecoder(strings.NewReader(text))
		if err := dec.Decode(&r); err != nil {
			return info, nil, fmt.Errorf("numpy reference output line %d: %w: %q", line, err, text)
		}
		switch {
		case r.ID < 0 || r.ID >= cases:
			return info, nil, fmt.Errorf("numpy reference output line %d: case id %d out of range [0, %d)", line, r.ID, cases)
		case seen[r.ID]:
			return info, nil, fmt.Errorf("numpy reference output line %d: case %d reported twice", line, r.ID)
		case !(r.Seconds > 0) || math.IsInf(r.Seconds, 0) || !(r.Min > 0) || r.Min > r.Seconds || r.Seconds > r.Max:
			return info, nil, fmt.Errorf("numpy reference output line %d: implausible times %q", line, text)
		case r.Runs < 1:
			return info, nil, fmt.Errorf("numpy reference output line %d: no counted runs", line)
		case r.Accuracy == nil:
			return info, nil, fmt.Errorf("numpy reference output line %d: no accuracy", line)
		}
		results[r.ID], seen[r.ID] = r, true
	}
	if err := sc.Err(); err != nil {
		return info, nil, fmt.Errorf("numpy reference output: %w", err)
	}
	if !haveInfo {
		return info, nil, errors.New("numpy reference output: no info line")
	}
	for id, ok := range seen {
		if !ok {
			return info, nil, fmt.Errorf("numpy reference output: no result for case %d", id)
		}
	}
	return info, results, nil
}

// numpyThreads is the BLAS thread count of the reference: the library's parallelism, GOMAXPROCS
// (by default the machine's cores), so that both sides use the same cores.
func numpyThreads() int { return runtime.GOMAXPROCS(0) }

// checkNumpy fails fast, before any timing, when the interpreter or numpy is missing.
func checkNumpy(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, numpyPython, "-c", "import numpy")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("%w (%s: %v%s)", errNumpyMissing, numpyPython, err, tail(stderr.String()))
	}
	return nil
}

// numpyBatch collects one workload's cases and the records waiting for their numpy figures.
type numpyBatch struct {
	dir   string
	spec  numpySpec
	recs  []benchRecord
	after []func(rec *benchRecord) error // per case, nil or a check once the script has run
}

func newNumpyBatch(workload string, cfg benchConfig) (*numpyBatch, error) {
	dir, err := os.MkdirTemp("", "hopfield-bench-numpy-")
	if err != nil {
		return nil, err
	}
	return &numpyBatch{dir: dir, spec: numpySpec{Workload: workload, Runs: cfg.runs}}, nil
}

// close removes the data files.
func (nb *numpyBatch) close() {
	if nb != nil {
		os.RemoveAll(nb.dir)
	}
}

// path is the full path of a file in the batch's folder.
func (nb *numpyBatch) path(name string) string { return filepath.Join(nb.dir, name) }

// write stores p as raw little-endian float32 under name and returns its path.
func (nb *numpyBatch) write(name string, p *hopfieldlib.Patterns) (string, error) {
	return writeFloat32(nb.path(name), p)
}

// writeFloat32 stores p at path as raw little-endian float32 and returns the path.
func writeFloat32(path string, p *hopfieldlib.Patterns) (string, error) {
	f, err := os.Create(path)
	if err != nil {
		return "", err
	}
	w := bufio.NewWriterSize(f, 1<<20)
	if err := binary.Write(w, binary.LittleEndian, p.Flat()); err != nil {
		f.Close()
		return "", err
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return "", err
	}
	return path, f.Close()
}

// add queues a case and its record; after, if not nil, runs once the numpy figures are in.
func (nb *numpyBatch) add(c numpyCase, rec benchRecord, after func(rec *benchRecord) error) {
	c.ID = len(nb.spec.Cases)
	nb.spec.Cases = append(nb.spec.Cases, c)
	nb.recs = append(nb.recs, rec)
	nb.after = append(nb.after, after)
}

// run starts the script once for all the cases, fills in the numpy fields and emits the records
// in order.
func (nb *numpyBatch) run(ctx context.Context, emit func(benchRecord) error) error {
	specPath := nb.path("spec.json")
	spec, err := json.Marshal(nb.spec)
	if err != nil {
		return err
	}
	if err := os.WriteFile(specPath, spec, 0o644); err != nil {
		return err
	}
	script := nb.path("bench_numpy.py")
	if err := os.WriteFile(script, numpyScript, 0o644); err != nil {
		return err
	}
	stdout, err := runNumpyScript(ctx, script, specPath)
	if err != nil {
		return err
	}
	info, results, err := parseNumpyOutput(stdout, len(nb.spec.Cases))
	if err != nil {
		return err
	}
	for i := range nb.recs {
		rec := &nb.recs[i]
		mergeNumpy(rec, info, results[i])
		if nb.after[i] != nil {
			if err := nb.after[i](rec); err != nil {
				return err
			}
		}
		if err := emit(*rec); err != nil {
			return err
		}
	}
	return nil
}

// mergeNumpy fills a record's numpy fields from the reference's figures.
func mergeNumpy(rec *benchRecord, info numpyInfo, r numpyResult) {
	rec.NumpyMeasured = r.Seconds
	rec.NumpyMin, rec.NumpyMax, rec.NumpyRuns = r.Min, r.Max, r.Runs
	rec.NumpyAccuracy = r.Accuracy
	rec.NumpySweeps = r.Sweeps
	rec.NumpyConverged = r.Converged
	rec.NumpyConfig = info.String()
	rec.Ratio = rec.Seconds / r.Seconds
}

// runNumpyScript runs the reference with the BLAS limited to numpyThreads cores and returns its
// stdout.
func runNumpyScript(ctx context.Context, script, spec string) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, numpyTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, numpyPython, script, spec)
	threads := strconv.Itoa(numpyThreads())
	cmd.Env = append(os.Environ(),
		"OPENBLAS_NUM_THREADS="+threads, "OMP_NUM_THREADS="+threads, "MKL_NUM_THREADS="+threads,
		"PYTHONDONTWRITEBYTECODE=1")
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return stdout.Bytes(), nil
	case ctx.Err() == context.DeadlineExceeded:
		return nil, fmt.Errorf("numpy reference: timed out after %v%s", numpyTimeout, tail(stderr.String()))
	case errors.As(err, &exit) && exit.ExitCode() == numpyExitNoNumpy:
		return nil, fmt.Errorf("%w (%s)", errNumpyMissing, strings.TrimSpace(stderr.String()))
	case errors.As(err, &exit):
		return nil, fmt.Errorf("numpy reference: %s %s: %v%s", numpyPython, script, err, tail(stderr.String()))
	default: // could not start: no interpreter there
		return nil, fmt.Errorf("%w (%v)", errNumpyMissing, err)
	}
}

// tail is the last lines of a process's stderr, for an error message.
func tail(stderr string) string {
	lines := strings.Split(strings.TrimSpace(stderr), "\n")
	if len(lines) == 1 && lines[0] == "" {
		return ""
	}
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return "\n" + strings.Join(lines, "\n")
}

// readFloat32 reads a raw little-endian float32 file of exactly n values.
func readFloat32(path string, n int) ([]float32, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if len(data) != 4*n {
		return nil, fmt.Errorf("%s: %d bytes, want %d float32 values", filepath.Base(path), len(data), n)
	}
	out := make([]float32, n)
	for i := range out {
		out[i] = math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:]))
	}
	return out, nil
}
