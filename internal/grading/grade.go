package grading

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// Runner executes a notebook in the GoNB kernel with dir as its working folder and returns the
// executed copy. An error means the run did not complete (a time limit, a crash); the notebook
// returned with it, if any, holds the cells that ran. Runners wrap ErrTimeout when a time limit
// stopped the run (with a *TimeoutError to say which cell).
type Runner func(ctx context.Context, nb *notebook.Notebook, dir string) (*notebook.Notebook, error)

// ErrTimeout reports a cell or a notebook that ran past its time limit.
var ErrTimeout = errors.New("grading: time limit exceeded")

// TimeoutError says which time limit stopped a run and which cell was running then (-1 if
// unknown). It wraps ErrTimeout.
type TimeoutError struct {
	Cell  int
	Limit time.Duration
	Total bool // the notebook's limit, not the cell's
}

func (e *TimeoutError) Error() string {
	switch {
	case e.Total && e.Cell >= 0:
		return fmt.Sprintf("the notebook ran longer than its time limit of %v (in cell %d)", e.Limit, e.Cell)
	case e.Total || e.Cell < 0:
		return fmt.Sprintf("the notebook ran longer than its time limit of %v", e.Limit)
	}
	return fmt.Sprintf("cell %d ran longer than its time limit of %v", e.Cell, e.Limit)
}

func (e *TimeoutError) Unwrap() error { return ErrTimeout }

// ErrStopped reports a run that a limit other than time stopped: the memory limit, or the kernel
// dying (a crash of the cell's program takes only the cell; a dead kernel takes the notebook).
var ErrStopped = errors.New("grading: notebook stopped")

// StopError says which cell was running when the notebook was stopped, and why. It wraps
// ErrStopped.
type StopError struct {
	Cell   int
	Memory bool   // the memory limit (else the kernel died)
	Detail string // the kernel's words
}

func (e *StopError) Error() string {
	why := "the kernel died"
	if e.Memory {
		why = "memory limit exceeded"
	}
	return fmt.Sprintf("%v in cell %d: %s: %s", ErrStopped, e.Cell, why, e.Detail)
}

func (e *StopError) Unwrap() error { return ErrStopped }

// Options configure Grade.
type Options struct {
	// Run executes each assembled notebook; required. Time and memory limits are the runner's
	// (see Sandbox).
	Run Runner
	// Workers is how many submissions are graded at once; ≤ 0 means one per CPU core.
	Workers int
	// Progress, if set, is called (from one goroutine at a time) as each submission is graded.
	Progress func(done, total int, r *Result)
}

// Result is the grade of one student's notebook.
type Result struct {
	Student  string       `json:"student"`
	Notebook string       `json:"notebook"`
	Status   string       `json:"status"` // "graded", "missing" or "invalid"
	Points   float64      `json:"points"`
	Max      float64      `json:"max_points"`        // autograded points available
	Manual   float64      `json:"manual_max_points"` // points the instructor grades by hand
	Cells    []CellResult `json:"cells"`
	Notes    []Note       `json:"notes,omitempty"`
	Seconds  float64      `json:"seconds"`
	// Graded is the notebook as it ran, outputs included (nil if it did not run).
	Graded *notebook.Notebook `json:"-"`
}

// Result statuses.
const (
	ResultGraded  = "graded"
	ResultMissing = "missing"
	ResultInvalid = "invalid"
)

// Gradebook is the outcome of grading a folder of submissions.
type Gradebook struct {
	Notebooks []string  // source notebooks, sorted
	Students  []string  // student folders, sorted
	Results   []*Result // one per student and notebook, in that order
}

// maxSubmissionBytes bounds the size of a submitted notebook read into memory.
const maxSubmissionBytes = 64 << 20

// source is an instructor notebook with its released version.
type source struct {
	name     string
	src, rel *notebook.Notebook
}

// Grade grades every student folder of submissionsDir (one folder per student, holding notebooks
// with the same file names as sourceDir's) against the source notebooks of sourceDir. Broken or
// hostile submissions are graded (usually zero) with notes saying why; only a problem with the
// source notebooks, the folders or ctx stops the run.
func Grade(ctx context.Context, sourceDir, submissionsDir string, opts Options) (*Gradebook, error) {
	if opts.Run == nil {
		return nil, errors.New("grading: Options.Run is nil")
	}
	names, err := Notebooks(sourceDir)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no .ipynb notebooks in %s", sourceDir)
	}
	sources := make([]source, len(names))
	for i, name := range names {
		src, err := notebook.Read(filepath.Join(sourceDir, name))
		if err != nil {
			return nil, err
		}
		rel, err := ReleaseNotebook(name, src)
		if err != nil {
			return nil, err
		}
		sources[i] = source{name, src, rel}
	}
	students, err := studentFolders(submissionsDir)
	if err != nil {
		return nil, err
	}
	if len(students) == 0 {
		return nil, fmt.Errorf("no student folders in %s (want one folder per student holding their notebooks)", submissionsDir)
	}

	book := &Gradebook{Notebooks: names, Students: students}
	book.Results = make([]*Result, len(students)*len(sources))
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.NumCPU()
	}
	jobs := make(chan int)
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		done int
	)
	for range min(workers, len(book.Results)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				s, n := students[j/len(sources)], sources[j%len(sources)]
				r, fatal := gradeOne(ctx, opts.Run, n, s, filepath.Join(submissionsDir, s, n.name))
				if fatal != nil {
					cancel(fatal) // the grading machine cannot run notebooks: stop, grade no one
					continue
				}
				book.Results[j] = r
				if opts.Progress != nil {
					mu.Lock()
					done++
					opts.Progress(done, len(book.Results), r)
					mu.Unlock()
				}
			}
		}()
	}
