package grading

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

func formatPoints(p float64) string { return strconv.FormatFloat(p, 'f', -1, 64) }

// CSV renders one row per student, notebook and grade cell, with a header.
func (g *Gradebook) CSV() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write([]string{"student", "notebook", "grade_id", "points", "max_points", "status"})
	for _, r := range g.Results {
		for _, c := range r.Cells {
			w.Write([]string{r.Student, r.Notebook, c.GradeID, formatPoints(c.Points), formatPoints(c.MaxPoints), c.Status})
		}
	}
	w.Flush()
	return buf.Bytes(), w.Error()
}

// studentJSON is one student's entry in grades.json.
type studentJSON struct {
	Student   string    `json:"student"`
	Points    float64   `json:"points"`
	MaxPoints float64   `json:"max_points"`
	Manual    float64   `json:"manual_max_points"`
	Notebooks []*Result `json:"notebooks"`
}

// JSON renders the gradebook: per student, totals and each notebook's cells and notes.
func (g *Gradebook) JSON() ([]byte, error) {
	out := struct {
		Notebooks []string       `json:"notebooks"`
		Students  []*studentJSON `json:"students"`
	}{Notebooks: g.Notebooks, Students: []*studentJSON{}}
	by := map[string]*studentJSON{}
	for _, s := range g.Students {
		by[s] = &studentJSON{Student: s, Notebooks: []*Result{}}
		out.Students = append(out.Students, by[s])
	}
	for _, r := range g.Results {
		s := by[r.Student]
		s.Points += r.Points
		s.MaxPoints += r.Max
		s.Manual += r.Manual
		s.Notebooks = append(s.Notebooks, r)
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(out); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Feedback renders the student's feedback for this notebook as Markdown.
func (r *Result) Feedback() string {
	var b strings.Builder
	fmt.Fprintf(&b, "# %s: feedback for %s\n\n", r.Notebook, r.Student)
	switch r.Status {
	case ResultMissing, ResultInvalid:
		fmt.Fprintf(&b, "**Score: %s / %s points.**\n\n", formatPoints(r.Points), formatPoints(r.Max))
		for _, n := range r.Notes {
			fmt.Fprintf(&b, "%s\n", n.Text)
		}
		return b.String()
	}
	fmt.Fprintf(&b, "**Score: %s / %s points** (graded automatically)", formatPoints(r.Points), formatPoints(r.Max))
	if r.Manual > 0 {
		unit := "points are"
		if r.Manual == 1 {
			unit = "point is"
		}
		fmt.Fprintf(&b, "; %s more %s graded by your instructor", formatPoints(r.Manual), unit)
	}
	b.WriteString(".\n\n| check | points | result |\n|---|---|---|\n")
	for _, c := range r.Cells {
		pts := formatPoints(c.Points) + " / " + formatPoints(c.MaxPoints)
		if c.Status == StatusManual {
			pts = "? / " + formatPoints(c.MaxPoints)
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s |\n", c.GradeID, pts, statusText(c.Status))
	}
	var failed []CellResult
	for _, c := range r.Cells {
		if c.Detail != "" {
			failed = append(failed, c)
		}
	}
	if len(failed) > 0 {
		b.WriteString("\n## What went wrong\n")
		for _, c := range failed {
			fmt.Fprintf(&b, "\n### `%s` (cell %d): %s\n\n```\n%s\n```\n", c.GradeID, c.Cell, statusText(c.Status), strings.ReplaceAll(c.Detail, "```", "'''"))
		}
	}
	if len(r.Notes) > 0 {
		b.WriteString("\n## How your notebook was graded\n\n")
		for _, n := range r.Notes {
			text := n.Text
			if strings.Contains(text, "\n") { // multi-line: the first line, then the rest as code
				first, rest, _ := strings.Cut(text, "\n")
				text = first + "\n\n  ```\n  " + strings.ReplaceAll(strings.ReplaceAll(rest, "```", "'''"), "\n", "\n  ") + "\n  ```"
			}
			fmt.Fprintf(&b, "- %s\n", text)
		}
	}
	return b.String()
}

func statusText(s string) string {
	switch s {
	case StatusPassed:
		return "✓ passed"
	case StatusFailed:
		return "✗ failed"
	case StatusNotRun:
		return "✗ not run"
	case StatusManual:
		return "graded by hand"
	case StatusUnanswered:
		return "✗ not answered"
	case StatusNotGraded:
		return "✗ not graded"
	}
	return s
}
