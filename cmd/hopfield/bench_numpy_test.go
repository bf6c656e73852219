package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

const numpyInfoLine = `{"info": {"numpy": "1.24.2", "python": "3.11.2", "blas_libraries": ["/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3"], "openblas_config": "OpenBLAS 0.3.21 SkylakeX", "blas_threads": 2}}`

func TestParseNumpyOutput(t *testing.T) {
	good := numpyInfoLine + "\n" +
		`{"seconds": 0.02, "min_seconds": 0.01, "max_seconds": 0.03, "accuracy": 1.0, "id": 1, "runs": 5}` + "\n" +
		`{"seconds": 0.5, "min_seconds": 0.5, "max_seconds": 0.5, "accuracy": 0.0, "sweeps": 3, "converged": false, "id": 0, "runs": 5}` + "\n"
	info, res, err := parseNumpyOutput([]byte(good), 2)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := info.String(), "numpy 1.24.2 (Python 3.11.2), OpenBLAS 0.3.21 SkylakeX, 2 threads"; got != want {
		t.Errorf("info %q, want %q", got, want)
	}
	if res[0].Seconds != 0.5 || *res[0].Accuracy != 0 || *res[0].Sweeps != 3 || *res[0].Converged ||
		res[1].Seconds != 0.02 || res[1].Min != 0.01 || *res[1].Accuracy != 1 || res[1].Sweeps != nil {
		t.Errorf("results %+v", res)
	}

	result := `{"seconds": 0.02, "min_seconds": 0.01, "max_seconds": 0.03, "accuracy": 1.0, "id": 0, "runs": 5}`
	bad := []struct{ out, want string }{
		{"", "no info line"},
		{numpyInfoLine, "no result for case 0"},
		{result, "no info line"},
		{numpyInfoLine + "\nTraceback (most recent call last):", "line 2"},
		{numpyInfoLine + "\n" + result + "\n" + result, "case 0 reported twice"},
		{numpyInfoLine + "\n" + strings.Replace(result, `"id": 0`, `"id": 7`, 1), "case id 7 out of range"},
		{numpyInfoLine + "\n" + strings.Replace(result, `"seconds": 0.02`, `"seconds": 0`, 1), "implausible times"},
		{numpyInfoLine + "\n" + strings.Replace(result, `"seconds": 0.02`, `"seconds": 0.5`, 1), "implausible times"},
		{numpyInfoLine + "\n" + strings.Replace(result, `"runs": 5`, `"runs": 0`, 1), "no counted runs"},
		{numpyInfoLine + "\n" + strings.Replace(result, `"accuracy": 1.0, `, ``, 1), "no accuracy"},
	}
	for _, tt := range bad {
		if _, _, err := parseNumpyOutput([]byte(tt.out), 1); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("parseNumpyOutput(%q): error %v, want one containing %q", tt.out, err, tt.want)
		}
	}
}

// fakePython points numpyPython at a shell script for the test's duration.
func fakePython(t *testing.T, script string) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("no sh for a fake interpreter")
	}
	path := filepath.Join(t.TempDir(), "python3")
	if err := os.WriteFile(path, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	setNumpyPython(t, path)
}

func setNumpyPython(t *testing.T, path string) {
	old := numpyPython
	numpyPython = path
	t.Cleanup(func() { numpyPython = old })
}

