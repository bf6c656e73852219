package engine

import "math"

// Single passes over a vector of float32: whether every value is finite, and the largest magnitude
// with the sum of squares (a query's scale and norm in the continuous step).

// A float32 is NaN or ±Inf iff its exponent bits are all ones; adding one to the exponent field
// then carries into the sign bit. So x is finite iff (bits(x) & 0x7f800000) + 0x00800000 has the
// sign bit clear, a test without branches that ORs over a whole slice.
const (
	expMask = 0x7f800000
	expOne  = 0x00800000
)

// allFinitePortable reports whether every value of x is finite: eight values per step into four
// accumulators, so that the ORs do not wait on each other.
func allFinitePortable(x []float32) bool {
	var a0, a1, a2, a3 uint32
	i := 0
	for ; i+8 <= len(x); i += 8 {
		d := x[i : i+8 : i+8]
		a0 |= (math.Float32bits(d[0])&expMask + expOne) | (math.Float32bits(d[4])&expMask + expOne)
		a1 |= (math.Float32bits(d[1])&expMask + expOne) | (math.Float32bits(d[5])&expMask + expOne)
		a2 |= (math.Float32bits(d[2])&expMask + expOne) | (math.Float32bits(d[6])&expMask + expOne)
		a3 |= (math.Float32bits(d[3])&expMask + expOne) | (math.Float32bits(d[7])&expMask + expOne)
	}
	for ; i < len(x); i++ {
		a0 |= math.Float32bits(x[i])&expMask + expOne
	}
	return (a0|a1|a2|a3)&(1<<31) == 0
}

// absMaxSumSqPortable returns the bits of the largest |x_j| (for finite floats the order of the
// bits without the sign is the order of the magnitudes) and Σ x_j² in float64 (exact products),
// in eight partial sums over j mod 8 added pairwise: the rounding of every version of it.
func absMaxSumSqPortable(x []float32) (uint32, float64) {
	var mb uint32
	var s [8]float64
	n := len(x) / 8 * 8
	for j := 0; j < n; j += 8 {
		d := x[j : j+8 : j+8]
		for k, v := range d {
			mb = max(mb, math.Float32bits(v)&^(1<<31))
			s[k] += float64(v) * float64(v)
		}
	}
	return absMaxSumSqTail(x[n:], mb, &s)
}

// absMaxSumSqTail adds the last len(x) < 8 values to the partial sums s and the maximum mb, and
// returns the maximum and the total.
func absMaxSumSqTail(x []float32, mb uint32, s *[8]float64) (uint32, float64) {
	for k, v := range x {
		mb = max(mb, math.Float32bits(v)&^(1<<31))
		s[k] += float64(v) * float64(v)
	}
	return mb, ((s[0] + s[4]) + (s[1] + s[5])) + ((s[2] + s[6]) + (s[3] + s[7]))
}
