package grading

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// Cell metadata that only describes outputs (Jupyter's and nbconvert's ClearOutput drop them too).
var outputMetadata = []string{"collapsed", "scrolled", "execution"}

// ReleaseNotebook returns the student version of the instructor notebook src (name is its file
// name, for error messages); src is not changed. Like nbgrader's generate_assignment:
//
//   - in code solution cells each "// BEGIN SOLUTION" … "// END SOLUTION" region (which must sit
//     inside one function body) becomes CodeStub; Markdown solution cells get AnswerStub (for
//     the marked region, or the whole cell when it has no markers);
//   - in grade cells each "// BEGIN HIDDEN TESTS" … "// END HIDDEN TESTS" region is removed;
//   - outputs, execution counts and output-only metadata are cleared;
//   - cells with nbgrader metadata get nbgrader's checksum and cell_type recorded, and the
//     notebook front-end locks: solution cells cannot be deleted, grade and read-only cells
//     cannot be deleted or edited;
//   - instructor-only cells (tagged TagMistake or TagSolutionsOnly) are dropped.
//
// Everything else is kept as it is. Markers anywhere else, unbalanced or nested markers, and
// graded or solution cells without a unique grade_id are errors (*CellError wrapping ErrMarker
// or ErrMetadata) naming the notebook and the cell.
func ReleaseNotebook(name string, src *notebook.Notebook) (*notebook.Notebook, error) {
	nb, err := cloneNotebook(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := checkGradeIDs(name, nb); err != nil {
		return nil, err
	}
	if err := checkMistakeExercises(name, nb); err != nil {
		return nil, err
	}
	for i, c := range nb.Cells {
		if instructorOnly(c) {
			continue // dropped below; a mistake may keep the solution's markers
		}
		if err := releaseCell(c); err != nil {
			err.Notebook, err.Cell = name, i
			if m, _ := c.NBGrader(); m != nil {
				err.GradeID = m.GradeID
			}
			return nil, err
		}
	}
	nb.Cells = slices.DeleteFunc(nb.Cells, instructorOnly)
	return nb, nil
}

// checkMistakeExercises verifies the mistake cells (Mistakes) and, for every exercise that lists
// one, that its checks can be run as the mistakes test runs them: each check's hidden tests
// alone (HiddenOnly).
func checkMistakeExercises(name string, nb *notebook.Notebook) error {
	mistakes, err := Mistakes(name, nb)
	if err != nil {
		return err
	}
	has := map[int]bool{}
	for _, m := range mistakes {
		has[m.Exercise] = true
	}
	for _, ex := range Exercises(nb) {
		if !has[ex.Cell] {
			continue
		}
		for _, ci := range ex.Checks {
			if _, _, cerr := HiddenOnly(nb.Cells[ci].Source); cerr != nil {
				m, _ := nb.Cells[ci].NBGrader()
				cerr.Notebook, cerr.Cell, cerr.GradeID = name, ci, m.GradeID
				return cerr
			}
		}
	}
	return nil
}

// checkGradeIDs verifies that every solution, grade or locked cell has a grade_id and that no two
// cells share one (grading matches submitted cells to the source by it).
func checkGradeIDs(name string, nb *notebook.Notebook) error {
	seen := map[string]int{}
	for i, c := range nb.Cells {
		m, err := c.NBGrader()
		if err != nil {
			return &CellError{Err: ErrMetadata, Notebook: name, Cell: i, Msg: err.Error()}
		}
		if m == nil || !(m.Solution || m.Grade || m.Locked) {
			continue
		}
		bad := func(msg string, args ...any) error {
			return &CellError{Err: ErrMetadata, Notebook: name, Cell: i, GradeID: m.GradeID, Msg: fmt.Sprintf(msg, args...)}
		}
		switch {
		case m.GradeID == "":
			return bad("a solution, grade or locked cell needs a grade_id")
		case m.Grade && (m.Points < 0 || m.Points != m.Points):
			return bad("points = %v, want a number ≥ 0", m.Points)
		case c.Type == "raw" && (m.Solution || m.Grade):
			return bad("a raw cell cannot be a solution or grade cell")
		}
		if j, dup := seen[m.GradeID]; dup {
			return bad("grade_id %q is also the grade_id of cell %d", m.GradeID, j)
		}
		seen[m.GradeID] = i
	}
	return nil
}

// releaseCell turns one instructor cell into its student version in place.
func releaseCell(c *notebook.Cell) *CellError {
	m, err := c.NBGrader()
	if err != nil {
		return &CellError{Err: ErrMetadata, Msg: err.Error()}
	}
	var solution, grade bool
	if m != nil {
		solution, grade = m.Solution, m.Grade
	}
	lines := strings.Split(c.Source, "\n")
	sol, merr := findRegions(lines, solutionMarkers)
	if merr != nil {
		return merr
	}
	hid, merr := findRegions(lines, hiddenMarkers)
	if merr != nil {
		return merr
	}
	switch {
	case c.Type == "code" && solution:
		if len(hid) > 0 {
			return &CellError{Err: ErrMarker, Line: hid[0].begin + 1, Msg: "hidden tests belong in a grade (test) cell, not in a solution cell"}
		}
		if len(sol) == 0 {
			return &CellError{Err: ErrMarker, Msg: fmt.Sprintf("a code solution cell needs a %q … %q region inside a function body", BeginSolution, EndSolution)}
		}
		if e := checkInFunction(lines, sol, solutionMarkers); e != nil {
			return e
		}
		if e := checkRemovable(lines, sol, solutionMarkers); e != nil {
			return e
		}
		c.Source = strings.Join(replaceRegions(lines, sol, CodeStub, true), "\n")
	case c.Type == "markdown" && solution:
		if len(hid) > 0 {
			return &CellError{Err: ErrMarker, Line: hid[0].begin + 1, Msg: "hidden tests belong in a grade (test) cell, not in an answer cell"}
		}
		if len(sol) == 0 {
			c.Source = AnswerStub
		} else {
			c.Source = strings.Join(replaceRegions(lines, sol, AnswerStub, false), "\n")
		}
	case c.Type == "code" && grade:
		if len(sol) > 0 {
			return &CellError{Err: ErrMarker, Line: sol[0].begin + 1, Msg: "a grade (test) cell cannot contain a solution region; mark the cell as a solution cell or move the region"}
		}
		if e := checkRemovable(lines, hid, hiddenMarkers); e != nil {
			return e
		}
		c.Source = strings.Join(replaceRegions(lines, hid, "", false), "\n")
	default:
		if l := mentionsMarkers(lines, solutionMarkers); l > 0 {
			return &CellError{Err: ErrMarker, Line: l, Msg: "solution markers are only allowed in solution cells (nbgrader metadata solution: true)"}
		}
		if l := mentionsMarkers(lines, hiddenMarkers); l > 0 {
			return &CellError{Err: ErrMarker, Line: l, Msg: "hidden-test markers are only allowed in code grade cells (nbgrader metadata grade: true)"}
		}
	}
	clearOutputs(c)
	if m != nil && (m.Solution || m.Grade || m.Locked) {
		sum, err := Checksum(c)
		if err != nil {
			return &CellError{Err: ErrMetadata, Msg: err.Error()}
		}
		if err := setNBGraderFields(c, map[string]any{"checksum": sum, "cell_type": c.Type}); err != nil {
			return &CellError{Err: ErrMetadata, Msg: err.Error()}
		}
		lockCell(c, m)
	}
	return nil
}

// replaceRegions replaces each region (markers included) by stub, indented like its BEGIN line
// when indent is set; an empty stub removes the region.
func replaceRegions(lines []string, regions []region, stub string, indent bool) []string {
	var out []string
	next := 0
	for _, r := range regions {
		out = append(out, lines[next:r.begin]...)
		if stub != "" {
			pad := ""
			if indent {
				b := lines[r.begin]
				pad = b[:len(b)-len(strings.TrimLeft(b, " \t"))]
			}
			out = append(out, pad+stub)
		}
		next = r.end + 1
	}
	return append(out, lines[next:]...)
}

// clearOutputs removes a code cell's outputs, execution count and output-only metadata.
func clearOutputs(c *notebook.Cell) {
	if c.Type == "code" {
		c.Outputs = nil
		c.ExecutionCount = nil
	}
	for _, k := range outputMetadata {
		delete(c.Metadata, k)
	}
}

// lockCell sets Jupyter's editable/deletable cell metadata as nbgrader's LockCells does.
func lockCell(c *notebook.Cell, m *notebook.NBGrader) {
	if c.Metadata == nil {
		c.Metadata = map[string]json.RawMessage{}
	}
	no := json.RawMessage("false")
	switch {
	case m.Solution:
		c.Metadata["deletable"] = no
	case m.Grade || m.Locked:
		c.Metadata["deletable"] = no
		c.Metadata["editable"] = no
	}
}

// setNBGraderFields sets fields of the cell's nbgrader metadata, keeping the fields it has.
func setNBGraderFields(c *notebook.Cell, fields map[string]any) error {
	m := map[string]json.RawMessage{}
	if raw, ok := c.Metadata["nbgrader"]; ok {
		if err := json.Unmarshal(raw, &m); err != nil {
			return fmt.Errorf("nbgrader metadata: %v", err)
		}
	}
	for k, v := range fields {
		b, err := json.Marshal(v)
		if err != nil {
			return err
		}
		m[k] = b
	}
	b, err := json.Marshal(m)
	if err != nil {
		return err
	}
	c.Metadata["nbgrader"] = b
	return nil
}

// cloneNotebook returns a deep copy through the notebook's JSON.
func cloneNotebook(nb *notebook.Notebook) (*notebook.Notebook, error) {
	b, err := nb.Marshal()
	if err != nil {
		return nil, err
	}
	return notebook.Parse(b)
}

// Notebooks lists the .ipynb files directly in dir, sorted by name.
func Notebooks(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), ".ipynb") && !strings.HasPrefix(e.Name(), ".") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// releaseAll reads every notebook of srcDir and returns the student versions, by file name, as
// the bytes Release writes.
func releaseAll(srcDir string) (names []string, out map[string][]byte, err error) {
	names, err = Notebooks(srcDir)
	if err != nil {
		return nil, nil, err
	}
	if len(names) == 0 {
		return nil, nil, fmt.Errorf("no .ipynb notebooks in %s", srcDir)
	}
	out = map[string][]byte{}
	for _, name := range names {
		src, err := notebook.Read(filepath.Join(srcDir, name))
		if err != nil {
			return nil, nil, err
		}
		rel, err := ReleaseNotebook(name, src)
		if err != nil {
			return nil, nil, err
		}
		b, err := rel.Marshal()
		if err != nil {
			return nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		out[name] = b
	}
	return names, out, nil
}

// Release writes the student version of every notebook in srcDir to outDir (created if needed)
// under the same name, and returns the names written. It writes nothing if any notebook fails.
// The output depends only on the source notebooks.
func Release(srcDir, outDir string) ([]string, error) {
	names, out, err := releaseAll(srcDir)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	for _, name := range names {
		path := filepath.Join(outDir, name)
		if err := os.WriteFile(path+".tmp", out[name], 0o644); err != nil {
			return nil, err
		}
		if err := os.Rename(path+".tmp", path); err != nil {
			return nil, err
		}
	}
	return names, nil
}

// Difference is one way a committed student notebook differs from what Release would write.
type Difference struct {
	Notebook string
	Cell     int    // -1 for the notebook as a whole
	GradeID  string // the cell's grade_id, if any
	What     string
}

func (d Difference) String() string {
	if d.Cell < 0 {
		return fmt.Sprintf("%s: %s", d.Notebook, d.What)
	}
	id := ""
	if d.GradeID != "" {
		id = " (" + d.GradeID + ")"
	}
	return fmt.Sprintf("%s: cell %d%s: %s", d.Notebook, d.Cell, id, d.What)
}

// CheckRelease compares the notebooks in outDir with what Release(srcDir, outDir) would write
// and returns the differences (none when they are up to date). Notebooks in outDir without a
// source are not compared.
func CheckRelease(srcDir, outDir string) ([]Difference, error) {
	names, want, err := releaseAll(srcDir)
	if err != nil {
		return nil, err
	}
	var diffs []Difference
	for _, name := range names {
		got, err := os.ReadFile(filepath.Join(outDir, name))
		if os.IsNotExist(err) {
			diffs = append(diffs, Difference{Notebook: name, Cell: -1, What: "missing: run hopfield release"})
			continue
		}
		if err != nil {
			return nil, err
		}
		if !bytes.Equal(got, want[name]) {
			diffs = append(diffs, compareNotebooks(name, got, want[name])...)
		}
	}
	return diffs, nil
}

// compareNotebooks names the cells where two serialized notebooks differ.
func compareNotebooks(name string, gotB, wantB []byte) []Difference {
	whole := func(what string) []Difference { return []Difference{{Notebook: name, Cell: -1, What: what}} }
	got, err := notebook.Parse(gotB)
	if err != nil {
		return whole("not a valid notebook: " + err.Error())
	}
	want, _ := notebook.Parse(wantB)
	var diffs []Difference
	if len(got.Cells) != len(want.Cells) {
		diffs = whole(fmt.Sprintf("%d cells, release writes %d", len(got.Cells), len(want.Cells)))
	}
	for i := 0; i < len(got.Cells) && i < len(want.Cells); i++ {
		g, w := got.Cells[i], want.Cells[i]
		d := Difference{Notebook: name, Cell: i}
		if m, _ := w.NBGrader(); m != nil {
			d.GradeID = m.GradeID
		}
		gr, _ := json.Marshal(cellJSON(g))
		wr, _ := json.Marshal(cellJSON(w))
		switch {
		case bytes.Equal(gr, wr):
			continue
		case g.Type != w.Type:
			d.What = fmt.Sprintf("cell type %s, release writes %s", g.Type, w.Type)
		case g.Source != w.Source:
			d.What = "source differs: " + firstDifference(g.Source, w.Source)
		case len(g.Outputs) > 0 || g.ExecutionCount != nil:
			d.What = "has outputs; release clears them"
		default:
			d.What = "metadata or other fields differ"
		}
		diffs = append(diffs, d)
	}
	if len(diffs) == 0 {
		diffs = whole("notebook metadata or formatting differs")
	}
	return diffs
}

// cellJSON renders a cell alone, for comparison.
func cellJSON(c *notebook.Cell) any {
	nb := &notebook.Notebook{NBFormat: 4, Cells: []*notebook.Cell{c}}
	b, _ := nb.Marshal()
	return json.RawMessage(b)
}

// firstDifference describes the first line where got and want differ.
func firstDifference(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if i >= len(g) || i >= len(w) || gl != wl {
			return fmt.Sprintf("line %d is %q, release writes %q", i+1, gl, wl)
		}
	}
	return "same lines"
}

