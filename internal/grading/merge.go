package grading

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

// MergeResults joins the output folders of the shards of one class (hopfield grade --shard I/N
// for every I of N, each into its own folder) into outDir, which then holds what a single run
// over the whole class writes: the same grades.csv, grades.json, feedback/, graded/ and
// records/ (so a later unsharded rerun into outDir resumes from it).
//
// It refuses, with an error wrapping ErrResults that names what is wrong, shards that are
// missing, given twice or from different splits, graded from different source notebooks or
// settings, or not complete (a submission without its result: rerun that shard, it resumes).
func MergeResults(outDir string, shardDirs []string) (*Gradebook, error) {
	if len(shardDirs) == 0 {
		return nil, fmt.Errorf("%w: no shard folders to merge", ErrResults)
	}
	absOut, err := filepath.Abs(outDir)
	if err != nil {
		return nil, err
	}
	type shardOut struct {
		dir     string
		run     *runManifest
		records map[string]*record
	}
	var shards []shardOut
	bySlot := map[int]string{}
	for _, d := range shardDirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			return nil, err
		}
		if inside, _ := isWithin(absOut, abs); inside || abs == absOut {
			return nil, fmt.Errorf("%w: the merged folder %s must not be a shard folder or inside one (%s)", ErrResults, outDir, d)
		}
		run, err := readManifest(abs)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("%w: %s is not the output folder of hopfield grade (no %s)", ErrResults, d, runFile)
		}
		if err != nil {
			return nil, err
		}
		if prev, dup := bySlot[run.Shard]; dup {
			return nil, fmt.Errorf("%w: %s and %s both hold shard %s", ErrResults, prev, d, shardName(run.Shard, run.Shards))
		}
		bySlot[run.Shard] = d
		recs, err := readRecords(abs)
		if err != nil {
			return nil, err
		}
		shards = append(shards, shardOut{abs, run, recs})
	}
	first := shards[0]
	n := first.run.Shards
	var missing []string
	for i := range n {
		if _, ok := bySlot[i]; !ok {
			missing = append(missing, shardName(i, n))
		}
	}
	settings, settingsSeen := "", false
	students := map[string]string{} // student → shard folder
	for _, sh := range shards {
		if sh.run.Shards != n {
			return nil, fmt.Errorf("%w: %s holds shard %s but %s holds shard %s: merge the shards of one split",
				ErrResults, sh.dir, shardName(sh.run.Shard, sh.run.Shards), first.dir, shardName(first.run.Shard, n))
		}
		if !slices.Equal(sh.run.Notebooks, first.run.Notebooks) {
			return nil, fmt.Errorf("%w: %s and %s were graded from different source notebooks (%s): regrade one of them from the same sources",
				ErrResults, first.dir, sh.dir, notebookDiff(first.run.Notebooks, sh.run.Notebooks))
		}
		var incomplete []string
		for _, s := range sh.run.Students {
			if other, dup := students[s]; dup {
				return nil, fmt.Errorf("%w: student %s is in both %s and %s", ErrResults, s, other, sh.dir)
			}
			students[s] = sh.dir
			for _, nb := range sh.run.Notebooks {
				rec, ok := sh.records[recordKey(s, nb.Name)]
				if !ok || rec.Source != nb.SHA256 || !filesComplete(sh.dir, rec) {
					incomplete = append(incomplete, s+"/"+nb.Name)
					continue
				}
				if !settingsSeen {
					settings, settingsSeen = rec.Settings, true
				}
				if rec.Settings != settings {
					return nil, fmt.Errorf("%w: %s/%s in %s was graded with other settings (%s) than the rest (%s)",
						ErrResults, s, nb.Name, sh.dir, rec.Settings, settings)
				}
			}
		}
		if len(incomplete) > 0 {
			sort.Strings(incomplete)
			more := ""
			if len(incomplete) > 5 {
				more = fmt.Sprintf(" and %d more", len(incomplete)-5)
				incomplete = incomplete[:5]
			}
			return nil, fmt.Errorf("%w: shard %s in %s is not complete: no result for %s%s. Run that shard again (it grades only what is missing), then merge",
				ErrResults, shardName(sh.run.Shard, n), sh.dir, strings.Join(incomplete, ", "), more)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: shard(s) %s of %d are missing: give the output folders of all %d shards", ErrResults, strings.Join(missing, ", "), n, n)
	}

	out, err := OpenResults(absOut, ResultsOptions{Settings: settings, Regrade: true})
	if err != nil {
		return nil, err
	}
	run := &runManifest{Version: recordVersion, Shards: 1, Notebooks: first.run.Notebooks, Students: sortedKeys(students)}
	if err := out.begin(run); err != nil {
		return nil, err
	}
	for _, sh := range shards {
		for _, s := range sh.run.Students {
			for _, nb := range sh.run.Notebooks {
				if err := out.adopt(sh.dir, sh.records[recordKey(s, nb.Name)]); err != nil {
					return nil, err
				}
			}
		}
	}
	if err := out.flush(); err != nil {
		return nil, err
	}
	out.mu.Lock()
	defer out.mu.Unlock()
	return out.gradebookLocked(), nil
}

// filesComplete reports whether a record's feedback (and graded notebook) are in dir.
func filesComplete(dir string, rec *record) bool {
	r := rec.Result
	if _, err := os.Stat(feedbackPath(dir, r.Student, r.Notebook)); err != nil {
		return false
	}
	if rec.Graded {
		if _, err := os.Stat(gradedPath(dir, r.Student, r.Notebook)); err != nil {
			return false
		}
	}
	return true
}

// adopt copies a record of another results folder, with its feedback and graded notebook, into
// this one.
func (r *Results) adopt(from string, rec *record) error {
	res := rec.Result
	var graded []byte
	if rec.Graded {
		var err error
		if graded, err = os.ReadFile(gradedPath(from, res.Student, res.Notebook)); err != nil {
			return err
		}
	}
	feedback, err := os.ReadFile(feedbackPath(from, res.Student, res.Notebook))
	if err != nil {
		return err
	}
	return r.store(rec, graded, feedback)
}

// notebookDiff describes how two lists of source notebooks differ.
func notebookDiff(a, b []notebookDigest) string {
	for i := 0; i < len(a) || i < len(b); i++ {
		switch {
		case i >= len(a):
			return "only the second has " + b[i].Name
		case i >= len(b):
			return "only the first has " + a[i].Name
		case a[i].Name != b[i].Name:
			return a[i].Name + " against " + b[i].Name
		case a[i].SHA256 != b[i].SHA256:
			return a[i].Name + " differs"
		}
	}
	return "same"
}

// isWithin reports whether path is inside dir (both absolute).
func isWithin(path, dir string) (bool, error) {
	rel, err := filepath.Rel(dir, path)
	if err != nil {
		return false, err
	}
	return rel != "." && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)), nil
}
