package hopfieldlib

import (
	"fmt"
	"math"

	"github.com/hopfieldlib/hopfield/hopfieldlib/internal/engine"
)

// Patterns is a set of patterns of equal length, stored as the rows of a row-major float32
// matrix (numpy's C order): pattern i is Row(i). Stored memories, probes, states, queries and keys
// are all Patterns; a set of K patterns of N units is "K×N".
//
// The zero value is an empty set. Methods that return a slice into the matrix say so.
type Patterns struct {
	rows, cols int
	data       []float32
}

// NewPatterns copies rows into a new set. Every row must have the same, non-zero length, and every
// value must be finite.
func NewPatterns(rows [][]float32) (*Patterns, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: NewPatterns needs at least one row, got none", ErrEmpty)
	}
	n := len(rows[0])
	if n == 0 {
		return nil, fmt.Errorf("%w: NewPatterns needs rows with at least one unit, row 0 is empty", ErrEmpty)
	}
	data := make([]float32, 0, len(rows)*n)
	for i, r := range rows {
		if len(r) != n {
			return nil, fmt.Errorf("%w: row %d has %d units, row 0 has %d", ErrShape, i, len(r), n)
		}
		data = append(data, r...)
	}
	p := &Patterns{rows: len(rows), cols: n, data: data}
	if err := p.CheckFinite(); err != nil {
		return nil, err
	}
	return p, nil
}

// FromFlat copies data, read row by row, into a new k×n set. len(data) must be k·n and every value
// finite.
func FromFlat(k, n int, data []float32) (*Patterns, error) {
	if k <= 0 || n <= 0 {
		return nil, fmt.Errorf("%w: FromFlat needs k ≥ 1 patterns of n ≥ 1 units, got k=%d, n=%d", ErrEmpty, k, n)
	}
	if len(data) != k*n {
		return nil, fmt.Errorf("%w: FromFlat(%d, %d) needs %d values, got %d", ErrShape, k, n, k*n, len(data))
	}
	p := &Patterns{rows: k, cols: n, data: append([]float32(nil), data...)}
	if err := p.CheckFinite(); err != nil {
		return nil, err
	}
	return p, nil
}

// Zeros returns a k×n set of zeros.
func Zeros(k, n int) (*Patterns, error) {
	if k <= 0 || n <= 0 {
		return nil, fmt.Errorf("%w: Zeros needs k ≥ 1 patterns of n ≥ 1 units, got k=%d, n=%d", ErrEmpty, k, n)
	}
	return &Patterns{rows: k, cols: n, data: make([]float32, k*n)}, nil
}

// Len is the number of patterns (rows).
func (p *Patterns) Len() int {
	if p == nil {
		return 0
	}
	return p.rows
}

// Dim is the number of units in each pattern (columns).
func (p *Patterns) Dim() int {
	if p == nil {
		return 0
	}
	return p.cols
}

// Row returns pattern i as a slice into the matrix: writing to it changes the set.
// It panics if i is out of range, like a slice index.
func (p *Patterns) Row(i int) []float32 {
	if i < 0 || i >= p.rows {
		panic(fmt.Sprintf("hopfieldlib: Row(%d) of a set of %d patterns", i, p.rows))
	}
	return p.data[i*p.cols : (i+1)*p.cols : (i+1)*p.cols]
}

// At returns unit j of pattern i.
func (p *Patterns) At(i, j int) float32 { return p.Row(i)[j] }

// Set sets unit j of pattern i.
func (p *Patterns) Set(i, j int, v float32) { p.Row(i)[j] = v }

// Flat returns the whole matrix, row by row, as a slice into the set: writing to it changes the
// set. Use it for fast loops and to build tensors.
func (p *Patterns) Flat() []float32 {
	if p == nil {
		return nil
	}
	return p.data
}

// Rows returns a copy of the set as one slice per pattern.
func (p *Patterns) Rows() [][]float32 {
	out := make([][]float32, p.Len())
	for i := range out {
		out[i] = append([]float32(nil), p.Row(i)...)
	}
	return out
}

