package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/hopfieldlib/hopfield/internal/grading"
	"github.com/hopfieldlib/hopfield/internal/kernel"
	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// labManifest is the file in a lab folder that remembers what was copied into it.
const labManifest = ".hopfield-lab.json"

// runLab checks the kernel set-up, repairs it with docker/setup-kernel.sh when something is
// missing, fills the student's work folder with the student notebooks (never over their work)
// and starts Jupyter there with the Go kernel ready.
func runLab(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlagSet("lab", "[flags]", stderr)
	ip := fs.String("ip", "127.0.0.1", "address Jupyter listens on (0.0.0.0 to reach it from other machines)")
	port := fs.Int("port", 8888, "port Jupyter listens on (Jupyter picks the next free one if it is taken)")
	noBrowser := fs.Bool("no-browser", false, "do not open a web browser")
	dir := fs.String("dir", "", "your work folder: the student notebooks are copied there once, and Jupyter shows it (default ~/hopfield-course)")
	kernelName := fs.String("kernel", "gonb", "Jupyter kernel spec the notebooks use")
	check := fs.Bool("check", false, "check (and repair) the set-up and prepare the work folder, then exit without starting Jupyter")
	noSetup := fs.Bool("no-setup", false, "only report what is missing; never run docker/setup-kernel.sh")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return usagef("unexpected arguments %q", fs.Args())
	}
	if *port < 0 || *port > 65535 {
		return usagef("-port must be in 0…65535, got %d", *port)
	}
	repo, err := repoRoot()
	if err != nil {
		return err
	}
	work, err := labFolder(*dir)
	if err != nil {
		return err
	}
	if inside, err := within(work, repo); err != nil {
		return err
	} else if inside {
		return usagef("the work folder %s is inside the course repository, which holds the solutions (notebooks/source): choose a folder outside it with -dir", work)
	}
	script := filepath.Join(repo, "docker", "setup-kernel.sh")
	if missing := kernel.CheckSetup(*kernelName, repo); len(missing) > 0 {
		fmt.Fprintf(stdout, "The Go kernel is not ready. Missing:\n  - %s\n", strings.Join(missing, "\n  - "))
		_, aptErr := exec.LookPath("apt-get")
		_, pyErr := kernel.FindPython()
		if *noSetup || (aptErr != nil && pyErr != nil) {
			return fmt.Errorf(`the set-up is incomplete.
On Debian/Ubuntu, run:  %s
Elsewhere, install Jupyter (pip install notebook nbconvert nbclient), point HOPFIELD_PYTHON at that
python if it is not python3 on PATH, then run the same script with HOPFIELD_SKIP_APT=1`, script)
		}
		fmt.Fprintf(stdout, "Running %s …\n", script)
		cmd := exec.CommandContext(ctx, "bash", script)
		cmd.Dir, cmd.Stdout, cmd.Stderr = repo, stdout, stderr
		if err := cmd.Run(); err != nil {
			return fmt.Errorf("%s failed: %v", script, err)
		}
		if missing := kernel.CheckSetup(*kernelName, repo); len(missing) > 0 {
			return fmt.Errorf("still missing after %s:\n  - %s", script, strings.Join(missing, "\n  - "))
		}
	}
	py, err := kernel.FindPython()
	if err != nil {
		return err
	}
	spec, err := kernel.FindSpec(py, *kernelName)
	if err != nil {
		return err
	}
	env, data, err := labEnv(os.Environ(), spec, repo)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "The Go kernel %q is ready (go.work -> %s, data -> %s).\n", *kernelName, repo, data)

	news, err := prepareLab(filepath.Join(repo, "notebooks"), work, time.Now())
	if err != nil {
		return err
	}
	for _, n := range news {
		fmt.Fprintln(stdout, n)
	}
	if err := checkLabRoot(work); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Your work folder is %s (the notebooks are yours: the lab never overwrites your changes).\n", work)
	if *check {
		return nil
	}

	// JupyterLab when this Python has it; otherwise the classic notebook server (Debian's
	// jupyter-notebook package).
	app := "notebook"
	if exec.Command(py, "-c", "import jupyterlab").Run() == nil {
		app = "jupyterlab"
	}
	jargs := []string{"-m", app, "--notebook-dir=" + work, "--ip=" + *ip, "--port=" + strconv.Itoa(*port)}
	if *noBrowser {
		jargs = append(jargs, "--no-browser")
	}
	if os.Geteuid() == 0 {
		jargs = append(jargs, "--allow-root")
	}
	fmt.Fprintf(stdout, "Starting %s %s (Ctrl-C to stop) …\n", py, strings.Join(jargs, " "))
	cmd := exec.Command(py, jargs...)
	cmd.Dir, cmd.Env = work, env
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, stdout, stderr
	if err := cmd.Start(); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		// Ctrl-C reached Jupyter too; make sure it stops rather than asking for confirmation.
		_ = cmd.Process.Signal(syscall.SIGTERM)
		<-done
		return nil
	}
}

