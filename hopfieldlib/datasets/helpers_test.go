package datasets

import (
	"os"
	"path/filepath"
	"testing"
)

// dataDir finds the shipped data folder or fails the test.
func dataDir(t testing.TB) string {
	t.Helper()
	dir, err := Dir()
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// copyData copies the named files of the shipped data folder into a temporary data folder, for
// tests that damage them.
func copyData(t *testing.T, files ...string) string {
	t.Helper()
	src, dst := dataDir(t), t.TempDir()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(src, f))
		if err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(dst, f)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}
