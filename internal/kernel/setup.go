package kernel

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// pythonCandidates lists where to look for a Python with Jupyter: $HOPFIELD_PYTHON, Debian's
// /usr/bin/python3 (a python3 earlier on PATH, such as pyenv's, often lacks Jupyter), then PATH.
func pythonCandidates() []string {
	var c []string
	if p := os.Getenv("HOPFIELD_PYTHON"); p != "" {
		c = append(c, p)
	}
	return append(c, "/usr/bin/python3", "python3")
}

// FindPython returns the first Python that can run notebooks (imports nbclient and
// jupyter_client); the error wraps ErrSetup and says what to install.
func FindPython() (string, error) {
	for _, p := range pythonCandidates() {
		path, err := exec.LookPath(p)
		if err != nil {
			continue
		}
		if exec.Command(path, "-c", "import nbclient, jupyter_client, nbformat").Run() == nil {
			return path, nil
		}
	}
	return "", fmt.Errorf("%w: no Python with Jupyter's nbclient found (tried %s); %s",
		ErrSetup, strings.Join(pythonCandidates(), ", "), SetupHint)
}

// Spec is an installed Jupyter kernel spec.
type Spec struct {
	Name   string
	Dir    string // the folder holding kernel.json
	Argv   []string
	Env    map[string]string
	GoWork string // GoNB's --go_work value, "" if none
}

// FindSpec asks Jupyter, through the Python py, for the kernel spec called name; the error wraps
// ErrSetup when there is none.
func FindSpec(py, name string) (*Spec, error) {
	const script = `import json, sys
from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
try:
    s = KernelSpecManager().get_kernel_spec(sys.argv[1])
except NoSuchKernel:
    print("null")
else:
    print(json.dumps({"dir": s.resource_dir, "argv": s.argv, "env": s.env}))
`
	b, err := exec.Command(py, "-c", script, name).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			return nil, fmt.Errorf("%w: %s cannot list kernel specs: %s", ErrSetup, py, tail(string(ee.Stderr), 5))
		}
		return nil, fmt.Errorf("%w: %v", ErrSetup, err)
	}
	var raw *struct {
		Dir  string            `json:"dir"`
		Argv []string          `json:"argv"`
		Env  map[string]string `json:"env"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return nil, fmt.Errorf("%w: reading kernel spec %q: %v", ErrSetup, name, err)
	}
	if raw == nil {
		return nil, fmt.Errorf("%w: no Jupyter kernel spec %q is installed; %s", ErrSetup, name, SetupHint)
	}
	s := &Spec{Name: name, Dir: raw.Dir, Argv: raw.Argv, Env: raw.Env}
	for _, a := range raw.Argv {
		for _, prefix := range []string{"--go_work=", "-go_work="} {
			if v, ok := strings.CutPrefix(a, prefix); ok {
				s.GoWork = v
			}
		}
	}
	return s, nil
}

// CheckSetup reports what is missing for running the course's notebooks in kernel name with the
// repository at repo: a Python with Jupyter, the kernel spec, the gonb binary it names, the
// tools on its PATH, and a go.work that includes repo. An empty list means ready.
func CheckSetup(name, repo string) []string {
	py, err := FindPython()
	if err != nil {
		return []string{"Jupyter (a Python that imports nbclient and jupyter_client)"}
	}
	var missing []string
	if exec.Command(py, "-c", "import notebook").Run() != nil {
		missing = append(missing, "the Jupyter notebook server (Python module notebook) for "+py)
	}
	s, err := FindSpec(py, name)
	if err != nil {
		return append(missing, fmt.Sprintf("the Jupyter kernel spec %q", name))
	}
	if len(s.Argv) == 0 {
		return append(missing, fmt.Sprintf("a command in kernel spec %s/kernel.json", s.Dir))
	}
	if st, err := os.Stat(s.Argv[0]); err != nil || st.IsDir() {
		missing = append(missing, fmt.Sprintf("the kernel program %s named by %s/kernel.json", s.Argv[0], s.Dir))
	}
	path := s.Env["PATH"]
	if path == "" {
		path = os.Getenv("PATH")
	}
	// gopls is optional: without it GoNB runs cells the same, with no hover or completion (a
	// system-wide install leaves it out to save memory).
	for _, tool := range []string{"go", "goimports"} {
		if !onPath(tool, path) {
			missing = append(missing, fmt.Sprintf("%s on the kernel's PATH (%s)", tool, path))
		}
	}
	if s.Env["GOEXPERIMENT"] != "simd" {
		missing = append(missing, fmt.Sprintf("GOEXPERIMENT=simd in the env of %s/kernel.json", s.Dir))
	}
	absRepo, _ := filepath.Abs(repo)
	goWork := strings.Split(s.GoWork, ",")
	if !slicesContainsPath(goWork, absRepo) && !containsCopyOf(goWork, absRepo) {
		missing = append(missing, fmt.Sprintf("a go.work using %s or a course copy of its module (kernel.json has --go_work=%q)", absRepo, s.GoWork))
	}
	return missing
}

// containsCopyOf reports whether one of the folders holds a go.mod for the same module as
// repo's: the course copy a system-wide install points the kernel at (docker/setup-kernel.sh).
func containsCopyOf(dirs []string, repo string) bool {
	want := modulePath(filepath.Join(repo, "go.mod"))
	if want == "" {
		return false
	}
	for _, d := range dirs {
		if d != "" && modulePath(filepath.Join(d, "go.mod")) == want {
			return true
		}
	}
	return false
}

// modulePath returns the module path a go.mod declares, "" if it cannot be read.
func modulePath(gomod string) string {
	b, err := os.ReadFile(gomod)
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "module" {
			return strings.Trim(f[1], `"`)
		}
	}
	return ""
}