send:
	for j := range book.Results {
		select {
		case jobs <- j:
		case <-ctx.Done():
			break send
		}
	}
	close(jobs)
	wg.Wait()
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	return book, nil
}

// studentFolders lists the folders of dir (not hidden, not symbolic links), sorted.
func studentFolders(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
			out = append(out, e.Name())
		}
	}
	sort.Strings(out)
	return out, nil
}

// gradeOne grades one student's notebook. Problems of the submission become notes and zeros;
// only a runner that cannot run notebooks at all (ErrRunner) or a cancelled ctx is fatal.
func gradeOne(ctx context.Context, run Runner, s source, student, path string) (r *Result, fatal error) {
	start := time.Now()
	res := &Result{Student: student, Notebook: s.name, Status: ResultGraded}
	r = res
	defer func() {
		if p := recover(); p != nil { // a bug must not stop the class's grading
			r, fatal = res, nil
			r.Status = ResultInvalid
			r.Cells = zeroCells(s, StatusNotGraded, "")
			r.Notes = append(r.Notes, Note{Kind: NoteRun, Text: fmt.Sprintf("Internal grader error: %v. Please tell your instructor.", p)})
		}
		if r != nil {
			r.Seconds = time.Since(start).Seconds()
			r.total()
		}
	}()

	sub, status, why := readSubmission(path)
	if sub == nil {
		r.Status = status
		r.Cells = zeroCells(s, StatusNotGraded, "")
		kind := NoteInvalid
		if status == ResultMissing {
			kind = NoteMissing
		}
		r.Notes = []Note{{Kind: kind, Text: why}}
		return r, nil
	}
	a, err := assemble(s.src, s.rel, sub)
	if err != nil {
		r.Status = ResultInvalid
		r.Cells = zeroCells(s, StatusNotGraded, "")
		r.Notes = []Note{{Kind: NoteInvalid, Text: "Your notebook could not be matched to the exercise: " + err.Error()}}
		return r, nil
	}
	r.Notes = a.notes

	// Run a copy with a sentinel at the end of every code test cell.
	toRun, err := cloneNotebook(a.nb)
	if err != nil {
		panic(err)
	}
	info := runInfo{timeoutCell: -1, sentinels: map[int]string{}}
	sentinel := newSentinel()
	for _, g := range a.cells {
		if c := toRun.Cells[g.index]; g.meta.Grade && c.Type == "code" && addSentinel(c, sentinel) {
			info.sentinels[g.index] = sentinel
		}
	}
	ex, runErr := runIn(ctx, run, toRun)
	if errors.Is(runErr, ErrRunner) {
		return nil, runErr
	}
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	info.err = runErr
	var te *TimeoutError
	if errors.As(runErr, &te) {
		info.timedOut, info.timeoutCell = true, te.Cell
	} else if errors.Is(runErr, ErrTimeout) {
		info.timedOut = true
	}
	if ex != nil && len(ex.Cells) != len(a.nb.Cells) {
		r.Notes = append(r.Notes, Note{Kind: NoteRun, Text: fmt.Sprintf("The run returned %d cells instead of %d; nothing was scored.", len(ex.Cells), len(a.nb.Cells))})
		ex = nil
	}
	r.Cells = scoreCells(a, ex, info)
	var se *StopError
	switch {
	case info.timedOut:
		r.Notes = append(r.Notes, Note{Kind: NoteTimeout, Text: timeoutText(te, a)})
	case errors.As(runErr, &se):
		kind, what := NoteRun, "the kernel running it died (did the code crash the process?)"
		if se.Memory {
			kind, what = NoteMemory, "it used more memory than allowed ("+se.Detail+")"
		}
		r.Notes = append(r.Notes, Note{Kind: kind, Text: fmt.Sprintf("%s was stopped: %s; the cells after it were not run.", capitalize(cellName(se.Cell, a)), what)})
	case runErr != nil:
		r.Notes = append(r.Notes, Note{Kind: NoteRun, Text: "The notebook did not run to its end: " + shorten(runErr.Error(), 300)})
	}
	if ex != nil {
		for i, c := range ex.Cells {
			if sen, ok := info.sentinels[i]; ok {
				stripSentinel(c, sen)
				c.Source = a.nb.Cells[i].Source
			}
		}
		// Tell what went wrong in the student's own cells (compile errors, panics).
		for _, g := range a.cells {
			c := ex.Cells[g.index]
			if g.meta.Solution && c.Type == "code" && len(c.Problems(g.index)) > 0 {
				r.Notes = append(r.Notes, Note{Kind: NoteCellError, GradeID: g.meta.GradeID, Text: "Your cell " + quote(g.meta.GradeID) + " failed:\n" + problemDetail(c)})
			}
		}
		r.Graded = ex
	}
	return r, nil
}

