//go:build !goexperiment.simd || !amd64

package engine

// AllFinite reports whether every value of x is finite (no NaN, no ±Inf).
func AllFinite(x []float32) bool { return allFinitePortable(x) }

// absMaxSumSq is absMaxSumSqPortable (this build has no SIMD version).
func absMaxSumSq(x []float32) (uint32, float64) { return absMaxSumSqPortable(x) }
