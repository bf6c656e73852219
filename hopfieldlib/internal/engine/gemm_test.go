package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// randomSlice returns n values uniform in [lo, hi), seeded.
func randomSlice(n int, lo, hi float64, seed uint64) []float32 {
	r := rand.New(rand.NewPCG(seed, 11))
	out := make([]float32, n)
	for i := range out {
		out[i] = float32(lo + (hi-lo)*r.Float64())
	}
	return out
}

// TestTileKernelsAgree: every instruction set's tile kernels (rows and columns addressing, store
// and add) against a float64 sum, within gemmError, over depths around the chunk length.
func TestTileKernelsAgree(t *testing.T) {
	for _, isa := range Available() {
		rowsK, colsK := kernels(isa)
		for _, kc := range []int{1, 5, 63, 64, 65, 200, 784} {
			t.Run(fmt.Sprintf("%s/kc=%d", isa, kc), func(t *testing.T) {
				const aStride = 800 // floats between rows of A (rows addressing) or between steps (columns)
				a := randomSlice(tileRows*aStride+kc*aStride, -1, 1, uint64(kc))
				b := randomSlice(kc*40, -2, 2, uint64(kc)+1)
				init := randomSlice(tileRows*40, -1, 1, 3)
				for _, tc := range []struct {
					name string
					fn   tileFunc
					at   func(i, k int) float32
				}{
					{"rows", rowsK, func(i, k int) float32 { return a[i*aStride+k] }},
					{"cols", colsK, func(i, k int) float32 { return a[k*aStride+i] }},
				} {
					for _, add := range []uintptr{0, 1} {
						c := append([]float32(nil), init...)
						tc.fn(&a[0], aStride*4, &b[0], 40*4, &c[0], 40*4, uintptr(kc), add)
						for i := range tileRows {
							for j := range 40 {
								got := float64(c[i*40+j])
								if j >= tileCols { // outside the tile: untouched
									if got != float64(init[i*40+j]) {
										t.Fatalf("%s add=%d: C[%d][%d] outside the tile changed", tc.name, add, i, j)
									}
									continue
								}
								var exact, abs float64
								if add == 1 {
									exact, abs = float64(init[i*40+j]), math.Abs(float64(init[i*40+j]))
								}
								for k := range kc {
									p := float64(tc.at(i, k)) * float64(b[k*40+j])
									exact += p
									abs += math.Abs(p)
								}
								if bound := gemmError(kc+int(add)) * abs; math.Abs(got-exact) > bound {
									t.Fatalf("%s add=%d: C[%d][%d] = %v, float64 %v, bound %g", tc.name, add, i, j, got, exact, bound)
								}
							}
						}
					}
				}
			})
		}
	}
}

