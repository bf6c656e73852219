package engine

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// reference is the float64 evaluation of one query: weights softmax(β X ξ), Vᵀp and
// lme = β⁻¹ log((1/K) Σ exp(β s)), straight from the formulas (max-shifted).
func reference(x []float32, k, d int, v []float32, dv int, beta float64, xi []float32) (next, p []float64, lme float64) {
	s := make([]float64, k)
	m := math.Inf(-1)
	for mu := range k {
		var dot float64
		for j := range d {
			dot += float64(x[mu*d+j]) * float64(xi[j])
		}
		s[mu] = dot
		m = max(m, dot)
	}
	p = make([]float64, k)
	var z, zm1 float64
	for mu := range k {
		t := beta * (s[mu] - m)
		p[mu] = math.Exp(t)
		z += p[mu]
		zm1 += math.Expm1(t)
	}
	next = make([]float64, dv)
	for mu := range k {
		p[mu] /= z
		for j := range dv {
			next[j] += p[mu] * float64(v[mu*dv+j])
		}
	}
	return next, p, m + math.Log1p(zm1/float64(k))/beta
}

// attnCase is one input of the property test.
type attnCase struct {
	name    string
	k, d, b int
	beta    float64
	x, q    []float32
}

func attnCases() []attnCase {
	var cases []attnCase
	gauss := func(n int, scale float64, seed uint64) []float32 {
		r := rand.New(rand.NewPCG(seed, 3))
		out := make([]float32, n)
		for i := range out {
			out[i] = float32(r.NormFloat64() * scale)
		}
		return out
	}
	for _, beta := range []float64{1e-3, 0.1, 1, 10, 1e3, 1e4} {
		for _, k := range []int{1, 37, 700} {
			const d, b = 50, 20
			x := randomSlice(k*d, 0, 1, uint64(k))
			q := make([]float32, b*d)
			r := rand.New(rand.NewPCG(uint64(k), 5))
			for i := range b { // near stored patterns, with noise and no zero unit
				for j := range d {
					q[i*d+j] = x[(i%k)*d+j]*0.8 + 0.1 + float32(r.Float64()*0.1)
				}
			}
			cases = append(cases, attnCase{fmt.Sprintf("uniform/β=%g/K=%d", beta, k), k, d, b, beta, x, q})
		}
		// Huge and tiny norms: the same data scaled by 2^±70 (and β by the inverse square, so
		// the softmax is the same problem).
		for _, e := range []int{70, -70} {
			const k, d, b = 200, 30, 10
			x, q := gauss(k*d, 1, 9), gauss(b*d, 1, 10)
			for i := range x {
				x[i] = float32(math.Ldexp(float64(x[i]), e))
			}
			for i := range q {
				q[i] = float32(math.Ldexp(float64(q[i]), e))
			}
			cases = append(cases, attnCase{fmt.Sprintf("norm 2^%d/β=%g", e, beta), k, d, b, math.Ldexp(beta, -2*e) * 0.01, x, q})
		}
	}
	// K = 60,000 (short patterns, few queries: the size, not the cost).
	for _, beta := range []float64{1e-3, 1, 1e4} {
		const k, d, b = 60000, 16, 8
		x := randomSlice(k*d, 0, 1, 60)
		q := make([]float32, b*d)
		for i := range q {
			q[i] = x[i]*0.9 + 0.05
		}
		cases = append(cases, attnCase{fmt.Sprintf("uniform/β=%g/K=%d", beta, k), k, d, b, beta, x, q})
	}
	// Near-ties: many heavy patterns whose scores differ far below float32's resolution of the
	// scores (the case float32 scores alone get wrong: all weights equal).
	for _, k := range []int{100, 2048, 5000, 60000} {
		x := make([]float32, k*2)
		for mu := range k {
			x[2*mu], x[2*mu+1] = 1e4, float32(-1+2*float64(mu)/float64(k-1))
		}
		cases = append(cases, attnCase{fmt.Sprintf("near-tie/K=%d", k), k, 2, 1, 1e4, x, []float32{1, 4.8e-4}})
	}
	return cases
}

