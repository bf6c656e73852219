package grading

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

const fixtureDir = "testdata/source"

func readFixture(t *testing.T) *notebook.Notebook {
	t.Helper()
	nb, err := notebook.Read(filepath.Join(fixtureDir, "energy.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	return nb
}

// cellByID returns the cell with the given grade_id.
func cellByID(t *testing.T, nb *notebook.Notebook, id string) *notebook.Cell {
	t.Helper()
	for _, c := range nb.Cells {
		if m, _ := c.NBGrader(); m != nil && m.GradeID == id {
			return c
		}
	}
	t.Fatalf("no cell with grade_id %q", id)
	return nil
}

func TestReleaseFixture(t *testing.T) {
	src := readFixture(t)
	before, _ := src.Marshal()
	rel, err := ReleaseNotebook("energy.ipynb", src)
	if err != nil {
		t.Fatal(err)
	}
	after, _ := src.Marshal()
	if !bytes.Equal(before, after) {
		t.Error("ReleaseNotebook changed its input")
	}
	// Every cell but the instructor-only ones (four mistakes, one solutions-only note), in order.
	kept := slices.DeleteFunc(slices.Clone(src.Cells), instructorOnly)
	if len(kept) != len(src.Cells)-5 || len(rel.Cells) != len(kept) {
		t.Fatalf("%d cells released of %d (%d not instructor-only), want %d", len(rel.Cells), len(src.Cells), len(kept), len(src.Cells)-5)
	}
	energy := cellByID(t, rel, "energy").Source
	wantEnergy := "// Energy returns E = -1/2 Σ_ij w_ij s_i s_j (Hopfield 1982).\n" +
		"func Energy(w [][]float64, s []float64) float64 {\n\t" + CodeStub + "\n}"
	if energy != wantEnergy {
		t.Errorf("energy stub:\n%s\nwant\n%s", energy, wantEnergy)
	}
	test := cellByID(t, rel, "test_energy").Source
	if strings.Contains(test, "HIDDEN") || strings.Contains(test, "opposed") || !strings.Contains(test, "aligned units") {
		t.Errorf("hidden tests not removed, or visible ones lost:\n%s", test)
	}
	if got := cellByID(t, rel, "explain").Source; got != AnswerStub {
		t.Errorf("markdown answer = %q, want %q", got, AnswerStub)
	}
	for i, c := range rel.Cells {
		if len(c.Outputs) > 0 || c.ExecutionCount != nil {
			t.Errorf("cell %d keeps outputs", i)
		}
		if c.ID != kept[i].ID {
			t.Errorf("cell %d id %q, want %q", i, c.ID, kept[i].ID)
		}
	}
	// Checksums: the expected values were computed in Python with nbgrader's compute_checksum
	// formula (md5 of source, cell type, str(is_grade), str(is_solution), str(is_locked),
	// grade_id, str(float(points))) on the released cells.
	for _, tc := range []struct{ id, sum string }{
		{"energy", "83cebface78e64e60d2f71f49234b19a"},
		{"explain", "a70212269a576e2e803d977f8216b6b2"},
	} {
		m, _ := cellByID(t, rel, tc.id).NBGrader()
		if m.Checksum != tc.sum {
			t.Errorf("%s: checksum %s, want %s", tc.id, m.Checksum, tc.sum)
		}
	}
	var raw map[string]any
	if err := json.Unmarshal(cellByID(t, rel, "test_energy").Metadata["nbgrader"], &raw); err != nil {
		t.Fatal(err)
	}
	if raw["cell_type"] != "code" || raw["points"] != 2.0 || raw["schema_version"] != 3.0 {
		t.Errorf("nbgrader metadata lost fields: %v", raw)
	}
	if string(cellByID(t, rel, "test_energy").Metadata["editable"]) != "false" {
		t.Error("test cell is not locked against editing")
	}
}

func TestChecksumTable(t *testing.T) {
	// Expected values: Python's hashlib.md5 over nbgrader's fields, e.g.
	// md5(b"x" b"code" b"True" b"False" b"True" b"t" + str(float(0.5)).encode()).
	for _, tc := range []struct {
		points float64
		want   string
	}{
		{0.5, "12cb32f69584a30312977b3e8d31c654"},
		{1e16, "d745b4273b163e6fcc819c01bddefbb5"},
		{1e-5, "4ded48e14becfd5728529fc5de189542"},
		{3, "db7594d5e0aadd1232cbaa77b1665eab"},
	} {
		c := &notebook.Cell{Type: "code", Source: "x"}
		c.SetNBGrader(&notebook.NBGrader{SchemaVersion: 3, GradeID: "t", Grade: true, Points: tc.points})
		got, err := Checksum(c)
		if err != nil || got != tc.want {
			t.Errorf("points %v: Checksum = %s, %v; want %s", tc.points, got, err, tc.want)
		}
	}
	if got, err := Checksum(&notebook.Cell{Type: "code"}); got != "" || err != nil {
		t.Errorf("cell without metadata: %q, %v", got, err)
	}
}

func TestPyFloat(t *testing.T) {
	tenth, fifth := 0.1, 0.2 // variables: a constant 0.1 + 0.2 would be exactly 0.3
	// Expected values: Python 3's str(float(x)).
	for _, tc := range []struct {
		in   float64
		want string
	}{
		{2, "2.0"}, {0.5, "0.5"}, {1e16, "1e+16"}, {1e-5, "1e-05"}, {123456.789, "123456.789"},
		{1e-4, "0.0001"}, {tenth + fifth, "0.30000000000000004"}, {9999999999999998, "9999999999999998.0"},
	} {
		if got := pyFloat(tc.in); got != tc.want {
			t.Errorf("pyFloat(%v) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// nbWith builds a notebook of the given cells.
func nbWith(cells ...*notebook.Cell) *notebook.Notebook {
	return &notebook.Notebook{NBFormat: 4, NBFormatMinor: 5, Cells: cells}
}

func codeCell(src string, m *notebook.NBGrader) *notebook.Cell {
	c := &notebook.Cell{Type: "code", Source: src}
	if m != nil {
		m.SchemaVersion = 3
		c.SetNBGrader(m)
	}
	return c
}

func TestReleaseRejectsBadMarkers(t *testing.T) {
	sol := &notebook.NBGrader{GradeID: "s", Solution: true}
	test := &notebook.NBGrader{GradeID: "t", Grade: true, Locked: true, Points: 1}
	for _, tc := range []struct {
		name string
		cell *notebook.Cell
		want error
		line int
	}{
		{"unbalanced begin", codeCell("func f() {\n// BEGIN SOLUTION\n}", sol), ErrMarker, 2},
		{"end without begin", codeCell("func f() {\n// END SOLUTION\n}", sol), ErrMarker, 2},
		{"nested", codeCell("func f() {\n// BEGIN SOLUTION\n// BEGIN SOLUTION\n// END SOLUTION\n}", sol), ErrMarker, 3},
		{"outside a function", codeCell("// BEGIN SOLUTION\nvar x = 1\n// END SOLUTION", sol), ErrMarker, 1},
		{"across two functions", codeCell("func f() {\n// BEGIN SOLUTION\n}\nfunc g() {\n// END SOLUTION\n}", sol), ErrMarker, 5},
		{"closing the body", codeCell("func f() {\n// BEGIN SOLUTION\n}\n// END SOLUTION", sol), ErrMarker, 4},
		{"in a struct", codeCell("type T struct {\n// BEGIN SOLUTION\nx int\n// END SOLUTION\n}", sol), ErrMarker, 2},
		{"mistyped", codeCell("func f() {\n//BEGIN SOLUTION\n}", sol), ErrMarker, 2},
		{"no region", codeCell("func f() {}", sol), ErrMarker, 0},
		{"solution marker in a plain cell", codeCell("func f() {\n// BEGIN SOLUTION\n// END SOLUTION\n}", nil), ErrMarker, 2},
		{"solution marker in a test cell", codeCell("func f() {\n// BEGIN SOLUTION\n// END SOLUTION\n}", test), ErrMarker, 2},
		{"hidden tests in a solution cell", codeCell("func f() {\n// BEGIN SOLUTION\n// END SOLUTION\n}\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS", sol), ErrMarker, 5},
		{"hidden tests in a plain cell", codeCell("// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS", nil), ErrMarker, 1},
		{"hidden tests unbalanced", codeCell("%%\n// BEGIN HIDDEN TESTS\nx := 1", test), ErrMarker, 2},
		{"variable used only in the solution", codeCell("func f(a int) int {\n\tn := a + 1\n\t// BEGIN SOLUTION\n\treturn n\n\t// END SOLUTION\n}", sol), ErrMarker, 2},
		{"variable from the solution used after it", codeCell("func f(a int) int {\n\t// BEGIN SOLUTION\n\tn := a + 1\n\t// END SOLUTION\n\treturn n\n}", sol), ErrMarker, 5},
		{"hidden variable used after", codeCell("%%\n// BEGIN HIDDEN TESTS\nx := 1\n// END HIDDEN TESTS\nprintln(x)", test), ErrMarker, 5},
		{"no grade_id", codeCell("%%", &notebook.NBGrader{Grade: true, Points: 1}), ErrMetadata, 0},
		{"negative points", codeCell("%%", &notebook.NBGrader{GradeID: "t", Grade: true, Points: -1}), ErrMetadata, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReleaseNotebook("nb.ipynb", nbWith(&notebook.Cell{Type: "markdown", Source: "# x"}, tc.cell))
			if !errors.Is(err, tc.want) {
				t.Fatalf("err = %v, want %v", err, tc.want)
			}
			var ce *CellError
			if !errors.As(err, &ce) || ce.Notebook != "nb.ipynb" || ce.Cell != 1 || ce.Line != tc.line {
				t.Errorf("error %v does not name nb.ipynb, cell 1, line %d", err, tc.line)
			}
			if !strings.Contains(err.Error(), "nb.ipynb: cell 1") {
				t.Errorf("message %q does not name the notebook and cell", err)
			}
		})
	}
}

func TestReleaseDuplicateGradeID(t *testing.T) {
	m := &notebook.NBGrader{GradeID: "t", Grade: true, Points: 1}
	m2 := *m
	_, err := ReleaseNotebook("nb.ipynb", nbWith(codeCell("%%", m), codeCell("%%", &m2)))
	if !errors.Is(err, ErrMetadata) || !strings.Contains(err.Error(), "cell 1") {
		t.Errorf("err = %v, want ErrMetadata naming cell 1", err)
	}
}

func TestReleaseAcceptsValidShapes(t *testing.T) {
	sol := func() *notebook.NBGrader { return &notebook.NBGrader{GradeID: "s", Solution: true} }
	for _, tc := range []struct{ name, src, want string }{
		{"named result", "func f() (n int) {\n\t// BEGIN SOLUTION\n\tn = 1\n\treturn\n\t// END SOLUTION\n}",
			"func f() (n int) {\n\t" + CodeStub + "\n}"},
		{"interface parameter", "func f(x interface{}, g func() int) int {\n\t// BEGIN SOLUTION\n\treturn g()\n\t// END SOLUTION\n}",
			"func f(x interface{}, g func() int) int {\n\t" + CodeStub + "\n}"},
		{"method", "func (t T) M() {\n\t// BEGIN SOLUTION\n\ts := \"}\"\n\t_ = s\n\t// END SOLUTION\n}",
			"func (t T) M() {\n\t" + CodeStub + "\n}"},
		{"main body", "%%\n// BEGIN SOLUTION\nx := 1\n_ = x\n// END SOLUTION\nfmt.Println(1)",
			"%%\n" + CodeStub + "\nfmt.Println(1)"},
		{"two regions", "func f() {\n\t// BEGIN SOLUTION\n\t// END SOLUTION\n}\nfunc g() {\n\t// BEGIN SOLUTION\n\t// END SOLUTION\n}",
			"func f() {\n\t" + CodeStub + "\n}\nfunc g() {\n\t" + CodeStub + "\n}"},
		{"nested block", "func f(a int) int {\n\tif a > 0 {\n\t\t// BEGIN SOLUTION\n\t\treturn 1\n\t\t// END SOLUTION\n\t}\n\treturn 0\n}",
			"func f(a int) int {\n\tif a > 0 {\n\t\t" + CodeStub + "\n\t}\n\treturn 0\n}"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rel, err := ReleaseNotebook("nb.ipynb", nbWith(codeCell(tc.src, sol())))
			if err != nil {
				t.Fatal(err)
			}
			if got := rel.Cells[0].Source; got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
}

func TestReleaseAndCheck(t *testing.T) {
	out := t.TempDir()
	names, err := Release(fixtureDir, out)
	if err != nil || len(names) != 1 || names[0] != "energy.ipynb" {
		t.Fatalf("Release = %v, %v", names, err)
	}
	first, _ := os.ReadFile(filepath.Join(out, "energy.ipynb"))
	if _, err := Release(fixtureDir, out); err != nil {
		t.Fatal(err)
	}
	second, _ := os.ReadFile(filepath.Join(out, "energy.ipynb"))
	if !bytes.Equal(first, second) {
		t.Error("Release is not deterministic")
	}
	diffs, err := CheckRelease(fixtureDir, out)
	if err != nil || len(diffs) != 0 {
		t.Fatalf("CheckRelease on a fresh release = %v, %v", diffs, err)
	}
	// A student version that kept a solution is reported with its cell.
	nb, _ := notebook.Read(filepath.Join(out, "energy.ipynb"))
	cellByID(t, nb, "update").Source = "func Update() {}"
	if err := nb.Write(filepath.Join(out, "energy.ipynb")); err != nil {
		t.Fatal(err)
	}
	diffs, err = CheckRelease(fixtureDir, out)
	if err != nil || len(diffs) != 1 || diffs[0].GradeID != "update" || !strings.Contains(diffs[0].String(), "energy.ipynb: cell 6 (update): source differs") {
		t.Errorf("CheckRelease = %v, %v; want one difference in cell 6 (update)", diffs, err)
	}
	os.Remove(filepath.Join(out, "energy.ipynb"))
	diffs, _ = CheckRelease(fixtureDir, out)
	if len(diffs) != 1 || !strings.Contains(diffs[0].What, "missing") {
		t.Errorf("missing notebook: %v", diffs)
	}
}

// tagged returns a cell of the given type and source with Jupyter tags.
func tagged(typ, src string, tags ...string) *notebook.Cell {
	b, _ := json.Marshal(tags)
	return &notebook.Cell{Type: typ, Source: src, Metadata: map[string]json.RawMessage{"tags": b}}
}

func TestReleaseDropsInstructorOnlyCells(t *testing.T) {
	sol := codeCell("func f() int {\n\t// BEGIN SOLUTION\n\treturn 1\n\t// END SOLUTION\n}", &notebook.NBGrader{GradeID: "f", Solution: true})
	check := codeCell("%%\nif f() != 1 {\n\tpanic(\"f() should be 1\")\n}", &notebook.NBGrader{GradeID: "test_f", Grade: true, Locked: true, Points: 1})
	wrong := tagged("raw", "// MISTAKE: off by one\nfunc f() int {\n\t// BEGIN SOLUTION\n\treturn 0\n\t// END SOLUTION\n}", TagMistake)
	note := tagged("markdown", "Common mistakes: returning 0.", TagSolutionsOnly)
	src := nbWith(&notebook.Cell{Type: "markdown", Source: "# f"}, sol, check, wrong, note, &notebook.Cell{Type: "markdown", Source: "end"})
	rel, err := ReleaseNotebook("nb.ipynb", src)
	if err != nil {
		t.Fatal(err)
	}
	var kept []string
	for _, c := range rel.Cells {
		kept = append(kept, c.Type)
		if strings.Contains(c.Source, "MISTAKE") || strings.Contains(c.Source, "Common mistakes") {
			t.Errorf("instructor-only cell released: %q", c.Source)
		}
	}
	if got := strings.Join(kept, " "); got != "markdown code code markdown" {
		t.Errorf("released cells %q, want the four student cells", got)
	}
	ms, err := Mistakes("nb.ipynb", src)
	if err != nil {
		t.Fatal(err)
	}
	if len(ms) != 1 || ms[0].Cell != 3 || ms[0].Exercise != 1 || ms[0].GradeID != "f" || ms[0].Says != "off by one" {
		t.Errorf("Mistakes = %+v, want the raw cell 3 replacing solution cell 1 (f), saying %q", ms, "off by one")
	}
}

func TestMistakesRejectsBadCells(t *testing.T) {
	sol := codeCell("func f() int {\n\t// BEGIN SOLUTION\n\treturn 1\n\t// END SOLUTION\n}", &notebook.NBGrader{GradeID: "f", Solution: true})
	for _, tc := range []struct {
		name  string
		cells []*notebook.Cell
		want  string
	}{
		{"a code cell", []*notebook.Cell{sol, tagged("code", "// MISTAKE: x\nfunc f() int { return 0 }", TagMistake)}, "must be a raw cell"},
		{"no MISTAKE line", []*notebook.Cell{sol, tagged("raw", "func f() int { return 0 }", TagMistake)}, "starts with a line"},
		{"nothing said", []*notebook.Cell{sol, tagged("raw", "// MISTAKE:\nfunc f() int { return 0 }", TagMistake)}, "must say what"},
		{"no exercise before", []*notebook.Cell{tagged("raw", "// MISTAKE: x\nfunc f() int { return 0 }", TagMistake), sol}, "there is none before it"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReleaseNotebook("nb.ipynb", nbWith(tc.cells...))
			var ce *CellError
			if !errors.Is(err, ErrMetadata) || !errors.As(err, &ce) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want ErrMetadata saying %q", err, tc.want)
			}
		})
	}
}

func TestSolutionsNotebook(t *testing.T) {
	src := readFixture(t)
	before, _ := src.Marshal()
	sol, err := SolutionsNotebook("energy.ipynb", src)
	if err != nil {
		t.Fatal(err)
	}
	if after, _ := src.Marshal(); !bytes.Equal(before, after) {
		t.Error("SolutionsNotebook changed its input")
	}
	var ids []string
	for _, c := range sol.Cells {
		ids = append(ids, c.ID)
		if c.HasTag(TagMistake) || strings.Contains(c.Source, MistakePrefix) {
			t.Errorf("a mistake cell is in the solutions: %q", c.Source)
		}
		for _, marker := range []string{"SOLUTION", "HIDDEN TESTS", "opposed"} {
			if strings.Contains(c.Source, marker) {
				t.Errorf("cell %s keeps %q:\n%s", c.ID, marker, c.Source)
			}
		}
		if len(c.Outputs) > 0 || c.ExecutionCount != nil {
			t.Errorf("cell %s keeps its outputs", c.ID)
		}
	}
	want := "intro setup ex1 energy test-energy ex2 update test-update ex3 explain common-mistakes"
	if got := strings.Join(ids, " "); got != want {
		t.Errorf("cells %q, want %q (mistakes dropped, the solutions-only note kept)", got, want)
	}
	wantEnergy := "// Energy returns E = -1/2 Σ_ij w_ij s_i s_j (Hopfield 1982).\nfunc Energy(w [][]float64, s []float64) float64 {\n" +
		"\te := 0.0\n\tfor i := range s {\n\t\tfor j := range s {\n\t\t\te += w[i][j] * s[i] * s[j]\n\t\t}\n\t}\n\treturn -e / 2\n}"
	if got := cellByID(t, sol, "energy").Source; got != wantEnergy {
		t.Errorf("the solution of energy:\n%s\nwant\n%s", got, wantEnergy)
	}
	if got := cellByID(t, sol, "explain").Source; !strings.Contains(got, `\Delta E`) {
		t.Errorf("the model answer is not kept: %q", got)
	}
	if got := cellByID(t, sol, "test_energy").Source; !strings.Contains(got, "aligned units") {
		t.Errorf("the visible check is not kept:\n%s", got)
	}
	// A notebook the release refuses is refused here too.
	bad := nbWith(codeCell("func f() {\n// BEGIN SOLUTION\n}", &notebook.NBGrader{GradeID: "f", Solution: true}))
	if _, err := SolutionsNotebook("bad.ipynb", bad); !errors.Is(err, ErrMarker) {
		t.Errorf("unbalanced marker: %v, want ErrMarker", err)
	}
}

func TestReleaseSolutionsNeverReplacesStudentVersions(t *testing.T) {
	out := t.TempDir()
	if _, err := Release(fixtureDir, out); err != nil {
		t.Fatal(err)
	}
	student, _ := os.ReadFile(filepath.Join(out, "energy.ipynb"))
	if _, err := ReleaseSolutions(fixtureDir, out); !errors.Is(err, ErrStudentFolder) {
		t.Errorf("solutions over the student versions: %v, want ErrStudentFolder", err)
	}
	if after, _ := os.ReadFile(filepath.Join(out, "energy.ipynb")); !bytes.Equal(after, student) {
		t.Error("the student version was overwritten")
	}
	sols := filepath.Join(t.TempDir(), "solutions")
	names, err := ReleaseSolutions(fixtureDir, sols)
	if err != nil || len(names) != 1 {
		t.Fatalf("ReleaseSolutions = %v, %v", names, err)
	}
	nb, err := notebook.Read(filepath.Join(sols, "energy.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	if got := cellByID(t, nb, "update").Source; strings.Contains(got, CodeStub) || !strings.Contains(got, "h < 0") {
		t.Errorf("the solutions file lacks the solution:\n%s", got)
	}
}

func TestInstructorMaterial(t *testing.T) {
	src := readFixture(t)
	found := strings.Join(InstructorMaterial(src), "\n")
	for _, want := range []string{"a solution region", "hidden tests", "a mistake cell", "for the solutions only"} {
		if !strings.Contains(found, want) {
			t.Errorf("the source's instructor material does not mention %q:\n%s", want, found)
		}
	}
	rel, _ := ReleaseNotebook("energy.ipynb", src)
	if got := InstructorMaterial(rel); len(got) > 0 {
		t.Errorf("the student version holds instructor material: %v", got)
	}
	sol, _ := SolutionsNotebook("energy.ipynb", src)
	if got := strings.Join(InstructorMaterial(sol), "\n"); strings.Contains(got, "hidden") || strings.Contains(got, "mistake") {
		t.Errorf("the solutions version holds hidden tests or mistakes: %v", got)
	}
}
