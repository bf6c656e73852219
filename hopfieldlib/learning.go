package hopfieldlib

import (
	"fmt"
	"math"
)

// LearningRule chooses how a [Classical] network turns its stored patterns into weights. Every
// rule gives a symmetric W with a zero diagonal, so asynchronous dynamics never raise the energy.
type LearningRule int

const (
	// Hebbian is the outer-product rule of Hopfield (1982): W = (1/N) Σ_μ ξ^μ ξ^μᵀ with the
	// diagonal set to zero. Capacity ≈ 0.138N random patterns (Amit, Gutfreund & Sompolinsky
	// 1985), far less for correlated ones.
	Hebbian LearningRule = iota
	// Storkey is the incremental, local rule of Storkey (1997), "Increasing the capacity of a
	// Hopfield network without sacrificing functionality", ICANN'97:
	//
	//	w_ij ← w_ij + (1/N)(ξ_i ξ_j − ξ_i h_ji − h_ij ξ_j),   h_ij = Σ_{k≠i,j} w_ik ξ_k,
	//
	// applied pattern by pattern (diagonal kept at zero). Capacity ≈ N/√(2 ln N) random patterns,
	// and it copes better than Hebbian with correlated patterns. Costs O(K N²) to build.
	Storkey
	// PseudoInverse is the projection rule (Personnaz, Guyon & Dreyfus 1985; Kanter & Sompolinsky
	// 1987): W = Xᵀ (X Xᵀ)⁻¹ X, the orthogonal projection onto the span of the patterns, with the
	// diagonal then set to zero as Kanter & Sompolinsky propose (it enlarges the basins of
	// attraction and keeps the energy non-increasing). A stored pattern then has field
	// (1 − P_ii) ξ_i, so every linearly independent set of up to N−1 patterns is stored as fixed
	// points, correlated or not. The K×K system is solved in float64 by a Cholesky factorisation
	// of the Gram matrix X Xᵀ; a pattern that is (numerically) a combination of earlier ones adds
	// nothing to the span and is skipped, so repeated patterns or K ≥ N are not an error.
	//
	// Where the exact weights are zero, the float64 computation leaves rounding noise (about
	// 10⁻¹⁵), and a unit whose exact field is zero would follow the sign of that noise. So an entry
	// below the rounding level of the computation is set to exactly 0: the level is four times the
	// largest error of P ξ = ξ over the stored patterns in the span (at least 2⁻⁴⁰), and the zeroed
	// entries change no field by more than N times it. When the patterns span all of ℝᴺ (N
	// linearly independent ones, K ≥ N), P is the identity and W is exactly 0: every state is a
	// fixed point, the stored patterns among them. Costs O(K² N + K N²) to build.
	PseudoInverse
)

func (r LearningRule) String() string {
	switch r {
	case Hebbian:
		return "hebbian"
	case Storkey:
		return "storkey"
	case PseudoInverse:
		return "pseudo-inverse"
	}
	return fmt.Sprintf("LearningRule(%d)", int(r))
}

// check returns an error wrapping ErrParameter for an unknown rule.
func (r LearningRule) check() error {
	switch r {
	case Hebbian, Storkey, PseudoInverse:
		return nil
	}
	return fmt.Errorf("%w: learning rule must be Hebbian, Storkey or PseudoInverse, got %v", ErrParameter, r)
}

// storkeyWeights returns the Storkey (1997) weights of the K×N spin patterns x, as a row-major
// N×N float32 matrix (symmetric, zero diagonal). The rule runs in float64.
func storkeyWeights(x *Patterns) []float32 {
	n := x.Dim()
	w := make([]float64, n*n)
	g := make([]float64, n)
	inv := 1 / float64(n)
	for mu := range x.Len() {
		xi := x.Row(mu)
		// g_i = Σ_k w_ik ξ_k; with w_ii = 0 this is Σ_{k≠i}, and h_ij = g_i − w_ij ξ_j.
		parallelFor(n, func(i int) {
			row := w[i*n : (i+1)*n]
			var s float64
			for k, v := range row {
				s += v * float64(xi[k])
			}
			g[i] = s
		})
		// Update the upper triangle from the old weights (w_ji = w_ij by symmetry) and mirror it.
		// Worker i reads and writes only (i, j>i) and writes (j, i): no two workers share a cell.
		parallelFor(n, func(i int) {
			xiI := float64(xi[i])
			for j := i + 1; j < n; j++ {
				xiJ := float64(xi[j])
				wij := w[i*n+j]
				hij := g[i] - wij*xiJ
				hji := g[j] - wij*xiI
				v := wij + inv*(xiI*xiJ-xiI*hji-hij*xiJ)
				w[i*n+j] = v
				w[j*n+i] = v
			}
		})
	}
	out := make([]float32, n*n)
	for i, v := range w {
		out[i] = float32(v)
	}
	return out
}

