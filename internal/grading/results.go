package grading

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Results is a grading output folder, written as each submission is graded so that a run that
// stops (killed, out of time, a full disk) loses no finished work, and read back by a rerun,
// which grades only what is missing or changed:
//
//	grades.csv                        the gradebook of every submission graded so far
//	grades.json                       the same with totals, per-cell status and notes
//	feedback/STUDENT/NOTEBOOK.md      for the student
//	graded/STUDENT/NOTEBOOK.ipynb     for the instructor: the notebook as it ran, hidden tests included
//	records/STUDENT/NOTEBOOK.json     the result, with the digests of the source notebook, the
//	                                  submission and the grader's settings it came from
//	run.json                          the notebooks, students and shard the folder holds
//
// Every file is replaced atomically (written beside it, then renamed). A submission's feedback
// and graded notebook are written before its record, and grades.csv and grades.json are written
// from the records, so whenever the run stops they list only submissions whose files are all
// complete. A rerun reuses a record when the source notebook, the submitted file and the
// settings have the same digests, and its feedback and graded notebook are there; it grades
// every other submission again.
//
// Submissions run as the grading user: their code could write into this folder while the
// class is graded. Grade the class in a container (README, "For instructors") and use
// ResultsOptions.Regrade (hopfield grade --regrade) if a run may have been tampered with.
type Results struct {
	dir      string
	settings string
	regrade  bool

	mu        sync.Mutex
	run       *runManifest
	slots     []*Result // one per student and notebook of the run, nil until graded
	index     map[string]int
	loaded    map[string]*record // records found on disk, by key
	dirty     bool
	lastWrite time.Time
	timer     *time.Timer
	err       error // the first error of a deferred write

	// write replaces a file atomically; tests replace it to stop a run at any write.
	write func(path string, b []byte) error
}

// ResultsOptions configure OpenResults.
type ResultsOptions struct {
	// Settings names the grader settings that change results (kernel, time and memory limits):
	// a record made with other settings is graded again.
	Settings string
	// Regrade ignores the records already in the folder: every submission is graded again.
	Regrade bool
}

// ErrNotWritable reports an output folder the grader cannot write; nothing has been graded.
var ErrNotWritable = errors.New("grading: cannot write the output folder")

// ErrResults reports a results folder that cannot be used as asked: one that holds another
// shard, or shard outputs that do not make up a whole class.
var ErrResults = errors.New("grading: results folder mismatch")

// File names in a results folder.
const (
	gradesCSV   = "grades.csv"
	gradesJSON  = "grades.json"
	runFile     = "run.json"
	feedbackDir = "feedback"
	gradedDir   = "graded"
	recordsDir  = "records"
	// recordVersion changes when what a record means changes: older records are graded again.
	recordVersion = 1
	// summaryEvery is how long grades.csv and grades.json may lag behind the records.
	summaryEvery = 2 * time.Second
	tmpMarker    = ".tmp-"
)

// record is one submission's result as stored in records/.
type record struct {
	Version    int     `json:"version"`
	Source     string  `json:"source_sha256"`
	Submission string  `json:"submission_sha256"`
	Settings   string  `json:"settings"`
	Graded     bool    `json:"graded_notebook"` // graded/STUDENT/NOTEBOOK.ipynb was written
	Result     *Result `json:"result"`
}

// runManifest is run.json: what the folder holds.
type runManifest struct {
	Version   int              `json:"version"`
	Shard     int              `json:"shard"`
	Shards    int              `json:"shards"`
	Notebooks []notebookDigest `json:"notebooks"`
	Students  []string         `json:"students"`
}

type notebookDigest struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
}

// OpenResults opens (creating it if needed) the output folder dir and checks, before anything
// is graded, that every folder in it can be written; the error wraps ErrNotWritable and says
// who owns the folder that cannot, with what mode, and what to do. Records already there are
// loaded to be reused (unless opts.Regrade); temporary files of an interrupted run are removed.
func OpenResults(dir string, opts ResultsOptions) (*Results, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	if err := ensureWritable(abs); err != nil {
		return nil, err
	}
	r := &Results{dir: abs, settings: opts.Settings, regrade: opts.Regrade, loaded: map[string]*record{}, write: atomicWrite}
	if err := removeTemporaries(abs); err != nil {
		return nil, err
	}
	if !opts.Regrade {
		if r.loaded, err = readRecords(abs); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Dir returns the folder's absolute path.
func (r *Results) Dir() string { return r.dir }

func recordKey(student, nb string) string { return student + "/" + nb }

func recordPath(dir, student, nb string) string {
	return filepath.Join(dir, recordsDir, student, strings.TrimSuffix(nb, ".ipynb")+".json")
}

func feedbackPath(dir, student, nb string) string {
	return filepath.Join(dir, feedbackDir, student, strings.TrimSuffix(nb, ".ipynb")+".md")
}

func gradedPath(dir, student, nb string) string {
	return filepath.Join(dir, gradedDir, student, nb)
}

// readRecords loads every record under dir/records, by key; unreadable records are skipped
// (their submissions are graded again).
func readRecords(dir string) (map[string]*record, error) {
	out := map[string]*record{}
	root := filepath.Join(dir, recordsDir)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) && path == root {
				return filepath.SkipDir
			}
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".json") {
			return nil
		}
		rec, err := readRecord(path)
		if err != nil || rec.Result == nil {
			return nil
		}
		if recordPath(dir, rec.Result.Student, rec.Result.Notebook) != path {
			return nil // a record moved or edited by hand: not trusted
		}
		out[recordKey(rec.Result.Student, rec.Result.Notebook)] = rec
		return nil
	})
	return out, err
}

