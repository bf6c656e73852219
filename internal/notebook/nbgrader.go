package notebook

import (
	"encoding/json"
	"fmt"
)

// NBGrader is nbgrader's cell metadata, schema version 3 (cell.metadata.nbgrader).
//
//   - Solution: the student writes in this cell (code between "// BEGIN SOLUTION" and
//     "// END SOLUTION" is replaced on release).
//   - Grade: the cell is graded; Points is its worth. A code grade cell is a test cell.
//   - Locked: the student may not change the cell; graders restore it from the source.
type NBGrader struct {
	SchemaVersion int     `json:"schema_version"`
	GradeID       string  `json:"grade_id"`
	Solution      bool    `json:"solution"`
	Grade         bool    `json:"grade"`
	Locked        bool    `json:"locked"`
	Task          bool    `json:"task"`
	Points        float64 `json:"points,omitempty"`
	Checksum      string  `json:"checksum,omitempty"`
}

// NBGrader returns the cell's nbgrader metadata, or nil if it has none.
func (c *Cell) NBGrader() (*NBGrader, error) {
	raw, ok := c.Metadata["nbgrader"]
	if !ok {
		return nil, nil
	}
	var m NBGrader
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("%w: nbgrader metadata: %v", ErrFormat, err)
	}
	return &m, nil
}

// SetNBGrader replaces the cell's nbgrader metadata; nil removes it.
func (c *Cell) SetNBGrader(m *NBGrader) {
	if m == nil {
		delete(c.Metadata, "nbgrader")
		return
	}
	if c.Metadata == nil {
		c.Metadata = map[string]json.RawMessage{}
	}
	c.Metadata["nbgrader"] = mustRaw(m)
}
