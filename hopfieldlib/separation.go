package hopfieldlib

import (
	"fmt"
	"math"
	"strconv"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// MaxDegree is the highest polynomial degree a [Separation] accepts. Krotov & Hopfield (2016)
// use degrees up to 30 (on MNIST, N = 784); the bound 40 leaves room above that and keeps every
// normalized term (m/(N+2))ⁿ that the dense dynamics work with inside float64's normal range
// (above 1e-308) for every network [NewDense] accepts (N < 2^24: 40·ln(2^24) ≈ 665 < 708).
// Beyond n ≈ 40 the polynomial already behaves like the exponential: the largest overlap
// decides alone.
const MaxDegree = 40

// MaxDenseBeta is the largest β [Exponential] accepts. At β ≈ 370 the weight e^(−2β) of a pattern
// one flip behind the best one already underflows float64, so larger β change nothing; the bound
// keeps β·N, the exponent of the largest term, finite for every network that fits in memory.
const MaxDenseBeta = 1e6

type separationKind uint8

const (
	sepInvalid separationKind = iota // the zero value: no separation function chosen
	sepPolynomial
	sepRectified
	sepExponential
)

// Separation is the separation function F of a dense associative memory, whose energy is
// E(σ) = −Σ_μ F(ξ^μ·σ). The faster F grows, the more sharply the largest overlap dominates and
// the more patterns the network stores: about N^(n−1) for F(x) = xⁿ (Krotov & Hopfield 2016,
// "Dense associative memory for pattern recognition"), exponentially many, 2^(N/2) with
// F(x) = exp(x) (Demircigil et al. 2017, "On a model of associative memory with huge storage
// capacity"), against 0.138·N for the classical network, which is F(x) = x².
//
// Build one with [Polynomial], [RectifiedPolynomial] or [Exponential]. It is a small value: copy
// it freely. The zero value is invalid: [NewDense] rejects it.
type Separation struct {
	kind   separationKind
	degree int     // n, for the polynomials
	beta   float64 // β, for the exponential
}

// Polynomial returns F(x) = xⁿ. Odd degrees take negative values for negative overlaps, so an
// anti-aligned pattern raises the energy; even degrees treat a pattern and its negative alike.
// The degree must be in 1…[MaxDegree]; [NewDense] reports a bad one.
func Polynomial(n int) Separation { return Separation{kind: sepPolynomial, degree: n} }

// RectifiedPolynomial returns F(x) = max(x, 0)ⁿ, the rectified polynomial of Krotov & Hopfield
// (2016): only patterns with a positive overlap count. The degree must be in 1…[MaxDegree].
func RectifiedPolynomial(n int) Separation { return Separation{kind: sepRectified, degree: n} }

// Exponential returns F(x) = exp(βx) (Demircigil et al. 2017, with β = 1 on the raw overlaps).
// β must be finite and in (0, [MaxDenseBeta]].
func Exponential(beta float64) Separation { return Separation{kind: sepExponential, beta: beta} }

// Degree returns n for the polynomials and 0 for the exponential.
func (f Separation) Degree() int {
	if f.kind == sepExponential {
		return 0
	}
	return f.degree
}

// Beta returns β for the exponential and 0 for the polynomials.
func (f Separation) Beta() float64 {
	if f.kind == sepExponential {
		return f.beta
	}
	return 0
}

// IsExponential reports whether F is exp(βx).
func (f Separation) IsExponential() bool { return f.kind == sepExponential }

// String names F compactly: "x^3", "relu^3" (the rectified polynomial), "exp" (β = 1) or
// "exp(0.5x)".
func (f Separation) String() string {
	switch f.kind {
	case sepPolynomial:
		return "x^" + strconv.Itoa(f.degree)
	case sepRectified:
		return "relu^" + strconv.Itoa(f.degree)
	case sepExponential:
		if f.beta == 1 {
			return "exp"
		}
		return "exp(" + strconv.FormatFloat(f.beta, 'g', -1, 64) + "x)"
	}
	return "Separation(invalid)"
}

// Check returns nil for a usable F, or an error wrapping [ErrParameter] that says what is wrong:
// the zero value, a degree outside 1…[MaxDegree], a β that is not finite or outside
// (0, [MaxDenseBeta]].
func (f Separation) Check() error {
	switch f.kind {
	case sepPolynomial, sepRectified:
		if f.degree < 1 || f.degree > MaxDegree {
			return fmt.Errorf("%w: %s degree must be in 1…%d, got %d", ErrParameter, f.kindName(), MaxDegree, f.degree)
		}
	case sepExponential:
		if math.IsNaN(f.beta) || math.IsInf(f.beta, 0) || f.beta <= 0 || f.beta > MaxDenseBeta {
			return fmt.Errorf("%w: Exponential needs a finite β in (0, %g], got %v", ErrParameter, float64(MaxDenseBeta), f.beta)
		}
	default:
		return fmt.Errorf("%w: no separation function: use Polynomial(n), RectifiedPolynomial(n) or Exponential(β)", ErrParameter)
	}
	return nil
}

func (f Separation) kindName() string {
	if f.kind == sepRectified {
		return "RectifiedPolynomial"
	}
	return "Polynomial"
}

// F returns F(x) in float64. Where the true value is beyond float64 (exp(βx) for βx > 709.78,
// or |x|ⁿ > 1.8e308) it saturates at ±math.MaxFloat64 instead of returning ±Inf; use
// [Separation.LogF] there. An invalid F (see [Separation.Check]) or a NaN x gives 0.
func (f Separation) F(x float64) float64 {
	if f.Check() != nil || math.IsNaN(x) {
		return 0
	}
	var v float64
	switch f.kind {
	case sepExponential:
		v = math.Exp(f.beta * x)
	case sepRectified:
		if x <= 0 {
			return 0
		}
		v = math.Pow(x, float64(f.degree))
	default:
		v = math.Pow(x, float64(f.degree))
	}
	return max(-math.MaxFloat64, min(v, math.MaxFloat64))
}

// LogF returns log|F(x)| and the sign of F(x) (−1, 0 or +1), computed without overflow: βx for
// the exponential, n·log|x| for the polynomials. When the sign is 0 (F(x) = 0) the logarithm
// is reported as 0 and means nothing. An invalid F or a NaN or infinite x gives (0, 0).
func (f Separation) LogF(x float64) (logAbs float64, sign int) {
	if f.Check() != nil || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, 0
	}
	switch f.kind {
	case sepExponential:
		return f.beta * x, 1
	case sepRectified:
		if x <= 0 {
			return 0, 0
		}
		return float64(f.degree) * math.Log(x), 1
	}
	switch {
	case x == 0:
		return 0, 0
	case x < 0 && f.degree%2 == 1:
		return float64(f.degree) * math.Log(-x), -1
	}
	return float64(f.degree) * math.Log(math.Abs(x)), 1
}

// nonNegative reports whether F(x) ≥ 0 for every x (all but the odd polynomials).
func (f Separation) nonNegative() bool {
	return f.kind != sepPolynomial || f.degree%2 == 0
}

// monotoneGain reports whether the gain g(m) = F(m+2) − F(m−2) is ≥ 0 for every m, that is
// whether F is non-decreasing (all but the even polynomials).
func (f Separation) monotoneGain() bool {
	return f.kind != sepPolynomial || f.degree%2 == 1
}

// engine returns F in the engine's terms.
func (f Separation) engine() engine.DenseF {
	switch f.kind {
	case sepPolynomial:
		return engine.DenseF{Kind: engine.DensePolynomial, Degree: f.degree}
	case sepRectified:
		return engine.DenseF{Kind: engine.DenseRectified, Degree: f.degree}
	}
	return engine.DenseF{Kind: engine.DenseExponential, Beta: f.beta}
}