// TestProductsAgree: the two products of the continuous step (drivers and kernels, every
// instruction set) against float64 sums, on sizes that are not multiples of the tiles, with a
// column span and inactive panels.
func TestProductsAgree(t *testing.T) {
	for _, isa := range Available() {
		rowsK, colsK := kernels(isa)
		for _, sz := range []struct{ k, d, nq, lo, hi int }{{1, 1, 1, 0, 1}, {13, 7, 33, 2, 7}, {300, 100, 70, 0, 100}, {1000, 784, 40, 100, 700}} {
			t.Run(fmt.Sprintf("%s/K=%d/d=%d/B=%d", isa, sz.k, sz.d, sz.nq), func(t *testing.T) {
				x := randomSlice(sz.k*sz.d, -1, 1, 1)
				q := randomSlice(sz.nq*sz.d, -1, 1, 2)
				panels := (sz.nq + tileCols - 1) / tileCols
				qp := make([]float32, panels*sz.d*tileCols)
				for b := range sz.nq {
					for j := range sz.d {
						qp[((b/tileCols)*sz.d+j)*tileCols+b%tileCols] = q[b*sz.d+j]
					}
				}
				kp := (sz.k + tileRows - 1) / tileRows * tileRows
				st := make([]float32, panels*kp*tileCols)
				at := func(row, b, rows int) int { return ((b/tileCols)*rows+row)*tileCols + b%tileCols }
				var xTail []float32
				if r := sz.k % tileRows; r != 0 {
					xTail = make([]float32, tileRows*sz.d)
					copy(xTail, x[(sz.k-r)*sz.d:])
				}
				active := make([]bool, panels)
				for pn := range active {
					active[pn] = pn%3 != 1 || panels == 1
				}
				sp := scoreProduct{rows: rowsK, x: x, xTail: xTail, k: sz.k, d: sz.d, qp: qp, panels: panels,
					lo: sz.lo, hi: sz.hi, st: st, kp: kp, activePanels: active}
				sp.run()
				for mu := range sz.k {
					for b := range sz.nq {
						if !active[b/tileCols] {
							continue
						}
						var exact, abs float64
						for j := sz.lo; j < sz.hi; j++ {
							p := float64(x[mu*sz.d+j]) * float64(q[b*sz.d+j])
							exact += p
							abs += math.Abs(p)
						}
						if got := float64(st[at(mu, b, kp)]); math.Abs(got-exact) > gemmError(sz.hi-sz.lo)*abs {
							t.Fatalf("score μ=%d b=%d: %v, float64 %v", mu, b, got, exact)
						}
					}
				}
				// Weighted sums with the scores as weights, values = x.
				dvp := (sz.d + tileRows - 1) / tileRows * tileRows
				ot := make([]float32, panels*dvp*tileCols)
				var vTail []float32
				if r := sz.d % tileRows; r != 0 {
					vTail = make([]float32, sz.k*tileRows)
					for mu := range sz.k {
						copy(vTail[mu*tileRows:mu*tileRows+r], x[mu*sz.d+sz.d-r:(mu+1)*sz.d])
					}
				}
				wp := weightedProduct{cols: colsK, blk: blockingFor(isa), v: x, vTail: vTail, k: sz.k, dv: sz.d, w: st, kp: kp, dvp: dvp,
					panels: panels, activePanels: active, ot: ot}
				wp.run()
				for j := range sz.d {
					for b := range sz.nq {
						if !active[b/tileCols] {
							continue
						}
						var exact, abs float64
						for mu := range sz.k {
							p := float64(x[mu*sz.d+j]) * float64(st[at(mu, b, kp)])
							exact += p
							abs += math.Abs(p)
						}
						if got := float64(ot[at(j, b, dvp)]); math.Abs(got-exact) > gemmError(sz.k)*abs {
							t.Fatalf("sum j=%d b=%d: %v, float64 %v", j, b, got, exact)
						}
					}
				}
			})
		}
	}
}

// TestWeightedBlockingBitIdentical: the weighted product's blocking (depth a multiple of
// accumChunk) changes the order of the work, not of the sums: the results are bit-identical.
func TestWeightedBlockingBitIdentical(t *testing.T) {
	const d, nq, k = 100, 70, 1000
	x := randomSlice(k*d, -1, 1, 1)
	panels := (nq + tileCols - 1) / tileCols
	kp := (k + tileRows - 1) / tileRows * tileRows
	st := randomSlice(panels*kp*tileCols, 0, 1, 3)
	dvp := (d + tileRows - 1) / tileRows * tileRows
	vTail := make([]float32, k*tileRows)
	for mu := range k {
		copy(vTail[mu*tileRows:mu*tileRows+d%tileRows], x[mu*d+d-d%tileRows:(mu+1)*d])
	}
	for _, isa := range Available() {
		_, colsK := kernels(isa)
		var outs [3][]float32
		for i, blk := range []weightedBlocking{{64, 1}, {128, 8}, {512, 4}} {
			outs[i] = make([]float32, panels*dvp*tileCols)
			wp := weightedProduct{cols: colsK, blk: blk, v: x, vTail: vTail, k: k, dv: d, w: st, kp: kp,
				dvp: dvp, panels: panels, ot: outs[i]}
			wp.run()
		}
		for i := range outs[0] {
			if outs[1][i] != outs[0][i] || outs[2][i] != outs[0][i] {
				t.Fatalf("%s: output %d differs across blockings: %v, %v, %v", isa, i, outs[0][i], outs[1][i], outs[2][i])
			}
		}
	}
}
