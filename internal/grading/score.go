package grading

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"regexp"
	"strings"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// Cell statuses.
const (
	StatusPassed     = "passed"     // the test cell ran to its end with no error and no stderr
	StatusFailed     = "failed"     // it showed an error or stderr output, or stopped early
	StatusNotRun     = "not-run"    // it never ran: a time limit or a crash stopped the notebook first
	StatusManual     = "manual"     // a written answer: the instructor grades it by hand
	StatusUnanswered = "unanswered" // a written answer left as the stub: 0 points, as nbgrader does
	StatusNotGraded  = "not-graded" // the notebook is missing or unreadable
)

// CellResult is the score of one grade cell.
type CellResult struct {
	GradeID   string  `json:"grade_id"`
	Cell      int     `json:"cell"` // index in the source notebook
	Points    float64 `json:"points"`
	MaxPoints float64 `json:"max_points"`
	Status    string  `json:"status"`
	Detail    string  `json:"detail,omitempty"` // the first lines of why it failed
}

// Auto reports whether the cell is graded by the tool (not by hand).
func (r CellResult) Auto() bool { return r.Status != StatusManual && r.Status != StatusUnanswered }

// sentinelMain matches a cell line that starts GoNB's main body, a declared main, or a test cell.
var (
	declaresMain = regexp.MustCompile(`(?m)^\s*func\s+main\s*\(`)
	testCell     = regexp.MustCompile(`(?m)^\s*(//gonb:)?%test\b`)
)

// newSentinel returns a fresh line a test cell prints on stdout when it reaches its end.
func newSentinel() string {
	b := make([]byte, 12)
	rand.Read(b)
	return "hopfield-grade-reached-end-" + hex.EncodeToString(b)
}

// addSentinel appends to a test cell a statement that prints sentinel when the cell's program
// reaches its end, so that a cell stopped early without an error (os.Exit(0) in the student's
// code) is not mistaken for a pass. It returns false when the cell has its own func main or is a
// %test cell, where nothing can be appended. The statement uses package os, which GoNB's
// goimports adds when the cell does not import it.
func addSentinel(c *notebook.Cell, sentinel string) bool {
	if declaresMain.MatchString(c.Source) || testCell.MatchString(c.Source) {
		return false
	}
	stmt := fmt.Sprintf("os.Stdout.WriteString(%q)", sentinel+"\n")
	hasMain := false
	for _, l := range strings.Split(c.Source, "\n") {
		if isMainLine(l) {
			hasMain = true
		}
	}
	src := strings.TrimRight(c.Source, "\n")
	if hasMain {
		c.Source = src + "\n" + stmt
	} else {
		c.Source = src + "\n%%\n" + stmt
	}
	return true
}

// stripSentinel removes the sentinel line from a cell's stdout and reports whether it was there.
func stripSentinel(c *notebook.Cell, sentinel string) bool {
	found := false
	var outs []*notebook.Output
	for _, o := range c.Outputs {
		if o.Type == "stream" && o.Name == "stdout" && strings.Contains(o.Text, sentinel) {
			found = true
			o.Text = strings.Replace(o.Text, sentinel+"\n", "", 1)
			o.Text = strings.Replace(o.Text, sentinel, "", 1)
			if o.Text == "" {
				continue
			}
		}
		outs = append(outs, o)
	}
	c.Outputs = outs
	return found
}

// runInfo is what the runner said about a run, for scoring cells that did not finish.
type runInfo struct {
	err         error          // the runner's error, nil if the notebook ran to its end
	timedOut    bool           // a cell or the notebook ran past its time limit
	timeoutCell int            // the cell that did, or -1 if unknown
	sentinels   map[int]string // cell index → sentinel added to it
}

// scoreCells scores each grade cell of the executed notebook ex (cells in the assembly's order;
// nil when the run produced nothing).
func scoreCells(a *assembly, ex *notebook.Notebook, info runInfo) []CellResult {
	var out []CellResult
	for _, g := range a.cells {
		if !g.meta.Grade {
			continue
		}
		r := CellResult{GradeID: g.meta.GradeID, Cell: g.index, MaxPoints: g.meta.Points}
		var c *notebook.Cell
		if ex != nil && g.index < len(ex.Cells) {
			c = ex.Cells[g.index]
		}
		switch {
		case a.nb.Cells[g.index].Type != "code":
			r.Status = StatusManual
			if g.meta.Solution && !g.answered {
				r.Status = StatusUnanswered
			}
		case c == nil || (c.ExecutionCount == nil && len(c.Outputs) == 0):
			r.Status = StatusNotRun
			r.Detail = notRunDetail(info)
		default:
			sentinel, hasSentinel := info.sentinels[g.index]
			reached := hasSentinel && stripSentinel(c, sentinel)
			switch {
			case len(c.Problems(g.index)) > 0:
				r.Status = StatusFailed
				r.Detail = problemDetail(c)
			case hasSentinel && !reached:
				r.Status = StatusFailed
				r.Detail = "The cell stopped before its end without an error message: did your code call os.Exit, or run out of time?"
				if info.timedOut && (info.timeoutCell == g.index || info.timeoutCell < 0) {
					r.Detail = "The cell was stopped: it ran longer than the time limit (an infinite loop, or much slower code than needed?)."
				}
			default:
				r.Status = StatusPassed
				r.Points = r.MaxPoints
			}
		}
		out = append(out, r)
	}
	return out
}

