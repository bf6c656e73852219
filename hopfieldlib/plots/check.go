package plots

import (
	"fmt"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// Range is a closed interval of values, e.g. the grey levels of an image or the colours of a
// heatmap. The zero value means "choose automatically from the data".
type Range struct {
	Min, Max float64
}

// auto reports whether r is the zero value.
func (r Range) auto() bool { return r.Min == 0 && r.Max == 0 }

// check validates an explicit range: finite with Min < Max.
func (r Range) check(what string) error {
	if r.auto() {
		return nil
	}
	if !isFinite(r.Min) || !isFinite(r.Max) {
		return fmt.Errorf("%w: %s must be finite, got [%v, %v]", hopfieldlib.ErrNotFinite, what, r.Min, r.Max)
	}
	if r.Min >= r.Max {
		return fmt.Errorf("%w: %s needs Min < Max, got [%v, %v]", hopfieldlib.ErrParameter, what, r.Min, r.Max)
	}
	return nil
}

// norm maps v into [0, 1] over r, clamping values outside.
func (r Range) norm(v float64) float64 {
	t := (v - r.Min) / (r.Max - r.Min)
	return math.Max(0, math.Min(1, t))
}

func isFinite(v float64) bool { return !math.IsNaN(v) && !math.IsInf(v, 0) }

// checkFinite returns an error wrapping ErrNotFinite naming the first NaN or ±Inf of vs.
func checkFinite(what string, vs []float64) error {
	for i, v := range vs {
		if !isFinite(v) {
			return fmt.Errorf("%w: %s[%d] is %v", hopfieldlib.ErrNotFinite, what, i, v)
		}
	}
	return nil
}

// checkLabels requires a label on every axis: a figure of the course never has an unlabelled axis.
func checkLabels(fn string, names []string, labels ...string) error {
	for i, l := range labels {
		if l == "" {
			return fmt.Errorf("%w: %s: every axis needs a label, %s is empty", hopfieldlib.ErrParameter, fn, names[i])
		}
	}
	return nil
}

// dataRange returns the smallest and largest of vs (which must be non-empty).
func dataRange(vs []float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		lo = math.Min(lo, v)
		hi = math.Max(hi, v)
	}
	return lo, hi
}

// widen turns a degenerate interval into one of non-zero width around it.
func widen(lo, hi float64) Range {
	if lo < hi {
		return Range{lo, hi}
	}
	d := math.Max(0.5, math.Abs(lo)*0.05)
	return Range{lo - d, hi + d}
}
