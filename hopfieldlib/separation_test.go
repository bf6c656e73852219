package hopfieldlib

import (
	"errors"
	"math"
	"testing"
)

func TestSeparationValues(t *testing.T) {
	tests := []struct {
		f       Separation
		name    string
		x       float64
		want    float64 // F(x), by hand
		wantLog float64 // log|F(x)|, by hand
		sign    int
	}{
		{Polynomial(3), "x^3", 2, 8, 3 * math.Ln2, 1},
		{Polynomial(3), "x^3", -2, -8, 3 * math.Ln2, -1},
		{Polynomial(2), "x^2", -3, 9, 2 * math.Log(3), 1},
		{Polynomial(5), "x^5", 0, 0, 0, 0},
		{RectifiedPolynomial(3), "relu^3", 2, 8, 3 * math.Ln2, 1},
		{RectifiedPolynomial(3), "relu^3", -2, 0, 0, 0},
		{RectifiedPolynomial(1), "relu^1", 0, 0, 0, 0},
		{Exponential(1), "exp", 2, math.Exp(2), 2, 1},
		{Exponential(0.5), "exp(0.5x)", -4, math.Exp(-2), -2, 1},
		// Beyond float64: exp(784) ≈ 1e340 saturates, its logarithm is exact.
		{Exponential(1), "exp", 784, math.MaxFloat64, 784, 1},
		// 784^30 ≈ 6.8e86 fits float64 (not float32).
		{Polynomial(30), "x^30", 784, math.Pow(784, 30), 30 * math.Log(784), 1},
		{Polynomial(40), "x^40", -1e10, math.MaxFloat64, 400 * math.Ln10, 1},
	}
	for _, tt := range tests {
		if got := tt.f.String(); got != tt.name {
			t.Errorf("String() = %q, want %q", got, tt.name)
		}
		if got := tt.f.F(tt.x); math.Abs(got-tt.want) > 1e-12*math.Abs(tt.want) {
			t.Errorf("%s.F(%v) = %v, want %v", tt.f, tt.x, got, tt.want)
		}
		l, s := tt.f.LogF(tt.x)
		if s != tt.sign || math.Abs(l-tt.wantLog) > 1e-12*math.Max(1, math.Abs(tt.wantLog)) {
			t.Errorf("%s.LogF(%v) = (%v, %d), want (%v, %d)", tt.f, tt.x, l, s, tt.wantLog, tt.sign)
		}
	}
}

func TestSeparationAccessors(t *testing.T) {
	if f := Polynomial(7); f.Degree() != 7 || f.Beta() != 0 || f.IsExponential() {
		t.Errorf("Polynomial(7): Degree %d, Beta %v, IsExponential %v", f.Degree(), f.Beta(), f.IsExponential())
	}
	if f := Exponential(2.5); f.Degree() != 0 || f.Beta() != 2.5 || !f.IsExponential() {
		t.Errorf("Exponential(2.5): Degree %d, Beta %v, IsExponential %v", f.Degree(), f.Beta(), f.IsExponential())
	}
	if got := (Separation{}).String(); got != "Separation(invalid)" {
		t.Errorf("zero value String() = %q", got)
	}
	// Invalid functions and inputs give 0 rather than NaN.
	if v := (Separation{}).F(1); v != 0 {
		t.Errorf("zero value F(1) = %v, want 0", v)
	}
	if v := Exponential(1).F(math.NaN()); v != 0 {
		t.Errorf("F(NaN) = %v, want 0", v)
	}
	if l, s := Polynomial(3).LogF(math.Inf(1)); l != 0 || s != 0 {
		t.Errorf("LogF(+Inf) = (%v, %d), want (0, 0)", l, s)
	}
}

func TestSeparationCheck(t *testing.T) {
	good := []Separation{Polynomial(1), Polynomial(MaxDegree), RectifiedPolynomial(30), Exponential(1e-300), Exponential(MaxDenseBeta)}
	for _, f := range good {
		if err := f.Check(); err != nil {
			t.Errorf("%s.Check() = %v, want nil", f, err)
		}
	}
	bad := []Separation{
		{}, Polynomial(0), Polynomial(-2), Polynomial(MaxDegree + 1), RectifiedPolynomial(0),
		Exponential(0), Exponential(-1), Exponential(math.NaN()), Exponential(math.Inf(1)), Exponential(2 * MaxDenseBeta),
	}
	for _, f := range bad {
		if err := f.Check(); !errors.Is(err, ErrParameter) {
			t.Errorf("%s.Check() = %v, want ErrParameter", f, err)
		}
	}
}
