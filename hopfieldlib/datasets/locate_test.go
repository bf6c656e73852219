package datasets

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestDirFromEnv(t *testing.T) {
	data := dataDir(t)
	repo := filepath.Dir(data)
	for _, env := range []string{data, repo} {
		t.Setenv(EnvDataDir, env)
		got, err := Dir()
		if err != nil || filepath.Clean(got) != filepath.Clean(data) {
			t.Errorf("$%s=%s: Dir() = %q, %v; want %q", EnvDataDir, env, got, err, data)
		}
	}
	bogus := t.TempDir()
	t.Setenv(EnvDataDir, bogus)
	if _, err := Dir(); !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), bogus) {
		t.Errorf("bogus $%s: err = %v, want ErrNotFound naming it", EnvDataDir, err)
	}
	if _, err := MNIST(10); !errors.Is(err, ErrNotFound) {
		t.Errorf("MNIST with bogus $%s: err = %v, want ErrNotFound", EnvDataDir, err)
	}
}

func TestDirFromWorkingDirectory(t *testing.T) {
	t.Setenv(EnvDataDir, "")
	data := dataDir(t)
	// From a folder deep inside the repository, the walk up finds data/.
	t.Chdir(filepath.Join(data, "mnist"))
	got, err := Dir()
	if err != nil || got != data {
		t.Errorf("from data/mnist: Dir() = %q, %v; want %q", got, err, data)
	}
	// From a folder inside another tree with its own data/, that one wins; on the way up, a
	// data/mnist folder without the shipped file is passed by.
	root, err := filepath.EvalSymlinks(t.TempDir()) // as os.Getwd will name it
	if err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(data, MNISTImagesFile))
	if err != nil {
		t.Fatal(err)
	}
	os.MkdirAll(filepath.Join(root, "data", "mnist"), 0o755)
	os.WriteFile(filepath.Join(root, "data", MNISTImagesFile), b, 0o644)
	os.MkdirAll(filepath.Join(root, "a", "data", "mnist"), 0o755)
	sub := filepath.Join(root, "a", "b")
	os.MkdirAll(sub, 0o755)
	t.Chdir(sub)
	if got, err := Dir(); err != nil || got != filepath.Join(root, "data") {
		t.Errorf("from %s: Dir() = %q, %v; want %q", sub, got, err, filepath.Join(root, "data"))
	}
}

func TestDirFromSourceTree(t *testing.T) {
	// A temporary directory outside the repository (as a notebook cell runs in): the source
	// tree of this package provides data/.
	t.Setenv(EnvDataDir, "")
	t.Chdir(t.TempDir())
	got, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	if src := sourceDataDir(); got != src {
		t.Errorf("Dir() = %q, want the source tree's %q", got, src)
	}
	if s, err := MNIST(10); err != nil || s.Len() != 10 {
		t.Errorf("MNIST(10) from outside the repository: %v", err)
	}
}
