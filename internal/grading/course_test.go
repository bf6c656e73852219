package grading

import (
	"encoding/json"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// The course's own notebooks, checked without a kernel (the kernel tests execute and grade them).
var (
	courseSource  = filepath.Join("..", "..", "notebooks", "source")
	courseStudent = filepath.Join("..", "..", "notebooks")
)

// TestCourseReleaseInSync: the committed student versions are what `hopfield release` writes now
// (a change to a source notebook without a release fails here, naming notebook and cell).
func TestCourseReleaseInSync(t *testing.T) {
	names, err := Notebooks(courseSource)
	if err != nil {
		t.Fatal(err)
	}
	if len(names) < 5 {
		t.Fatalf("%d course notebooks in %s, want the five parts", len(names), courseSource)
	}
	diffs, err := CheckRelease(courseSource, courseStudent)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range diffs {
		t.Errorf("%s (run: go run ./cmd/hopfield release notebooks/source notebooks)", d)
	}
}

var cellID = regexp.MustCompile(`^[a-zA-Z0-9_-]{1,64}$`)

// TestCourseNotebookShape: what Jupyter, GoNB and the graders rely on in every course notebook.
func TestCourseNotebookShape(t *testing.T) {
	names, err := Notebooks(courseSource)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range []string{courseSource, courseStudent} {
		for _, name := range names {
			path := filepath.Join(dir, name)
			nb, err := notebook.Read(path)
			if err != nil {
				t.Errorf("%s: %v", path, err)
				continue
			}
			// nbformat 4.5 requires a unique id per cell (nbformat warns, and will refuse).
			if nb.NBFormat != 4 || nb.NBFormatMinor < 5 {
				t.Errorf("%s: nbformat %d.%d, want 4.5 or later", path, nb.NBFormat, nb.NBFormatMinor)
			}
			seen := map[string]bool{}
			for i, c := range nb.Cells {
				if !cellID.MatchString(c.ID) || seen[c.ID] {
					t.Errorf("%s: cell %d has id %q: want a unique id of 1-64 letters, digits, - or _", path, i, c.ID)
				}
				seen[c.ID] = true
			}
			var spec struct {
				Name string `json:"name"`
			}
			if err := json.Unmarshal(nb.Metadata["kernelspec"], &spec); err != nil || spec.Name != "gonb" {
				t.Errorf("%s: kernelspec name %q (%v), want gonb", path, spec.Name, err)
			}
			// The first code cell turns off GoNB's automatic `go get` (the module proxy refuses
			// some paths; the kernel's go.work resolves the imports).
			exercises := 0
			firstCode := true
			if top := firstMarkdown(nb); !strings.Contains(top, "Time") || !strings.Contains(top, "minutes") {
				t.Errorf("%s: the first cell does not state the time the notebook takes (\"Time … minutes\")", path)
			}
			lastMarkdown := ""
			for i, c := range nb.Cells {
				if c.Type == "markdown" && !c.HasTag(TagSolutionsOnly) {
					if m, _ := c.NBGrader(); m == nil || !m.Solution {
						lastMarkdown = c.Source
					}
				}
				if c.Type == "code" && firstCode {
					firstCode = false
					if !strings.HasPrefix(strings.TrimSpace(c.Source), "%noautoget") {
						t.Errorf("%s: the first code cell (%d) does not start with %%noautoget", path, i)
					}
				}
				g, err := c.NBGrader()
				if err != nil {
					t.Errorf("%s: cell %d: %v", path, i, err)
					continue
				}
				if g != nil && g.Solution {
					exercises++
					// Every exercise opens with its text: hints a student can open, and for code
					// exercises the criteria the checks apply (the hidden tests add cases, never a
					// criterion the text does not state).
					if !strings.Contains(lastMarkdown, "<details>") || !strings.Contains(lastMarkdown, "Hint") {
						t.Errorf("%s: exercise %s (cell %d): the text before it has no collapsed hint (<details><summary>Hint…)", path, g.GradeID, i)
					}
					if c.Type == "code" && !strings.Contains(lastMarkdown, "What the check tests") {
						t.Errorf("%s: exercise %s (cell %d): the text before it does not say what the check tests", path, g.GradeID, i)
					}
				}
			}
			// 00 is the on-ramp with a practice exercise; the five parts have 3-6 exercises each.
			lo, hi := 3, 6
			if strings.HasPrefix(name, "00-") {
				lo, hi = 1, 2
			}
			if exercises < lo || exercises > hi {
				t.Errorf("%s: %d exercises (answer cells), want %d to %d", path, exercises, lo, hi)
			}
		}
	}
}

// firstMarkdown returns the source of the notebook's first Markdown cell.
func firstMarkdown(nb *notebook.Notebook) string {
	for _, c := range nb.Cells {
		if c.Type == "markdown" {
			return c.Source
		}
	}
	return ""
}
