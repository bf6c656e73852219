package grading

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hopfieldlib/hopfield/internal/kernel"
)

// TestNbgraderConfig loads notebooks/nbgrader_config.py with traitlets (as nbgrader does) and
// checks it against nbgrader 0.8.5, which cannot be installed here (no PyPI): every section and
// key is a configurable trait of nbgrader 0.8.5 or of the nbconvert classes it builds on; the
// preprocessor lists are 0.8.5's with the documented changes; the markers and stubs are
// release's; nbconvert's TagRemovePreprocessor, configured as in the file, keeps the cells the
// release and the solutions keep; and the checksum-warning filter tells hidden tests put back
// from a student's edit (against a stand-in of nbgrader's OverwriteCells). See
// testdata/nbgrader/check_config.py.
func TestNbgraderConfig(t *testing.T) {
	py, err := kernel.FindPython()
	if err == nil && exec.Command(py, "-c", "import traitlets, nbconvert, nbformat").Run() != nil {
		err = os.ErrNotExist
	}
	if err != nil {
		t.Skipf("no Python with traitlets, nbconvert and nbformat (docker/setup-kernel.sh installs them): %v", err)
	}
	src := readFixture(t)
	rel, err := ReleaseNotebook("energy.ipynb", src)
	if err != nil {
		t.Fatal(err)
	}
	sol, err := SolutionsNotebook("energy.ipynb", src)
	if err != nil {
		t.Fatal(err)
	}
	var relIDs, solIDs []string
	for _, c := range rel.Cells {
		relIDs = append(relIDs, c.ID)
	}
	for _, c := range sol.Cells {
		solIDs = append(solIDs, c.ID)
	}
	fixture, _ := filepath.Abs(filepath.Join(fixtureDir, "energy.ipynb"))
	expected := map[string]any{
		"code_stub":          CodeStub,
		"answer_stub":        AnswerStub,
		"begin_solution":     strings.TrimPrefix(BeginSolution, "// "),
		"end_solution":       strings.TrimPrefix(EndSolution, "// "),
		"begin_hidden":       strings.TrimPrefix(BeginHidden, "// "),
		"end_hidden":         strings.TrimPrefix(EndHidden, "// "),
		"fixture":            fixture,
		"release_ids":        relIDs,
		"solutions_ids":      solIDs,
		"test_cell_source":   cellByID(t, src, "test_energy").Source,
		"test_cell_released": cellByID(t, rel, "test_energy").Source,
	}
	dir := t.TempDir()
	b, _ := json.Marshal(expected)
	exp := filepath.Join(dir, "expected.json")
	if err := os.WriteFile(exp, b, 0o644); err != nil {
		t.Fatal(err)
	}
	config, _ := filepath.Abs(filepath.Join("..", "..", "notebooks", "nbgrader_config.py"))
	cmd := exec.Command(py, filepath.Join("testdata", "nbgrader", "check_config.py"), config, exp)
	cmd.Env = append(os.Environ(), "PYTHONDONTWRITEBYTECODE=1")
	out, err := cmd.Output()
	if err != nil {
		var stderr []byte
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = ee.Stderr
		}
		t.Fatalf("check_config.py: %v\n%s\n%s", err, out, stderr)
	}
	var res struct {
		Problems []string `json:"problems"`
	}
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("check_config.py printed %q: %v", out, err)
	}
	for _, p := range res.Problems {
		t.Error(p)
	}
}
