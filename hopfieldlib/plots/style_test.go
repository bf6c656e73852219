package plots

import (
	"fmt"
	"image/color"
	"math"
	"strings"
	"testing"
)

func tickLabels(lo, hi float64, integer bool) string {
	var out []string
	for _, t := range (niceTicks{integer: integer}).Ticks(lo, hi) {
		if t.Label != "" {
			out = append(out, t.Label)
		}
	}
	return strings.Join(out, " ")
}

func TestNiceTicks(t *testing.T) {
	// Expected labels worked out by hand from the rule: step ∈ {1, 2, 2.5, 5}·10^k, the first
	// giving at most 7 steps over the range; decimals as the step needs.
	cases := []struct {
		lo, hi  float64
		integer bool
		want    string
	}{
		{0, 1, false, "0.0 0.2 0.4 0.6 0.8 1.0"},           // span/5 = 0.2 → mag 0.1, 1·0.1 gives 10 steps, 2·0.1 gives 5
		{0.02, 0.2, false, "0.05 0.10 0.15 0.20"},          // span 0.18 → mag 0.01; 0.025 → 7.2 steps, 0.05 → 3.6
		{-300, -50, false, "-300 -250 -200 -150 -100 -50"}, // span 250 → mag 10; 50 → 5 steps
		{0, 10, false, "0 2 4 6 8 10"},                     // span 10 → mag 1; 1 gives 10 steps, 2 gives 5
		{0, 59, true, "0 10 20 30 40 50"},                  // integer: 10 → 5.9 steps
		{-0.5, 9.5, true, "0 1 2 3 4 5 6 7 8 9"},           // integer span ≤ 12: every integer
		{0, 1e7, false, "0 2e+06 4e+06 6e+06 8e+06 1e+07"}, // exponent form above 10⁶
	}
	for _, c := range cases {
		if got := tickLabels(c.lo, c.hi, c.integer); got != c.want {
			t.Errorf("ticks(%v, %v, integer=%v) = %q, want %q", c.lo, c.hi, c.integer, got, c.want)
		}
	}
	if ts := (niceTicks{}).Ticks(1, 1); ts != nil {
		t.Errorf("ticks of an empty range = %v, want none", ts)
	}
	if ts := (niceTicks{}).Ticks(0, math.Inf(1)); ts != nil {
		t.Errorf("ticks of an infinite range = %v, want none", ts)
	}
}

func TestLogTicks(t *testing.T) {
	label := func(lo, hi float64) string {
		var out []string
		for _, t := range (logTicks{}).Ticks(lo, hi) {
			if t.Label != "" {
				out = append(out, t.Label)
			}
		}
		return strings.Join(out, " ")
	}
	// Powers of ten always; 2× and 5× too on ranges under 1.5 decades.
	cases := []struct {
		lo, hi float64
		want   string
	}{
		{0.1, 20, "0.1 1 10"},
		{0.5, 8, "0.5 1 2 5"},
		{1, 1e6, "1 10 100 1000 1e4 1e5 1e6"},
		{1e-5, 1e12, "0.001 1 1000 1e6 1e9 1e12"}, // 17 decades: every ceil(17/7) = 3rd, exponents divisible by 3
	}
	for _, c := range cases {
		if got := label(c.lo, c.hi); got != c.want {
			t.Errorf("log ticks(%v, %v) = %q, want %q", c.lo, c.hi, got, c.want)
		}
	}
	if ts := (logTicks{}).Ticks(0, 1); ts != nil {
		t.Errorf("log ticks from 0 = %v, want none", ts)
	}
}

func TestBinEdges(t *testing.T) {
	cases := []struct {
		vs      []float64
		bins    int
		edges   string
		integer bool
	}{
		{[]float64{2, 3, 5}, 0, "[1.5 2.5 3.5 4.5 5.5]", true},          // integers: unit bins centred on 2…5
		{[]float64{0.5, 1, 1.5}, 0, "[0.5 0.7 0.9 1.1 1.3 1.5]", false}, // √3 → clamped to 5 bins
		{[]float64{1, 2, 3}, 2, "[1 2 3]", false},                       // explicit bin count
		{[]float64{7, 7}, 0, "[6.5 7.5]", true},                         // one integer value
		{[]float64{0, 100}, 0, "[0 20 40 60 80 100]", false},            // integers spanning > 60: regular bins
	}
	for _, c := range cases {
		edges, integer := binEdges(c.vs, c.bins)
		got := fmt.Sprint(roundAll(edges))
		if got != c.edges || integer != c.integer {
			t.Errorf("binEdges(%v, %d) = %s, %v; want %s, %v", c.vs, c.bins, got, integer, c.edges, c.integer)
		}
	}
	edges := []float64{0, 1, 2, 3}
	for v, want := range map[float64]int{0: 0, 0.999: 0, 1: 1, 2.5: 2, 3: 2} {
		if got := binOf(edges, v); got != want {
			t.Errorf("binOf(%v) = %d, want %d (bins [e_i, e_i+1), the last closed)", v, got, want)
		}
	}
}

func roundAll(vs []float64) []float64 {
	out := make([]float64, len(vs))
	for i, v := range vs {
		out[i] = math.Round(v*1e9) / 1e9
	}
	return out
}

func TestAggregate(t *testing.T) {
	// 2×5 matrix in blocks of 1×2: the last block holds one column.
	v := []float64{1, 5, 2, 2, 9, 0, 3, 4, 8, 7}
	got, r, c := aggregate(v, 2, 5, 1, 2, false)
	if r != 2 || c != 3 || fmt.Sprint(got) != "[5 2 9 3 8 7]" {
		t.Errorf("max blocks: %v (%d×%d), want [5 2 9 3 8 7] (2×3)", got, r, c)
	}
	got, _, _ = aggregate(v, 2, 5, 1, 2, true)
	if fmt.Sprint(got) != "[3 2 9 1.5 6 7]" {
		t.Errorf("mean blocks: %v, want [3 2 9 1.5 6 7]", got)
	}
	got, r, c = aggregate(v, 2, 5, 1, 1, false)
	if r != 2 || c != 5 || &got[0] != &v[0] {
		t.Error("1×1 blocks should return the matrix itself")
	}
}

func TestViridis(t *testing.T) {
	// Ends are matplotlib's viridis(0) = #440154 and viridis(1) = #fde725; out of range clamps.
	cases := []struct {
		t    float64
		want color.RGBA
	}{
		{0, color.RGBA{0x44, 0x01, 0x54, 0xff}},
		{1, color.RGBA{0xfd, 0xe7, 0x25, 0xff}},
		{-3, color.RGBA{0x44, 0x01, 0x54, 0xff}},
		{7, color.RGBA{0xfd, 0xe7, 0x25, 0xff}},
		{math.NaN(), color.RGBA{0x44, 0x01, 0x54, 0xff}},
	}
	for _, c := range cases {
		if got := viridis(c.t); got != c.want {
			t.Errorf("viridis(%v) = %v, want %v", c.t, got, c.want)
		}
	}
	// Property: luminance increases along the map (it reads in grey).
	prev := -1.0
	for i := range 101 {
		c := viridis(float64(i) / 100)
		y := 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B)
		if y < prev-0.5 {
			t.Fatalf("luminance drops at t = %v: %v < %v", float64(i)/100, y, prev)
		}
		prev = y
	}
}
