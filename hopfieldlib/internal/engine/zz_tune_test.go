package engine

import (
	"fmt"
	"os"
	"testing"
	"time"
)

func TestZZTune(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	const d, nq = 784, 1000
	k := 10000
	x := randomSlice(k*d, 0, 1, 1)
	panels := (nq + tileCols - 1) / tileCols
	qp := randomSlice(panels*d*tileCols, 0, 1, 2)
	kp := (k + tileRows - 1) / tileRows * tileRows
	rs := panels*tileCols + 16
	st := make([]float32, kp*rs)
	dvp := (d + tileRows - 1) / tileRows * tileRows
	ot := make([]float32, dvp*rs)
	xTail := make([]float32, tileRows*d)
	vTail := make([]float32, k*tileRows)
	rowsK, colsK := kernels(AVX512)
	flops := 2 * float64(nq) * float64(k) * d
	type variant struct {
		name string
		fn   func()
	}
	var vs []variant
	for _, depth := range []int{128, 256, 384, 784} {
		for _, block := range []int{48, 96, 192} {
			sp := scoreProduct{rows: rowsK, x: x, xTail: xTail, k: k, d: d, qp: qp, panels: panels, hi: d, st: st, rs: rs, depth: depth, block: block}
			vs = append(vs, variant{fmt.Sprintf("scores depth=%d block=%d", depth, block), sp.run})
		}
	}
	for _, depth := range []int{128, 256, 512} {
		for _, group := range []int{1, 2, 4, 8} {
			wp := weightedProduct{cols: colsK, v: x, vTail: vTail, k: k, dv: d, w: st, rs: rs, panels: panels, ot: ot, depth: depth, group: group}
			vs = append(vs, variant{fmt.Sprintf("weighted depth=%d group=%d", depth, group), wp.run})
		}
	}
	bestCPU := make([]float64, len(vs))
	bestWall := make([]float64, len(vs))
	for round := 0; round < 4; round++ {
		for i, v := range vs {
			c0, w0 := cpuSeconds(), time.Now()
			v.fn()
			cpu, wall := cpuSeconds()-c0, time.Since(w0).Seconds()
			bestCPU[i] = max(bestCPU[i], flops/cpu/1e9)
			bestWall[i] = max(bestWall[i], flops/wall/1e9)
		}
	}
	for i, v := range vs {
		t.Logf("%-32s %6.1f GFLOP/cpu-s %6.1f GFLOP/s", v.name, bestCPU[i], bestWall[i])
	}
}
