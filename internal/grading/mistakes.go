package grading

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// MinMistakes is how many mistakes the course wants listed for every code exercise.
const MinMistakes = 2

// Exercise is a code exercise of an instructor notebook: its solution cell and the check cells
// after it (the code grade cells up to the next code solution cell).
type Exercise struct {
	Cell    int    // index of the solution cell
	GradeID string // its grade_id
	Checks  []int  // indices of its code grade cells
}

// Exercises lists the code exercises of nb in order.
func Exercises(nb *notebook.Notebook) []Exercise {
	var out []Exercise
	for i, c := range nb.Cells {
		m, _ := c.NBGrader()
		if c.Type != "code" || m == nil {
			continue
		}
		switch {
		case m.Solution:
			out = append(out, Exercise{Cell: i, GradeID: m.GradeID})
		case m.Grade && len(out) > 0:
			out[len(out)-1].Checks = append(out[len(out)-1].Checks, i)
		}
	}
	return out
}

// MistakeResult is what the checks of an exercise made of one mistake.
type MistakeResult struct {
	Mistake
	// Clean: the mistake cell compiled and ran without an error or stderr. A mistake that does
	// not is no test of the checks (GoNB keeps the previous definition).
	Clean   bool
	Failure string // what the mistake cell showed when not clean
	// VisibleRejected: a released check cell (what the student runs) failed with the mistake.
	VisibleRejected bool
	// HasHidden: the exercise's checks have hidden tests; HiddenRejected: run alone, they failed.
	HasHidden, HiddenRejected bool
	// Feedback is the first lines the student would see: the visible check's, or when that
	// accepted the mistake, the hidden tests' (what grading reports).
	Feedback string
}

// Problem says what is wrong with the checks as this mistake shows it, or "".
func (m MistakeResult) Problem() string {
	switch {
	case !m.Clean:
		return "the mistake cell itself fails, so it tests nothing: " + m.Failure
	case !m.VisibleRejected && m.HasHidden && !m.HiddenRejected:
		return "accepted by the visible check and by the hidden tests"
	case !m.VisibleRejected && !m.HasHidden:
		return "accepted by the visible check (the exercise has no hidden tests)"
	case !m.VisibleRejected:
		return "accepted by the visible check: a student sees \"all checks passed\", then loses the points"
	case m.HasHidden && !m.HiddenRejected:
		return "accepted by the hidden tests (only the visible check rejects it)"
	}
	return ""
}

// ExerciseMistakes is the mistakes test of one exercise.
type ExerciseMistakes struct {
	Exercise
	Mistakes []MistakeResult
	// Problem is set when the checks cannot be judged: no check cell, or the hidden tests run
	// alone fail with the correct solution.
	Problem string
}

// MistakeReport is the mistakes test of one instructor notebook.
type MistakeReport struct {
	Notebook  string
	Exercises []ExerciseMistakes
	// SourceProblems are failures of the notebook itself, run with the correct solutions: with
	// them the mistakes prove nothing.
	SourceProblems []string
}

// Problems lists everything the mistakes test fails on: the notebook's own failures, each
// exercise with fewer than minMistakes mistakes or checks that cannot be judged, and each
// mistake the checks accept.
func (r *MistakeReport) Problems(minMistakes int) []string {
	var out []string
	for _, p := range r.SourceProblems {
		out = append(out, fmt.Sprintf("%s: %s", r.Notebook, p))
	}
	for _, ex := range r.Exercises {
		if ex.Problem != "" {
			out = append(out, fmt.Sprintf("%s: %s: %s", r.Notebook, ex.GradeID, ex.Problem))
		}
		if len(ex.Mistakes) < minMistakes {
			out = append(out, fmt.Sprintf("%s: %s lists %d mistake(s), want at least %d (raw cells tagged %q after the exercise)",
				r.Notebook, ex.GradeID, len(ex.Mistakes), minMistakes, TagMistake))
		}
		for _, m := range ex.Mistakes {
			if p := m.Problem(); p != "" {
				out = append(out, fmt.Sprintf("%s: %s: mistake %q (cell %d): %s", r.Notebook, ex.GradeID, m.Says, m.Cell, p))
			}
		}
	}
	return out
}

// role is what an appended cell of the mistakes run is for.
type role struct {
	kind     string // "baseline", "mistake", "visible", "hidden", "restore"
	exercise int    // index into the report's exercises
	mistake  int    // index into that exercise's mistakes, -1 for baseline cells
}

