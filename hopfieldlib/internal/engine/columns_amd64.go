//go:build amd64 && !purego

package engine

// The AVX-512 column passes of columns_amd64.s; see columns for what each computes.

//go:noescape
func colMax512(s *float32, rows, rs uintptr, m *[lanes]float32)

//go:noescape
func colExp512(s *float32, rows, rs uintptr, beta, m, cut *[lanes]float32, sum *[lanes]float64)

//go:noescape
func colCount512(s *float32, rows, rs uintptr, cut *[lanes]float32, cnt *[lanes]int32)

//go:noescape
func colCollect512(s *float32, rows, rs uintptr, cut *[lanes]float32, out *uint64, room uintptr) uintptr

//go:noescape
func dot64x512(a, b *float32, n uintptr) float64

//go:noescape
func axpy64x512(y *float64, w float64, x *float32, n uintptr)

// asmColumns returns the assembly column passes of isa, if there are any.
func asmColumns(isa ISA) (columns, bool) {
	if isa != AVX512 {
		return columns{}, false
	}
	return columns{
		max: func(s []float32, rows, rs int, m *[lanes]float32) {
			_ = s[(rows-1)*rs+lanes-1]
			colMax512(&s[0], uintptr(rows), uintptr(rs)*4, m)
		},
		exp: func(s []float32, rows, rs int, beta, m, cut *[lanes]float32, sum *[lanes]float64) {
			if rows == 0 {
				return
			}
			_ = s[(rows-1)*rs+lanes-1]
			colExp512(&s[0], uintptr(rows), uintptr(rs)*4, beta, m, cut, sum)
		},
		count: func(s []float32, rows, rs int, cut *[lanes]float32, cnt *[lanes]int32) {
			if rows == 0 {
				return
			}
			_ = s[(rows-1)*rs+lanes-1]
			colCount512(&s[0], uintptr(rows), uintptr(rs)*4, cut, cnt)
		},
		collect: func(s []float32, rows, rs int, cut *[lanes]float32, out []uint64) int {
			if rows == 0 || len(out) == 0 {
				return 0
			}
			_ = s[(rows-1)*rs+lanes-1]
			return int(colCollect512(&s[0], uintptr(rows), uintptr(rs)*4, cut, &out[0], uintptr(len(out))))
		},
		dot64: func(a, b []float32) float64 {
			n := len(a) &^ 7
			var s float64
			if n > 0 {
				_ = b[n-1]
				s = dot64x512(&a[0], &b[0], uintptr(n))
			}
			return s + dot64Portable(a[n:], b[n:len(a)])
		},
		axpy64: func(y []float64, w float64, x []float32) {
			n := len(y) &^ 7
			if n > 0 {
				_ = x[n-1]
				axpy64x512(&y[0], w, &x[0], uintptr(n))
			}
			axpy64Portable(y[n:], w, x[n:len(y)])
		},
	}, true
}
