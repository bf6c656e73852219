package main

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/hopfieldlib/hopfield/internal/grading"
	"github.com/hopfieldlib/hopfield/internal/kernel"
	"github.com/hopfieldlib/hopfield/internal/notebook"
)

var day = time.Date(2026, 12, 7, 10, 0, 0, 0, time.UTC)

// TestLabFolderHoldsNoSolutions fills a work folder from the repository's student notebooks, as
// hopfield lab does, and checks that nothing under it holds a solution, a hidden test or a
// mistake, and that no file in it is an instructor notebook.
func TestLabFolderHoldsNoSolutions(t *testing.T) {
	repo, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(t.TempDir(), "hopfield-course")
	news, err := prepareLab(filepath.Join(repo, "notebooks"), work, day)
	if err != nil {
		t.Fatal(err)
	}
	if err := checkLabRoot(work); err != nil {
		t.Error(err)
	}
	sources := map[string][]byte{}
	names, _ := grading.Notebooks(filepath.Join(repo, "notebooks", "source"))
	for _, name := range names {
		sources[name], _ = os.ReadFile(filepath.Join(repo, "notebooks", "source", name))
	}
	if len(news) != len(names) || len(names) < 5 {
		t.Errorf("%d notebooks copied (%q), want the %d course notebooks", len(news), news, len(names))
	}
	files := 0
	filepath.WalkDir(work, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		files++
		b, _ := os.ReadFile(path)
		for _, marker := range []string{grading.BeginSolution, grading.BeginHidden, grading.MistakePrefix, `"` + grading.TagSolutionsOnly + `"`, `"` + grading.TagMistake + `"`} {
			if bytes.Contains(b, []byte(marker)) {
				t.Errorf("%s holds %q", path, marker)
			}
		}
		for name, src := range sources {
			if bytes.Equal(b, src) {
				t.Errorf("%s is the instructor notebook %s", path, name)
			}
		}
		if strings.HasSuffix(path, ".ipynb") {
			nb, err := notebook.Read(path)
			if err != nil {
				t.Errorf("%s: %v", path, err)
			} else if leaks := grading.InstructorMaterial(nb); len(leaks) > 0 {
				t.Errorf("%s: %v", path, leaks)
			}
		}
		return nil
	})
	if files != len(names)+1 { // the notebooks and the lab's manifest
		t.Errorf("%d files in the work folder, want %d notebooks and the manifest", files, len(names))
	}
}

func TestLabRefusesInstructorNotebooks(t *testing.T) {
	work := t.TempDir()
	b, _ := os.ReadFile(filepath.Join(gradingFixtures, "energy.ipynb"))
	os.MkdirAll(filepath.Join(work, "stuff"), 0o755)
	os.WriteFile(filepath.Join(work, "stuff", "copy.ipynb"), b, 0o644)
	err := checkLabRoot(work)
	if err == nil || !strings.Contains(err.Error(), filepath.Join("stuff", "copy.ipynb")) || !strings.Contains(err.Error(), "instructor notebooks") {
		t.Errorf("checkLabRoot = %v, want the instructor notebook named", err)
	}
	// A source folder given as the student folder is refused too.
	if _, err := prepareLab(gradingFixtures, t.TempDir(), day); err == nil || !strings.Contains(err.Error(), "is not a student version") {
		t.Errorf("prepareLab from instructor notebooks: %v", err)
	}
	// A work folder inside the repository (notebooks/, say) is refused before anything is copied.
	repo, _ := repoRoot()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), []string{"lab", "-no-setup", "-check", "-dir", filepath.Join(repo, "notebooks")}, &stdout, &stderr); code != 2 ||
		!strings.Contains(stderr.String(), "inside the course repository") {
		t.Errorf("lab -dir notebooks/: exit %d, stderr %q", code, stderr.String())
	}
}

