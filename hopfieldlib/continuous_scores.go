package hopfieldlib

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
)

// Scores s' = X'ξ' for a block of states, and the dense product Vᵀp: the two matrix products of
// the continuous update.
//
// The kernel path (amd64 with AVX2+FMA, "go" backend) computes the scores with contScoreKernel,
// 3 states × 4 patterns at a time over contiguous rows, 12 accumulators of 8 lanes. The work is
// split across cores by chunks of patterns; inside a chunk, tiles of states stay in L2 while each
// quad of patterns stays in L1. On this project's machines (2 AMD EPYC cores, AVX2, FMA peak
// ~98 GFLOP/s per core) it sustains ~70 GFLOP/s per core, against ~19 for the gobackend's float32
// DotGeneral with GOEXPERIMENT=simd (whose Go-compiled SIMD kernel spills registers).
// Elsewhere the scores are a GoMLX DotGeneral of [B, d] by [K, d] contracting d (the "transposed"
// layout, the gobackend matmul's fastest). The product Vᵀp is always a GoMLX DotGeneral.

const (
	kernelChunkQuads  = 8  // patterns per work item: 8 quads = 32 patterns
	kernelTileTriples = 16 // states per tile: 16 triples = 48 states
)

// kernelScores fills s (rows of sStride) with the scores of the padded rows of q (rows of
// c.xStride) against every stored pattern, over columns [lo, hi) (multiples of 8).
func (c *Continuous) kernelScores(q []float32, padded, lo, hi int, s []float32, sStride int) {
	k, stride := c.Len(), c.xStride
	quads := (k + 3) / 4
	chunks := (quads + kernelChunkQuads - 1) / kernelChunkQuads
	n := uintptr(hi-lo) * 4
	if n == 0 {
		lo = 0
	}
	rowBytes := uintptr(stride) * 4
	var next atomic.Int64
	work := func() {
		var tail []float32 // the last, partial quad of patterns, zero padded
		for {
			ch := int(next.Add(1) - 1)
			if ch >= chunks {
				return
			}
			for t0 := 0; t0 < padded; t0 += 3 * kernelTileTriples {
				triples := uintptr(min(kernelTileTriples, (padded-t0)/3))
				for quad := ch * kernelChunkQuads; quad < min((ch+1)*kernelChunkQuads, quads); quad++ {
					var p *float32
					if 4*quad+4 <= k {
						p = &c.xs[4*quad*stride+lo]
					} else {
						if tail == nil {
							tail = make([]float32, 4*stride)
							copy(tail, c.xs[4*quad*stride:k*stride])
						}
						p = &tail[lo]
					}
					contScoreKernel(&q[t0*stride+lo], p, &s[t0*sStride+4*quad],
						rowBytes, rowBytes, uintptr(sStride)*4, n, triples)
				}
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), chunks)
	var wg sync.WaitGroup
	for range workers - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}

// graphState builds, once, the tensors and executables the graph paths need.
func (c *Continuous) graphState() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.productExec != nil {
		return nil
	}
	var err error
	if !c.kernel {
		// Without the kernel xStride == d: xs is X' as a K×d matrix.
		c.xTensor = tensors.FromFlatDataAndDimensions(c.xs, c.Len(), c.Dim())
		// scores[b, μ] = Σ_j q[b, j]·x[μ, j]
		c.scoresExec, err = newExec(c.backend, "ContinuousScores", func(q, x *graph.Node) *graph.Node {
			return graph.DotGeneral(q, []int{1}, nil, x, []int{1}, nil)
		})
		if err != nil {
			return err
		}
	}
	v := c.values.data
	if c.vExp != 0 {
		v = make([]float32, len(c.values.data))
		for i, a := range c.values.data {
			v[i] = float32(math.Ldexp(float64(a), -c.vExp))
		}
	}
	c.vTensor = tensors.FromFlatDataAndDimensions(v, c.values.Len(), c.values.Dim())
	// out[b, j] = Σ_μ w[b, μ]·v[μ, j]
	c.productExec, err = newExec(c.backend, "ContinuousProduct", func(w, v *graph.Node) *graph.Node {
		return graph.DotGeneral(w, []int{1}, nil, v, []int{0}, nil)
	})
	return err
}

// graphScores computes the scores of the padded rows of q (rows of d) with the GoMLX graph and
// calls fn with them (a [padded, K] row-major view, valid only during the call).
func (c *Continuous) graphScores(q []float32, padded int, fn func(s []float32)) error {
	if err := c.graphState(); err != nil {
		return err
	}
	qt := tensors.FromFlatDataAndDimensions(q[:padded*c.Dim()], padded, c.Dim())
	defer func() { _ = qt.FinalizeAll() }()
	out, err := execute(c.scoresExec, qt, c.xTensor)
	if err != nil {
		return err
	}
	defer func() { _ = out[0].FinalizeAll() }()
	if err := tensors.ConstFlatData(out[0], fn); err != nil {
		return fmt.Errorf("%w: reading scores: %w", ErrBackend, err)
	}
	return nil
}

// denseProduct computes Vᵀp for the rows of a block that kept too many patterns for the exact
// sparse sum, as one GoMLX DotGeneral (rows padded to a power of two).
func (c *Continuous) denseProduct(blk *contBlock, res *contResult) error {
	var rows []int
	for r, w := range blk.denseW {
		if w != nil {
			rows = append(rows, r)
		}
	}
	if len(rows) == 0 {
		return nil
	}
	if err := c.graphState(); err != nil {
		return err
	}
	k := c.Len()
	padded := 1
	for padded < len(rows) {
		padded <<= 1
	}
	w := make([]float32, padded*k)
	for i, r := range rows {
		copy(w[i*k:], blk.denseW[r])
	}
	wt := tensors.FromFlatDataAndDimensions(w, padded, k)
	defer func() { _ = wt.FinalizeAll() }()
	out, err := execute(c.productExec, wt, c.vTensor)
	if err != nil {
		return err
	}
	defer func() { _ = out[0].FinalizeAll() }()
	dv := c.values.Dim()
	return tensors.ConstFlatData(out[0], func(flat []float32) {
		for i, r := range rows {
			dst := res.next.Row(blk.b0 + r)
			for j, a := range flat[i*dv : (i+1)*dv] {
				dst[j] = clampFloat32(math.Ldexp(float64(a), c.vExp))
			}
		}
	})
}

// scoresMaxGo is scoresMax without assembly.
func scoresMaxGo(s []float32) float32 {
	m := s[0]
	for _, v := range s[1:] {
		if v > m {
			m = v
		}
	}
	return m
}

// scoresAboveGo is scoresAbove without assembly; offset is added to the indices.
func scoresAboveGo(dst []int32, s []float32, offset int, cut float32, limit int) ([]int32, bool) {
	for j, v := range s {
		if v >= cut {
			if len(dst) == limit {
				return dst, false
			}
			dst = append(dst, int32(offset+j))
		}
	}
	return dst, true
}