// pseudoInverseWeights returns the projection-rule weights W = Xᵀ(XXᵀ)⁻¹X of the K×N patterns
// x with the diagonal set to zero, as a row-major N×N float32 matrix, and the number of linearly
// independent patterns that span W.
//
// With C = XXᵀ = LLᵀ (Cholesky) and Y = L⁻¹X, W = XᵀC⁻¹X = YᵀY: the rows of Y are an orthonormal
// basis of the patterns' span. A pattern whose Cholesky pivot is below 1e-8·N (numerically in
// the span of the earlier ones) is skipped: it leaves the projection unchanged. Entries below the
// rounding level are set to 0, and with rank N (P = I) every entry is (see [PseudoInverse]).
func pseudoInverseWeights(x *Patterns) ([]float32, int) {
	k, n := x.Len(), x.Dim()
	flat := x.Flat()
	// Gram matrix, exact: entries are integers of magnitude ≤ N.
	gram := make([]float64, k*k)
	parallelFor(k, func(a int) {
		ra := flat[a*n : (a+1)*n]
		for b := 0; b <= a; b++ {
			rb := flat[b*n : (b+1)*n]
			var s float64
			for j := range ra {
				s += float64(ra[j]) * float64(rb[j])
			}
			gram[a*k+b] = s
		}
	})
	// Cholesky of the selected patterns' Gram matrix, one row at a time.
	tol := 1e-8 * float64(n)
	var sel []int
	var lrows [][]float64 // lrows[a] has a+1 entries: row a of L
	for mu := range k {
		row := make([]float64, len(sel)+1)
		for a, nu := range sel {
			s := gram[max(mu, nu)*k+min(mu, nu)]
			la := lrows[a]
			for b := range a {
				s -= row[b] * la[b]
			}
			row[a] = s / la[a]
		}
		d := gram[mu*k+mu]
		for a := range sel {
			d -= row[a] * row[a]
		}
		if d <= tol {
			continue
		}
		row[len(sel)] = math.Sqrt(d)
		lrows = append(lrows, row)
		sel = append(sel, mu)
	}
	r := len(sel)
	if r == n {
		// The span is ℝᴺ: P = I exactly, and without its diagonal W = 0.
		return make([]float32, n*n), r
	}
	// Yt = (L⁻¹ X_sel)ᵀ by forward substitution, one unit (column of X) at a time: N×r.
	yt := make([]float64, n*r)
	parallelFor(n, func(j int) {
		y := yt[j*r : (j+1)*r]
		for a, mu := range sel {
			s := float64(flat[mu*n+j])
			la := lrows[a]
			for b := range a {
				s -= la[b] * y[b]
			}
			y[a] = s / la[a]
		}
	})
	// P = YᵀY, in float64 (diagonal included, for the residual below).
	p := make([]float64, n*n)
	parallelFor(n, func(i int) {
		yi := yt[i*r : (i+1)*r]
		for j := i; j < n; j++ {
			yj := yt[j*r : (j+1)*r]
			var s float64
			for a := range yi {
				s += yi[a] * yj[a]
			}
			p[i*n+j], p[j*n+i] = s, s
		}
	})
	level := projectionRoundingLevel(p, flat, sel, n)
	w := make([]float32, n*n)
	for i := range n {
		for j := range n {
			if v := p[i*n+j]; i != j && math.Abs(v) > level {
				w[i*n+j] = float32(v)
			}
		}
	}
	return w, r
}

// projectionRoundingLevel estimates the rounding error of the entries of a computed projection p
// (N×N) from how far P ξ is from ξ for up to 16 of the patterns that span it (exactly ξ in exact
// arithmetic): four times the largest |(Pξ)_i − ξ_i|, and at least 2⁻⁴⁰.
func projectionRoundingLevel(p []float64, flat []float32, sel []int, n int) float64 {
	level := 0x1p-40
	for _, mu := range sel[:min(len(sel), 16)] {
		xi := flat[mu*n : (mu+1)*n]
		for i := range n {
			var s float64
			for j, v := range xi {
				s += p[i*n+j] * float64(v)
			}
			level = max(level, 4*math.Abs(s-float64(xi[i])))
		}
	}
	return level
}
