package hopfieldlib

import "errors"

// Sentinel errors. Every error returned by this package wraps exactly one of them and says what
// was expected and what came, e.g. "hopfieldlib: wrong shape: probes have 100 units, the network
// has 784".
var (
	// ErrShape reports sizes that do not fit together: ragged rows, a probe of the wrong length.
	ErrShape = errors.New("hopfieldlib: wrong shape")
	// ErrEmpty reports an empty set where at least one pattern or unit is needed.
	ErrEmpty = errors.New("hopfieldlib: empty input")
	// ErrNotSpin reports a value other than -1 or +1 where spins are required.
	ErrNotSpin = errors.New("hopfieldlib: not a ±1 spin")
	// ErrNotFinite reports a NaN or ±Inf in the input.
	ErrNotFinite = errors.New("hopfieldlib: not a finite number")
	// ErrParameter reports a parameter out of its range: β ≤ 0, a negative step limit, a nil
	// random source where one is needed, an unknown option.
	ErrParameter = errors.New("hopfieldlib: invalid parameter")
	// ErrBackend reports a GoMLX backend that cannot be created or that failed to run a graph.
	ErrBackend = errors.New("hopfieldlib: backend")
)
