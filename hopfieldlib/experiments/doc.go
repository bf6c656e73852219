// Package experiments runs the sweeps that back the course's claims with numbers: noise
// robustness, capacity, β sweeps, convergence speed and a census of spurious states. Each
// experiment is a function that returns a [Table]: named columns, one row per setting, with the
// mean and the standard deviation over seeds, ready for Markdown, CSV or a plot ([Table.XYErr]
// pulls out plain []float64 series).
//
// Experiments are written against [hopfieldlib.Memory], so they run on every model family: a
// [Builder] makes a memory from stored patterns ([Classical], [Dense] and [Continuous] wrap the
// library's constructors). Randomness comes from explicit seeds; the same configuration gives
// the same table.
//
// Every experiment takes a context.Context, checked between recalls, and returns ctx.Err() when
// it is cancelled. Long sweeps report progress to an optional [Progress]: [NewTerminal] draws a
// bar on a terminal, [NewNotebook] an updating line in a GoNB notebook. Without one, the package
// prints nothing.
//
// Theory lines for capacity plots are functions of N: [AGSCapacity] (0.138N, Amit, Gutfreund &
// Sompolinsky 1985), [McElieceCapacity] (N/(2 ln N), McEliece et al. 1987), [PolynomialCapacity]
// and [LogExponentialCapacity] (dense memories, Demircigil et al. 2017).
package experiments
