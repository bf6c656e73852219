package grading

import (
	"context"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// TestCheckMistakesBuildsOneRun checks the notebook the mistakes test runs for the fixture: its
// own cells, then per exercise the hidden tests alone, each mistake with the released check and
// the hidden tests, and the correct solution put back; and that a runner that accepts
// everything makes every mistake a problem.
func TestCheckMistakesBuildsOneRun(t *testing.T) {
	src := readFixture(t)
	rel, _ := ReleaseNotebook("energy.ipynb", src)
	var got *notebook.Notebook
	accept := func(ctx context.Context, nb *notebook.Notebook, dir string) (*notebook.Notebook, error) {
		got, _ = cloneNotebook(nb)
		out, _ := cloneNotebook(nb)
		for i, c := range out.Cells {
			if c.Type == "code" {
				n := i
				c.ExecutionCount = &n
				if m := sentinelRe.FindStringSubmatch(c.Source); m != nil {
					c.Outputs = []*notebook.Output{{Type: "stream", Name: "stdout", Text: m[1] + "\n"}}
				}
			}
		}
		return out, nil
	}
	report, err := CheckMistakes(context.Background(), "energy.ipynb", src, accept)
	if err != nil {
		t.Fatal(err)
	}
	// The notebook's own cells: the source's (solutions, hidden tests) without its
	// instructor-only cells and without the cells GoNB keeps nothing of.
	var ownIDs []string
	for _, c := range rel.Cells {
		if !keepsNothing(c) {
			ownIDs = append(ownIDs, c.ID)
		}
	}
	if strings.Join(ownIDs, " ") != "setup energy test-energy update test-update" {
		t.Errorf("own cells run: %v, want the code cells", ownIDs)
	}
	own := len(ownIDs)
	hiddenEnergy, _, _ := HiddenOnly(cellByID(t, src, "test_energy").Source)
	hiddenUpdate, _, _ := HiddenOnly(cellByID(t, src, "test_update").Source)
	ms, _ := Mistakes("energy.ipynb", src)
	visible := func(id string) string { return cellByID(t, rel, id).Source }
	want := []string{
		hiddenEnergy,
		ms[0].Source, visible("test_energy"), hiddenEnergy,
		ms[1].Source, visible("test_energy"), hiddenEnergy,
		cellByID(t, src, "energy").Source,
		hiddenUpdate,
		ms[2].Source, visible("test_update"), hiddenUpdate,
		ms[3].Source, visible("test_update"), hiddenUpdate,
		cellByID(t, src, "update").Source,
	}
	if len(got.Cells) != own+len(want) {
		t.Fatalf("the run has %d cells, want the notebook's %d and %d more", len(got.Cells), own, len(want))
	}
	for i, w := range want {
		c := got.Cells[own+i]
		if src := sentinelRe.ReplaceAllString(c.Source, ""); !strings.HasPrefix(src, strings.TrimRight(w, "\n")) {
			t.Errorf("appended cell %d:\n%s\nwant\n%s", i, c.Source, w)
		}
	}
	for i, id := range ownIDs {
		if g := got.Cells[i]; g.ID != id || g.Source != cellByIDOrNil(src, id).Source {
			t.Errorf("cell %d is %s, want the source's %s", i, g.ID, id)
		}
	}
	problems := report.Problems(MinMistakes)
	if len(problems) != 4 {
		t.Errorf("with every check accepting, %d problems, want one per mistake:\n%s", len(problems), strings.Join(problems, "\n"))
	}
	for _, p := range problems {
		if !strings.Contains(p, "accepted by the visible check and by the hidden tests") {
			t.Errorf("problem %q", p)
		}
	}
}

func cellByIDOrNil(nb *notebook.Notebook, id string) *notebook.Cell {
	for _, c := range nb.Cells {
		if c.ID == id {
			return c
		}
	}
	return nil
}

func TestReleaseChecksHiddenTestsOfExercisesWithMistakes(t *testing.T) {
	sol := codeCell("func f() int {\n\t// BEGIN SOLUTION\n\treturn 1\n\t// END SOLUTION\n}", &notebook.NBGrader{GradeID: "f", Solution: true})
	nested := codeCell("%%\nif f() == 1 {\n\t// BEGIN HIDDEN TESTS\n\tprintln(\"hidden\")\n\t// END HIDDEN TESTS\n}", &notebook.NBGrader{GradeID: "test_f", Grade: true, Locked: true, Points: 1})
	wrong := tagged("raw", "// MISTAKE: returns 0\nfunc f() int { return 0 }", TagMistake)
	if _, err := ReleaseNotebook("nb.ipynb", nbWith(sol, nested)); err != nil {
		t.Errorf("without mistakes, nested hidden tests are allowed: %v", err)
	}
	_, err := ReleaseNotebook("nb.ipynb", nbWith(sol, nested, wrong))
	if err == nil || !strings.Contains(err.Error(), "nb.ipynb: cell 1 (test_f), line 3") || !strings.Contains(err.Error(), "top level of the main body") {
		t.Errorf("with a mistake listed: %v, want an error naming cell 1, line 3", err)
	}
}

// TestMistakesOfTheFixture runs the fixture's four mistakes in the real kernel: one both checks
// reject, one only the hidden tests reject (the deliberately weak visible check the test must
// report), one both accept, and one that does not compile.
func TestMistakesOfTheFixture(t *testing.T) {
	needKernel(t)
	sb := testSandbox(2 * time.Minute)
	sb.Timeout = 10 * time.Minute
	start := time.Now()
	report, err := CheckMistakes(context.Background(), "energy.ipynb", readFixture(t), sb.Run)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("4 mistakes tested in %v", time.Since(start).Round(time.Second))
	if len(report.SourceProblems) > 0 {
		t.Errorf("the fixture fails with its own solutions: %v", report.SourceProblems)
	}
	type outcome struct{ clean, visible, hidden bool }
	want := map[string]outcome{
		"drops the minus sign":  {true, true, true},
		"returns -1 whatever":   {true, false, true},
		"sends a zero field":    {true, false, false},
		"does not compile (a m": {false, false, false},
	}
	for _, ex := range report.Exercises {
		if ex.Problem != "" {
			t.Errorf("%s: %s", ex.GradeID, ex.Problem)
		}
		for _, m := range ex.Mistakes {
			for prefix, w := range want {
				if !strings.HasPrefix(m.Says, prefix) {
					continue
				}
				delete(want, prefix)
				if got := (outcome{m.Clean, m.VisibleRejected, m.HiddenRejected}); got != w || !m.HasHidden {
					t.Errorf("%s: %q: clean, visible rejected, hidden rejected = %v, want %v (%s; %s)", ex.GradeID, m.Says, got, w, m.Failure, m.Feedback)
				}
				if prefix == "drops the minus sign" && !strings.Contains(m.Feedback, "Energy of two aligned units joined by w=1 is 1, want -1") {
					t.Errorf("the student's feedback for %q: %q", m.Says, m.Feedback)
				}
				if prefix == "returns -1 whatever" && !strings.Contains(m.Feedback, "Energy of two opposed units is -1, want 1") {
					t.Errorf("the hidden tests' feedback for %q: %q", m.Says, m.Feedback)
				}
			}
		}
	}
	if len(want) > 0 {
		t.Errorf("mistakes not reported: %v", want)
	}
	if n := len(report.Problems(MinMistakes)); n != 3 {
		t.Errorf("%d problems, want 3 (the weak visible check, the tie both miss, the mistake that does not compile):\n%s", n, strings.Join(report.Problems(MinMistakes), "\n"))
	}
}

// TestCourseMistakes is the course's mistakes test: every mistake listed in notebooks/source must
// be rejected by its exercise's visible check and by its hidden tests, and every code exercise
// must list at least MinMistakes.
func TestCourseMistakes(t *testing.T) {
	needKernel(t)
	names, err := Notebooks(courseSource)
	if err != nil || len(names) == 0 {
		t.Fatalf("no course notebooks in %s: %v", courseSource, err)
	}
	sb := testSandbox(2 * time.Minute)
	sb.Timeout = 30 * time.Minute
	start := time.Now()
	reports := make([]*MistakeReport, len(names))
	errs := make([]error, len(names))
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.NumCPU())
	for i, name := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			sem <- struct{}{}
			defer func() { <-sem }()
			nb, err := notebook.Read(filepath.Join(courseSource, name))
			if err == nil {
				reports[i], err = CheckMistakes(context.Background(), name, nb, sb.Run)
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	mistakes := 0
	for i, r := range reports {
		if errs[i] != nil {
			t.Errorf("%s: %v", names[i], errs[i])
			continue
		}
		for _, ex := range r.Exercises {
			for _, m := range ex.Mistakes {
				mistakes++
				t.Logf("%s %s %q: clean %v, visible rejected %v, hidden rejected %v: %s", r.Notebook, ex.GradeID, m.Says, m.Clean, m.VisibleRejected, m.HiddenRejected, m.Feedback)
			}
		}
		for _, p := range r.Problems(MinMistakes) {
			t.Error(p)
		}
	}
	t.Logf("%d mistakes in %d notebooks tested in %v", mistakes, len(names), time.Since(start).Round(time.Second))
}

func TestKeepsNothing(t *testing.T) {
	graded := codeCell("%%\nfmt.Println(1)", &notebook.NBGrader{GradeID: "t", Grade: true, Points: 1})
	for _, tc := range []struct {
		cell *notebook.Cell
		want bool
	}{
		{&notebook.Cell{Type: "code", Source: "%%\nfig := plot()\nfig.Show()"}, true},
		{&notebook.Cell{Type: "code", Source: "\n%%\nfmt.Println(1)"}, true},
		{&notebook.Cell{Type: "markdown", Source: "text"}, true},
		{&notebook.Cell{Type: "code", Source: "func helper() int { return 1 }"}, false},
		{&notebook.Cell{Type: "code", Source: "import \"fmt\"\n%%\nfmt.Println(1)"}, false},
		{&notebook.Cell{Type: "code", Source: "%%\n%env X=1\nfmt.Println(1)"}, false},
		{&notebook.Cell{Type: "code", Source: "%noautoget\n%%\nfmt.Println(1)"}, false},
		{graded, false},
	} {
		if got := keepsNothing(tc.cell); got != tc.want {
			t.Errorf("keepsNothing(%q) = %v, want %v", tc.cell.Source, got, tc.want)
		}
	}
}
