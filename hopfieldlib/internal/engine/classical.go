package engine

import "math"

// The asynchronous dynamics of the classical (Hebbian) network in exact integer arithmetic, and
// the inner loops of its dynamics with local fields.
//
// With overlaps m_μ = ξ^μ·σ (integers in [−N, N]), the scaled field of unit i is
// N·h_i = Σ_μ ξ_i^μ m_μ − K σ_i − Nθ_i: checking a unit costs O(K), a flip O(K) (m += 2σ'ξ_i).
// The patterns are kept as int16 in three layouts: unit-major (xt16: N rows of kp values, K
// rounded up to 16, for the checks and flips), pattern-major (x16: K rows of n16 values, for the
// starting overlaps) and blocked (xb: for block u of units 8u…8u+7 and pattern pair a, the 16
// values ξ^{2a}_i, ξ^{2a+1}_i, i = 8u…8u+7, for checking 8 units at once). The SIMD kernels
// (AVX2, built with GOEXPERIMENT=simd) and the portable loops compute the same integers, so
// both give the same dynamics, bit for bit.

// overlapsMaxRatio: the Hebbian network keeps the K overlaps when K ≤ N/overlapsMaxRatio, and
// the N local fields h = Wσ − θ otherwise.
//
// With overlaps, checking a unit costs O(K) and a flip O(K); with fields, a check is O(1) and a
// flip O(N). A recall from 20% noise takes one or two sweeps and a final check (≈ 2–3 N checks)
// and ≈ 0.2N flips, so overlaps cost ≈ 2.5 NK and fields ≈ 2NK (starting fields through the
// overlaps) + 0.2 N²: the break-even is near K ≈ N/10. BenchmarkClassicalAsyncMode at N = 784
// agrees: overlaps are faster up to K = 78, fields from K = 100.
const overlapsMaxRatio = 10

// UseOverlaps reports whether the Hebbian network of k patterns of n units runs its
// asynchronous dynamics with overlaps (cheaper for few patterns; int16 needs n ≤ 32767).
func UseOverlaps(k, n int) bool { return k*overlapsMaxRatio <= n && n <= math.MaxInt16 }

// Overlaps holds the tables of the Hebbian network's dynamics with overlaps.
type Overlaps struct {
	n, k, kp, n8, n16 int
	xt16, xb, x16     []int16
	// Unit i flips from +1 when D_i < thLo[i] and from −1 when D_i > thHi[i], where
	// D_i = Σ_μ ξ_i^μ m_μ − K s_i and thLo, thHi are ⌈Nθ_i⌉ and ⌊Nθ_i⌋ (length n8, zero padded).
	thLo, thHi []int32
	// thSel[2i] = thLo[i], thSel[2i+1] = −thHi[i]: unit i flips iff s_i·D_i < thSel[2i + (s_i < 0)],
	// one comparison whatever the sign of s_i (a branch on that sign would be mispredicted half
	// of the time).
	thSel []int32
	simd  bool
}

// NewOverlaps builds the tables for the k×n spins x (row-major) and the scaled thresholds
// stheta = N·θ (length n, finite). isa Portable forces the portable loops; any other uses the
// SIMD kernels where this build and CPU have them.
func NewOverlaps(x []float32, k, n int, stheta []float32, isa ISA) *Overlaps {
	o := &Overlaps{n: n, k: k, simd: isa != Portable && classicalSIMD}
	o.kp = (k + 15) / 16 * 16
	o.n8 = (n + 7) / 8 * 8
	o.n16 = (n + 15) / 16 * 16
	o.xt16 = make([]int16, n*o.kp)
	o.x16 = make([]int16, k*o.n16)
	pairs := o.kp / 2
	o.xb = make([]int16, o.n8*o.kp)
	for mu := range k {
		for i, v := range x[mu*n : (mu+1)*n] {
			o.xt16[i*o.kp+mu] = int16(v)
			o.x16[mu*o.n16+i] = int16(v)
			o.xb[(i/8)*pairs*16+(mu/2)*16+(i%8)*2+mu%2] = int16(v)
		}
	}
	// The float path compares the exact integer D with the float32 N·θ_i; for integer D,
	// D < x ⟺ D < ⌈x⌉ and D > x ⟺ D > ⌊x⌋. |D| ≤ K(N+1) < 2³⁰, so clamping at ±2³⁰ is exact.
	o.thLo, o.thHi = make([]int32, o.n8), make([]int32, o.n8)
	const limit = 1 << 30
	o.thSel = make([]int32, 2*n)
	for i, v := range stheta {
		t := float64(v)
		o.thLo[i] = int32(max(-limit, min(limit, math.Ceil(t))))
		o.thHi[i] = int32(max(-limit, min(limit, math.Floor(t))))
		o.thSel[2*i], o.thSel[2*i+1] = o.thLo[i], -o.thHi[i]
	}
	return o
}

// OverlapProbe is one probe's state: the spins (padded with zeros to n8, padding that never
// flips) and the overlaps (kp long). A probe is used by one goroutine at a time.
type OverlapProbe struct {
	o   *Overlaps
	s32 []int32
	s16 []int16
	m   []int16
}

// NewProbe returns scratch for one probe, reusable for many.
func (o *Overlaps) NewProbe() *OverlapProbe {
	return &OverlapProbe{o: o, s32: make([]int32, o.n8), s16: make([]int16, o.n16), m: make([]int16, o.kp)}
}