func notRunDetail(info runInfo) string {
	switch {
	case info.timedOut:
		return "Not run: an earlier cell ran past the time limit and the notebook was stopped."
	case errors.As(info.err, new(*StopError)):
		var se *StopError
		errors.As(info.err, &se)
		if se.Memory {
			return fmt.Sprintf("Not run: cell %d used more memory than allowed and the notebook was stopped.", se.Cell)
		}
		return fmt.Sprintf("Not run: the kernel died in cell %d and the notebook was stopped.", se.Cell)
	case info.err != nil:
		return "Not run: the notebook stopped before this cell (" + shorten(info.err.Error(), 200) + ")."
	}
	return "Not run."
}

var ansi = regexp.MustCompile(`\x1b\[[0-9;]*[A-Za-z]`)

// maxDetailLines and maxDetailChars bound the "why" shown for a failed cell.
const (
	maxDetailLines = 8
	maxDetailChars = 800
)

var (
	// GoNB shows compile errors as HTML (display_data): the cell and line, the compiler's
	// location in its generated main.go, the message, then (hidden until hovered) the code
	// around it, which may be hidden tests and is left out.
	gonbCompileError = regexp.MustCompile(`(?:<span class="gonb-cell-line-info">([^<]*)</span>\s*)?<span class="gonb-err-location">[^<]*</span>([^\n<]*)`)
	// Paths of GoNB's generated program in stack traces and messages.
	gonbPath = regexp.MustCompile(`[ \t]*/\S*/gonb_[0-9a-f]+/\S+( \+0x[0-9a-f]+)?`)
	goBuild  = regexp.MustCompile(`^failed to run ".*go build .*": exit status \d+$`)
	// GoNB ends the stderr of a cell whose program failed with the program's exit status: the
	// student's feedback is the message above it.
	exitStatus = regexp.MustCompile(`^exit status \d+$`)
)

// problemDetail returns the first lines of a cell's stderr, compile errors and errors, without
// terminal colors, HTML, the paths of GoNB's generated program or its bare "exit status N".
func problemDetail(c *notebook.Cell) string {
	var b strings.Builder
	compiled := false
	for _, o := range c.Outputs {
		switch {
		case o.Type == "stream" && o.Name == "stderr":
			b.WriteString(o.Text)
		case o.Type == "display_data" && o.Data["text/html"] != nil:
			var h string
			if json.Unmarshal(o.Data["text/html"], &h) != nil {
				var parts []string
				json.Unmarshal(o.Data["text/html"], &parts)
				h = strings.Join(parts, "")
			}
			for _, m := range gonbCompileError.FindAllStringSubmatch(h, -1) {
				compiled = true
				where := strings.TrimSpace(m[1])
				if where != "" {
					where += ": "
				}
				b.WriteString(where + strings.TrimSpace(html.UnescapeString(m[2])) + "\n")
			}
		case o.Type == "error":
			if compiled && goBuild.MatchString(o.EValue) {
				continue // the compiler's messages above say it better
			}
			head := o.EName + ": " + o.EValue
			b.WriteString(head + "\n")
			for _, l := range o.Traceback {
				if clean := ansi.ReplaceAllString(l, ""); !strings.Contains(head, strings.TrimSpace(clean)) {
					b.WriteString(l + "\n")
				}
			}
		default:
			continue
		}
		b.WriteByte('\n')
	}
	text := gonbPath.ReplaceAllString(ansi.ReplaceAllString(b.String(), ""), "")
	var lines []string
	for _, l := range strings.Split(text, "\n") {
		if strings.TrimSpace(l) == "" || exitStatus.MatchString(strings.TrimSpace(l)) {
			continue
		}
		lines = append(lines, strings.TrimRight(l, " \t\r"))
		if len(lines) == maxDetailLines {
			lines = append(lines, "…")
			break
		}
	}
	return shorten(strings.Join(lines, "\n"), maxDetailChars)
}

// shorten cuts s to at most n runes, marking the cut.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
