package notebook

import "fmt"

// Problem is an output that counts as a failure when a notebook runs headless: an error, or
// anything written to stderr (GoNB shows panics and failed checks only as stderr text).
type Problem struct {
	Cell   int    // index of the cell in the notebook
	Output int    // index of the output in the cell
	Kind   string // "error" or "stderr"
	Text   string // the error name and value, or the stderr text
}

func (p Problem) String() string {
	return fmt.Sprintf("cell %d: %s: %s", p.Cell, p.Kind, p.Text)
}

// Problems lists every error output and stderr stream of the notebook's code cells, in order.
func (nb *Notebook) Problems() []Problem {
	var out []Problem
	for i, c := range nb.Cells {
		out = append(out, c.Problems(i)...)
	}
	return out
}

// Problems lists the cell's error outputs and stderr streams; index is the cell's position,
// recorded in each Problem.
func (c *Cell) Problems(index int) []Problem {
	var out []Problem
	for j, o := range c.Outputs {
		switch {
		case o.Type == "error":
			out = append(out, Problem{Cell: index, Output: j, Kind: "error", Text: o.EName + ": " + o.EValue})
		case o.Type == "stream" && o.Name == "stderr":
			out = append(out, Problem{Cell: index, Output: j, Kind: "stderr", Text: o.Text})
		}
	}
	return out
}
