package grading

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

var (
	funcName   = regexp.MustCompile(`func (\w+)\(`)
	calls      = regexp.MustCompile(`\b(Energy|Update)\(`)
	sentinelRe = regexp.MustCompile(`os\.Stdout\.WriteString\("(.*)\\n"\)`)
)

// fakeRun imitates the GoNB kernel on the fixture notebook closely enough to grade it: a
// solution cell defines its function as correct (it contains the source's body), a stub,
// broken (by the way it is broken) or wrong; a test cell calling a function passes only if the
// function is correct, and prints the sentinel only when it reaches its end. Other cells run
// quietly.
func fakeRun(t *testing.T) Runner {
	src := readFixture(t)
	reference := map[string]string{}
	for _, c := range src.Cells {
		if m, _ := c.NBGrader(); m != nil && m.Solution && c.Type == "code" {
			reference[funcName.FindStringSubmatch(c.Source)[1]] = c.Source
		}
	}
	return func(ctx context.Context, nb *notebook.Notebook, dir string) (*notebook.Notebook, error) {
		if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
			t.Errorf("runner got no working folder: %v", err)
		}
		out, _ := cloneNotebook(nb)
		state := map[string]string{}
		count := 0
		for i, c := range out.Cells {
			if c.Type != "code" {
				continue
			}
			count++
			n := count
			c.ExecutionCount = &n
			stderr := func(s string) {
				c.Outputs = append(c.Outputs, &notebook.Output{Type: "stream", Name: "stderr", Text: s},
					&notebook.Output{Type: "error", EName: "ERROR", EValue: "exit status 2"})
			}
			if m, _ := c.NBGrader(); m != nil && m.Solution {
				name := funcName.FindStringSubmatch(c.Source)
				if name == nil {
					continue
				}
				switch s := c.Source; {
				case strings.Contains(s, "notDeclared"):
					c.Outputs = append(c.Outputs, &notebook.Output{Type: "error", EName: "ERROR", EValue: "failed to compile", Traceback: []string{"\x1b[31mundefined: notDeclared\x1b[0m"}})
					continue // GoNB keeps no declaration from a cell that does not compile
				case strings.Contains(s, "not implemented"):
					state[name[1]] = "stub"
				case strings.Contains(s, "os.Exit(0)"):
					state[name[1]] = "exit"
				case strings.Contains(s, "1 << 36"):
					state[name[1]] = "memory"
				case strings.Contains(s, "64<<20"):
					state[name[1]] = "creep"
				case strings.Contains(s, "for {"):
					state[name[1]] = "loop"
				case strings.Contains(s, "panic("):
					state[name[1]] = "panic"
				case s == reference[name[1]]:
					state[name[1]] = "ok"
				default:
					state[name[1]] = "wrong"
				}
				continue
			}
			called := calls.FindStringSubmatch(c.Source)
			if called == nil {
				if strings.Contains(c.Source, "os.Exit(3)") {
					stderr("exit status 3")
				}
				continue
			}
			switch state[called[1]] {
			case "":
				c.Outputs = append(c.Outputs, &notebook.Output{Type: "error", EName: "ERROR", EValue: "undefined: " + called[1]})
			case "stub":
				stderr("panic: not implemented\n\ngoroutine 1 [running]:\nmain." + called[1] + "(...)\n")
			case "panic":
				stderr("panic: boom\n")
			case "memory":
				stderr("fatal error: runtime: out of memory\n")
			case "wrong":
				stderr("✗ " + called[1] + " is wrong\n")
			case "exit":
				// The program ends quietly: no error, no stderr, no sentinel.
			case "loop":
				return out, &TimeoutError{Cell: i, Limit: time.Second}
			case "creep":
				c.Outputs = append(c.Outputs, &notebook.Output{Type: "error", EName: "MemoryLimitError", EValue: "the kernel's processes used 2100 MiB, over the limit of 2048 MiB"})
				return out, &StopError{Cell: i, Memory: true, Detail: "the kernel's processes used 2100 MiB, over the limit of 2048 MiB"}
			case "ok":
				text := "✓ " + called[1] + "\n"
				if m := sentinelRe.FindStringSubmatch(c.Source); m != nil {
					text += m[1] + "\n"
				}
				c.Outputs = append(c.Outputs, &notebook.Output{Type: "stream", Name: "stdout", Text: text})
			}
		}
		return out, nil
	}
}

