package main

import (
	"fmt"
	"slices"
	"time"
)

// latency summarizes how long a student waits for code cells: from the moment the cell is sent
// to the kernel to its reply (nbclient's execute request to execute reply, measured by the
// driver), in notebook order. The kernel's own timestamps are no use for this: GoNB stamps its
// messages to the second.
type latency struct {
	Cells                   int
	First, Median, P90, Max time.Duration
}

// summarizeLatency returns the first, median, 90th-percentile (nearest rank) and largest of the
// cell times; none gives the zero value.
func summarizeLatency(times []time.Duration) latency {
	if len(times) == 0 {
		return latency{}
	}
	sorted := slices.Clone(times)
	slices.Sort(sorted)
	rank := func(q float64) time.Duration { // nearest rank: the smallest value with ≥ q of the cells at or below it
		i := int(q*float64(len(sorted))+0.999999) - 1
		return sorted[max(0, min(i, len(sorted)-1))]
	}
	med := sorted[len(sorted)/2]
	if len(sorted)%2 == 0 {
		med = (sorted[len(sorted)/2-1] + sorted[len(sorted)/2]) / 2
	}
	return latency{Cells: len(times), First: times[0], Median: med, P90: rank(0.9), Max: sorted[len(sorted)-1]}
}

func (l latency) String() string {
	return fmt.Sprintf("%d code cells: first %.2f s, median %.2f s, p90 %.2f s, max %.2f s", l.Cells,
		l.First.Seconds(), l.Median.Seconds(), l.P90.Seconds(), l.Max.Seconds())
}
