package engine

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

func poly(n int) DenseF { return DenseF{Kind: DensePolynomial, Degree: n} }
func rect(n int) DenseF { return DenseF{Kind: DenseRectified, Degree: n} }

// value is F(x) in float64, for the tests.
func (f DenseF) value(x float64) float64 {
	switch f.Kind {
	case DenseExponential:
		return math.Exp(f.Beta * x)
	case DenseRectified:
		x = max(x, 0)
	}
	return math.Pow(x, float64(f.Degree))
}

// TestDenseKernelsAgree: the SIMD kernels of the dense dynamics (GOEXPERIMENT=simd on amd64
// with AVX2) and the portable ones: the same elementwise products exactly, sums within their
// rounding bound.
func TestDenseKernelsAgree(t *testing.T) {
	r := rand.New(rand.NewPCG(19, 20))
	for _, kp := range []int{16, 32, 1008} {
		x := make([]float32, kp)
		g := make([]float32, kp)
		for i := range x {
			x[i] = float32(2*r.IntN(2) - 1)
			g[i] = r.Float32()
		}
		for _, s := range []float32{-1, 1} {
			var want float64 // 2·Σ over disagreeing entries, in float64
			for i := range x {
				if x[i] != s {
					want += 2 * float64(g[i])
				}
			}
			for name, got := range map[string]float32{"dispatch": denseDisagree(x, g, s), "scalar": denseDisagreeScalar(x, g, s)} {
				if math.Abs(float64(got)-want) > float64(kp)*0x1p-22*want {
					t.Errorf("%s disagree kp=%d s=%v: %v, want %v", name, kp, s, got, want)
				}
			}
			m1 := slices.Clone(g)
			m2 := slices.Clone(g)
			denseAddScaled(m1, x, 2*s)
			denseAddScaledScalar(m2, x, 2*s)
			w1 := slices.Clone(g)
			w2 := slices.Clone(g)
			s1 := denseReweigh(w1, x, s, 7.5, 0.125)
			s2 := denseReweighScalar(w2, x, s, 7.5, 0.125)
			if !slices.Equal(m1, m2) || !slices.Equal(w1, w2) || math.Abs(s1-s2) > float64(kp)*0x1p-22*s1 {
				t.Errorf("kp=%d: SIMD and scalar update kernels differ", kp)
			}
			for i := range x {
				f := float32(0.125)
				if x[i] == s {
					f = 7.5
				}
				if w2[i] != g[i]*f {
					t.Fatalf("reweigh[%d] = %v, want %v", i, w2[i], g[i]*f)
				}
			}
		}
	}
}

// TestDensePolyKernelAgrees: the polynomial gains, SIMD and portable, bit for bit, and against
// F in float64.
func TestDensePolyKernelAgrees(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	for _, f := range []DenseF{poly(1), poly(3), poly(4), rect(3), rect(10)} {
		for _, k := range []int{5, 16, 100} {
			kp := (k + denseLanes - 1) / denseLanes * denseLanes
			m := make([]float32, kp)
			x := make([]float32, kp)
			for mu := range k {
				m[mu] = float32(2*r.IntN(201) - 200) // even overlaps in [−200, 200]
				x[mu] = float32(2*r.IntN(2) - 1)
			}
			m1, m2 := slices.Clone(m), slices.Clone(m)
			g1, g2 := make([]float32, kp), make([]float32, kp)
			rect := f.Kind == DenseRectified
			d1, a1 := densePolyUpdate(m1, g1, x, -2, k, f.Degree, rect)
			d2, a2 := densePolyUpdateScalar(m2, g2, x, -2, k, f.Degree, rect)
			if !slices.Equal(m1, m2) || !slices.Equal(g1, g2) {
				t.Fatalf("%+v K=%d: SIMD and scalar gains differ", f, k)
			}
			var ds, ab float64 // the same sums in float64 from the exact formula
			for mu := range k {
				v := float64(m[mu] - 2*x[mu])
				fa, fb, fc := f.value(v+2), f.value(v-2), f.value(v)
				if want := fa - fb; math.Abs(float64(g2[mu])-want) > 1e-6*(math.Abs(fa)+math.Abs(fb)) {
					t.Fatalf("%+v: g[%d] = %v, want %v", f, mu, g2[mu], want)
				}
				ds += fb - fc
				ab += math.Abs(fa) + 2*math.Abs(fb) + math.Abs(fc)
			}
			for _, got := range [][2]float64{{d1, a1}, {d2, a2}} {
				if math.Abs(got[0]-ds) > 1e-5*ab || math.Abs(got[1]-ab) > 1e-5*ab {
					t.Errorf("%+v K=%d: sums (%v, %v), want (%v, %v)", f, k, got[0], got[1], ds, ab)
				}
			}
			for mu := k; mu < kp; mu++ {
				if g1[mu] != 0 {
					t.Fatalf("%+v: padding gain %d is %v", f, mu, g1[mu])
				}
			}
		}
	}
}

// TestDenseSparseListing: near a stored pattern at β = 1 the exponential's decisions visit only
// the few patterns whose weight is above 0 (the sparse path is taken), and with NoSparse none are
// listed.
func TestDenseSparseListing(t *testing.T) {
	const k, n = 400, 256
	x := spins(k, n, 25)
	probe := slices.Clone(x[:n])
	for i := 0; i < n; i += 5 {
		probe[i] = -probe[i]
	}
	f := DenseF{Kind: DenseExponential, Beta: 1}
	p := NewDense(x, k, n, f, DenseOptions{ISA: Best()}).NewProbe(slices.Clone(probe))
	if p.act == nil || len(p.act) > 3 {
		t.Errorf("%d patterns listed near a stored one, want 1 to 3", len(p.act))
	}
	if q := NewDense(x, k, n, f, DenseOptions{ISA: Best(), NoSparse: true}).NewProbe(probe); q.act != nil {
		t.Errorf("NoSparse: %d patterns listed", len(q.act))
	}
}
