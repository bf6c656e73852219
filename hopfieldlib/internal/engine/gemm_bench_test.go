package engine

import (
	"fmt"
	"testing"
)

// BenchmarkProducts times the two dense products of one continuous step, B = 1000 queries,
// d = 784, on every instruction set this CPU runs, and reports their rate.
func BenchmarkProducts(b *testing.B) {
	const d, nq = 784, 1000
	for _, k := range []int{1000, 10000} {
		x := randomSlice(k*d, 0, 1, 1)
		panels := (nq + tileCols - 1) / tileCols
		qp := randomSlice(panels*d*tileCols, 0, 1, 2)
		kp := (k + tileRows - 1) / tileRows * tileRows
		st := make([]float32, panels*kp*tileCols)
		dvp := (d + tileRows - 1) / tileRows * tileRows
		ot := make([]float32, panels*dvp*tileCols)
		var xTail []float32
		if r := k % tileRows; r != 0 {
			xTail = make([]float32, tileRows*d)
		}
		var vTail []float32
		if r := d % tileRows; r != 0 {
			vTail = make([]float32, k*tileRows)
		}
		for _, isa := range Available() {
			if isa == Portable && k > 1000 {
				continue
			}
			rowsK, colsK := kernels(isa)
			flops := 2 * float64(nq) * float64(k) * d
			b.Run(fmt.Sprintf("scores/%s/K=%d", isa, k), func(b *testing.B) {
				sp := scoreProduct{rows: rowsK, x: x, xTail: xTail, k: k, d: d, qp: qp, panels: panels, hi: d, st: st, kp: kp}
				c0 := cpuSeconds()
				for b.Loop() {
					sp.run()
				}
				reportRates(b, flops, c0)
			})
			b.Run(fmt.Sprintf("weighted/%s/K=%d", isa, k), func(b *testing.B) {
				wp := weightedProduct{cols: colsK, blk: blockingFor(isa), v: x, vTail: vTail, k: k, dv: d, w: st, kp: kp, dvp: dvp, panels: panels, ot: ot}
				c0 := cpuSeconds()
				for b.Loop() {
					wp.run()
				}
				reportRates(b, flops, c0)
			})
		}
	}
}

// reportRates reports GFLOP/s (wall clock) and GFLOP per CPU-second since c0 (what the kernel
// does with the cores it gets: on a busy machine the wall-clock rate says more about the load).
func reportRates(b *testing.B, flops, c0 float64) {
	b.ReportMetric(flops*float64(b.N)/b.Elapsed().Seconds()/1e9, "GFLOP/s")
	if cpu := cpuSeconds() - c0; cpu > 0 {
		b.ReportMetric(flops*float64(b.N)/cpu/1e9, "GFLOP/cpu-s")
	}
}