// TestLabNeverOverwritesWork: a notebook is copied once; a new release replaces an untouched copy
// and arrives beside a changed one, which stays as the student left it.
func TestLabNeverOverwritesWork(t *testing.T) {
	released := t.TempDir()
	student := filepath.Join(t.TempDir(), "course")
	if _, err := grading.Release(gradingFixtures, released); err != nil {
		t.Fatal(err)
	}
	relPath := filepath.Join(released, "energy.ipynb")
	if news, err := prepareLab(released, student, day); err != nil || len(news) != 1 || !strings.Contains(news[0], "copied") {
		t.Fatalf("first lab: %q, %v", news, err)
	}
	if news, err := prepareLab(released, student, day); err != nil || len(news) != 0 {
		t.Errorf("second lab with nothing new: %q, %v", news, err)
	}
	// A new release and an untouched copy: replaced.
	newRelease := func(marker string) []byte {
		nb, _ := notebook.Read(relPath)
		nb.Cells[0].Source += "\n\n" + marker
		nb.Write(relPath)
		b, _ := os.ReadFile(relPath)
		return b
	}
	v2 := newRelease("A clearer introduction.")
	news, err := prepareLab(released, student, day)
	if got, _ := os.ReadFile(filepath.Join(student, "energy.ipynb")); err != nil || !bytes.Equal(got, v2) || len(news) != 1 || !strings.Contains(news[0], "updated") {
		t.Errorf("untouched copy and a new release: %q, %v; copy updated: %v", news, err, bytes.Equal(got, v2))
	}
	// The student works; a third release arrives beside their copy.
	mine := append(bytes.Clone(v2), ' ')
	os.WriteFile(filepath.Join(student, "energy.ipynb"), mine, 0o644)
	v3 := newRelease("A fix in exercise 2.")
	news, err = prepareLab(released, student, day)
	beside := filepath.Join(student, "energy (updated 2026-12-07).ipynb")
	if got, _ := os.ReadFile(beside); err != nil || !bytes.Equal(got, v3) || len(news) != 1 || !strings.Contains(news[0], "beside your own copy") {
		t.Errorf("changed copy and a new release: %q, %v; %s holds the new release: %v", news, err, beside, bytes.Equal(got, v3))
	}
	if got, _ := os.ReadFile(filepath.Join(student, "energy.ipynb")); !bytes.Equal(got, mine) {
		t.Error("the student's copy was overwritten")
	}
	// Again the same day: nothing new; another release the same day gets a second name.
	if news, _ := prepareLab(released, student, day); len(news) != 0 {
		t.Errorf("no new release, but: %q", news)
	}
	newRelease("Another fix.")
	prepareLab(released, student, day)
	if _, err := os.Stat(filepath.Join(student, "energy (updated 2026-12-07 2).ipynb")); err != nil {
		t.Errorf("a second update the same day: %v", err)
	}
	// A deleted copy comes back.
	os.Remove(filepath.Join(student, "energy.ipynb"))
	if news, _ := prepareLab(released, student, day); len(news) != 1 || !strings.Contains(news[0], "fresh copy") {
		t.Errorf("after deleting the copy: %q", news)
	}
}

// TestLabFolderFindsLibraryAndData runs a notebook from a lab work folder in the real kernel,
// with the environment the lab gives Jupyter: the library and the data sets must resolve there.
func TestLabFolderFindsLibraryAndData(t *testing.T) {
	if os.Getenv("HOPFIELD_KERNEL_TESTS") != "1" {
		t.Skip("real-kernel test: set HOPFIELD_KERNEL_TESTS=1 after docker/setup-kernel.sh to run it")
	}
	repo, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	work := filepath.Join(t.TempDir(), "hopfield-course")
	if _, err := prepareLab(filepath.Join(repo, "notebooks"), work, day); err != nil {
		t.Fatal(err)
	}
	py, err := kernel.FindPython()
	if err != nil {
		t.Fatal(err)
	}
	spec, err := kernel.FindSpec(py, "gonb")
	if err != nil {
		t.Fatal(err)
	}
	env, data, err := labEnv(withoutEnv(os.Environ(), "HOPFIELD_DATA"), spec, repo)
	if err != nil {
		t.Fatal(err)
	}
	nb := &notebook.Notebook{NBFormat: 4, NBFormatMinor: 5, Cells: []*notebook.Cell{{Type: "code", Source: `%noautoget
import "github.com/hopfieldlib/hopfield/hopfieldlib/datasets"
%%
digits, err := datasets.MNIST(3)
if err != nil {
	panic(err)
}
fmt.Println("digits:", digits.Len())`}}}
	ex, err := kernel.Execute(context.Background(), nb, kernel.Options{Dir: work, Env: env, GoWork: repo, Timeout: 5 * time.Minute})
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	for _, o := range ex.Cells[0].Outputs {
		out.WriteString(o.Text)
	}
	if ps := ex.Problems(); len(ps) > 0 || !strings.Contains(out.String(), "digits: 3") {
		t.Errorf("from the work folder (data %s): output %q, problems %v", data, out.String(), ps)
	}
}

func withoutEnv(env []string, key string) []string {
	var out []string
	for _, e := range env {
		if !strings.HasPrefix(e, key+"=") {
			out = append(out, e)
		}
	}
	return out
}

func TestLabEnv(t *testing.T) {
	repo, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	base := []string{"PATH=/bin", "HOPFIELD_DATA=/somewhere/else"}
	env, data, err := labEnv(base, &kernel.Spec{Dir: "/k", Env: map[string]string{}}, repo)
	want := "HOPFIELD_DATA=" + filepath.Join(repo, "data")
	if err != nil || data != filepath.Join(repo, "data") || strings.Join(env, " ") != "PATH=/bin "+want {
		t.Errorf("a spec without HOPFIELD_DATA: %q, %q, %v; want the repository's data set for Jupyter", env, data, err)
	}
	dataDir := t.TempDir()
	env, data, err = labEnv(base, &kernel.Spec{Dir: "/k", Env: map[string]string{"HOPFIELD_DATA": dataDir}}, repo)
	if err != nil || data != dataDir || len(env) != 2 {
		t.Errorf("a spec with HOPFIELD_DATA: %q, %q, %v; want the spec's", env, data, err)
	}
	if _, _, err := labEnv(base, &kernel.Spec{Dir: "/k", Env: map[string]string{"HOPFIELD_DATA": filepath.Join(dataDir, "gone")}}, repo); err == nil ||
		!strings.Contains(err.Error(), "setup-kernel.sh") {
		t.Errorf("a spec whose HOPFIELD_DATA is gone: %v", err)
	}
}
