package hopfieldlib

import "math"

// Fast, exact nearest-pattern search. The squared distances ‖s − ξ^μ‖² = ‖s‖² − 2 s·ξ^μ + ‖ξ^μ‖²
// are first estimated with float32 dot products (four patterns per pass over the state, SIMD
// with GOEXPERIMENT=simd on amd64), each with a rigorous bound on its rounding error; only the
// patterns that the bounds cannot rule out are compared again in float64. The answer is
// therefore the float64 one, with or without SIMD, at close to float32 speed.

// dot32Bound is the relative rounding-error bound of a float32 dot product of n terms,
// |fl(a·b) − a·b| ≤ γ_n Σ|a_i b_i| ≤ γ_n ‖a‖‖b‖ with γ_n = nu/(1 − nu), u = 2⁻²⁴ (Higham,
// "Accuracy and Stability of Numerical Algorithms", 2002, §3.1), whatever the summation order.
func dot32Bound(n int) float64 {
	nu := float64(n) * 0x1p-24
	return nu / (1 - nu) * 1.01
}

// scores4 sets out[μ] ≈ s·ξ^μ in float32 for every stored pattern.
func scores4(stored *Patterns, s []float32, out []float32) {
	k, n := stored.rows, stored.cols
	x := stored.data
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

// nearestRow returns the index of the stored pattern nearest to s (and, when signed, whether
// its negation is nearer), exactly as a float64 scan with ties to the lowest index and to ξ^μ
// before −ξ^μ would. norms[μ] = ‖ξ^μ‖² and rnorms[μ] = ‖ξ^μ‖ in float64; sc and cand are
// scratch of length K.
func nearestRow(stored *Patterns, s []float32, norms, rnorms []float64, signed bool, sc []float32, cand []int) (int, bool) {
	scores4(stored, s, sc)
	bound := 2 * dot32Bound(len(s)) * math.Sqrt(dot64(s, s)) // error of 2·s·ξ is ≤ bound·‖ξ‖
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
		d := dot64(s, stored.Row(mu))
		if v := norms[mu] - 2*d; v < bestD {
			best, bestNeg, bestD = mu, false, v
		}
		if v := norms[mu] + 2*d; signed && v < bestD {
			best, bestNeg, bestD = mu, true, v
		}
	}
	return best, bestNeg
}