// TestAttentionAgreesWithFloat64Reference is the property test of the documented bounds, over
// β from 10⁻³ to 10⁴, K up to 60,000, near-ties, huge and tiny norms, on every instruction set,
// with and without pruning: ‖p̂ − p‖₁ ≤ WeightsError (+ the pruning and float32 rounding), the
// update within ½·that·range(v) + gemmError(K)·max|v| (+ rounding), lme within that/β.
func TestAttentionAgreesWithFloat64Reference(t *testing.T) {
	var paths [kindCorrected + 1]int
	defer func() {
		t.Logf("queries per path (exact, fast, corrected): %v", paths[kindExact:])
		// The grid must reach every way of finishing a query.
		if paths[kindExact] == 0 || paths[kindFast] == 0 || paths[kindCorrected] == 0 {
			t.Errorf("queries per path (exact, fast, corrected): %v: the grid misses one", paths[kindExact:])
		}
	}()
	for _, isa := range Available() {
		for _, dense := range []bool{false, true} {
			for _, tc := range attnCases() {
				t.Run(fmt.Sprintf("%s/dense=%v/%s", isa, dense, tc.name), func(t *testing.T) {
					a := NewAttention(tc.x, tc.k, tc.d, tc.x, tc.d, tc.beta, Options{ISA: isa, Dense: dense})
					res, err := a.Evaluate(tc.q, tc.b, Want{Next: true, LogMeanExp: true, Weights: true})
					if err != nil {
						t.Fatal(err)
					}
					checkAgainstReference(t, tc, res)
					for i, n := range res.paths {
						paths[i] += n
					}
				})
			}
		}
	}
}

func checkAgainstReference(t *testing.T, tc attnCase, res *Result) {
	t.Helper()
	const weightsBound = WeightsError + 0x1p-24
	lo, hi := make([]float64, tc.d), make([]float64, tc.d)
	for j := range tc.d {
		lo[j], hi[j] = math.Inf(1), math.Inf(-1)
		for mu := range tc.k {
			lo[j], hi[j] = min(lo[j], float64(tc.x[mu*tc.d+j])), max(hi[j], float64(tc.x[mu*tc.d+j]))
		}
	}
	for b := range tc.b {
		next, p, lme := reference(tc.x, tc.k, tc.d, tc.x, tc.d, tc.beta, tc.q[b*tc.d:(b+1)*tc.d])
		var l1 float64
		for mu := range tc.k {
			l1 += math.Abs(float64(res.Weights[b*tc.k+mu]) - p[mu])
		}
		if l1 > weightsBound {
			t.Fatalf("query %d: weights ℓ1 error %g > %g", b, l1, weightsBound)
		}
		for j := range tc.d {
			maxAbs := max(math.Abs(lo[j]), math.Abs(hi[j]))
			bound := 0.5*weightsBound*(hi[j]-lo[j]) + gemmError(tc.k)*maxAbs + 0x1p-23*math.Abs(next[j]) + 1e-300
			if got := float64(res.Next[b*tc.d+j]); math.Abs(got-next[j]) > bound {
				t.Fatalf("query %d unit %d: %v, float64 %v (bound %g)", b, j, got, next[j], bound)
			}
		}
		if bound := weightsBound/tc.beta + 1e-12*math.Abs(lme); math.Abs(res.LogMeanExp[b]-lme) > bound {
			t.Fatalf("query %d: lme %v, float64 %v (bound %g)", b, res.LogMeanExp[b], lme, bound)
		}
	}
}

// TestAttentionNearTie: 2048 heavy patterns (10⁴, −1 + 2μ/2047) and the query (1, 4.8·10⁻⁴) at
// β = 10⁴: the scores differ by at most 10⁻³, below float32's spacing at 10⁴, so float32 scores
// alone give uniform weights; float64 gives w₀ = 3.17·10⁻⁷, w₂₀₄₇ = 4.68·10⁻³ and the update
// (10⁴, 0.792).
func TestAttentionNearTie(t *testing.T) {
	const k = 2048
	x := make([]float32, 2*k)
	for mu := range k {
		x[2*mu], x[2*mu+1] = 1e4, float32(-1+2*float64(mu)/(k-1))
	}
	for _, isa := range Available() {
		for _, dense := range []bool{false, true} {
			a := NewAttention(x, k, 2, x, 2, 1e4, Options{ISA: isa, Dense: dense})
			res, err := a.Evaluate([]float32{1, 4.8e-4}, 1, Want{Next: true, Weights: true})
			if err != nil {
				t.Fatal(err)
			}
			w0, wLast := res.Weights[0], res.Weights[k-1]
			if math.Abs(float64(w0)-3.17e-7) > 0.01e-7 || math.Abs(float64(wLast)-4.68e-3) > 0.01e-3 {
				t.Errorf("%s dense=%v: w₀ = %v, w₂₀₄₇ = %v, want 3.17e-7 and 4.68e-3", isa, dense, w0, wLast)
			}
			if res.Next[0] != 1e4 || math.Abs(float64(res.Next[1])-0.792) > 0.001 {
				t.Errorf("%s dense=%v: step (%v, %v), want (1e4, 0.792)", isa, dense, res.Next[0], res.Next[1])
			}
		}
	}
}
