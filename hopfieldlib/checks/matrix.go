package checks

import "fmt"

// CloseMatrix checks that got and want have the same shape and agree within tol entry by entry,
// naming the first entry [i][j] that does not and how many do not: the check of an exercise that
// returns a matrix, such as the Hebbian weights W of the classical network (want from the
// library's Weights). A ragged got (rows of different lengths) fails with the first row of the
// wrong length.
func CloseMatrix[F float32 | float64](e *Exercise, what string, got, want [][]F, tol float64) bool {
	e.checks++
	if len(got) != len(want) {
		e.fail(fmt.Sprintf("%s has %d rows, expected %d", what, len(got), len(want)))
		return false
	}
	fi, fj, n, total := -1, -1, 0, 0
	for i := range got {
		if len(got[i]) != len(want[i]) {
			e.fail(fmt.Sprintf("%s: row %d has %d entries, expected %d", what, i, len(got[i]), len(want[i])))
			return false
		}
		j, k := mismatches(got[i], want[i], tol)
		if k > 0 && fi < 0 {
			fi, fj = i, j
		}
		n += k
		total += len(got[i])
	}
	if n > 0 {
		e.fail(fmt.Sprintf("%s: %s; the first is [%d][%d], which %s", what, countOf(n, total, "entry", "entries"), fi, fj,
			differs(float64(got[fi][fj]), float64(want[fi][fj]), tol)))
		return false
	}
	return true
}
