package grading

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// countingRun wraps a runner and counts the notebooks it runs.
func countingRun(run Runner, n *atomic.Int32) Runner {
	return func(ctx context.Context, nb *notebook.Notebook, dir string) (*notebook.Notebook, error) {
		n.Add(1)
		return run(ctx, nb, dir)
	}
}

// quickWrite is atomicWrite without the sync to disk, which only a power cut needs.
func quickWrite(path string, b []byte) error { return replaceFile(path, b, false) }

// gradeInto grades the fixture submissions in subs into out and returns how many notebooks ran.
func gradeInto(t *testing.T, subs, out string, opts Options, ropts ResultsOptions) (*Gradebook, int) {
	t.Helper()
	res, err := OpenResults(out, ropts)
	if err != nil {
		t.Fatal(err)
	}
	res.write = quickWrite
	var ran atomic.Int32
	opts.Run = countingRun(fakeRun(t), &ran)
	opts.Results = res
	if opts.Workers == 0 {
		opts.Workers = 2
	}
	book, err := Grade(context.Background(), fixtureDir, subs, opts)
	if err != nil {
		t.Fatal(err)
	}
	return book, int(ran.Load())
}

func readFileT(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// runnable counts the fixture submissions that reach the runner (not missing or invalid).
func runnable(exp map[string]expectation) int {
	n := 0
	for _, e := range exp {
		if e.status == ResultGraded {
			n++
		}
	}
	return n
}

func TestGradeResumesFromResults(t *testing.T) {
	subs := t.TempDir()
	exp := fixtureSubmissions(t, subs)
	out := filepath.Join(t.TempDir(), "out")

	book, ran := gradeInto(t, subs, out, Options{}, ResultsOptions{Settings: "s1"})
	checkExpectations(t, book, exp)
	if ran != runnable(exp) {
		t.Errorf("first run ran %d notebooks, want %d", ran, runnable(exp))
	}
	first := readFileT(t, filepath.Join(out, gradesCSV))

	// A rerun with nothing changed runs nothing and writes the same gradebook.
	book, ran = gradeInto(t, subs, out, Options{}, ResultsOptions{Settings: "s1"})
	if ran != 0 {
		t.Errorf("rerun ran %d notebooks, want 0", ran)
	}
	checkExpectations(t, book, exp)
	for _, r := range book.Results {
		if !r.Reused {
			t.Errorf("%s/%s was not reused", r.Student, r.Notebook)
		}
	}
	if again := readFileT(t, filepath.Join(out, gradesCSV)); !bytes.Equal(first, again) {
		t.Errorf("grades.csv changed on a rerun that graded nothing:\n%s\nwas\n%s", again, first)
	}

	// A changed submission is graded again, and only it.
	nb, err := notebook.Read(filepath.Join(subs, "release", "energy.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	cellByID(t, nb, "energy").Source = cellByID(t, readFixture(t), "energy").Source
	if err := nb.Write(filepath.Join(subs, "release", "energy.ipynb")); err != nil {
		t.Fatal(err)
	}
	book, ran = gradeInto(t, subs, out, Options{}, ResultsOptions{Settings: "s1"})
	if ran != 1 {
		t.Errorf("after one submission changed, %d notebooks ran, want 1", ran)
	}
	for _, r := range book.Results {
		if r.Student == "release" && (r.Reused || r.Points != 2) {
			t.Errorf("the changed submission: reused %v, %v points; want graded again with 2", r.Reused, r.Points)
		}
	}
	if fb := string(readFileT(t, feedbackPath(out, "release", "energy.ipynb"))); !strings.Contains(fb, "**Score: 2 / 3 points**") {
		t.Errorf("feedback of the changed submission not rewritten:\n%s", fb)
	}

	// Other settings, or --regrade, grade everything again.
	if _, ran = gradeInto(t, subs, out, Options{}, ResultsOptions{Settings: "s2"}); ran != runnable(exp) {
		t.Errorf("with other settings %d notebooks ran, want %d", ran, runnable(exp))
	}
	if _, ran = gradeInto(t, subs, out, Options{}, ResultsOptions{Settings: "s2", Regrade: true}); ran != runnable(exp) {
		t.Errorf("with Regrade %d notebooks ran, want %d", ran, runnable(exp))
	}

	// A record whose feedback was lost is graded again.
	os.Remove(feedbackPath(out, "full", "energy.ipynb"))
	if _, ran = gradeInto(t, subs, out, Options{}, ResultsOptions{Settings: "s2"}); ran != 1 {
		t.Errorf("after deleting one feedback file %d notebooks ran, want 1", ran)
	}
}

func TestGradeRegradesWhenTheSourceChanges(t *testing.T) {
	src := t.TempDir()
	b := readFileT(t, filepath.Join(fixtureDir, "energy.ipynb"))
	os.WriteFile(filepath.Join(src, "energy.ipynb"), b, 0o644)
	subs := t.TempDir()
	fixtureSubmissions(t, subs)
	out := t.TempDir()
	grade := func() int {
		res, err := OpenResults(out, ResultsOptions{})
		if err != nil {
			t.Fatal(err)
		}
		var ran atomic.Int32
		if _, err := Grade(context.Background(), src, subs, Options{Run: countingRun(fakeRun(t), &ran), Results: res}); err != nil {
			t.Fatal(err)
		}
		return int(ran.Load())
	}
	all := grade()
	if n := grade(); n != 0 {
		t.Fatalf("unchanged source: %d notebooks ran again", n)
	}
	// An instructor-only cell (a mistake) does not change what is graded.
	nb, _ := notebook.Read(filepath.Join(src, "energy.ipynb"))
	nb.Cells = append(nb.Cells, tagged("markdown", "Common mistakes: none yet.", TagSolutionsOnly))
	nb.Write(filepath.Join(src, "energy.ipynb"))
	if n := grade(); n != 0 {
		t.Errorf("a solutions-only cell added to the source: %d notebooks ran again, want 0", n)
	}
	// A fixed test does.
	cellByID(t, nb, "test_update").Source += "\n// fixed"
	nb.Write(filepath.Join(src, "energy.ipynb"))
	if n := grade(); n != all {
		t.Errorf("a test changed in the source: %d notebooks ran again, want all %d", n, all)
	}
}

// checkConsistent verifies what must hold of a results folder whenever a run stops: every row
// of grades.csv and every student of grades.json has its record, feedback and graded notebook,
// and every record its files.
func checkConsistent(t *testing.T, out string) (rows int) {
	t.Helper()
	recs, err := readRecords(out)
	if err != nil {
		t.Fatal(err)
	}
	for key, rec := range recs {
		if !filesComplete(out, rec) {
			t.Errorf("record %s without its feedback or graded notebook", key)
		}
	}
	b, err := os.ReadFile(filepath.Join(out, gradesCSV))
	if errors.Is(err, fs.ErrNotExist) {
		return 0
	}
	if err != nil {
		t.Fatal(err)
	}
	table, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil || len(table) == 0 {
		t.Fatalf("grades.csv unreadable (%v):\n%s", err, b)
	}
	for _, row := range table[1:] {
		if recs[recordKey(row[0], row[1])] == nil {
			t.Errorf("grades.csv lists %s/%s, which has no record", row[0], row[1])
		}
		rows++
	}
	var js struct {
		Students []struct {
			Student   string    `json:"student"`
			Notebooks []*Result `json:"notebooks"`
		} `json:"students"`
	}
	jb, err := os.ReadFile(filepath.Join(out, gradesJSON))
	if errors.Is(err, fs.ErrNotExist) {
		return rows // stopped between the two files of the first gradebook
	}
	if err := json.Unmarshal(jb, &js); err != nil {
		t.Fatalf("grades.json unreadable: %v", err)
	}
	for _, s := range js.Students {
		for _, r := range s.Notebooks {
			if recs[recordKey(s.Student, r.Notebook)] == nil {
				t.Errorf("grades.json lists %s/%s, which has no record", s.Student, r.Notebook)
			}
		}
	}
	return rows
}

// TestResultsSurviveAStopAtAnyWrite stops a grading run at each of its file writes in turn (as
// if the process were killed there: that write and every later one never happen), checks that
// the folder is consistent, then reruns: the rerun grades only what has no result, and the
// gradebook ends byte for byte as a run that was never stopped.
func TestResultsSurviveAStopAtAnyWrite(t *testing.T) {
	subs := t.TempDir()
	exp := fixtureSubmissions(t, subs)
	ref := t.TempDir()
	gradeInto(t, subs, ref, Options{}, ResultsOptions{})
	want := readFileT(t, filepath.Join(ref, gradesCSV))

	// Count the writes of an uninterrupted run.
	var writes atomic.Int32
	res, err := OpenResults(t.TempDir(), ResultsOptions{})
	if err != nil {
		t.Fatal(err)
	}
	res.write = func(path string, b []byte) error { writes.Add(1); return quickWrite(path, b) }
	if _, err := Grade(context.Background(), fixtureDir, subs, Options{Run: fakeRun(t), Workers: 2, Results: res}); err != nil {
		t.Fatal(err)
	}
	total := int(writes.Load())
	if total < 3*len(exp) {
		t.Fatalf("only %d writes for %d submissions", total, len(exp))
	}
	stopped := errors.New("killed")
	for k := range total {
		t.Run(fmt.Sprintf("write %d of %d", k+1, total), func(t *testing.T) {
			t.Parallel()
			out := t.TempDir()
			res, err := OpenResults(out, ResultsOptions{})
			if err != nil {
				t.Fatal(err)
			}
			var n atomic.Int32
			res.write = func(path string, b []byte) error {
				if int(n.Add(1)) > k {
					return stopped
				}
				return quickWrite(path, b)
			}
			_, err = Grade(context.Background(), fixtureDir, subs, Options{Run: fakeRun(t), Workers: 2, Results: res})
			if !errors.Is(err, stopped) {
				t.Fatalf("Grade returned %v, want the stop", err)
			}
			checkConsistent(t, out)
			recs, _ := readRecords(out)
			graded := 0
			for _, rec := range recs {
				if rec.Result.Status == ResultGraded {
					graded++
				}
			}
			_, ran := gradeInto(t, subs, out, Options{}, ResultsOptions{})
			if ran != runnable(exp)-graded {
				t.Errorf("the rerun ran %d notebooks, want %d (%d already recorded)", ran, runnable(exp)-graded, graded)
			}
			if got := readFileT(t, filepath.Join(out, gradesCSV)); !bytes.Equal(got, want) {
				t.Errorf("grades.csv after the rerun differs from an uninterrupted run:\n%s", got)
			}
			if checkConsistent(t, out) != 3*len(exp) {
				t.Errorf("the rerun's grades.csv lacks rows")
			}
		})
	}
}

func TestOpenResultsRemovesTemporaries(t *testing.T) {
	out := t.TempDir()
	stale := filepath.Join(out, "feedback", "alice", ".energy.md"+tmpMarker+"abc123")
	os.MkdirAll(filepath.Dir(stale), 0o755)
	os.WriteFile(stale, []byte("half a file"), 0o644)
	if _, err := OpenResults(out, ResultsOptions{}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("the temporary file of an interrupted write is still there: %v", err)
	}
}

// TestOpenResultsRefusesUnwritableFolder checks the error a grader gets, before any grading, for
// an output folder it cannot write: a folder owned by root (as Docker creates a missing mount)
// and the grader another user. As root, the check runs in a child process as user nobody.
func TestOpenResultsRefusesUnwritableFolder(t *testing.T) {
	base, err := os.MkdirTemp("", "hopfield-writable-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(base)
	os.Chmod(base, 0o755)
	locked := filepath.Join(base, "out")
	os.Mkdir(locked, 0o755)
	ok := filepath.Join(base, "ok")
	os.MkdirAll(filepath.Join(ok, "feedback", "alice"), 0o777)
	os.Chmod(ok, 0o777)
	os.Chmod(filepath.Join(ok, "feedback"), 0o777)
	os.Chmod(filepath.Join(ok, "feedback", "alice"), 0o755) // an earlier run's folder, not writable by others
	cases := []struct {
		dir, want string
	}{
		{locked, "cannot write the output folder " + locked + ": permission denied"},
		{filepath.Join(locked, "new", "deeper"), "(at " + locked + "): permission denied"},
		{ok, "(at " + filepath.Join(ok, "feedback", "alice") + ")"},
	}
	check := func(dir, want, msg string) {
		t.Helper()
		for _, w := range []string{want, "Nothing was graded", "belongs to", "mode d", "the grader runs as", "mkdir -p"} {
			if !strings.Contains(msg, w) {
				t.Errorf("OpenResults(%s): message lacks %q:\n%s", dir, w, msg)
			}
		}
	}
	if os.Geteuid() != 0 {
		os.Chmod(locked, 0o555)
		os.Chmod(filepath.Join(ok, "feedback", "alice"), 0o555)
		for _, tc := range cases {
			_, err := OpenResults(tc.dir, ResultsOptions{})
			if !errors.Is(err, ErrNotWritable) {
				t.Fatalf("OpenResults(%s) = %v, want ErrNotWritable", tc.dir, err)
			}
			check(tc.dir, tc.want, err.Error())
		}
		return
	}
	// As root: copy this test binary where user nobody can run it, and ask it.
	exe := filepath.Join(base, "grading.test")
	b, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, b, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range cases {
		cmd := exec.Command(exe)
		cmd.Env = append(os.Environ(), openResultsEnv+"="+tc.dir)
		cmd.Dir = base
		cmd.SysProcAttr = asNobody()
		outb, err := cmd.CombinedOutput()
		if err == nil || !strings.Contains(string(outb), ErrNotWritable.Error()) {
			t.Fatalf("OpenResults(%s) as nobody: %v\n%s", tc.dir, err, outb)
		}
		check(tc.dir, tc.want, string(outb))
		if strings.Contains(string(outb), "nobody") == false {
			t.Errorf("the message does not name the grading user (nobody):\n%s", outb)
		}
	}
}

// openResultsEnv makes the test binary open a results folder and print the error (see TestMain).
const openResultsEnv = "HOPFIELD_TEST_OPEN_RESULTS"

func openResultsChild() int {
	if _, err := OpenResults(os.Getenv(openResultsEnv), ResultsOptions{}); err != nil {
		fmt.Println(err)
		return 1
	}
	return 0
}

// seconds matches the per-result timing in grades.json and records, which differs between runs.
var seconds = regexp.MustCompile(`"seconds": [0-9.e+-]+`)

// TestShardsMergeToOneRun grades the fixture class whole and in N shards for N = 1 … 5, merges
// the shards, and checks that the merged folder is the whole run's: grades.csv byte for byte,
// the feedback and graded notebooks file for file, grades.json but for the timings.
func TestShardsMergeToOneRun(t *testing.T) {
	subs := t.TempDir()
	exp := fixtureSubmissions(t, subs)
	whole := t.TempDir()
	gradeInto(t, subs, whole, Options{}, ResultsOptions{Settings: "same"})
	for n := 1; n <= 5; n++ {
		t.Run(fmt.Sprintf("N=%d", n), func(t *testing.T) {
			parts := t.TempDir()
			var dirs []string
			seen := map[string]int{}
			for i := range n {
				d := filepath.Join(parts, fmt.Sprintf("shard-%d", i))
				book, _ := gradeInto(t, subs, d, Options{Shard: Shard{Index: i, Count: n}}, ResultsOptions{Settings: "same"})
				for _, s := range book.Students {
					seen[s]++
				}
				if lo, hi := len(exp)/n, (len(exp)+n-1)/n; len(book.Students) < lo || len(book.Students) > hi {
					t.Errorf("shard %d/%d has %d students, want %d to %d", i, n, len(book.Students), lo, hi)
				}
				dirs = append(dirs, d)
			}
			if len(seen) != len(exp) {
				t.Errorf("the shards hold %d students, want %d", len(seen), len(exp))
			}
			for s, k := range seen {
				if k != 1 {
					t.Errorf("student %s is in %d shards", s, k)
				}
			}
			merged := filepath.Join(t.TempDir(), "class")
			// The shards in any order.
			sort.Sort(sort.Reverse(sort.StringSlice(dirs)))
			book, err := MergeResults(merged, dirs)
			if err != nil {
				t.Fatal(err)
			}
			if len(book.Results) != len(exp) {
				t.Errorf("merged gradebook has %d results, want %d", len(book.Results), len(exp))
			}
			if a, b := readFileT(t, filepath.Join(whole, gradesCSV)), readFileT(t, filepath.Join(merged, gradesCSV)); !bytes.Equal(a, b) {
				t.Errorf("merged grades.csv differs from the whole run's:\n%s\nwant\n%s", b, a)
			}
			a := seconds.ReplaceAll(readFileT(t, filepath.Join(whole, gradesJSON)), nil)
			b := seconds.ReplaceAll(readFileT(t, filepath.Join(merged, gradesJSON)), nil)
			if !bytes.Equal(a, b) {
				t.Errorf("merged grades.json differs from the whole run's (timings aside)")
			}
			compareTrees(t, filepath.Join(whole, feedbackDir), filepath.Join(merged, feedbackDir))
			compareTrees(t, filepath.Join(whole, gradedDir), filepath.Join(merged, gradedDir))
			// The merged folder is a whole-class folder: a rerun into it grades nothing.
			if _, ran := gradeInto(t, subs, merged, Options{}, ResultsOptions{Settings: "same"}); ran != 0 {
				t.Errorf("an unsharded rerun into the merged folder ran %d notebooks, want 0", ran)
			}
		})
	}
}

// compareTrees checks that two folders hold the same files with the same bytes.
func compareTrees(t *testing.T, a, b string) {
	t.Helper()
	files := func(root string) map[string][]byte {
		out := map[string][]byte{}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, p)
				out[rel], _ = os.ReadFile(p)
			}
			return nil
		})
		return out
	}
	fa, fb := files(a), files(b)
	if len(fa) == 0 {
		t.Errorf("%s is empty", a)
	}
	for name, ba := range fa {
		if bb, ok := fb[name]; !ok {
			t.Errorf("%s is missing from %s", name, b)
		} else if !bytes.Equal(ba, bb) {
			t.Errorf("%s differs between %s and %s", name, a, b)
		}
	}
	for name := range fb {
		if _, ok := fa[name]; !ok {
			t.Errorf("%s has %s, %s does not", b, name, a)
		}
	}
}

