package kernel

import (
	"os"
	"path/filepath"
	"testing"
)

// TestContainsCopyOf: a system-wide install points the kernel's go.work at a course copy of the
// module, which CheckSetup accepts; another module, or a folder without go.mod, it does not.
func TestContainsCopyOf(t *testing.T) {
	repo := "../.."
	dir := t.TempDir()
	write := func(name, content string) string {
		d := filepath.Join(dir, name)
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		if content != "" {
			if err := os.WriteFile(filepath.Join(d, "go.mod"), []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	b, err := os.ReadFile(filepath.Join(repo, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	course := write("course", string(b))
	other := write("other", "module example.com/other\n\ngo 1.26\n")
	empty := write("empty", "")
	for _, tc := range []struct {
		dirs []string
		want bool
	}{
		{[]string{course}, true},
		{[]string{other, course}, true},
		{[]string{other}, false},
		{[]string{empty, ""}, false},
		{nil, false},
	} {
		if got := containsCopyOf(tc.dirs, repo); got != tc.want {
			t.Errorf("containsCopyOf(%q) = %v, want %v", tc.dirs, got, tc.want)
		}
	}
	if got := modulePath(filepath.Join(repo, "go.mod")); got != "github.com/hopfieldlib/hopfield" {
		t.Errorf("modulePath(go.mod) = %q", got)
	}
}
