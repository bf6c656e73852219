package main

import (
	"testing"
	"time"
)

func TestSummarizeLatency(t *testing.T) {
	ms := func(xs ...int) []time.Duration {
		var out []time.Duration
		for _, x := range xs {
			out = append(out, time.Duration(x)*time.Millisecond)
		}
		return out
	}
	for _, tc := range []struct {
		times []time.Duration
		want  latency
	}{
		{nil, latency{}},
		{ms(900), latency{1, 900 * time.Millisecond, 900 * time.Millisecond, 900 * time.Millisecond, 900 * time.Millisecond}},
		// The first cell is the one run first, whatever its time; median of an even count is the mean of the middle two.
		{ms(3000, 400, 500, 600), latency{4, 3 * time.Second, 550 * time.Millisecond, 3 * time.Second, 3 * time.Second}},
		// 10 cells: the 90th percentile (nearest rank) is the 9th smallest.
		{ms(2000, 100, 200, 300, 400, 500, 600, 700, 800, 900), latency{10, 2 * time.Second, 550 * time.Millisecond, 900 * time.Millisecond, 2 * time.Second}},
	} {
		if got := summarizeLatency(tc.times); got != tc.want {
			t.Errorf("summarizeLatency(%v) = %+v, want %+v", tc.times, got, tc.want)
		}
	}
	if s := summarizeLatency(ms(1500, 500)).String(); s != "2 code cells: first 1.50 s, median 1.00 s, p90 1.50 s, max 1.50 s" {
		t.Errorf("String() = %q", s)
	}
}
