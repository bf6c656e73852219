package experiments

import (
	"bytes"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

func TestTerminalOffTerminal(t *testing.T) {
	var buf bytes.Buffer
	term := NewTerminal(&buf)
	for i := range 4 {
		term.Update("capacity", i, 3)
	}
	// Not a terminal: one line when the task is done.
	if ok, _ := regexp.MatchString(`^capacity: 3/3 done in \d+\.\ds\n$`, buf.String()); !ok {
		t.Errorf("output %q", buf.String())
	}
}

func TestTerminalBar(t *testing.T) {
	var buf bytes.Buffer
	term := &Terminal{w: &buf, tty: true}
	term.Update("census", 0, 10)
	term.Update("census", 1, 10) // within 100 ms of the first draw: skipped
	term.drawn = time.Time{}     // as if 100 ms had passed
	term.Update("census", 5, 10)
	term.Update("census", 10, 10) // the end is always drawn
	out := buf.String()
	frames := strings.Split(strings.TrimSuffix(out, "\n"), "\r")[1:]
	if len(frames) != 3 || !strings.HasSuffix(out, "\n") {
		t.Fatalf("frames %q", frames)
	}
	for i, want := range []struct {
		full int
		text string
	}{{0, "0/10"}, {15, "5/10"}, {30, "10/10"}} {
		f := frames[i]
		if !strings.HasPrefix(f, "census ") || strings.Count(f, "█") != want.full || strings.Count(f, "░") != 30-want.full || !strings.Contains(f, want.text) {
			t.Errorf("frame %d = %q, want %d full cells and %s", i, f, want.full, want.text)
		}
	}
}

func TestNotebookOutsideNotebook(t *testing.T) {
	if gonbui.IsNotebook {
		t.Skip("running inside GoNB")
	}
	n := NewNotebook()
	n.Update("β sweep", 0, 2) // must not write anything (nothing to capture: it must not panic)
	n.Update("β sweep", 2, 2)
	if !strings.HasPrefix(n.id, "hopfield-progress-") {
		t.Errorf("id %q", n.id)
	}
	if Auto(&bytes.Buffer{}) != nil {
		t.Error("Auto on a buffer outside a notebook should report nothing")
	}
	if _, ok := Auto(nil).(*Notebook); ok {
		t.Error("Auto(nil) outside a notebook returned a Notebook")
	}
}

func TestProgressHTML(t *testing.T) {
	got := progressHTML("a<b", 3, 4, 1500*time.Millisecond)
	for _, want := range []string{`value="3"`, `max="4"`, "a&lt;b 3/4", "1.5 s"} {
		if !strings.Contains(got, want) {
			t.Errorf("progressHTML = %q, missing %q", got, want)
		}
	}
	if got := progressHTML("x", 0, 0, 0); !strings.Contains(got, `max="1"`) {
		t.Errorf("total 0 gives %q, want max=1", got)
	}
}

func TestProgressFunc(t *testing.T) {
	var got []int
	var p Progress = ProgressFunc(func(_ string, done, _ int) { got = append(got, done) })
	report(p, "x", 1, 2)
	report(nil, "x", 2, 2) // nil reports nothing
	if len(got) != 1 || got[0] != 1 {
		t.Errorf("got %v", got)
	}
}
