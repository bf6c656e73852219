package engine

import (
	"os"
	"testing"
	"time"
)

func TestZZKernelL2(t *testing.T) {
	if os.Getenv("TUNE") == "" {
		t.Skip()
	}
	const d = 784
	x := randomSlice(96*d, 0, 1, 1)        // 8 tiles of A (rows of X)
	qp := randomSlice(4*d*tileCols, 0, 1, 2) // 4 panels of B
	c := make([]float32, 4*96*tileCols)
	rowsK, _ := kernels(AVX512)
	best := 0.0
	for range 30 {
		c0, w0 := cpuSeconds(), time.Now()
		for range 20 {
			for pn := range 4 {
				for tt := range 8 {
					rowsK(fp(x, tt*tileRows*d), d*4, fp(qp, pn*d*tileCols), tileCols*4, fp(c, (pn*96+tt*tileRows)*tileCols), tileCols*4, d, 0)
				}
			}
		}
		_ = c0
		el := time.Since(w0).Seconds()
		best = max(best, 20*4*8*2*12*32*d/el/1e9)
	}
	t.Logf("L2-resident GEMM1 tiles: %.1f GFLOP/s on one core", best)
}