func readRecord(path string) (*record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rec record
	if err := json.Unmarshal(b, &rec); err != nil {
		return nil, fmt.Errorf("%s: %v", path, err)
	}
	if rec.Version != recordVersion {
		return nil, fmt.Errorf("%s: record version %d, want %d", path, rec.Version, recordVersion)
	}
	return &rec, nil
}

// begin records what this run grades (run.json) and prepares one slot per student and
// notebook, in the gradebook's order.
func (r *Results) begin(run *runManifest) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	prev, err := readManifest(r.dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	case prev.Shards != run.Shards || prev.Shard != run.Shard:
		return fmt.Errorf("%w: %s holds the results of shard %s; grade shard %s into a folder of its own (or delete %s to start over)",
			ErrResults, r.dir, shardName(prev.Shard, prev.Shards), shardName(run.Shard, run.Shards), filepath.Join(r.dir, runFile))
	}
	b, err := marshalJSON(run)
	if err != nil {
		return err
	}
	if err := r.write(filepath.Join(r.dir, runFile), b); err != nil {
		return err
	}
	r.run = run
	r.slots = make([]*Result, len(run.Students)*len(run.Notebooks))
	r.index = map[string]int{}
	for i, s := range run.Students {
		for j, nb := range run.Notebooks {
			r.index[recordKey(s, nb.Name)] = i*len(run.Notebooks) + j
		}
	}
	r.dirty = true // the gradebook of this run, empty so far: an older one must not stand
	return r.summaryLocked(true)
}

func readManifest(dir string) (*runManifest, error) {
	b, err := os.ReadFile(filepath.Join(dir, runFile))
	if err != nil {
		return nil, err
	}
	var m runManifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrResults, filepath.Join(dir, runFile), err)
	}
	if m.Version != recordVersion || m.Shards < 1 || m.Shard < 0 || m.Shard >= m.Shards {
		return nil, fmt.Errorf("%w: %s: version %d, shard %d of %d", ErrResults, filepath.Join(dir, runFile), m.Version, m.Shard, m.Shards)
	}
	return &m, nil
}

// reuse returns the recorded result of a submission if it was graded from the same source,
// submission and settings and its files are complete; nil means grade it.
func (r *Results) reuse(student, nb, sourceDigest, submissionDigest string) *Result {
	r.mu.Lock()
	defer r.mu.Unlock()
	key := recordKey(student, nb)
	rec, ok := r.loaded[key]
	if !ok || rec.Source != sourceDigest || rec.Submission != submissionDigest || rec.Settings != r.settings {
		return nil
	}
	if _, err := os.Stat(feedbackPath(r.dir, student, nb)); err != nil {
		return nil
	}
	if rec.Graded {
		if _, err := os.Stat(gradedPath(r.dir, student, nb)); err != nil {
			return nil
		}
	}
	res := rec.Result
	res.Reused = true
	r.slots[r.index[key]] = res
	r.dirty = true
	if err := r.summaryLocked(false); err != nil && r.err == nil {
		r.err = err
	}
	return res
}

// commit writes one finished submission: its graded notebook and feedback, then its record,
// then (at most every summaryEvery) grades.csv and grades.json.
func (r *Results) commit(res *Result, sourceDigest, submissionDigest string) error {
	var graded []byte
	if res.Graded != nil {
		var err error
		if graded, err = res.Graded.Marshal(); err != nil {
			return err
		}
	}
	rec := &record{Version: recordVersion, Source: sourceDigest, Submission: submissionDigest, Settings: r.settings, Result: res}
	if err := r.store(rec, graded, []byte(res.Feedback())); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.summaryLocked(false)
}