func TestGradeHostileSubmissionsWithFakeKernel(t *testing.T) {
	subs := t.TempDir()
	exp := fixtureSubmissions(t, subs)
	var progress atomic.Int32
	book, err := Grade(context.Background(), fixtureDir, subs, Options{
		Run:      fakeRun(t),
		Workers:  3,
		Progress: func(done, total int, r *Result) { progress.Add(1) },
	})
	if err != nil {
		t.Fatal(err)
	}
	checkExpectations(t, book, exp)
	if int(progress.Load()) != len(exp) {
		t.Errorf("progress called %d times, want %d", progress.Load(), len(exp))
	}

	// The files: CSV rows for every student and grade cell; JSON totals; feedback per student.
	out := t.TempDir()
	if err := book.Write(out); err != nil {
		t.Fatal(err)
	}
	f, _ := os.Open(filepath.Join(out, "grades.csv"))
	rows, err := csv.NewReader(f).ReadAll()
	f.Close()
	if err != nil {
		t.Fatal(err)
	}
	// Header, then 3 grade cells (test_energy, test_update, explain) per student.
	if len(rows) != 1+3*len(exp) || strings.Join(rows[0], ",") != "student,notebook,grade_id,points,max_points,status" {
		t.Errorf("grades.csv has %d rows, header %v", len(rows), rows[0])
	}
	for _, row := range rows[1:] {
		if row[0] == "full" && row[2] == "test_energy" && (row[3] != "2" || row[4] != "2" || row[5] != StatusPassed) {
			t.Errorf("full/test_energy row: %v", row)
		}
	}
	var js struct {
		Students []struct {
			Student   string  `json:"student"`
			Points    float64 `json:"points"`
			MaxPoints float64 `json:"max_points"`
			Manual    float64 `json:"manual_max_points"`
		} `json:"students"`
	}
	b, _ := os.ReadFile(filepath.Join(out, "grades.json"))
	if err := json.Unmarshal(b, &js); err != nil {
		t.Fatal(err)
	}
	for _, s := range js.Students {
		if s.Student == "full" && (s.Points != 3 || s.MaxPoints != 3 || s.Manual != 1) {
			t.Errorf("grades.json full: %+v", s)
		}
	}
	fb, err := os.ReadFile(filepath.Join(out, "feedback", "infinite-loop", "energy.md"))
	if err != nil || !strings.Contains(string(fb), "time limit") || !strings.Contains(string(fb), "✗ not run") {
		t.Errorf("infinite-loop feedback:\n%s", fb)
	}
	fb, _ = os.ReadFile(filepath.Join(out, "feedback", "compile-error", "energy.md"))
	if !strings.Contains(string(fb), "undefined: notDeclared") || strings.Contains(string(fb), "\x1b") {
		t.Errorf("compile-error feedback lacks the compiler's message, or keeps terminal colors:\n%s", fb)
	}
	graded, err := notebook.Read(filepath.Join(out, "graded", "full", "energy.ipynb"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range graded.Cells {
		for _, o := range c.Outputs {
			if strings.Contains(o.Text, "hopfield-grade-reached-end") {
				t.Errorf("graded notebook keeps the sentinel: %q", o.Text)
			}
		}
		if strings.Contains(c.Source, "os.Stdout.WriteString") {
			t.Errorf("graded notebook keeps the sentinel statement: %q", c.Source)
		}
	}
	if _, err := os.Stat(filepath.Join(out, "graded", "missing-notebook")); !os.IsNotExist(err) {
		t.Errorf("a graded notebook was written for a missing submission")
	}
}

func TestGradeFeedbackNamesHiddenTestFailure(t *testing.T) {
	subs := t.TempDir()
	fixtureSubmissions(t, subs)
	book, err := Grade(context.Background(), fixtureDir, subs, Options{Run: fakeRun(t), Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range book.Results {
		if r.Student != "edited-test" {
			continue
		}
		fb := r.Feedback()
		for _, want := range []string{"**Score: 1 / 3 points**", "| `test_energy` | 0 / 2 | ✗ failed |", "Energy is wrong", "You changed the test cell \"test_energy\""} {
			if !strings.Contains(fb, want) {
				t.Errorf("feedback lacks %q:\n%s", want, fb)
			}
		}
	}
}

func TestGradeSurvivesRunnerFailures(t *testing.T) {
	subs := t.TempDir()
	fixtureSubmissions(t, subs)
	for name, run := range map[string]Runner{
		"error": func(ctx context.Context, nb *notebook.Notebook, dir string) (*notebook.Notebook, error) {
			return nil, errors.New("kernel died")
		},
		"panic": func(ctx context.Context, nb *notebook.Notebook, dir string) (*notebook.Notebook, error) {
			panic("runner bug")
		},
		"wrong cell count": func(ctx context.Context, nb *notebook.Notebook, dir string) (*notebook.Notebook, error) {
			return &notebook.Notebook{NBFormat: 4}, nil
		},
		"notebook timeout": func(ctx context.Context, nb *notebook.Notebook, dir string) (*notebook.Notebook, error) {
			return nil, &TimeoutError{Cell: -1, Limit: time.Minute}
		},
	} {
		t.Run(name, func(t *testing.T) {
			book, err := Grade(context.Background(), fixtureDir, subs, Options{Run: run, Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range book.Results {
				if r.Points != 0 {
					t.Errorf("%s scored %v with a failing runner", r.Student, r.Points)
				}
				if r.Status == ResultGraded && len(r.Notes) == 0 {
					t.Errorf("%s: no note says why nothing ran", r.Student)
				}
			}
		})
	}
}

func TestGradeRejectsBadFolders(t *testing.T) {
	run := fakeRun(t)
	empty := t.TempDir()
	if _, err := Grade(context.Background(), fixtureDir, empty, Options{Run: run}); err == nil {
		t.Error("no error for a submissions folder without students")
	}
	if _, err := Grade(context.Background(), empty, empty, Options{Run: run}); err == nil {
		t.Error("no error for a source folder without notebooks")
	}
	if _, err := Grade(context.Background(), fixtureDir, filepath.Join(empty, "nope"), Options{Run: run}); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing submissions folder: %v", err)
	}
	if _, err := Grade(context.Background(), fixtureDir, empty, Options{}); err == nil {
		t.Error("no error without a runner")
	}
}

func TestGradeSymlinkIsNotFollowed(t *testing.T) {
	subs := t.TempDir()
	secret := filepath.Join(t.TempDir(), "secret.ipynb")
	os.WriteFile(secret, []byte("{}"), 0o600)
	os.MkdirAll(filepath.Join(subs, "mallory"), 0o755)
	if err := os.Symlink(secret, filepath.Join(subs, "mallory", "energy.ipynb")); err != nil {
		t.Skip("no symbolic links here:", err)
	}
	book, err := Grade(context.Background(), fixtureDir, subs, Options{Run: fakeRun(t)})
	if err != nil {
		t.Fatal(err)
	}
	if r := book.Results[0]; r.Status != ResultInvalid || !strings.Contains(r.Notes[0].Text, "not a regular file") {
		t.Errorf("symlinked submission: %s %v", r.Status, r.Notes)
	}
}

func TestGradeStopsOnCancel(t *testing.T) {
	subs := t.TempDir()
	fixtureSubmissions(t, subs)
	ctx, cancel := context.WithCancel(context.Background())
	run := func(ctx context.Context, nb *notebook.Notebook, dir string) (*notebook.Notebook, error) {
		cancel()
		return nil, ctx.Err()
	}
	if _, err := Grade(ctx, fixtureDir, subs, Options{Run: run, Workers: 1}); !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

func TestAddSentinel(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"main body", "%%\nfmt.Println(1)\n", "%%\nfmt.Println(1)\nos.Stdout.WriteString(\"S\\n\")"},
		{"declarations only", "func TestX() {}", "func TestX() {}\n%%\nos.Stdout.WriteString(\"S\\n\")"},
		{"own main", "func main() {\n}", ""},
		{"test cell", "%test\nfunc TestX(t *testing.T) {}", ""},
	} {
		c := &notebook.Cell{Type: "code", Source: tc.src}
		added := addSentinel(c, "S")
		if tc.want == "" {
			if added || c.Source != tc.src {
				t.Errorf("%s: sentinel added to %q", tc.name, c.Source)
			}
			continue
		}
		if !added || c.Source != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, c.Source, tc.want)
		}
	}
}

func TestGradeStopsWhenNotebooksCannotRun(t *testing.T) {
	subs := t.TempDir()
	fixtureSubmissions(t, subs)
	var calls atomic.Int32
	run := func(ctx context.Context, nb *notebook.Notebook, dir string) (*notebook.Notebook, error) {
		calls.Add(1)
		return nil, fmt.Errorf("%w: no such kernel: gonb", ErrRunner)
	}
	book, err := Grade(context.Background(), fixtureDir, subs, Options{Run: run, Workers: 2})
	if !errors.Is(err, ErrRunner) || book != nil {
		t.Errorf("Grade = %v, %v; want ErrRunner and no gradebook", book, err)
	}
	if n := calls.Load(); n > 3 {
		t.Errorf("the runner was called %d times after it said it cannot run notebooks", n)
	}
}
