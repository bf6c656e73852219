package grading

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
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
	// Progress, if set, is called (from one goroutine at a time) as each submission is graded
	// (or found already graded in Results: r.Reused).
	Progress func(done, total int, r *Result)
	// Results, if set, receives each result as soon as it is graded (its feedback, graded
	// notebook and record, then the gradebook files), and gives back the results of an earlier
	// run that graded the same submission from the same source: those are not graded again.
	Results *Results
	// Shard grades one part of the class only (see Shard); the zero value grades everyone.
	Shard Shard
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
	// Graded is the notebook as it ran, outputs included (nil if it did not run, or if the
	// result was reused from Results, where it is already written).
	Graded *notebook.Notebook `json:"-"`
	// Reused is set when the result comes from an earlier run's record in Results.
	Reused bool `json:"-"`
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

// source is an instructor notebook (without its instructor-only cells) with its released
// version, cell for cell, and the digest of what is graded.
type source struct {
	name     string
	src, rel *notebook.Notebook
	digest   string
}

// Grade grades every student folder of submissionsDir (one folder per student, holding notebooks
// with the same file names as sourceDir's) against the source notebooks of sourceDir, or the
// students of opts.Shard only. Broken or hostile submissions are graded (usually zero) with
// notes saying why; only a problem with the source notebooks, the folders, writing
// opts.Results or ctx stops the run. With opts.Results, what was graded before the run stopped
// is in that folder, and a rerun grades only the rest.
func Grade(ctx context.Context, sourceDir, submissionsDir string, opts Options) (*Gradebook, error) {
	if opts.Run == nil {
		return nil, errors.New("grading: Options.Run is nil")
	}
	if err := opts.Shard.check(); err != nil {
		return nil, err
	}
	sources, err := readSources(sourceDir)
	if err != nil {
		return nil, err
	}
	all, err := studentFolders(submissionsDir)
	if err != nil {
		return nil, err
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("no student folders in %s (want one folder per student holding their notebooks)", submissionsDir)
	}
	students := opts.Shard.pick(all)

	book := &Gradebook{Students: students}
	run := &runManifest{Version: recordVersion, Shard: opts.Shard.Index, Shards: opts.Shard.count(), Students: students}
	for _, s := range sources {
		book.Notebooks = append(book.Notebooks, s.name)
		run.Notebooks = append(run.Notebooks, notebookDigest{Name: s.name, SHA256: s.digest})
	}
	if opts.Results != nil {
		if err := opts.Results.begin(run); err != nil {
			return nil, err
		}
	}
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
				sub := loadSubmission(filepath.Join(submissionsDir, s, n.name))
				var r *Result
				if opts.Results != nil {
					r = opts.Results.reuse(s, n.name, n.digest, sub.digest)
				}
				if r == nil {
					var fatal error
					r, fatal = gradeOne(ctx, opts.Run, n, s, sub)
					if fatal != nil {
						cancel(fatal) // the grading machine cannot run notebooks: stop, grade no one
						continue
					}
					if opts.Results != nil {
						if err := opts.Results.commit(r, n.digest, sub.digest); err != nil {
							cancel(fmt.Errorf("writing the result of %s/%s to %s: %w", s, n.name, opts.Results.Dir(), err))
							continue
						}
					}
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
	if opts.Results != nil {
		if err := opts.Results.flush(); err != nil && ctx.Err() == nil {
			return nil, fmt.Errorf("writing the gradebook to %s: %w", opts.Results.Dir(), err)
		}
	}
	if ctx.Err() != nil {
		return nil, context.Cause(ctx)
	}
	return book, nil
}

// readSources reads the source notebooks of dir, without their instructor-only cells, with
// their released versions.
func readSources(dir string) ([]source, error) {
	names, err := Notebooks(dir)
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("no .ipynb notebooks in %s", dir)
	}
	sources := make([]source, len(names))
	for i, name := range names {
		nb, err := notebook.Read(filepath.Join(dir, name))
		if err != nil {
			return nil, err
		}
		rel, err := ReleaseNotebook(name, nb)
		if err != nil {
			return nil, err
		}
		src, err := cloneNotebook(nb)
		if err != nil {
			return nil, err
		}
		src.Cells = slices.DeleteFunc(src.Cells, instructorOnly) // the release drops them too
		b, err := src.Marshal()
		if err != nil {
			return nil, err
		}
		sources[i] = source{name: name, src: src, rel: rel, digest: digest(b)}
	}
	return sources, nil
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
func gradeOne(ctx context.Context, run Runner, s source, student string, sub submission) (r *Result, fatal error) {
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

	if sub.nb == nil {
		r.Status = sub.status
		r.Cells = zeroCells(s, StatusNotGraded, "")
		kind := NoteInvalid
		if sub.status == ResultMissing {
			kind = NoteMissing
		}
		r.Notes = []Note{{Kind: kind, Text: sub.why}}
		return r, nil
	}
	a, err := assemble(s.src, s.rel, sub.nb)
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

// submission is a submitted notebook as read from its file: the notebook, or the result status
// and a sentence for the student saying why there is none; and the digest of what was found.
type submission struct {
	nb     *notebook.Notebook
	status string
	why    string
	digest string
}

// loadSubmission reads a submitted notebook.
func loadSubmission(path string) submission {
	name := filepath.Base(path)
	fi, err := os.Lstat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return submission{status: ResultMissing, why: fmt.Sprintf("%s was not submitted: every check scores 0.", name), digest: "missing"}
	case err != nil:
		return submission{status: ResultInvalid, why: fmt.Sprintf("%s could not be read (%v): every check scores 0.", name, err), digest: "unreadable"}
	case !fi.Mode().IsRegular():
		return submission{status: ResultInvalid, why: fmt.Sprintf("%s is not a regular file (a link or a folder?): every check scores 0.", name), digest: "not-regular:" + fi.Mode().Type().String()}
	case fi.Size() > maxSubmissionBytes:
		return submission{status: ResultInvalid, why: fmt.Sprintf("%s is %d MiB, more than the %d MiB a notebook may have: every check scores 0.", name, fi.Size()>>20, maxSubmissionBytes>>20), digest: fmt.Sprintf("too-large:%d", fi.Size())}
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return submission{status: ResultInvalid, why: fmt.Sprintf("%s could not be read (%v): every check scores 0.", name, err), digest: "unreadable"}
	}
	sub := submission{status: ResultGraded, digest: digest(b)}
	if sub.nb, err = notebook.Parse(b); err != nil {
		sub.status = ResultInvalid
		sub.why = fmt.Sprintf("%s is not a valid notebook (%s): every check scores 0. Download the notebook from Jupyter (File > Download) rather than editing the file by hand.", name, shorten(err.Error(), 200))
	}
	return sub
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
