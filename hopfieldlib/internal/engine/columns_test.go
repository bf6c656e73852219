package engine

import (
	"fmt"
	"math"
	"slices"
	"testing"
)

// TestColumnsAgree: every instruction set's column passes against the portable ones (exactly,
// except the exponential: within 2 ulp of float64's) on strips with a row stride, including
// ties with the cut, values far below it and rows of a single lane hit.
func TestColumnsAgree(t *testing.T) {
	ref := portableColumns
	for _, isa := range Available() {
		c := columnPasses(isa)
		for _, rows := range []int{1, 2, 3, 7, 100, 1001} {
			t.Run(fmt.Sprintf("%s/rows=%d", isa, rows), func(t *testing.T) {
				const rs = 40
				s := randomSlice((rows-1)*rs+lanes, -50, 10, uint64(rows))
				s[0] = 10 // a tie with the cut below
				var cut, beta, m [lanes]float32
				for l := range lanes {
					cut[l] = float32(l - 8)
					beta[l] = float32(l+1) * 0.37
				}
				cut[0] = 10
				var m1, m2 [lanes]float32
				c.max(s, rows, rs, &m1)
				ref.max(s, rows, rs, &m2)
				if m1 != m2 {
					t.Fatalf("max %v, portable %v", m1, m2)
				}
				var n1, n2 [lanes]int32
				c.count(s, rows, rs, &cut, &n1)
				ref.count(s, rows, rs, &cut, &n2)
				if n1 != n2 {
					t.Fatalf("count %v, portable %v", n1, n2)
				}
				o1, o2 := make([]uint64, rows), make([]uint64, rows)
				k1, k2 := c.collect(s, rows, rs, &cut, o1), ref.collect(s, rows, rs, &cut, o2)
				if !slices.Equal(o1[:k1], o2[:k2]) {
					t.Fatalf("collect %v, portable %v", o1[:k1], o2[:k2])
				}
				if k1 > 1 { // out of room: stops at len(out)
					short := make([]uint64, k1-1)
					if n := c.collect(s, rows, rs, &cut, short); n != k1-1 || !slices.Equal(short, o1[:k1-1]) {
						t.Fatalf("collect with room %d: %d entries %v", k1-1, n, short)
					}
				}
				m = m1
				for l := range lanes {
					cut[l] = -float32(5 * l)
				}
				e1, e2 := slices.Clone(s), slices.Clone(s)
				var z1, z2 [lanes]float64
				c.exp(e1, rows, rs, &beta, &m, &cut, &z1)
				ref.exp(e2, rows, rs, &beta, &m, &cut, &z2)
				for r := range rows {
					for l := range lanes {
						a, b := e1[r*rs+l], e2[r*rs+l]
						if math.Abs(float64(a)-float64(b)) > 2*ulp32(b) {
							t.Fatalf("exp row %d lane %d: %v, portable %v", r, l, a, b)
						}
					}
				}
				for l := range lanes {
					if math.Abs(z1[l]-z2[l]) > 2*float64(rows)*0x1p-23*z2[l] {
						t.Fatalf("exp sum lane %d: %v, portable %v", l, z1[l], z2[l])
					}
				}
			})
		}
		for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 100, 784} {
			a, b := randomSlice(n, -3, 3, uint64(n)), randomSlice(n, -3, 3, uint64(n)+9)
			if got, want := c.dot64(a, b), ref.dot64(a, b); math.Abs(got-want) > 1e-12*max(1, math.Abs(want)) {
				t.Errorf("%s: dot64 n=%d: %v, portable %v", isa, n, got, want)
			}
			y1, y2 := make([]float64, n), make([]float64, n)
			for i := range y1 {
				y1[i], y2[i] = float64(i), float64(i)
			}
			c.axpy64(y1, 0.3, a)
			ref.axpy64(y2, 0.3, a)
			for i := range y1 {
				if math.Abs(y1[i]-y2[i]) > 1e-13*max(1, math.Abs(y2[i])) {
					t.Errorf("%s: axpy64 n=%d: y[%d] = %v, portable %v", isa, n, i, y1[i], y2[i])
				}
			}
		}
	}
}

// ulp32 is the spacing of float32 values at v (at least the smallest normal's).
func ulp32(v float32) float64 {
	a := math.Abs(float64(v))
	if a < 0x1p-126 {
		return 0x1p-149
	}
	_, e := math.Frexp(a)
	return math.Ldexp(1, e-24)
}