func onPath(tool, path string) bool {
	for _, d := range filepath.SplitList(path) {
		if st, err := os.Stat(filepath.Join(d, tool)); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return true
		}
	}
	return false
}

func slicesContainsPath(list []string, want string) bool {
	for _, p := range list {
		if p == "" {
			continue
		}
		if a, err := filepath.Abs(p); err == nil && a == want {
			return true
		}
		if a, err := filepath.EvalSymlinks(p); err == nil {
			if w, err := filepath.EvalSymlinks(want); err == nil && a == w {
				return true
			}
		}
	}
	return false
}

// privateSpec writes a copy of kernel spec name into dir/kernels/name with GoNB's --go_work set
// to goWork (made absolute), and returns dir, to put first on JUPYTER_PATH.
func privateSpec(py, name, goWork, dir string) (string, error) {
	s, err := FindSpec(py, name)
	if err != nil {
		return "", err
	}
	b, err := os.ReadFile(filepath.Join(s.Dir, "kernel.json"))
	if err != nil {
		return "", fmt.Errorf("%w: %v", ErrSetup, err)
	}
	var spec map[string]any
	if err := json.Unmarshal(b, &spec); err != nil {
		return "", fmt.Errorf("%w: %s/kernel.json: %v", ErrSetup, s.Dir, err)
	}
	var paths []string
	for _, p := range strings.Split(goWork, ",") {
		if p == "" {
			continue
		}
		abs, err := filepath.Abs(p)
		if err != nil {
			return "", err
		}
		if _, err := os.Stat(filepath.Join(abs, "go.mod")); err != nil {
			return "", fmt.Errorf("kernel: GoWork folder %s has no go.mod", abs)
		}
		paths = append(paths, abs)
	}
	argv := []any{}
	for _, a := range s.Argv {
		if !strings.HasPrefix(a, "--go_work=") && !strings.HasPrefix(a, "-go_work=") {
			argv = append(argv, a)
		}
	}
	spec["argv"] = append(argv, "--go_work="+strings.Join(paths, ","))
	// The data sets follow the library: HOPFIELD_DATA of the first folder that has data/.
	if env, ok := spec["env"].(map[string]any); ok {
		if _, set := env["HOPFIELD_DATA"]; set {
			for _, p := range paths {
				if st, err := os.Stat(filepath.Join(p, "data")); err == nil && st.IsDir() {
					env["HOPFIELD_DATA"] = filepath.Join(p, "data")
					break
				}
			}
		}
	}
	out, err := json.MarshalIndent(spec, "", " ")
	if err != nil {
		return "", err
	}
	kdir := filepath.Join(dir, "kernels", name)
	if err := os.MkdirAll(kdir, 0o755); err != nil {
		return "", err
	}
	return dir, os.WriteFile(filepath.Join(kdir, "kernel.json"), out, 0o644)
}
