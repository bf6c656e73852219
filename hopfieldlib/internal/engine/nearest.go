package engine

import "math"

// Fast, exact nearest-pattern search. The squared distances ‖s − ξ^μ‖² = ‖s‖² − 2 s·ξ^μ + ‖ξ^μ‖²
// are first estimated with float32 dot products (four patterns per pass over the state, AVX2
// with GOEXPERIMENT=simd on amd64), each with a rigorous bound on its rounding error; only the
// patterns that the bounds cannot rule out are compared again in float64. The answer is
// therefore the float64 one, with or without SIMD, at close to float32 speed.

// Nearest finds the stored pattern nearest to a state, among the K patterns it was built with.
// It is safe for concurrent use.
type Nearest struct {
	x             []float32 // K×N, row-major
	k, n          int
	norms, rnorms []float64 // ‖ξ^μ‖² and ‖ξ^μ‖ in float64
}

// NewNearest prepares the search over the k×n patterns x (kept, not copied).
func NewNearest(x []float32, k, n int) *Nearest {
	nn := &Nearest{x: x, k: k, n: n, norms: make([]float64, k), rnorms: make([]float64, k)}
	for mu := range k {
		row := x[mu*n : (mu+1)*n]
		nn.norms[mu] = dot64Portable(row, row)
		nn.rnorms[mu] = math.Sqrt(nn.norms[mu])
	}
	return nn
}

// Find returns the index of the stored pattern nearest to s (N values) in Euclidean distance
// and, when signed, whether its negation −ξ^μ is nearer still (then the index is of the pattern
// whose negation is nearest): exactly what a float64 scan with ties to the lowest index and to
// ξ^μ before −ξ^μ returns.
func (nn *Nearest) Find(s []float32, signed bool) (int, bool) {
	return nn.nearestRow(s, signed, make([]float32, nn.k), make([]int, 0, 8))
}

// dot32Bound is the relative rounding-error bound of a float32 dot product of n terms,
// |fl(a·b) − a·b| ≤ γ_n Σ|a_i b_i| ≤ γ_n ‖a‖‖b‖ with γ_n = nu/(1 − nu), u = 2⁻²⁴ (Higham,
// "Accuracy and Stability of Numerical Algorithms", 2002, §3.1), whatever the summation order.
func dot32Bound(n int) float64 {
	nu := float64(n) * 0x1p-24
	return nu / (1 - nu) * 1.01
}

// scores4 sets out[μ] ≈ s·ξ^μ in float32 for every stored pattern.
func (nn *Nearest) scores4(s []float32, out []float32) {
	k, n, x := nn.k, nn.n, nn.x
	mu := 0
	for ; mu+4 <= k; mu += 4 {
		out[mu], out[mu+1], out[mu+2], out[mu+3] = dot4(s,
			x[mu*n:(mu+1)*n], x[(mu+1)*n:(mu+2)*n], x[(mu+2)*n:(mu+3)*n], x[(mu+3)*n:(mu+4)*n])
	}
	for ; mu < k; mu++ {
		a, _, _, _ := dot4(s, x[mu*n:(mu+1)*n], x[mu*n:(mu+1)*n], x[mu*n:(mu+1)*n], x[mu*n:(mu+1)*n])
		out[mu] = a
	}
}

// dot4Scalar returns s·x0, s·x1, s·x2, s·x3 in float32; every x must be as long as s.
func dot4Scalar(s, x0, x1, x2, x3 []float32) (float32, float32, float32, float32) {
	x0, x1, x2, x3 = x0[:len(s)], x1[:len(s)], x2[:len(s)], x3[:len(s)]
	var a0, a1, a2, a3 float32
	for i, v := range s {
		a0 += v * x0[i]
		a1 += v * x1[i]
		a2 += v * x2[i]
		a3 += v * x3[i]
	}
	return a0, a1, a2, a3
}

// nearestRow is Find with scratch sc (K values) and cand.
func (nn *Nearest) nearestRow(s []float32, signed bool, sc []float32, cand []int) (int, bool) {
	norms, rnorms := nn.norms, nn.rnorms
	nn.scores4(s, sc)
	bound := 2 * dot32Bound(len(s)) * math.Sqrt(dot64Portable(s, s)) // error of 2·s·ξ is ≤ bound·‖ξ‖
	// upper: an upper bound on the smallest true distance.
	upper := math.Inf(1)
	for mu, nrm := range norms {
		d, e := 2*float64(sc[mu]), bound*rnorms[mu]+1e-300
		upper = min(upper, nrm-d+e)
		if signed {
			upper = min(upper, nrm+d+e)
		}
	}
	// Every pattern whose lower bound reaches upper may be the nearest: decide in float64.
	cand = cand[:0]
	for mu, nrm := range norms {
		d, e := 2*float64(sc[mu]), bound*rnorms[mu]+1e-300
		if nrm-d-e <= upper || (signed && nrm+d-e <= upper) {
			cand = append(cand, mu)
		}
	}
	best, bestNeg, bestD := 0, false, math.Inf(1)
	for _, mu := range cand {
		d := dot64Portable(s, nn.x[mu*nn.n:(mu+1)*nn.n])
		if v := norms[mu] - 2*d; v < bestD {
			best, bestNeg, bestD = mu, false, v
		}
		if v := norms[mu] + 2*d; signed && v < bestD {
			best, bestNeg, bestD = mu, true, v
		}
	}
	return best, bestNeg
}