// SolutionsNotebook returns the solutions version of the instructor notebook src (name is its
// file name, for errors), the one an instructor hands out after the deadline; src is not
// changed. It keeps the solutions (without their "// BEGIN SOLUTION" and "// END SOLUTION"
// lines), the model answers and the solutions-only cells (TagSolutionsOnly: the common-mistakes
// notes), and removes the hidden tests, like the student release, and the mistake cells
// (TagMistake); outputs and execution counts are cleared. A notebook that ReleaseNotebook
// refuses is refused too, with the same error.
func SolutionsNotebook(name string, src *notebook.Notebook) (*notebook.Notebook, error) {
	if _, err := ReleaseNotebook(name, src); err != nil {
		return nil, err // every marker and cell checked once, the same way
	}
	nb, err := cloneNotebook(src)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	nb.Cells = slices.DeleteFunc(nb.Cells, func(c *notebook.Cell) bool { return c.HasTag(TagMistake) })
	for _, c := range nb.Cells {
		lines := strings.Split(c.Source, "\n")
		hid, _ := findRegions(lines, hiddenMarkers) // checked by ReleaseNotebook
		lines = replaceRegions(lines, hid, "", false)
		lines = slices.DeleteFunc(lines, func(l string) bool {
			t := strings.TrimSpace(l)
			return t == BeginSolution || t == EndSolution
		})
		c.Source = strings.Join(lines, "\n")
		clearOutputs(c)
	}
	return nb, nil
}