// CheckMistakes runs the mistakes test of the instructor notebook src (name is its file name) in
// one kernel: the notebook's own cells in order (every cell, even after a failure), then for
// each exercise its hidden tests alone with the correct solution (they must pass), then for
// each of its mistakes the mistake cell, the released check cells, the hidden tests alone, and
// after the exercise's last mistake its correct solution again. GoNB keeps declarations
// between cells, so a mistake cell replaces the exercise's function for the checks after it.
//
// runner executes the notebook (a Sandbox's Run, with time limits that fit a notebook several
// times longer than the source). The notebook's own cells that GoNB keeps nothing of (only a
// main body, no nbgrader metadata: figures, experiments) are left out of the run. The error is for a notebook that cannot be tested at all: one that
// release refuses, or a run that did not complete.
func CheckMistakes(ctx context.Context, name string, src *notebook.Notebook, runner Runner) (*MistakeReport, error) {
	rel, err := ReleaseNotebook(name, src) // also checks the mistakes and the hidden tests' shape
	if err != nil {
		return nil, err
	}
	mistakes, err := Mistakes(name, src)
	if err != nil {
		return nil, err
	}
	nb, err := cloneNotebook(src)
	if err != nil {
		return nil, err
	}
	// Source indices of the cells kept (instructor-only cells are dropped, as in the release).
	var kept []int
	for i, c := range nb.Cells {
		if !instructorOnly(c) {
			kept = append(kept, i)
		}
	}
	nb.Cells = slices.DeleteFunc(nb.Cells, instructorOnly)
	for _, c := range nb.Cells {
		if c.Type == "code" {
			c.Outputs, c.ExecutionCount = nil, nil
		}
	}
	report := &MistakeReport{Notebook: name}
	exercises := Exercises(nb)    // indices of nb, which are the release's
	bySourceCell := map[int]int{} // source index of a solution cell → exercise
	for i, ex := range exercises {
		bySourceCell[kept[ex.Cell]] = i
		inSource := Exercise{Cell: kept[ex.Cell], GradeID: ex.GradeID}
		for _, ci := range ex.Checks {
			inSource.Checks = append(inSource.Checks, kept[ci])
		}
		report.Exercises = append(report.Exercises, ExerciseMistakes{Exercise: inSource})
	}
	for _, m := range mistakes {
		i, ok := bySourceCell[m.Exercise]
		if !ok {
			continue // Mistakes only ties mistakes to code solution cells, all of them exercises
		}
		report.Exercises[i].Mistakes = append(report.Exercises[i].Mistakes, MistakeResult{Mistake: m})
	}

	if len(mistakes) == 0 {
		return report, nil // nothing to run: every exercise lists no mistake
	}

	// The notebook's own cells, but those GoNB keeps nothing of (a figure, an experiment: a cell
	// that is only a main body): they cost a build each and change nothing the checks see.
	run := &notebook.Notebook{NBFormat: nb.NBFormat, NBFormatMinor: nb.NBFormatMinor, Metadata: nb.Metadata}
	var runToSource []int
	for i, c := range nb.Cells {
		if !keepsNothing(c) {
			run.Cells = append(run.Cells, c)
			runToSource = append(runToSource, kept[i])
		}
	}
	srcCells := len(run.Cells)

	// The cells appended after the notebook's own.
	roles := map[int]role{}
	sentinels := map[int]string{}
	sentinel := newSentinel()
	add := func(src string, r role, check bool) {
		c := &notebook.Cell{Type: "code", Source: src}
		if check && addSentinel(c, sentinel) {
			sentinels[len(run.Cells)] = sentinel
		}
		roles[len(run.Cells)] = r
		run.Cells = append(run.Cells, c)
	}
	hiddenOf := map[int][]string{} // exercise → hidden-only sources of its checks
	for i, ex := range exercises {
		em := &report.Exercises[i]
		if len(ex.Checks) == 0 {
			if len(em.Mistakes) > 0 {
				em.Problem = "no check cell (a code grade cell) follows the exercise"
			}
			continue
		}
		for _, ci := range ex.Checks {
			if h, ok, herr := HiddenOnly(nb.Cells[ci].Source); herr != nil {
				if len(em.Mistakes) > 0 { // release already refused this; keep the message if it did not
					em.Problem = herr.Error()
				}
			} else if ok {
				hiddenOf[i] = append(hiddenOf[i], h)
			}
		}
		if len(em.Mistakes) == 0 || em.Problem != "" {
			continue
		}
		for _, h := range hiddenOf[i] {
			add(h, role{kind: "baseline", exercise: i, mistake: -1}, true)
		}
		for j := range em.Mistakes {
			em.Mistakes[j].HasHidden = len(hiddenOf[i]) > 0
			add(em.Mistakes[j].Source, role{kind: "mistake", exercise: i, mistake: j}, false)
			for _, ci := range ex.Checks {
				add(rel.Cells[ci].Source, role{kind: "visible", exercise: i, mistake: j}, true)
			}
			for _, h := range hiddenOf[i] {
				add(h, role{kind: "hidden", exercise: i, mistake: j}, true)
			}
		}
		add(nb.Cells[ex.Cell].Source, role{kind: "restore", exercise: i, mistake: -1}, false)
	}

	ex, runErr := runIn(ctx, runner, run)
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	if ex == nil || len(ex.Cells) != len(run.Cells) {
		if runErr == nil {
			runErr = fmt.Errorf("the run returned %d cells of %d", cellCount(ex), len(run.Cells))
		}
		return nil, fmt.Errorf("%s: the mistakes run did not complete: %w", name, runErr)
	}
	for i := range srcCells {
		if ps := ex.Cells[i].Problems(i); len(ps) > 0 {
			report.SourceProblems = append(report.SourceProblems, fmt.Sprintf("cell %d fails with the correct solutions: %s", runToSource[i], firstLines(problemDetail(ex.Cells[i]), 2)))
		}
	}
	for i := srcCells; i < len(ex.Cells); i++ {
		r, c := roles[i], ex.Cells[i]
		rejected := len(c.Problems(i)) > 0
		if s, ok := sentinels[i]; ok && !stripSentinel(c, s) {
			rejected = true // stopped before its end without an error: grading fails it too
		}
		if c.ExecutionCount == nil && len(c.Outputs) == 0 {
			rejected = true // not run: a limit stopped the notebook
		}
		em := &report.Exercises[r.exercise]
		switch r.kind {
		case "baseline":
			if rejected && em.Problem == "" {
				em.Problem = "the hidden tests run alone fail with the correct solution (see HiddenOnly's convention): " + firstLines(problemDetail(c), 3)
			}
		case "restore":
			if rejected && em.Problem == "" {
				em.Problem = "the correct solution failed when put back after the mistakes: " + firstLines(problemDetail(c), 3)
			}
		case "mistake":
			m := &em.Mistakes[r.mistake]
			m.Clean = !rejected
			if rejected {
				m.Failure = firstLines(problemDetail(c), 3)
				if m.Failure == "" {
					m.Failure = "not run"
				}
			}
		case "visible":
			m := &em.Mistakes[r.mistake]
			if rejected {
				if !m.VisibleRejected {
					m.Feedback = firstLines(problemDetail(c), 4)
				}
				m.VisibleRejected = true
			}
		case "hidden":
			m := &em.Mistakes[r.mistake]
			if rejected {
				if !m.VisibleRejected && !m.HiddenRejected {
					m.Feedback = firstLines(problemDetail(c), 4)
				}
				m.HiddenRejected = true
			}
		}
	}
	if runErr != nil && len(report.SourceProblems) == 0 {
		report.SourceProblems = append(report.SourceProblems, "the run stopped early: "+shorten(runErr.Error(), 300))
	}
	return report, nil
}

// keepsNothing reports whether GoNB keeps nothing of a cell for later cells: a code cell without
// nbgrader metadata that is only a main body ("%%" first, no other special line, no
// declaration before it), whose variables end with its program.
func keepsNothing(c *notebook.Cell) bool {
	if c.Type != "code" {
		return true // never run
	}
	if m, _ := c.NBGrader(); m != nil {
		return false
	}
	lines := strings.Split(c.Source, "\n")
	first := 0
	for first < len(lines) && strings.TrimSpace(lines[first]) == "" {
		first++
	}
	if first == len(lines) || !isMainLine(lines[first]) {
		return false
	}
	for _, l := range lines[first+1:] {
		if isSpecialLine(l) {
			return false
		}
	}
	return !declaresMain.MatchString(c.Source)
}

func cellCount(nb *notebook.Notebook) int {
	if nb == nil {
		return 0
	}
	return len(nb.Cells)
}

// firstLines returns the first n lines of s, joined by " / ".
func firstLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = append(lines[:n], "…")
	}
	return strings.Join(lines, " / ")
}
