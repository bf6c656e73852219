package grading

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// Solutions of the fixture's exercises, correct and broken in every way a submission can be.
const (
	energyHeader  = "// Energy returns E = -1/2 Σ_ij w_ij s_i s_j (Hopfield 1982).\nfunc Energy(w [][]float64, s []float64) float64 {\n"
	energyCompile = energyHeader + "\treturn notDeclared\n}"
	energyPanic   = energyHeader + "\tpanic(\"boom\")\n}"
	energyExit    = "import \"os\"\n\n" + energyHeader + "\tos.Exit(0)\n\treturn 0\n}"
	energyLoop    = energyHeader + "\tfor {\n\t}\n}"
	// energyMemory touches 64 GiB: the memory limit must stop it long before the machine is full.
	energyMemory = energyHeader + "\tb := make([]byte, 1 << 36)\n\tfor i := range b {\n\t\tb[i] = 1\n\t}\n\treturn float64(b[0])\n}"
	// energyCreep grows its memory 64 MiB at a time, touching every page: the kernel's memory
	// watch (or, if the machine is slow to sample, the address-space cap) must stop it.
	energyCreep = energyHeader + "\tvar keep [][]byte\n\tfor {\n\t\tb := make([]byte, 64<<20)\n\t\tfor i := 0; i < len(b); i += 4096 {\n\t\t\tb[i] = 1\n\t\t}\n\t\tkeep = append(keep, b)\n\t}\n}"
	energyWrong = energyHeader + "\treturn 0\n}"
	editedTest  = "%%\nfmt.Println(\"all good\")"
)

// expectation is what grading one fixture submission must give.
type expectation struct {
	status string             // Result.Status
	points map[string]float64 // grade_id → points (test_energy is worth 2, test_update 1)
	cells  map[string]string  // grade_id → status, where it matters
	notes  []string           // note kinds that must appear
	// mentions is a word the feedback must contain.
	mentions string
}

