package checks

import "fmt"

// CloseMatrix checks that got and want have the same shape and agree within tol entry by entry,
// naming the first entry [i][j] that does not: the check of an exercise that returns a matrix,
// such as the Hebbian weights W of the classical network (want from the library's Weights).
// A ragged got (rows of different lengths) fails with the first row of the wrong length.
func CloseMatrix[F float32 | float64](e *Exercise, what string, got, want [][]F, tol float64) bool {
	e.checks++
	if len(got) != len(want) {
		e.fail(fmt.Sprintf("%s has %d rows, expected %d", what, len(got), len(want)))
		return false
	}
	for i := range got {
		if len(got[i]) != len(want[i]) {
			e.fail(fmt.Sprintf("%s: row %d has %d entries, expected %d", what, i, len(got[i]), len(want[i])))
			return false
		}
		if j := firstMismatch(got[i], want[i], tol); j >= 0 {
			e.fail(fmt.Sprintf("%s differs at [%d][%d]: %.6g, expected %.6g (within %.2g)",
				what, i, j, float64(got[i][j]), float64(want[i][j]), tol))
			return false
		}
	}
	return true
}