// labFolder returns the work folder: dir, or ~/hopfield-course.
func labFolder(dir string) (string, error) {
	if dir == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("no home folder to put the course in (%v): choose one with -dir", err)
		}
		dir = filepath.Join(home, "hopfield-course")
	}
	return filepath.Abs(dir)
}

// labEnv is the environment Jupyter (and so the kernel, whose spec's env is added on top) runs
// in, and the data folder the notebooks will read: the kernel spec's HOPFIELD_DATA, which must
// exist, or else the repository's data/, set here.
func labEnv(environ []string, spec *kernel.Spec, repo string) ([]string, string, error) {
	if d, ok := spec.Env["HOPFIELD_DATA"]; ok {
		if st, err := os.Stat(d); err != nil || !st.IsDir() {
			return nil, "", fmt.Errorf("the kernel spec %s/kernel.json sets HOPFIELD_DATA=%s, which is not a folder: run docker/setup-kernel.sh again", spec.Dir, d)
		}
		return environ, d, nil
	}
	data := filepath.Join(repo, "data")
	if st, err := os.Stat(data); err != nil || !st.IsDir() {
		return nil, "", fmt.Errorf("the course's data folder %s is missing (a partial checkout?)", data)
	}
	env := make([]string, 0, len(environ)+1)
	for _, e := range environ {
		if !strings.HasPrefix(e, "HOPFIELD_DATA=") {
			env = append(env, e)
		}
	}
	return append(env, "HOPFIELD_DATA="+data), data, nil
}

// labRecord is what the lab remembers of one notebook it gave the student.
type labRecord struct {
	Release string `json:"release"` // SHA-256 of the latest student version delivered
	Copy    string `json:"copy"`    // SHA-256 of what the lab wrote into the student's own copy ("" if not the lab's)
}

