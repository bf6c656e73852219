package grading

import (
	"crypto/md5"
	"encoding/hex"
	"math"
	"strconv"
	"strings"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// Checksum is nbgrader's checksum of a cell (nbgrader.utils.compute_checksum, nbgrader ≥ 0.6):
// the MD5 of the cell's source, its type, Python's str() of "is grade", "is solution" and
// "is locked" (True/False), its grade_id and, for grade cells, Python's str(float(points)).
// A cell without nbgrader metadata has no checksum ("").
//
// nbgrader records it on release and compares it when grading: a solution cell whose checksum is
// unchanged was not answered; a locked cell whose checksum changed was edited.
func Checksum(c *notebook.Cell) (string, error) {
	m, err := c.NBGrader()
	if err != nil || m == nil {
		return "", err
	}
	h := md5.New()
	for _, s := range []string{c.Source, c.Type, pyBool(m.Grade), pyBool(m.Solution), pyBool(isLocked(m)), m.GradeID} {
		h.Write([]byte(s))
	}
	if m.Grade {
		h.Write([]byte(pyFloat(m.Points)))
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// isLocked is nbgrader's is_locked: solution cells never are, grade cells always are, other
// cells when marked read-only.
func isLocked(m *notebook.NBGrader) bool {
	switch {
	case m.Solution:
		return false
	case m.Grade:
		return true
	}
	return m.Locked
}

func pyBool(b bool) string {
	if b {
		return "True"
	}
	return "False"
}

// pyFloat formats f as Python's str(float) does: the shortest repr, with ".0" for whole numbers
// and an exponent below 1e-4 or from 1e16 on.
func pyFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	abs := math.Abs(f)
	if abs != 0 && (abs < 1e-4 || abs >= 1e16) {
		s := strconv.FormatFloat(f, 'e', -1, 64) // 1e+16, 1.5e-05: the same as Python
		return s
	}
	s := strconv.FormatFloat(f, 'f', -1, 64)
	if !strings.Contains(s, ".") {
		s += ".0"
	}
	return s
}