// Load sets the state to the spins s (N values ±1) and computes its overlaps.
func (p *OverlapProbe) Load(s []float32) {
	for i, v := range s {
		p.s32[i] = int32(v)
		p.s16[i] = int16(v)
	}
	if p.o.simd {
		startOverlapsSIMD(p.o, p.s16, p.m)
		return
	}
	startOverlapsPortable(p.o, p.s16, p.m)
}

// Sweep visits the units in order, flipping each whose field opposes it (a zero field keeps
// it), and returns the number of flips.
func (p *OverlapProbe) Sweep(order []int32) int {
	if p.o.simd {
		return sweepOverlapsSIMD(p.o, p.s32, p.m, order)
	}
	return sweepOverlapsPortable(p.o, p.s32, p.m, order)
}

// Stable reports whether no unit's field opposes it.
func (p *OverlapProbe) Stable() bool {
	if p.o.simd {
		return stableOverlapsSIMD(p.o, p.s32, p.m)
	}
	return stableOverlapsPortable(p.o, p.s32, p.m)
}

// Store writes the spins into dst (N values).
func (p *OverlapProbe) Store(dst []float32) {
	for i, v := range p.s32[:p.o.n] {
		dst[i] = float32(v)
	}
}

// Spin is s_i.
func (p *OverlapProbe) Spin(i int) float32 { return float32(p.s32[i]) }

// SumSquares is Σ_μ m_μ², exact: sᵀ(N·W)s = Σ_μ m_μ² − K·N for the Hebbian weights.
func (p *OverlapProbe) SumSquares() int64 {
	var mm int64
	for _, m := range p.m {
		mm += int64(m) * int64(m)
	}
	return mm
}

// sweepOverlapsPortable: D_i = Σ_μ ξ_i^μ m_μ − K s_i is an exact integer; unit i flips from +1
// if D_i < thLo[i] and from −1 if D_i > thHi[i], that is iff s_i·D_i = s_i Σ_μ ξ_i^μ m_μ − K <
// thSel[2i + (s_i < 0)]; a flip to s' adds 2 s' ξ_i to m.
func sweepOverlapsPortable(o *Overlaps, s []int32, m []int16, order []int32) int {
	kp, k, xt, sel := o.kp, int32(o.k), o.xt16, o.thSel
	m = m[:o.k]
	flips := 0
	for _, i := range order {
		row := xt[int(i)*kp : int(i)*kp+len(m)]
		var d int32
		for j, v := range row {
			d += int32(v) * int32(m[j])
		}
		si := s[i]
		if si*d-k >= sel[2*int(i)+int(uint32(si)>>31)] {
			continue
		}
		s[i] = -si
		two := int16(-2 * si)
		for j, v := range row {
			m[j] += two * v
		}
		flips++
	}
	return flips
}

// startOverlapsPortable sets m_μ = ξ^μ·s, an integer in [−N, N], for μ < K (s has n16 entries,
// zero padded).
func startOverlapsPortable(o *Overlaps, s, m []int16) {
	for mu := range o.k {
		row := o.x16[mu*o.n16 : (mu+1)*o.n16]
		var d int32
		for i, v := range row[:len(s)] {
			d += int32(v) * int32(s[i])
		}
		m[mu] = int16(d)
	}
}

// stableOverlapsPortable reports whether no unit would flip (see sweepOverlapsPortable).
func stableOverlapsPortable(o *Overlaps, s []int32, m []int16) bool {
	kp, k, xt, lo, hi := o.kp, int32(o.k), o.xt16, o.thLo, o.thHi
	m = m[:o.k]
	for i, si := range s[:o.n] {
		row := xt[i*kp : i*kp+len(m)]
		var d int32
		for j, v := range row {
			d += int32(v) * int32(m[j])
		}
		if (si > 0 && d-k < lo[i]) || (si < 0 && d+k > hi[i]) {
			return false
		}
	}
	return true
}

// SweepFields visits the units of s (±1, N values) in order, keeping the scaled fields
// h' = scale·(Ws − θ): a unit whose field opposes it flips, and a flip of unit i to s' adds
// 2s'·(scale·W)_i· to h' (h'_i itself is unchanged since W_ii = 0). wn is scale·W, N×N
// row-major. It returns the number of flips. The SIMD axpy (with isa other than Portable, in a
// GOEXPERIMENT=simd build) multiplies and adds in two roundings like the portable loop: the
// results are identical.
func SweepFields(s, h, wn []float32, order []int32, isa ISA) int {
	n := len(s)
	simd := isa != Portable && classicalSIMD
	flips := 0
	for _, i := range order {
		si := s[i]
		if h[i]*si < 0 {
			s[i] = -si
			row := wn[int(i)*n : int(i)*n+n]
			if simd {
				axpy32SIMD(h, -2*si, row)
			} else {
				axpy32Portable(h, -2*si, row)
			}
			flips++
		}
	}
	return flips
}

// axpy32Portable sets y[i] += alpha·x[i]; len(x) must be ≥ len(y).
func axpy32Portable(y []float32, alpha float32, x []float32) {
	x = x[:len(y)]
	i := 0
	for ; i+4 <= len(y); i += 4 {
		y[i] += alpha * x[i]
		y[i+1] += alpha * x[i+1]
		y[i+2] += alpha * x[i+2]
		y[i+3] += alpha * x[i+3]
	}
	for ; i < len(y); i++ {
		y[i] += alpha * x[i]
	}
}