// prepareLab copies the student notebooks of studentDir (the released versions, never the
// instructor's notebooks/source) into the work folder dir, and returns what it tells the
// student. A notebook is copied once. When the released version changes later, an untouched
// copy is replaced; a copy the student changed stays as it is, and the new version arrives
// beside it as "NAME (updated DATE).ipynb".
func prepareLab(studentDir, dir string, now time.Time) ([]string, error) {
	names, err := grading.Notebooks(studentDir)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no student notebooks in %s", studentDir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("cannot make the work folder: %w (choose another with -dir)", err)
	}
	records := map[string]labRecord{}
	if b, err := os.ReadFile(filepath.Join(dir, labManifest)); err == nil {
		if err := json.Unmarshal(b, &records); err != nil {
			return nil, fmt.Errorf("%s is damaged (%v): remove it (your notebooks stay; updated versions will arrive beside them)", filepath.Join(dir, labManifest), err)
		}
	}
	var news []string
	for _, name := range names {
		b, err := os.ReadFile(filepath.Join(studentDir, name))
		if err != nil {
			return nil, err
		}
		nb, err := notebook.Parse(b)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", filepath.Join(studentDir, name), err)
		}
		if leaks := grading.InstructorMaterial(nb); len(leaks) > 0 {
			return nil, fmt.Errorf("%s is not a student version (%s): run hopfield release notebooks/source notebooks",
				filepath.Join(studentDir, name), leaks[0])
		}
		h := sha(b)
		path := filepath.Join(dir, name)
		rec, known := records[name]
		mine, err := os.ReadFile(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			if err := writeNew(path, b); err != nil {
				return nil, err
			}
			records[name] = labRecord{Release: h, Copy: h}
			if known {
				news = append(news, fmt.Sprintf("%s was missing from your folder: a fresh copy is there.", name))
			} else {
				news = append(news, fmt.Sprintf("%s: copied into your folder.", name))
			}
		case err != nil:
			return nil, err
		case known && rec.Release == h:
			// Up to date.
		case sha(mine) == h:
			records[name] = labRecord{Release: h, Copy: h}
		case known && rec.Copy != "" && sha(mine) == rec.Copy:
			// Untouched since the lab copied it: nothing of the student's to keep.
			if err := replaceFile(path, b); err != nil {
				return nil, err
			}
			records[name] = labRecord{Release: h, Copy: h}
			news = append(news, fmt.Sprintf("%s: updated to the new version (you had not changed it).", name))
		default:
			beside, err := besideName(dir, name, now, b)
			if err != nil {
				return nil, err
			}
			records[name] = labRecord{Release: h, Copy: rec.Copy}
			news = append(news, fmt.Sprintf("%s has a new version: it is in %q, beside your own copy, which is unchanged.", name, filepath.Base(beside)))
		}
	}
	mb, err := json.MarshalIndent(records, "", "  ")
	if err != nil {
		return nil, err
	}
	if err := replaceFile(filepath.Join(dir, labManifest), append(mb, '\n')); err != nil {
		return nil, err
	}
	return news, nil
}

// besideName writes b as "NAME (updated DATE).ipynb" in dir (with a number after the date if
// that name is taken by other content) and returns the path.
func besideName(dir, name string, now time.Time, b []byte) (string, error) {
	base := strings.TrimSuffix(name, ".ipynb") + " (updated " + now.Format("2006-01-02")
	for n := 1; ; n++ {
		suffix := ")"
		if n > 1 {
			suffix = fmt.Sprintf(" %d)", n)
		}
		path := filepath.Join(dir, base+suffix+".ipynb")
		old, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			return path, writeNew(path, b)
		}
		if err != nil {
			return "", err
		}
		if sha(old) == sha(b) {
			return path, nil
		}
	}
}

// writeNew creates path with b; it never replaces an existing file.
func writeNew(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// replaceFile replaces path with b through a temporary file and a rename.
func replaceFile(path string, b []byte) error {
	tmp := path + ".hopfield-new"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// checkLabRoot refuses to serve a folder in which a notebook holds instructor material
// (solutions, hidden tests, mistake cells): a student must not meet them one click away.
func checkLabRoot(dir string) error {
	var found []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(d.Name(), ".ipynb") {
			return nil
		}
		nb, err := notebook.Read(path)
		if err != nil {
			return nil // not a notebook Jupyter can open either
		}
		if leaks := grading.InstructorMaterial(nb); len(leaks) > 0 {
			rel, _ := filepath.Rel(dir, path)
			found = append(found, fmt.Sprintf("%s (%s)", rel, leaks[0]))
		}
		return nil
	})
	if err != nil {
		return err
	}
	if len(found) > 0 {
		sort.Strings(found)
		return fmt.Errorf("%s holds instructor notebooks, which students must not see: %s. Serve a folder with the student versions only (-dir), or move those notebooks out",
			dir, strings.Join(found, ", "))
	}
	return nil
}
