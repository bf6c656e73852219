package experiments

import "math"

// Theory lines for capacity plots. Each is a function of the number of units N (a float64, so
// plots can draw smooth curves) and returns a number of patterns K.

// AGSCapacity is 0.138·N, the load α_c ≈ 0.138 at which the Hebbian network's retrieval states
// disappear for random patterns (Amit, Gutfreund & Sompolinsky 1985, "Storing infinite numbers
// of patterns in a spin-glass model of neural networks", PRL 55). Near it, about 1.5% of the bits
// of a retrieved pattern are wrong, so exact stability is lost earlier.
func AGSCapacity(n float64) float64 { return 0.138 * n }

// McElieceCapacity is N/(2 ln N): below it a given random pattern is a fixed point of the Hebbian
// network with probability → 1 (McEliece, Posner, Rodemich & Venkatesh 1987, "The capacity of the
// Hopfield associative memory", IEEE Trans. Inf. Theory 33). For all K patterns to be fixed
// points at once the bound is N/(4 ln N): half of it. 0 for N ≤ 1.
func McElieceCapacity(n float64) float64 {
	if n <= 1 {
		return 0
	}
	return n / (2 * math.Log(n))
}

// PolynomialCapacity is N^(d−1) / (2·(2d−3)!!·ln N), the number of random patterns that a dense
// associative memory with F(x) = x^d stores as fixed points (Demircigil, Heusel, Löwe, Upgang &
// Vermet 2017, "On a model of associative memory with huge storage capacity", J. Stat. Phys. 168;
// the N^(d−1) scaling is Krotov & Hopfield 2016). d = 2 is the classical network and gives
// [McElieceCapacity]. 0 for N ≤ 1 or d < 2.
func PolynomialCapacity(n float64, degree int) float64 {
	if n <= 1 || degree < 2 {
		return 0
	}
	dfact := 1.0 // (2d−3)!!
	for k := 2*degree - 3; k > 1; k -= 2 {
		dfact *= float64(k)
	}
	return math.Exp(float64(degree-1)*math.Log(n) - math.Log(2*dfact*math.Log(n)))
}

// LogExponentialCapacity is ln K for the exponential dense memory F(x) = e^x: K = exp(αN) random
// patterns with α < I(1−2ρ)/2 are retrieved from probes with a fraction ρ of wrong bits, where
// I(x) = ½[(1+x)ln(1+x) + (1−x)ln(1−x)] (Demircigil et al. 2017). With ρ = 0, α = ln2/2: K =
// 2^(N/2). It returns the logarithm because K overflows float64 beyond N ≈ 2,000; ρ outside
// [0, ½) gives 0.
func LogExponentialCapacity(n, rho float64) float64 {
	if n <= 0 || !(rho >= 0 && rho < 0.5) {
		return 0
	}
	x := 1 - 2*rho
	i := (1 + x) * math.Log1p(x)
	if x < 1 {
		i += (1 - x) * math.Log1p(-x)
	}
	return n * i / 4 // α = I/2 with I = ½[…]
}
