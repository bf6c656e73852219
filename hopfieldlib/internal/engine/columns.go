package engine

import "math"

// Column passes of the continuous step. The scores of a block of queries are kept as St, one row
// per stored pattern and one column per query (see scoreProduct), so the softmax of a query runs
// down a column, and 16 queries at a time run down a strip of 16 columns, one per vector lane:
// no horizontal reductions, one pass over the scores per step of the softmax. Each pass exists
// in AVX-512 assembly and in portable Go; they agree exactly except colExp, whose exponential is
// within 2 ulp of the float64 one in both (TestColumnsAgree).

// lanes is the width of a strip.
const lanes = 16

// columns is one instruction set's column passes. s starts at the strip's first value; row r of
// the strip is s[r·rs : r·rs+lanes] (rs in floats).
type columns struct {
	// max sets m[l] to the largest value of lane l over rows ≥ 1 rows.
	max func(s []float32, rows, rs int, m *[lanes]float32)
	// exp replaces every value v by e^x, x = β_l(v − m_l) in float32, when x ≥ cut_l, and by 0
	// otherwise, and adds the new values of lane l to sum[l] in float64.
	exp func(s []float32, rows, rs int, beta, m, cut *[lanes]float32, sum *[lanes]float64)
	// count adds to cnt[l] the number of rows whose lane l is ≥ cut[l].
	count func(s []float32, rows, rs int, cut *[lanes]float32, cnt *[lanes]int32)
	// collect writes r<<16 | mask into out for every row r where some lane is ≥ its cut (mask:
	// bit l set for those lanes), up to len(out) entries, and returns the number written
	// (len(out) when it ran out of room).
	collect func(s []float32, rows, rs int, cut *[lanes]float32, out []uint64) int
	// dot64 is Σ a_i·b_i in float64 (every product exact), len(b) ≥ len(a).
	dot64 func(a, b []float32) float64
	// axpy64 sets y_i += w·x_i in float64, len(x) ≥ len(y).
	axpy64 func(y []float64, w float64, x []float32)
}

// columnPasses returns isa's column passes, or the portable ones where there are no others.
func columnPasses(isa ISA) columns {
	if c, ok := asmColumns(isa); ok && Supported(isa) {
		return c
	}
	return portableColumns
}

var portableColumns = columns{
	max:     colMaxPortable,
	exp:     colExpPortable,
	count:   colCountPortable,
	collect: colCollectPortable,
	dot64:   dot64Portable,
	axpy64:  axpy64Portable,
}

func colMaxPortable(s []float32, rows, rs int, m *[lanes]float32) {
	copy(m[:], s[:lanes])
	for r := 1; r < rows; r++ {
		for l, v := range s[r*rs : r*rs+lanes] {
			if v > m[l] {
				m[l] = v
			}
		}
	}
}

func colExpPortable(s []float32, rows, rs int, beta, m, cut *[lanes]float32, sum *[lanes]float64) {
	for r := range rows {
		row := s[r*rs : r*rs+lanes]
		for l, v := range row {
			x := (v - m[l]) * beta[l]
			if x >= cut[l] {
				row[l] = float32(math.Exp(float64(x)))
			} else {
				row[l] = 0
			}
			sum[l] += float64(row[l])
		}
	}
}

func colCountPortable(s []float32, rows, rs int, cut *[lanes]float32, cnt *[lanes]int32) {
	for r := range rows {
		for l, v := range s[r*rs : r*rs+lanes] {
			if v >= cut[l] {
				cnt[l]++
			}
		}
	}
}

func colCollectPortable(s []float32, rows, rs int, cut *[lanes]float32, out []uint64) int {
	n := 0
	for r := range rows {
		var mask uint64
		for l, v := range s[r*rs : r*rs+lanes] {
			if v >= cut[l] {
				mask |= 1 << l
			}
		}
		if mask != 0 {
			if n == len(out) {
				return n
			}
			out[n] = uint64(r)<<16 | mask
			n++
		}
	}
	return n
}

// Dot64 is Σ a_i b_i accumulated in float64 (every product exact), len(b) ≥ len(a): the
// portable dot64 of the column passes, and the library's float64 dot product.
func Dot64(a, b []float32) float64 { return dot64Portable(a, b) }

func dot64Portable(a, b []float32) float64 {
	b = b[:len(a)]
	var s0, s1, s2, s3 float64
	i := 0
	for ; i+4 <= len(a); i += 4 {
		s0 += float64(a[i]) * float64(b[i])
		s1 += float64(a[i+1]) * float64(b[i+1])
		s2 += float64(a[i+2]) * float64(b[i+2])
		s3 += float64(a[i+3]) * float64(b[i+3])
	}
	for ; i < len(a); i++ {
		s0 += float64(a[i]) * float64(b[i])
	}
	return (s0 + s1) + (s2 + s3)
}

func axpy64Portable(y []float64, w float64, x []float32) {
	x = x[:len(y)]
	for i, v := range x {
		y[i] += w * float64(v)
	}
}