func TestBenchNumpyMissing(t *testing.T) {
	const want = "hopfield bench -numpy needs /usr/bin/python3 with numpy: apt-get install python3-numpy"
	for _, tt := range []struct {
		name  string
		setup func(t *testing.T)
	}{
		{"no interpreter", func(t *testing.T) { setNumpyPython(t, filepath.Join(t.TempDir(), "no-python3")) }},
		{"no numpy", func(t *testing.T) {
			fakePython(t, "echo \"ModuleNotFoundError: No module named 'numpy'\" >&2\nexit 1\n")
		}},
		{"no numpy in the script", func(t *testing.T) { // the up-front check passes, the script exits 3
			fakePython(t, "[ \"$1\" = -c ] && exit 0\necho 'bench_numpy.py: cannot import numpy' >&2\nexit 3\n")
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.setup(t)
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), []string{"bench", "-quick", "-numpy", "-runs", "1", "-w", "W2"}, &stdout, &stderr)
			if code != 1 || !strings.Contains(stderr.String(), want) {
				t.Errorf("code %d, stderr %q; want 1 and %q", code, stderr.String(), want)
			}
		})
	}
	// The check comes before any timing: nothing on stdout.
	setNumpyPython(t, filepath.Join(t.TempDir(), "no-python3"))
	var stdout, stderr bytes.Buffer
	run(context.Background(), []string{"bench", "-quick", "-numpy", "-runs", "1"}, &stdout, &stderr)
	if stdout.Len() != 0 {
		t.Errorf("records before the numpy check failed: %q", stdout.String())
	}
	if err := checkNumpy(context.Background()); !errors.Is(err, errNumpyMissing) {
		t.Errorf("checkNumpy: %v, want errNumpyMissing", err)
	}
}

// TestBenchNumpyMerge runs W2 with a fake reference that prints fixed figures: the records must
// carry them, the ratio and the untouched issue figure, and the BLAS thread limit must be set.
func TestBenchNumpyMerge(t *testing.T) {
	fakePython(t, `[ "$1" = -c ] && exit 0
[ "$OPENBLAS_NUM_THREADS" -ge 1 ] || { echo "OPENBLAS_NUM_THREADS not set" >&2; exit 1; }
grep -q '"workload":"W2"' "$2" || { echo "bad spec" >&2; exit 1; }
echo '`+numpyInfoLine+`'
echo '{"id": 0, "seconds": 0.25, "min_seconds": 0.2, "max_seconds": 0.3, "runs": 1, "accuracy": 0.95, "sweeps": 2, "converged": true}'
`)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"bench", "-quick", "-numpy", "-runs", "1", "-w", "W2"}, &stdout, &stderr); code != 0 {
		t.Fatalf("code %d, stderr %q", code, stderr.String())
	}
	recs := decodeRecords(t, stdout.Bytes())
	if len(recs) != 1 {
		t.Fatalf("%d records, want 1", len(recs))
	}
	r := recs[0]
	if r.NumpyMeasured != 0.25 || r.NumpyMin != 0.2 || r.NumpyMax != 0.3 || *r.NumpyAccuracy != 0.95 ||
		*r.NumpySweeps != 2 || !*r.NumpyConverged || r.Numpy != 0 ||
		!strings.Contains(r.NumpyConfig, "OpenBLAS 0.3.21") || math.Abs(r.Ratio-r.Seconds/0.25) > 1e-12 {
		t.Errorf("record %+v", r)
	}
}

func decodeRecords(t *testing.T, out []byte) []benchRecord {
	t.Helper()
	var recs []benchRecord
	dec := json.NewDecoder(bytes.NewReader(out))
	for dec.More() {
		var r benchRecord
		if err := dec.Decode(&r); err != nil {
			t.Fatalf("%v in %s", err, out)
		}
		recs = append(recs, r)
	}
	return recs
}

// needNumpy skips a test when the reference interpreter cannot import numpy: numpy is an optional
// reference, not a dependency of the project or of .ci/test.
func needNumpy(t *testing.T) {
	t.Helper()
	if err := exec.Command(numpyPython, "-c", "import numpy").Run(); err != nil {
		t.Skipf("%s cannot import numpy (%v): the numpy reference is optional; apt-get install python3-numpy to run this test", numpyPython, err)
	}
}

