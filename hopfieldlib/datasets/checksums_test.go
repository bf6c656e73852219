package datasets

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestShippedChecksums checks every file of data/ against data/SHA256SUMS (written by
// cmd/mkdata), and that each folder's README lists the same sha256 for its files: the READMEs
// cannot go stale and nothing was changed by hand.
func TestShippedChecksums(t *testing.T) {
	data := dataDir(t)
	f, err := os.Open(filepath.Join(data, "SHA256SUMS"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, path, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			t.Fatalf("bad SHA256SUMS line %q", sc.Text())
		}
		sums[path] = sum
		b, err := os.ReadFile(filepath.Join(data, filepath.FromSlash(path)))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		h := sha256.Sum256(b)
		if got := hex.EncodeToString(h[:]); got != sum {
			t.Errorf("%s: sha256 %s, SHA256SUMS says %s", path, got, sum)
		}
	}
	if len(sums) < 200 {
		t.Errorf("SHA256SUMS lists %d files", len(sums))
	}
	for _, folder := range []string{"mnist", "sprites", "faces"} {
		readme, err := os.ReadFile(filepath.Join(data, folder, "README.md"))
		if err != nil {
			t.Fatal(err)
		}
		entries, _ := os.ReadDir(filepath.Join(data, folder))
		for _, e := range entries {
			if e.Name() == "README.md" {
				continue
			}
			sum, ok := sums[folder+"/"+e.Name()]
			if !ok {
				t.Errorf("%s/%s is not in SHA256SUMS", folder, e.Name())
			}
			if !strings.Contains(string(readme), "| "+e.Name()+" | ") || !strings.Contains(string(readme), sum) {
				t.Errorf("%s/README.md does not list %s with its sha256", folder, e.Name())
			}
		}
	}
}