// Clone returns a deep copy.
func (p *Patterns) Clone() *Patterns {
	if p == nil {
		return nil
	}
	return &Patterns{rows: p.rows, cols: p.cols, data: append([]float32(nil), p.data...)}
}

// Subset returns a copy of the patterns at the given indices, in that order (repeats allowed).
func (p *Patterns) Subset(indices ...int) (*Patterns, error) {
	if len(indices) == 0 {
		return nil, fmt.Errorf("%w: Subset needs at least one index, got none", ErrEmpty)
	}
	out := &Patterns{rows: len(indices), cols: p.Dim(), data: make([]float32, 0, len(indices)*p.Dim())}
	for _, i := range indices {
		if i < 0 || i >= p.Len() {
			return nil, fmt.Errorf("%w: Subset index %d is outside [0, %d)", ErrShape, i, p.Len())
		}
		out.data = append(out.data, p.Row(i)...)
	}
	return out, nil
}

// First returns a copy of the first k patterns.
func (p *Patterns) First(k int) (*Patterns, error) {
	if k <= 0 || k > p.Len() {
		return nil, fmt.Errorf("%w: First(%d) of a set of %d patterns: need 1 ≤ k ≤ %d", ErrShape, k, p.Len(), p.Len())
	}
	return &Patterns{rows: k, cols: p.cols, data: append([]float32(nil), p.data[:k*p.cols]...)}, nil
}

// String describes the set's shape, e.g. "Patterns(10×784)".
func (p *Patterns) String() string { return fmt.Sprintf("Patterns(%d×%d)", p.Len(), p.Dim()) }

// CheckFinite returns an error wrapping [ErrNotFinite] naming the first NaN or ±Inf, or
// [ErrEmpty] for an empty set.
func (p *Patterns) CheckFinite() error {
	if p.Len() == 0 || p.Dim() == 0 {
		return fmt.Errorf("%w: got an empty set of patterns (%d×%d)", ErrEmpty, p.Len(), p.Dim())
	}
	// One branch-free pass, and a second only to name the culprit.
	if engine.AllFinite(p.data) {
		return nil
	}
	for idx, v := range p.data {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			return fmt.Errorf("%w: pattern %d, unit %d is %v", ErrNotFinite, idx/p.cols, idx%p.cols, v)
		}
	}
	return nil
}

// CheckSpins returns an error wrapping [ErrNotSpin] naming the first value that is not -1 or +1
// (or [ErrEmpty] for an empty set). Use [Binarize] or [ToSpins] to turn images into spins.
func (p *Patterns) CheckSpins() error {
	if p.Len() == 0 || p.Dim() == 0 {
		return fmt.Errorf("%w: got an empty set of patterns (%d×%d)", ErrEmpty, p.Len(), p.Dim())
	}
	for idx, v := range p.data {
		if v != 1 && v != -1 {
			return fmt.Errorf("%w: pattern %d, unit %d is %v, want -1 or +1 (binarize images first; mask spins with -1, not 0)",
				ErrNotSpin, idx/p.cols, idx%p.cols, v)
		}
	}
	return nil
}

// checkProbes validates a batch of probes against a network of n units: non-empty, n units each,
// finite, and (if spins) ±1. what names the argument in messages ("probes", "states", "queries").
func checkProbes(what string, p *Patterns, n int, spins bool) error {
	if p == nil || p.Len() == 0 {
		return fmt.Errorf("%w: %s: need at least one pattern, got none", ErrEmpty, what)
	}
	if p.Dim() != n {
		return fmt.Errorf("%w: %s have %d units, the network has %d", ErrShape, what, p.Dim(), n)
	}
	if spins {
		if err := p.CheckSpins(); err != nil {
			return fmt.Errorf("%s: %w", what, err)
		}
		return nil
	}
	if err := p.CheckFinite(); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	return nil
}