// TestBenchQuickNumpy runs `hopfield bench -quick -numpy` for real: every record must carry a
// measured numpy time, and numpy must compute what the library does.
func TestBenchQuickNumpy(t *testing.T) {
	needNumpy(t)
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"bench", "-quick", "-numpy", "-runs", "2"}, &stdout, &stderr); code != 0 {
		t.Fatalf("code %d, stderr %q", code, stderr.String())
	}
	t.Logf("%s", stdout.String())
	recs := decodeRecords(t, stdout.Bytes())
	if len(recs) != 6 {
		t.Fatalf("%d records, want 6 (W1, W2, W3 exp, W3 relu^3, W4 at two β)", len(recs))
	}
	for _, r := range recs {
		if !(r.NumpyMeasured > 0) || r.NumpyRuns != 2 || math.Abs(r.Ratio-r.Seconds/r.NumpyMeasured) > 1e-12 ||
			r.NumpyAccuracy == nil || !strings.HasPrefix(r.NumpyConfig, "numpy ") {
			t.Errorf("%s %s: numpy fields missing or wrong: %+v", r.Workload, r.F, r)
			continue
		}
		switch r.Workload {
		case "W1", "W4":
			if r.NumpyMaxDiff == nil || *r.NumpyMaxDiff > 1e-5 {
				t.Errorf("%s: numpy's step differs from the library's: max |diff| %v", r.Workload, r.NumpyMaxDiff)
			}
			if *r.NumpyAccuracy != r.Accuracy {
				t.Errorf("%s: numpy accuracy %v, library %v", r.Workload, *r.NumpyAccuracy, r.Accuracy)
			}
			if r.Workload == "W4" && (!(r.GFLOPS > 0) || !(r.PeakGFLOPS > 0) || r.PeakNote == "" || r.Kernels == "") {
				t.Errorf("W4: rate, peak or kernels missing: %+v", r)
			}
		default: // different random orders, same probes: close, not equal
			if math.Abs(*r.NumpyAccuracy-r.Accuracy) > 0.1 || r.NumpyConverged == nil || !*r.NumpyConverged {
				t.Errorf("%s %s: numpy accuracy %v (converged %v), library %v", r.Workload, r.F,
					*r.NumpyAccuracy, r.NumpyConverged, r.Accuracy)
			}
		}
	}
}