// fixtureSubmissions writes one folder per hostile or ordinary case into dir and returns what
// grading each must give.
func fixtureSubmissions(t *testing.T, dir string) map[string]expectation {
	t.Helper()
	src := readFixture(t)
	rel, err := ReleaseNotebook("energy.ipynb", src)
	if err != nil {
		t.Fatal(err)
	}
	correct := func(id string) string { return cellByID(t, src, id).Source }
	// answered returns the release with the given solution sources.
	answered := func(energy, update string) *notebook.Notebook {
		nb, _ := cloneNotebook(rel)
		cellByID(t, nb, "energy").Source = energy
		cellByID(t, nb, "update").Source = update
		cellByID(t, nb, "explain").Source = "Each flip lowers the energy."
		return nb
	}
	write := func(student string, nb *notebook.Notebook) {
		b, err := nb.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		writeRaw(t, dir, student, b)
	}
	full := map[string]float64{"test_energy": 2, "test_update": 1}
	onlyUpdate := map[string]float64{"test_energy": 0, "test_update": 1}
	zero := map[string]float64{"test_energy": 0, "test_update": 0}
	exp := map[string]expectation{}

	write("full", src)
	exp["full"] = expectation{status: ResultGraded, points: full, cells: map[string]string{"test_energy": StatusPassed, "explain": StatusManual}}

	write("release", rel)
	exp["release"] = expectation{status: ResultGraded, points: zero, cells: map[string]string{"test_energy": StatusFailed, "explain": StatusUnanswered}, notes: []string{NoteUnanswered}}

	for _, tc := range []struct {
		student, energy string
		cell            string
		notes           []string
	}{
		{"compile-error", energyCompile, StatusFailed, []string{"cell-error"}},
		{"panic", energyPanic, StatusFailed, nil},
		{"os-exit", energyExit, StatusFailed, nil},
		{"memory-bomb", energyMemory, StatusFailed, nil},
	} {
		write(tc.student, answered(tc.energy, correct("update")))
		exp[tc.student] = expectation{status: ResultGraded, points: onlyUpdate, cells: map[string]string{"test_energy": tc.cell, "test_update": StatusPassed}, notes: tc.notes}
	}

	write("memory-creep", answered(energyCreep, correct("update")))
	// Which limit stops it first depends on the machine's load: the memory watch stops the
	// notebook (later cells not run), the address-space cap only the cell's program.
	exp["memory-creep"] = expectation{status: ResultGraded, points: map[string]float64{"test_energy": 0}, cells: map[string]string{"test_energy": StatusFailed}, mentions: "memory"}

	write("infinite-loop", answered(energyLoop, correct("update")))
	exp["infinite-loop"] = expectation{status: ResultGraded, points: zero, cells: map[string]string{"test_energy": StatusFailed, "test_update": StatusNotRun}, notes: []string{NoteTimeout}}

	// Deleted: the test of Energy and the solution cell of Update are gone.
	del := answered(correct("energy"), correct("update"))
	del.Cells = slices.DeleteFunc(del.Cells, func(c *notebook.Cell) bool {
		m, _ := c.NBGrader()
		return m != nil && (m.GradeID == "test_energy" || m.GradeID == "update")
	})
	write("deleted-cells", del)
	exp["deleted-cells"] = expectation{status: ResultGraded, points: map[string]float64{"test_energy": 2, "test_update": 0}, notes: []string{NoteDeleted}}

	// Reordered: Exercise 2 (update and its test) moved before Exercise 1.
	re := answered(correct("energy"), correct("update"))
	re.Cells = slices.Concat(re.Cells[:2], re.Cells[5:8], re.Cells[2:5], re.Cells[8:])
	write("reordered", re)
	exp["reordered"] = expectation{status: ResultGraded, points: full, notes: []string{NoteReordered}}

	// Added: a scratch code cell and a note; they are dropped.
	add := answered(correct("energy"), correct("update"))
	add.Cells = slices.Concat(add.Cells[:4], []*notebook.Cell{
		{Type: "code", Source: "%%\nfmt.Println(\"scratch\")\nos.Exit(3)"},
		{Type: "markdown", Source: "my notes"},
	}, add.Cells[4:])
	write("added-cells", add)
	exp["added-cells"] = expectation{status: ResultGraded, points: full, notes: []string{NoteAdded}}

	// Edited test: a wrong Energy with its test rewritten to pass; the original test runs.
	ed := answered(energyWrong, correct("update"))
	cellByID(t, ed, "test_energy").Source = editedTest
	write("edited-test", ed)
	exp["edited-test"] = expectation{status: ResultGraded, points: onlyUpdate, cells: map[string]string{"test_energy": StatusFailed}, notes: []string{NoteEdited}}

	if err := os.MkdirAll(filepath.Join(dir, "missing-notebook"), 0o755); err != nil {
		t.Fatal(err)
	}
	exp["missing-notebook"] = expectation{status: ResultMissing, points: zero, notes: []string{NoteMissing}}

	writeRaw(t, dir, "invalid-json", []byte(`{"cells": [{"cell_type": "code", "source": "`))
	exp["invalid-json"] = expectation{status: ResultInvalid, points: zero, notes: []string{NoteInvalid}}
	return exp
}

func writeRaw(t *testing.T, dir, student string, b []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, student), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, student, "energy.ipynb"), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// checkExpectations compares a gradebook with the fixture's expectations.
func checkExpectations(t *testing.T, book *Gradebook, exp map[string]expectation) {
	t.Helper()
	if len(book.Results) != len(exp) {
		t.Errorf("%d results, want %d", len(book.Results), len(exp))
	}
	for _, r := range book.Results {
		e, ok := exp[r.Student]
		if !ok {
			t.Errorf("unexpected student %q", r.Student)
			continue
		}
		if r.Status != e.status {
			t.Errorf("%s: status %q, want %q (notes %v)", r.Student, r.Status, e.status, r.Notes)
		}
		for _, c := range r.Cells {
			if want, ok := e.points[c.GradeID]; ok && c.Points != want {
				t.Errorf("%s: %s scored %v, want %v (%s: %s)", r.Student, c.GradeID, c.Points, want, c.Status, c.Detail)
			}
			if want, ok := e.cells[c.GradeID]; ok && c.Status != want {
				t.Errorf("%s: %s is %q, want %q (%s)", r.Student, c.GradeID, c.Status, want, c.Detail)
			}
		}
		for _, kind := range e.notes {
			if !slices.ContainsFunc(r.Notes, func(n Note) bool { return n.Kind == kind }) {
				t.Errorf("%s: no %q note in %v", r.Student, kind, r.Notes)
			}
		}
		if fb := r.Feedback(); !strings.Contains(fb, "Score:") || !strings.Contains(fb, e.mentions) {
			t.Errorf("%s: feedback has no score or does not mention %q:\n%s", r.Student, e.mentions, fb)
		}
	}
}