func TestMergeRefusesIncompleteOrMixedShards(t *testing.T) {
	subs := t.TempDir()
	fixtureSubmissions(t, subs)
	parts := t.TempDir()
	shard := func(name string, i, n int, settings string) string {
		d := filepath.Join(parts, name)
		gradeInto(t, subs, d, Options{Shard: Shard{Index: i, Count: n}}, ResultsOptions{Settings: settings})
		return d
	}
	a, b, c := shard("a", 0, 3, "s"), shard("b", 1, 3, "s"), shard("c", 2, 3, "s")
	other := shard("other", 1, 2, "s")
	slow := shard("slow", 2, 3, "other settings")
	broken := shard("broken", 2, 3, "s")
	recs, _ := readRecords(broken)
	for _, rec := range recs {
		os.Remove(recordPath(broken, rec.Result.Student, rec.Result.Notebook))
		break
	}
	for _, tc := range []struct {
		name string
		dirs []string
		want string
	}{
		{"a shard missing", []string{a, b}, "shard(s) 2/3 of 3 are missing"},
		{"a shard twice", []string{a, b, b}, "both hold shard 1/3"},
		{"two splits", []string{a, other}, "merge the shards of one split"},
		{"an incomplete shard", []string{a, b, broken}, "is not complete: no result for"},
		{"other settings", []string{a, b, slow}, "other settings"},
		{"not a results folder", []string{a, b, subs}, "is not the output folder of hopfield grade"},
		{"into a shard", []string{a, b, c}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "merged")
			if tc.want == "" {
				out = filepath.Join(a, "merged")
				tc.want = "must not be a shard folder or inside one"
			}
			_, err := MergeResults(out, tc.dirs)
			if !errors.Is(err, ErrResults) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("MergeResults = %v, want ErrResults saying %q", err, tc.want)
			}
		})
	}
	// A results folder holds one shard: grading another shard into it is refused.
	res, err := OpenResults(a, ResultsOptions{Settings: "s"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Grade(context.Background(), fixtureDir, subs, Options{Run: fakeRun(t), Results: res, Shard: Shard{Index: 1, Count: 3}})
	if !errors.Is(err, ErrResults) || !strings.Contains(err.Error(), "holds the results of shard 0/3") {
		t.Errorf("grading shard 1/3 into shard 0/3's folder: %v", err)
	}
}

func TestParseShard(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Shard
		ok   bool
	}{
		{"0/4", Shard{0, 4}, true}, {"3/4", Shard{3, 4}, true}, {" 0 / 1 ", Shard{0, 1}, true},
		{"4/4", Shard{}, false}, {"-1/4", Shard{}, false}, {"1/0", Shard{}, false}, {"1", Shard{}, false}, {"a/b", Shard{}, false}, {"", Shard{}, false},
	} {
		got, err := ParseShard(tc.in)
		if tc.ok && (err != nil || got != tc.want) {
			t.Errorf("ParseShard(%q) = %v, %v; want %v", tc.in, got, err, tc.want)
		}
		if !tc.ok && !errors.Is(err, ErrShard) {
			t.Errorf("ParseShard(%q) = %v, %v; want ErrShard", tc.in, got, err)
		}
	}
	students := []string{"a", "b", "c", "d", "e"}
	if got := (Shard{1, 2}).pick(students); strings.Join(got, "") != "bd" {
		t.Errorf("shard 1/2 of a…e = %v, want [b d]", got)
	}
}
