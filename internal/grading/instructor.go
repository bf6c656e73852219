package grading

import (
	"fmt"
	"strings"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// Cells that only instructors see. A source notebook may hold, besides its nbgrader cells:
//
//   - mistake cells: raw cells tagged TagMistake, each a wrong solution of the nearest code
//     solution cell before it, written as a whole replacement of that cell and starting with a
//     line "// MISTAKE: what it gets wrong". Raw cells are never run by Jupyter or nbclient, so
//     the instructor notebook runs top to bottom as before; Mistakes lists them, and the course's
//     tests check that the exercise's visible check and its hidden tests both reject each one.
//   - solutions-only cells: cells tagged TagSolutionsOnly (a "common mistakes" note for the
//     solutions handed out after the deadline).
//
// The student release drops both. nbgrader users drop them with nbconvert's
// TagRemovePreprocessor (notebooks/nbgrader_config.py).
const (
	TagMistake       = "mistake"
	TagSolutionsOnly = "solutions-only"
	// MistakePrefix starts the first line of a mistake cell.
	MistakePrefix = "// MISTAKE:"
)

// Mistake is one wrong solution written down in an instructor notebook.
type Mistake struct {
	Cell     int    // index of the raw mistake cell in the notebook
	Exercise int    // index of the code solution cell it replaces
	GradeID  string // that solution cell's grade_id
	Says     string // what it gets wrong (the text after MistakePrefix)
	Source   string // the replacement for the solution cell
}

// Mistakes returns the mistake cells of the instructor notebook nb (name is its file name, for
// errors), in notebook order. A mistake cell that is not raw, has no "// MISTAKE:" line, or has
// no code solution cell before it is an error (*CellError wrapping ErrMetadata).
func Mistakes(name string, nb *notebook.Notebook) ([]Mistake, error) {
	var out []Mistake
	exercise := -1
	for i, c := range nb.Cells {
		m, _ := c.NBGrader()
		if c.Type == "code" && m != nil && m.Solution {
			exercise = i
			continue
		}
		if !c.HasTag(TagMistake) {
			continue
		}
		bad := func(msg string, args ...any) error {
			return &CellError{Err: ErrMetadata, Notebook: name, Cell: i, Msg: fmt.Sprintf(msg, args...)}
		}
		first, _, _ := strings.Cut(c.Source, "\n")
		switch {
		case c.Type != "raw":
			return nil, bad("a cell tagged %q must be a raw cell (Jupyter would run a code cell and redefine the exercise's function)", TagMistake)
		case m != nil:
			return nil, bad("a cell tagged %q cannot carry nbgrader metadata", TagMistake)
		case !strings.HasPrefix(strings.TrimSpace(first), MistakePrefix):
			return nil, bad("a mistake cell starts with a line %q followed by what the mistake gets wrong", MistakePrefix+" …")
		case exercise < 0:
			return nil, bad("a mistake cell follows the code solution cell it replaces; there is none before it")
		}
		says := strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(first), MistakePrefix))
		if says == "" {
			return nil, bad("the %q line must say what the mistake gets wrong", MistakePrefix)
		}
		ex, _ := nb.Cells[exercise].NBGrader()
		out = append(out, Mistake{Cell: i, Exercise: exercise, GradeID: ex.GradeID, Says: says, Source: c.Source})
	}
	return out, nil
}

// instructorOnly reports whether a cell is dropped from the student release.
func instructorOnly(c *notebook.Cell) bool {
	return c.HasTag(TagMistake) || c.HasTag(TagSolutionsOnly)
}

// InstructorMaterial lists what in nb only instructors may see: solution regions, hidden tests,
// mistake and solutions-only cells. A student version (what Release writes) has none; anything
// served to students must not either.
func InstructorMaterial(nb *notebook.Notebook) []string {
	var out []string
	for i, c := range nb.Cells {
		lines := strings.Split(c.Source, "\n")
		switch {
		case c.HasTag(TagMistake) || strings.HasPrefix(strings.TrimSpace(c.Source), MistakePrefix):
			out = append(out, fmt.Sprintf("cell %d is a mistake cell (a wrong solution)", i))
		case c.HasTag(TagSolutionsOnly):
			out = append(out, fmt.Sprintf("cell %d is for the solutions only", i))
		}
		if l := mentionsMarkers(lines, solutionMarkers); l > 0 {
			out = append(out, fmt.Sprintf("cell %d, line %d: a solution region", i, l))
		}
		if l := mentionsMarkers(lines, hiddenMarkers); l > 0 {
			out = append(out, fmt.Sprintf("cell %d, line %d: hidden tests", i, l))
		}
	}
	return out
}
