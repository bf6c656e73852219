package experiments

import (
	"math"
	"slices"
)

// Summary describes a sample: its size, mean, sample standard deviation, median and range.
type Summary struct {
	N                           int
	Mean, Std, Median, Min, Max float64
}

// Summarize returns the [Summary] of xs. Std is the sample standard deviation
// √(Σ(x − mean)²/(n − 1)), 0 for fewer than two values; the median of an even count is the mean
// of the middle two. An empty sample gives the zero Summary.
func Summarize(xs []float64) Summary {
	n := len(xs)
	if n == 0 {
		return Summary{}
	}
	s := Summary{N: n}
	for _, x := range xs {
		s.Mean += x
	}
	s.Mean /= float64(n)
	if n > 1 {
		var ss float64
		for _, x := range xs {
			ss += (x - s.Mean) * (x - s.Mean)
		}
		s.Std = math.Sqrt(ss / float64(n-1))
	}
	sorted := slices.Sorted(slices.Values(xs))
	s.Min, s.Max = sorted[0], sorted[n-1]
	if n%2 == 1 {
		s.Median = sorted[n/2]
	} else {
		s.Median = (sorted[n/2-1] + sorted[n/2]) / 2
	}
	return s
}

// meanStd is the mean and sample standard deviation of xs.
func meanStd(xs []float64) (float64, float64) {
	s := Summarize(xs)
	return s.Mean, s.Std
}
