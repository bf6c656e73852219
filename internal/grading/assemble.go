package grading

import (
	"fmt"
	"strings"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// Note is one thing a student is told about how their notebook was graded: a cell they deleted,
// added or edited, a time limit, a notebook that could not be read.
type Note struct {
	Kind    string `json:"kind"`               // one of the Note* kinds
	GradeID string `json:"grade_id,omitempty"` // the cell concerned, if any
	Text    string `json:"text"`
}

// Note kinds.
const (
	NoteDeleted    = "deleted"    // a graded, solution or locked cell is missing from the submission
	NoteAdded      = "added"      // a cell the student added was not run
	NoteReordered  = "reordered"  // cells were moved; the source's order was used
	NoteEdited     = "edited"     // a locked or test cell was changed; the original was used
	NoteCellType   = "cell-type"  // a solution cell changed type (code ↔ markdown)
	NoteDuplicate  = "duplicate"  // two submitted cells carry the same grade_id
	NoteUnanswered = "unanswered" // a solution cell is still the released stub
	NoteMissing    = "missing"    // the notebook was not submitted
	NoteInvalid    = "invalid"    // the file is not a readable notebook
	NoteTimeout    = "timeout"    // a cell or the notebook ran past its time limit
	NoteMemory     = "memory"     // a cell used more memory than allowed and the notebook was stopped
	NoteRun        = "run"        // the notebook could not be run to the end (kernel died, killed)
	NoteCellError  = "cell-error" // a solution cell itself failed (compile error, panic)
)

// gradedCell records, for a cell of the assembled notebook, what it is.
type gradedCell struct {
	index    int // index in the assembled (= source) notebook
	meta     *notebook.NBGrader
	answered bool // solution cells: the submission changed the released stub
}

// assembly is a submission rebuilt in the source's cell order, ready to run.
type assembly struct {
	nb    *notebook.Notebook
	cells []gradedCell // the cells with nbgrader metadata, in order
	notes []Note
}

// assemble rebuilds a submission from the source notebook src, its released version rel (same
// cells) and the student's notebook sub. The result has the source's cells in the source's order:
// locked, grade and plain cells from the source (hidden tests included), solution cells from the
// submission matched by grade_id (the released stub when missing). Cells the student added are
// dropped. Every deviation becomes a Note.
func assemble(src, rel, sub *notebook.Notebook) (*assembly, error) {
	out, err := cloneNotebook(src)
	if err != nil {
		return nil, err
	}
	a := &assembly{nb: out}

	// Index the submission's cells.
	byID := map[string]*notebook.Cell{} // by grade_id, first occurrence
	var order []string                  // grade_ids in submission order, first occurrences
	srcIDs := map[string]bool{}
	relByCellID := map[string]*notebook.Cell{}
	relSources := map[string]bool{}
	for i, c := range src.Cells {
		if m, _ := c.NBGrader(); m != nil && m.GradeID != "" {
			srcIDs[m.GradeID] = true
		}
		if r := rel.Cells[i]; r.ID != "" {
			relByCellID[r.ID] = r
		}
		relSources[rel.Cells[i].Source] = true
	}
	for _, c := range sub.Cells {
		if instructorOnly(c) {
			continue // the source submitted as it is (a mistake, a solutions-only note): never run
		}
		m, _ := c.NBGrader()
		id := ""
		if m != nil {
			id = m.GradeID
		}
		switch {
		case id != "" && srcIDs[id]:
			if _, dup := byID[id]; dup {
				a.notes = append(a.notes, Note{Kind: NoteDuplicate, GradeID: id, Text: fmt.Sprintf("Your notebook has more than one cell %q; only the first was used.", id)})
				continue
			}
			byID[id] = c
			order = append(order, id)
		case c.ID != "" && relByCellID[c.ID] != nil:
			// A plain cell of the release: the source's version is run.
			if r := relByCellID[c.ID]; r.Source != c.Source && c.Type == "code" {
				a.notes = append(a.notes, Note{Kind: NoteEdited, Text: fmt.Sprintf("Your changes to the code cell starting %q are not part of the exercise and were not used.", firstLine(r.Source))})
			}
		case relSources[c.Source] || strings.TrimSpace(c.Source) == "":
			// An unchanged (or empty) cell: nothing to say.
		case c.Type == "code":
			a.notes = append(a.notes, Note{Kind: NoteAdded, Text: fmt.Sprintf("The code cell you added (%q) was not run: graded notebooks run only the exercise's cells, so put the code your answers need in the answer cells.", firstLine(c.Source))})
		default:
			a.notes = append(a.notes, Note{Kind: NoteAdded, Text: fmt.Sprintf("The %s cell you added (%q) is not part of the graded notebook.", c.Type, firstLine(c.Source))})
		}
	}

	// Rebuild in the source's order.
	var srcOrder []string
	for i, c := range out.Cells {
		m, err := c.NBGrader()
		if err != nil {
			return nil, err
		}
		if c.Type == "code" {
			c.Outputs, c.ExecutionCount = nil, nil
		}
		if m == nil || !(m.Solution || m.Grade || m.Locked) {
			continue
		}
		g := gradedCell{index: i, meta: m}
		srcOrder = append(srcOrder, m.GradeID)
		s, ok := byID[m.GradeID]
		stub := rel.Cells[i]
		switch {
		case m.Solution && !ok:
			c.Source = stub.Source
			a.notes = append(a.notes, Note{Kind: NoteDeleted, GradeID: m.GradeID, Text: fmt.Sprintf("Your notebook has no answer cell %q (deleted?); the empty stub was graded.", m.GradeID)})
		case m.Solution && s.Type != c.Type:
			c.Source = stub.Source
			a.notes = append(a.notes, Note{Kind: NoteCellType, GradeID: m.GradeID, Text: fmt.Sprintf("Your answer cell %q is a %s cell but must be a %s cell; the empty stub was graded.", m.GradeID, s.Type, c.Type)})
		case m.Solution:
			c.Source = s.Source
			g.answered = s.Source != stub.Source
			if !g.answered {
				a.notes = append(a.notes, Note{Kind: NoteUnanswered, GradeID: m.GradeID, Text: fmt.Sprintf("You did not change the answer cell %q.", m.GradeID)})
			}
		case !ok:
			a.notes = append(a.notes, Note{Kind: NoteDeleted, GradeID: m.GradeID, Text: fmt.Sprintf("Your notebook has no cell %q (deleted?); the original was put back.", m.GradeID)})
		case s.Source != stub.Source || s.Type != stub.Type:
			what := "cell"
			if m.Grade {
				what = "test cell"
			}
			a.notes = append(a.notes, Note{Kind: NoteEdited, GradeID: m.GradeID, Text: fmt.Sprintf("You changed the %s %q; your changes were ignored and the original was run.", what, m.GradeID)})
		}
		a.cells = append(a.cells, g)
	}
	if !sameOrder(order, srcOrder) {
		a.notes = append(a.notes, Note{Kind: NoteReordered, Text: "Your notebook has the exercise cells in a different order; they were run in the original order."})
	}
	return a, nil
}

// sameOrder reports whether the ids in got (a subset of want) come in want's order.
func sameOrder(got, want []string) bool {
	pos := map[string]int{}
	for i, id := range want {
		pos[id] = i
	}
	last := -1
	for _, id := range got {
		if pos[id] < last {
			return false
		}
		last = pos[id]
	}
	return true
}

// firstLine returns the first line of s that is neither blank nor a GoNB special command,
// shortened to 60 characters.
func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if l := strings.TrimSpace(line); l != "" && !isSpecialLine(line) {
			if r := []rune(l); len(r) > 60 {
				return string(r[:57]) + "..."
			}
			return l
		}
	}
	return ""
}
