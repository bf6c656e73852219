package hopfieldlib

import (
	"math/rand/v2"
	"runtime"
	"sync"
)

// parallelFor calls fn(i) for every i in [0, n), spread over GOMAXPROCS goroutines in contiguous
// blocks. fn must only write to data owned by index i.
func parallelFor(n int, fn func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			fn(i)
		}
		return
	}
	var wg sync.WaitGroup
	for w := range workers {
		lo, hi := w*n/workers, (w+1)*n/workers
		wg.Go(func() {
			for i := lo; i < hi; i++ {
				fn(i)
			}
		})
	}
	wg.Wait()
}

// probeRands draws one independent random stream per probe from r, in probe order, so that
// asynchronous results depend only on r's seed, not on how many cores run the probes.
func probeRands(r *rand.Rand, probes int) []*rand.Rand {
	out := make([]*rand.Rand, probes)
	for i := range out {
		out[i] = rand.New(rand.NewPCG(r.Uint64(), r.Uint64()))
	}
	return out
}
