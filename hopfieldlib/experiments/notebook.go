package experiments

import (
	"fmt"
	"html"
	"io"
	"sync"
	"time"

	"github.com/janpfeifer/gonb/gonbui"
)

// Notebook shows progress as one line in a GoNB notebook cell, updated in place (an HTML
// <progress> bar through gonbui.UpdateHTML with a display id of its own). Outside a notebook it
// does nothing. It never writes to stdout or stderr. A Notebook is safe for concurrent use.
type Notebook struct {
	id string

	mu    sync.Mutex
	task  string
	start time.Time
	drawn time.Time
}

// NewNotebook returns a [Notebook] reporter with a fresh display id.
func NewNotebook() *Notebook {
	return &Notebook{id: "hopfield-progress-" + gonbui.UniqueId()}
}

// Update redraws the line at most every 200 ms, and always at the start and the end of a task.
func (n *Notebook) Update(task string, done, total int) {
	if !gonbui.IsNotebook {
		return
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	now := time.Now()
	if task != n.task || done == 0 {
		n.task, n.start, n.drawn = task, now, time.Time{}
	}
	finished := done >= total
	if !finished && done != 0 && now.Sub(n.drawn) < 200*time.Millisecond {
		return
	}
	n.drawn = now
	gonbui.UpdateHTML(n.id, progressHTML(task, done, total, now.Sub(n.start)))
	if finished {
		gonbui.Sync() // the final line stays even if the cell ends right after the sweep
	}
}

// progressHTML is the line a Notebook shows.
func progressHTML(task string, done, total int, elapsed time.Duration) string {
	return fmt.Sprintf(`<div style="font-family:monospace"><progress value="%d" max="%d" style="width:16em"></progress> %s %d/%d · %.1f s</div>`,
		done, max(total, 1), html.EscapeString(task), done, total, elapsed.Seconds())
}

// Auto picks a reporter for where the program runs: a [Notebook] inside GoNB, a [Terminal] on w
// when w is a terminal, and nil (no progress) otherwise.
func Auto(w io.Writer) Progress {
	switch {
	case gonbui.IsNotebook:
		return NewNotebook()
	case w != nil && isTerminal(w):
		return NewTerminal(w)
	}
	return nil
}

// Display shows the table in a GoNB notebook cell: the title in bold, then the Markdown table.
// Outside a notebook it does nothing (print t.String() instead).
func (t *Table) Display() {
	if !gonbui.IsNotebook {
		return
	}
	md := t.Markdown()
	if t.Title != "" {
		md = "**" + t.Title + "**\n\n" + md
	}
	gonbui.DisplayMarkdown(md)
	gonbui.Sync() // a cell that ends right after Display keeps its table
}
