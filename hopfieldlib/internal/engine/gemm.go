package engine

import (
	"runtime"
	"sync"
	"sync/atomic"
	"unsafe"
)

// The dense products of the continuous step, C = A·B in float32, built from one micro-kernel per
// instruction set that computes a tile of tileRows × tileCols outputs (GotoBLAS / BLIS style:
// the tile's accumulators stay in vector registers, A and B are read straight from the caller's
// row-major matrices, one value of A broadcast against a row of B per step).
//
// Every kernel sums in chunks of accumulChunk steps, each chunk in accumulators that start at
// zero and are then added to C. The rounding error of an output formed from n products is then
// at most gemmError(n)·Σ|a_k b_k| (Higham, "Accuracy and Stability of Numerical Algorithms",
// 2002, §3.1 and §4.2: a sum of m terms rounds by at most γ_m = mu/(1 − mu), u = 2⁻²⁴, and a sum of
// partial sums adds the bound of the outer sum), the same for every instruction set. The kernels
// are not bit-identical across instruction sets (fused multiply-adds, lane order): each result is
// within that bound of the exact one, so two of them differ by at most twice it.

const (
	tileRows    = 12 // outputs per tile: rows
	tileCols    = 32 // and columns; the AVX2 kernel covers a tile in four calls of 6 × 16
	accumChunk  = 64 // steps summed from zero before being added to C
	scoresBlock = 96 // patterns per work item of the scores product (8 tiles)
)

// gemmError bounds the relative rounding error of one output of a product over n steps:
// |fl(Σ a_k b_k) − Σ a_k b_k| ≤ gemmError(n)·Σ|a_k b_k|, for inputs and result in float32's normal
// range.
func gemmError(n int) float64 {
	m := float64(min(n, accumChunk) + (n+accumChunk-1)/accumChunk + 1)
	mu := m * 0x1p-24
	return mu / (1 - mu)
}

// tileFunc computes the tile C (+)= A·B over kc steps (see gemm_amd64.s for the addressing):
// with add = 0 the first chunk is stored into C, later chunks are added; with add = 1 every
// chunk is added. A is read as rows (A[i][k] at a + i·aStride + 4k) or as columns (A[i][k] at
// a + 4i + k·aStride), B[k][j] at b + k·bStride + 4j, C[i][j] at c + i·cStride + 4j, all in bytes.
type tileFunc func(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr)

// tileRowsPortable and tileColsPortable are the portable kernels: the same tile, the same
// chunked sums, in plain Go.
func tileRowsPortable(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr) {
	tilePortable(a, aStride, 4, b, bStride, c, cStride, kc, add)
}

func tileColsPortable(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr) {
	tilePortable(a, 4, aStride, b, bStride, c, cStride, kc, add)
}

// tilePortable reads A[i][k] at a + i·rowStep + k·kStep.
func tilePortable(a *float32, rowStep, kStep uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr) {
	var acc [tileRows][tileCols]float32
	for k0 := uintptr(0); k0 < kc; k0 += accumChunk {
		n := min(accumChunk, kc-k0)
		acc = [tileRows][tileCols]float32{}
		for k := k0; k < k0+n; k++ {
			brow := (*[tileCols]float32)(unsafe.Add(unsafe.Pointer(b), k*bStride))
			for i := range tileRows {
				av := *(*float32)(unsafe.Add(unsafe.Pointer(a), uintptr(i)*rowStep+k*kStep))
				row := &acc[i]
				for j, bv := range brow {
					row[j] += av * bv
				}
			}
		}
		for i := range tileRows {
			crow := (*[tileCols]float32)(unsafe.Add(unsafe.Pointer(c), uintptr(i)*cStride))
			if add == 0 && k0 == 0 {
				*crow = acc[i]
				continue
			}
			for j, v := range acc[i] {
				crow[j] += v
			}
		}
	}
}