// ErrStudentFolder reports a folder that holds the student versions, where the solutions must
// not be written.
var ErrStudentFolder = errors.New("grading: folder holds the student versions")

// ReleaseSolutions writes the solutions version (SolutionsNotebook) of every notebook in srcDir
// to outDir under the same name and returns the names written. It writes nothing if any
// notebook fails, or if outDir holds a student version (what Release writes) of one of them:
// the solutions must never replace the notebooks students work in.
func ReleaseSolutions(srcDir, outDir string) ([]string, error) {
	names, student, err := releaseAll(srcDir)
	if err != nil {
		return nil, err
	}
	out := map[string][]byte{}
	for _, name := range names {
		if got, err := os.ReadFile(filepath.Join(outDir, name)); err == nil && bytes.Equal(got, student[name]) {
			return nil, fmt.Errorf("%w: %s is the student version of %s: write the solutions to another folder",
				ErrStudentFolder, filepath.Join(outDir, name), filepath.Join(srcDir, name))
		}
		src, err := notebook.Read(filepath.Join(srcDir, name))
		if err != nil {
			return nil, err
		}
		sol, err := SolutionsNotebook(name, src)
		if err != nil {
			return nil, err
		}
		if out[name], err = sol.Marshal(); err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
	}
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return nil, err
	}
	for _, name := range names {
		if err := atomicWrite(filepath.Join(outDir, name), out[name]); err != nil {
			return nil, err
		}
	}
	return names, nil
}