func quote(s string) string { return "\"" + s + "\"" }

func timeoutText(te *TimeoutError, a *assembly) string {
	if te == nil {
		return "The notebook ran past its time limit and was stopped; the cells after that point were not run."
	}
	if te.Total || te.Cell < 0 {
		return fmt.Sprintf("The notebook ran past its total time limit of %v and was stopped; the cells after that point were not run.", te.Limit)
	}
	what := cellName(te.Cell, a)
	return fmt.Sprintf("%s ran past the time limit of %v per cell and was stopped (an infinite loop?); the cells after it were not run.", capitalize(what), te.Limit)
}

// cellName names cell i for the student: its index and grade_id.
func cellName(i int, a *assembly) string {
	for _, g := range a.cells {
		if g.index == i {
			return fmt.Sprintf("cell %d (%s)", i, g.meta.GradeID)
		}
	}
	return fmt.Sprintf("cell %d", i)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// runIn runs nb in a fresh private temporary folder, removed afterwards.
func runIn(ctx context.Context, run Runner, nb *notebook.Notebook) (ex *notebook.Notebook, err error) {
	dir, err := os.MkdirTemp("", "hopfield-grade-")
	if err != nil {
		return nil, err
	}
	defer removeAll(dir)
	defer func() {
		if p := recover(); p != nil {
			ex, err = nil, fmt.Errorf("the runner failed: %v", p)
		}
	}()
	return run(ctx, nb, dir)
}

// removeAll removes dir even where the student's code made folders read-only.
func removeAll(dir string) {
	if os.RemoveAll(dir) == nil {
		return
	}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() {
			os.Chmod(p, 0o700)
		}
		return nil
	})
	os.RemoveAll(dir)
}

// readSubmission reads a submitted notebook; on failure it returns nil, the result status and a
// sentence for the student.
func readSubmission(path string) (*notebook.Notebook, string, string) {
	name := filepath.Base(path)
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, ResultMissing, fmt.Sprintf("%s was not submitted: every check scores 0.", name)
	case err != nil:
		return nil, ResultInvalid, fmt.Sprintf("%s could not be read (%v): every check scores 0.", name, err)
	case !fi.Mode().IsRegular():
		return nil, ResultInvalid, fmt.Sprintf("%s is not a regular file (a link or a folder?): every check scores 0.", name)
	case fi.Size() > maxSubmissionBytes:
		return nil, ResultInvalid, fmt.Sprintf("%s is %d MiB, more than the %d MiB a notebook may have: every check scores 0.", name, fi.Size()>>20, maxSubmissionBytes>>20)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, ResultInvalid, fmt.Sprintf("%s could not be read (%v): every check scores 0.", name, err)
	}
	nb, err := notebook.Parse(b)
	if err != nil {
		return nil, ResultInvalid, fmt.Sprintf("%s is not a valid notebook (%s): every check scores 0. Download the notebook from Jupyter (File > Download) rather than editing the file by hand.", name, shorten(err.Error(), 200))
	}
	return nb, ResultGraded, ""
}

// zeroCells scores every grade cell of a source notebook 0 with the given status.
func zeroCells(s source, status, detail string) []CellResult {
	var out []CellResult
	for i, c := range s.src.Cells {
		if m, _ := c.NBGrader(); m != nil && m.Grade {
			st := status
			if c.Type != "code" {
				st = StatusUnanswered
			}
			out = append(out, CellResult{GradeID: m.GradeID, Cell: i, MaxPoints: m.Points, Status: st, Detail: detail})
		}
	}
	return out
}

// total sums the result's points.
func (r *Result) total() {
	r.Points, r.Max, r.Manual = 0, 0, 0
	for _, c := range r.Cells {
		if c.Auto() {
			r.Points += c.Points
			r.Max += c.MaxPoints
		} else {
			r.Manual += c.MaxPoints
		}
	}
}