// kernels returns the tile kernels of isa (rows-A and columns-A), or the portable ones when
// this build or CPU does not have it.
func kernels(isa ISA) (rows, cols tileFunc) {
	if r, c, ok := asmKernels(isa); ok && Supported(isa) {
		return r, c
	}
	return tileRowsPortable, tileColsPortable
}

// workers is the number of goroutines a product uses.
func workers(items int) int { return max(1, min(runtime.GOMAXPROCS(0), items)) }

// run calls fn(item) for every item in [0, n) on workers goroutines that take the next item
// when they finish one (a busy core then takes fewer items instead of holding the others up).
func run(n int, fn func(item int)) {
	w := workers(n)
	var next atomic.Int64
	work := func() {
		for it := int(next.Add(1) - 1); it < n; it = int(next.Add(1) - 1) {
			fn(it)
		}
	}
	if w == 1 {
		work()
		return
	}
	var wg sync.WaitGroup
	for range w - 1 {
		wg.Go(work)
	}
	work()
	wg.Wait()
}

// fp is &s[i] without a bounds check on the element (the kernels read from there on; the
// callers size their buffers).
func fp(s []float32, i int) *float32 {
	return (*float32)(unsafe.Add(unsafe.Pointer(unsafe.SliceData(s)), uintptr(i)*4))
}

// scoreProduct is the first product of the continuous step, the scores of every stored pattern
// against a batch of queries, St = X·Qᵀ over the units [lo, hi), kept panel by panel:
//
//	st[(P·kp + μ)·32 + i] = Σ_{j∈[lo,hi)} x[μ·d + j]·q_{32P+i}[j],
//
// for μ < kp (K rounded up to tileRows; the rows past K are zero) and the 32 queries i of every
// panel P: one panel's scores are a contiguous kp × 32 block, so the weighted product reads its
// rows in order and the column passes stride by 128 bytes. qp holds the queries in panels too,
// qp[(P·d + j)·32 + i] = unit j of query 32P+i. xTail is the last, partial block of tileRows
// patterns, zero padded (nil when K is a multiple).
type scoreProduct struct {
	rows         tileFunc
	x, xTail     []float32
	k, d         int
	qp           []float32
	panels       int
	lo, hi       int
	st           []float32
	kp           int    // rows per panel of st
	activePanels []bool // panels to compute (nil: all)
}

// scoresDepth is the number of units a pass of the scores product covers (a multiple of
// accumChunk, so that passes do not add chunk sums): d = 784 in one pass, the queries' panel
// (784 × 32 floats) read from L2 by the tiles of patterns. Measured on this project's machines
// (BenchmarkProducts and a sweep of depths 128…784): one pass is fastest.
const scoresDepth = 1024

func (p *scoreProduct) run() {
	tiles := (p.k + tileRows - 1) / tileRows
	// Work items of up to scoresBlock patterns, smaller for few patterns: at least 8 per core, so
	// that the last items leave no core idle for long.
	perItem := max(1, min(scoresBlock/tileRows, tiles/(8*workers(tiles))))
	items := (tiles + perItem - 1) / perItem
	run(items, func(it int) {
		t0, t1 := it*perItem, min((it+1)*perItem, tiles)
		if p.hi == p.lo {
			for pn := range p.panels {
				clear(p.st[(pn*p.kp+t0*tileRows)*tileCols : (pn*p.kp+t1*tileRows)*tileCols])
			}
			return
		}
		for j0 := p.lo; j0 < p.hi; j0 += scoresDepth {
			kc := uintptr(min(scoresDepth, p.hi-j0))
			add := uintptr(0)
			if j0 > p.lo {
				add = 1
			}
			for pn := range p.panels {
				if p.activePanels != nil && !p.activePanels[pn] {
					continue
				}
				b := fp(p.qp, (pn*p.d+j0)*tileCols)
				for t := t0; t < t1; t++ {
					mu := t * tileRows
					var a *float32
					if mu+tileRows <= p.k {
						a = fp(p.x, mu*p.d+j0)
					} else {
						a = fp(p.xTail, j0)
					}
					p.rows(a, uintptr(p.d)*4, b, tileCols*4, fp(p.st, (pn*p.kp+mu)*tileCols), tileCols*4, kc, add)
				}
			}
		}
	})
}

