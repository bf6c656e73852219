package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

// machinePeak is the float32 peak of this machine the benchmark reports rates against.
type machinePeak struct {
	GFLOPS   float64 // cores × FMA units × lanes × 2 flops × clock
	Measured float64 // an FMA loop on every core at once, GFLOP/s
	Note     string  // how GFLOPS was arrived at
}

// fmaUnits is the number of FMA units per core assumed: two, as on every x86 core with AVX-512
// or AVX2 of the last decade (Intel from Haswell, AMD from Zen 2); the measured FMA loop says
// whether this machine reaches it.
const fmaUnits = 2

// measurePeak works out the peak: the clock from a chain of dependent additions (one per
// cycle), the lanes from CPUID, and as a check an FMA loop on every core at once. Each figure
// is the best of several short trials, which on a busy machine is the one least disturbed.
func measurePeak() machinePeak {
	lanes, unit, fma := vectorUnit()
	chain := clockLoop()
	cores := runtime.GOMAXPROCS(0)
	if fma == nil || chain == nil {
		return machinePeak{Note: "not measured: no known FMA unit on this architecture"}
	}
	const chainIters = 100_000 // ~0.5 ms: short trials, so that some run undisturbed on a busy machine
	var ghz float64
	for range 200 {
		t := time.Now()
		chain(chainIters)
		ghz = max(ghz, 16*chainIters/time.Since(t).Seconds()/1e9)
	}
	const fmaIters = 200_000
	var measured float64
	for range 50 {
		var wg sync.WaitGroup
		t := time.Now()
		for range cores {
			wg.Go(func() { fma(fmaIters) })
		}
		wg.Wait()
		measured = max(measured, float64(cores)*fmaIters*12*float64(lanes)*2/time.Since(t).Seconds()/1e9)
	}
	peak := float64(cores*fmaUnits*lanes*2) * ghz
	return machinePeak{
		GFLOPS:   peak,
		Measured: measured,
		Note: fmt.Sprintf("%d cores × %d FMA units × %d float32 lanes (%s) × 2 flops × %.2f GHz (clock from a chain of dependent adds) = %.0f GFLOP/s; an FMA loop on every core measured %.0f GFLOP/s",
			cores, fmaUnits, lanes, unit, ghz, peak, measured),
	}
}