// TestNumpyW1Agrees checks bench_numpy.py's W1 step against the library at a small β, where the
// softmax spreads its weight over many patterns: at the benchmark's β = 8 it is one-hot and both
// return the query's own pattern exactly, which would not catch a wrong softmax.
func TestNumpyW1Agrees(t *testing.T) {
	needNumpy(t)
	const k, d, b, beta = 300, 784, 40, 0.1
	r := rand.New(rand.NewPCG(5, 6))
	data := make([]float32, k*d)
	for i := range data {
		data[i] = r.Float32()
	}
	stored, err := hopfieldlib.FromFlat(k, d, data)
	if err != nil {
		t.Fatal(err)
	}
	queries, err := stored.First(b)
	if err != nil {
		t.Fatal(err)
	}
	for q := range b {
		clear(queries.Row(q)[d/2:])
	}
	net, err := hopfieldlib.NewContinuous(stored, beta, hopfieldlib.ContinuousConfig{})
	if err != nil {
		t.Fatal(err)
	}
	next, err := net.Step(queries, hopfieldlib.RecallOptions{})
	if err != nil {
		t.Fatal(err)
	}
	nb, err := newNumpyBatch("W1", benchConfig{runs: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer nb.close()
	c := numpyCase{N: d, K: k, B: b, Beta: beta, Out: nb.path("xi.f32")}
	if c.Stored, err = nb.write("stored.f32", stored); err != nil {
		t.Fatal(err)
	}
	if c.Queries, err = nb.write("queries.f32", queries); err != nil {
		t.Fatal(err)
	}
	var spread, diff float64
	nb.add(c, benchRecord{Seconds: 1}, func(rec *benchRecord) error {
		xi, err := readFloat32(c.Out, b*d)
		if err != nil {
			return err
		}
		for i, v := range next.Flat() {
			diff = max(diff, math.Abs(float64(v)-float64(xi[i])))
			spread = max(spread, math.Abs(float64(v)-float64(stored.Flat()[i])))
		}
		return nil
	})
	if err := nb.run(context.Background(), func(benchRecord) error { return nil }); err != nil {
		t.Fatal(err)
	}
	if spread < 0.1 {
		t.Fatalf("the softmax is nearly one-hot (max |ξ' − own pattern| = %v): pick a smaller β", spread)
	}
	if diff > 1e-5 {
		t.Errorf("numpy's W1 step differs from the library's by up to %v", diff)
	}
	t.Logf("max |library − numpy| = %.3g, max |ξ' − own pattern| = %.3g", diff, spread)
}

// TestNumpyRecallAgrees compares the accuracy of bench_numpy.py's W2 and W3 recalls with the
// library's on the same probes, at loads and noise where recall is not trivially perfect (the
// benchmark's quick sizes recover every probe in one sweep on both sides). The random orders
// differ, so the accuracies are close, not equal.
func TestNumpyRecallAgrees(t *testing.T) {
	needNumpy(t)
	tests := []struct {
		workload string
		k, b     int
		noise    float64
		f        hopfieldlib.Separation
	}{
		{"W2", 100, 100, 0.2, hopfieldlib.Separation{}},
		{"W3", 100, 100, 0.45, hopfieldlib.Exponential(1)},
		{"W3", 100, 100, 0.45, hopfieldlib.RectifiedPolynomial(3)},
	}
	for _, tt := range tests {
		const n, maxSweeps = 784, 50
		r := rand.New(rand.NewPCG(8, uint64(tt.k)))
		stored, err := hopfieldlib.RandomSpins(tt.k, n, r)
		if err != nil {
			t.Fatal(err)
		}
		want := make([]int, tt.b)
		for i := range want {
			want[i] = i % tt.k
		}
		clean, err := stored.Subset(want...)
		if err != nil {
			t.Fatal(err)
		}
		probes, err := hopfieldlib.FlipBits(clean, tt.noise, r)
		if err != nil {
			t.Fatal(err)
		}
		opts := hopfieldlib.RecallOptions{Dynamics: hopfieldlib.Async, MaxSteps: maxSweeps, Rand: rand.New(rand.NewPCG(1, 2))}
		var res *hopfieldlib.RecallResult
		c := numpyCase{N: n, K: tt.k, B: tt.b, MaxSweeps: maxSweeps}
		if tt.workload == "W2" {
			net, err := hopfieldlib.NewClassical(stored, hopfieldlib.ClassicalConfig{})
			if err != nil {
				t.Fatal(err)
			}
			res, err = net.Recall(probes, opts)
			if err != nil {
				t.Fatal(err)
			}
		} else {
			net, err := hopfieldlib.NewDense(stored, tt.f, hopfieldlib.DenseConfig{})
			if err != nil {
				t.Fatal(err)
			}
			res, err = net.Recall(probes, opts)
			if err != nil {
				t.Fatal(err)
			}
			c.F = tt.f.String()
			if tt.f.IsExponential() {
				c.Beta = tt.f.Beta()
			}
		}
		accuracy, err := hopfieldlib.Accuracy(stored, res.States, want, 0)
		if err != nil {
			t.Fatal(err)
		}
		nb, err := newNumpyBatch(tt.workload, benchConfig{runs: 1})
		if err != nil {
			t.Fatal(err)
		}
		defer nb.close()
		if c.Stored, err = nb.write("stored.f32", stored); err != nil {
			t.Fatal(err)
		}
		if c.Queries, err = nb.write("probes.f32", probes); err != nil {
			t.Fatal(err)
		}
		nb.add(c, benchRecord{Seconds: 1}, nil)
		var rec benchRecord
		if err := nb.run(context.Background(), func(r benchRecord) error { rec = r; return nil }); err != nil {
			t.Fatal(err)
		}
		t.Logf("%s %s K=%d, %.0f%% flipped: accuracy library %.2f, numpy %.2f (numpy sweeps %d)",
			tt.workload, c.F, tt.k, 100*tt.noise, accuracy, *rec.NumpyAccuracy, *rec.NumpySweeps)
		if math.Abs(accuracy-*rec.NumpyAccuracy) > 0.15 {
			t.Errorf("%s %s: accuracy library %.2f, numpy %.2f", tt.workload, c.F, accuracy, *rec.NumpyAccuracy)
		}
	}
}