// weightedProduct is the second product, the weighted sums of the values for every query of a
// batch, Ot = Vᵀ·W, panel by panel like the scores:
//
//	ot[(P·dvp + j)·32 + i] = Σ_{μ<K} v[μ·dv + j]·w[(P·kp + μ)·32 + i],
//
// for j < dvp (dv rounded up to tileRows; the rows past dv are not used) and the 32 queries of the
// active panels. w has the layout of scoreProduct's st (the weights overwrite the scores).
// vTail holds the last, partial block of tileRows columns of V, K rows of tileRows values, zero
// padded (nil when dv is a multiple).
type weightedProduct struct {
	cols         tileFunc
	v, vTail     []float32
	k, dv        int
	w            []float32
	kp, dvp      int // rows per panel of w and of ot
	panels       int
	activePanels []bool
	ot           []float32
	blk          weightedBlocking // zero: blockingFor(Portable)
}

// weightedBlocking is how the weighted product walks its operands: depth patterns per pass over
// a tile of outputs (a multiple of accumChunk, so that the sums, and the results, do not depend
// on it), and group query panels per work item, whose weights (depth × 32 each, contiguous) stay
// in L2 while the columns of V read for one tile of outputs (depth × 12 values) are reused for
// all of them.
type weightedBlocking struct{ depth, group int }

// blockingFor returns the blocking of isa's kernels. Measured with BenchmarkProducts on this
// project's machine (AMD EPYC, 1 MB L2 per core): the AVX-512 kernel runs 8-10 % faster at
// 512 × 4 than at 128 × 8 (348 against 313 GFLOP/s at K = 1,000), the AVX2 one 7 % slower.
func blockingFor(isa ISA) weightedBlocking {
	if isa == AVX512 && Supported(isa) {
		return weightedBlocking{depth: 512, group: 4}
	}
	return weightedBlocking{depth: 128, group: 8}
}

func (p *weightedProduct) run() {
	var active []int
	for pn := range p.panels {
		if p.activePanels == nil || p.activePanels[pn] {
			active = append(active, pn)
		}
	}
	if len(active) == 0 {
		return
	}
	blk := p.blk
	if blk.depth == 0 {
		blk = blockingFor(Portable)
	}
	groups := (len(active) + blk.group - 1) / blk.group
	// With fewer groups than cores, split the output rows too so that every core has work.
	jTiles := (p.dv + tileRows - 1) / tileRows
	jSplit := max(1, min(jTiles, (runtime.GOMAXPROCS(0)+groups-1)/groups))
	run(groups*jSplit, func(it int) {
		g, js := it/jSplit, it%jSplit
		panels := active[g*blk.group : min((g+1)*blk.group, len(active))]
		jt0, jt1 := js*jTiles/jSplit, (js+1)*jTiles/jSplit
		for mu0 := 0; mu0 < p.k; mu0 += blk.depth {
			kc := uintptr(min(blk.depth, p.k-mu0))
			add := uintptr(0)
			if mu0 > 0 {
				add = 1
			}
			for jt := jt0; jt < jt1; jt++ {
				j := jt * tileRows
				var a *float32
				aStride := uintptr(p.dv) * 4
				if j+tileRows <= p.dv {
					a = fp(p.v, mu0*p.dv+j)
				} else {
					a, aStride = fp(p.vTail, mu0*tileRows), tileRows*4
				}
				for _, pn := range panels {
					p.cols(a, aStride, fp(p.w, (pn*p.kp+mu0)*tileCols), tileCols*4,
						fp(p.ot, (pn*p.dvp+j)*tileCols), tileCols*4, kc, add)
				}
			}
		}
	})
}