// store writes a record with its files, in the order that keeps the folder consistent: the
// graded notebook (or, with none, the removal of an older one) and the feedback, then the
// record; and marks the gradebook files stale.
func (r *Results) store(rec *record, graded, feedback []byte) error {
	res := rec.Result
	rec.Graded = graded != nil
	if graded != nil {
		if err := r.write(gradedPath(r.dir, res.Student, res.Notebook), graded); err != nil {
			return err
		}
	} else if err := removeFile(gradedPath(r.dir, res.Student, res.Notebook)); err != nil {
		return err // an older run's graded notebook must not outlive its result
	}
	if err := r.write(feedbackPath(r.dir, res.Student, res.Notebook), feedback); err != nil {
		return err
	}
	b, err := marshalJSON(rec)
	if err != nil {
		return err
	}
	if err := r.write(recordPath(r.dir, res.Student, res.Notebook), b); err != nil {
		return err
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	key := recordKey(res.Student, res.Notebook)
	r.loaded[key] = rec
	r.slots[r.index[key]] = res
	r.dirty = true
	return nil
}

// flush writes grades.csv and grades.json now if they lag behind the records, and returns the
// first error of a deferred write.
func (r *Results) flush() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.timer != nil {
		r.timer.Stop()
		r.timer = nil
	}
	if err := r.summaryLocked(true); err != nil {
		return err
	}
	return r.err
}

// summaryLocked writes grades.csv and grades.json if they are stale (r.dirty) and now is set or
// summaryEvery has passed since the last write; otherwise it makes sure a write follows.
func (r *Results) summaryLocked(now bool) error {
	if !r.dirty {
		return nil
	}
	if !now && time.Since(r.lastWrite) < summaryEvery {
		if r.timer == nil {
			r.timer = time.AfterFunc(summaryEvery, func() {
				r.mu.Lock()
				defer r.mu.Unlock()
				r.timer = nil
				if err := r.summaryLocked(true); err != nil && r.err == nil {
					r.err = err
				}
			})
		}
		return nil
	}
	if r.run == nil {
		return nil
	}
	book := r.gradebookLocked()
	csvBytes, err := book.CSV()
	if err != nil {
		return err
	}
	jsonBytes, err := book.JSON()
	if err != nil {
		return err
	}
	if err := r.write(filepath.Join(r.dir, gradesCSV), csvBytes); err != nil {
		return err
	}
	if err := r.write(filepath.Join(r.dir, gradesJSON), jsonBytes); err != nil {
		return err
	}
	r.dirty = false
	r.lastWrite = time.Now()
	return nil
}

// gradebookLocked is the gradebook of the results recorded so far: the students with at least
// one result, each result in the run's order.
func (r *Results) gradebookLocked() *Gradebook {
	book := &Gradebook{}
	for _, nb := range r.run.Notebooks {
		book.Notebooks = append(book.Notebooks, nb.Name)
	}
	for i, s := range r.run.Students {
		has := false
		for j := range r.run.Notebooks {
			if res := r.slots[i*len(r.run.Notebooks)+j]; res != nil {
				book.Results = append(book.Results, res)
				has = true
			}
		}
		if has {
			book.Students = append(book.Students, s)
		}
	}
	return book
}

// Write writes the gradebook to outDir (created if needed) as a complete results folder (see
// Results): grades.csv, grades.json, feedback/, graded/, records/ and run.json. Grade with
// Options.Results writes the same files as it goes; Write is for a gradebook made without.
func (g *Gradebook) Write(outDir string) error {
	res, err := OpenResults(outDir, ResultsOptions{Regrade: true})
	if err != nil {
		return err
	}
	run := &runManifest{Version: recordVersion, Shards: 1, Students: g.Students}
	for _, nb := range g.Notebooks {
		run.Notebooks = append(run.Notebooks, notebookDigest{Name: nb})
	}
	if err := res.begin(run); err != nil {
		return err
	}
	for _, r := range g.Results {
		if err := res.commit(r, "", ""); err != nil {
			return err
		}
	}
	return res.flush()
}

// atomicWrite replaces path with b: it writes a temporary file beside it, syncs it and renames
// it over path, so a reader (or a rerun after a crash) sees the old file or the new, never part.
func atomicWrite(path string, b []byte) error { return replaceFile(path, b, true) }

// replaceFile is atomicWrite, syncing the data to disk first only if sync is set (a killed
// process loses nothing written without it; a machine that loses power may).
func replaceFile(path string, b []byte, sync bool) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	suffix := make([]byte, 6)
	rand.Read(suffix)
	tmp := filepath.Join(dir, "."+filepath.Base(path)+tmpMarker+hex.EncodeToString(suffix))
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(b)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}

func removeFile(path string) error {
	if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// removeTemporaries deletes the temporary files an interrupted atomicWrite left in dir.
func removeTemporaries(dir string) error {
	return filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasPrefix(d.Name(), ".") && strings.Contains(d.Name(), tmpMarker) {
			return os.Remove(path)
		}
		return nil
	})
}

func marshalJSON(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// digest is the hex SHA-256 of b.
func digest(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// sortedKeys returns the keys of m, sorted.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
