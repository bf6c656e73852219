// Package engine is the floor beneath hopfieldlib's models: the kernels that make them fast, the
// memory layouts those kernels want, and the numerical safeguards (error bounds, float64 and
// exact-integer fallbacks) that keep the fast paths from giving a wrong answer. The models in
// hopfieldlib read as their equations and call the engine through a few types:
//
//   - [Attention]: the continuous update Vᵀ softmax(β X ξ) and its log-mean-exp, for batches of
//     queries (Continuous, Attention); two float32 matrix products in 12×32 register tiles, the
//     softmax in column passes over 16 queries at a time, exact float64 finishing where few
//     patterns matter, and float64 scores for the heaviest patterns where float32 ones could
//     move the weights by more than [WeightsError];
//   - [Overlaps] and [SweepFields]: the classical network's asynchronous sweeps, with the overlaps
//     in exact int16 arithmetic (unit-major, pattern-major and blocked tables) or with the local
//     fields;
//   - [Dense] and [DenseProbe]: the dense memory's flip decisions from the energy difference, in
//     float32 with a rigorous bound, redone in float64 or exact integers when it cannot decide;
//     its energies within 4 ulp;
//   - [Nearest]: the nearest stored pattern, screened in float32 with error bounds and decided
//     in float64.
//
// # Instruction sets
//
// Every kernel has a portable Go twin, the reference the others are tested against
// (the tests named …Agree…). The dense products and the softmax's column passes are assembly
// for AVX-512 (12×32 tiles, 16 lanes, masks) and AVX2 (6×16 tiles), chosen at run time by CPUID
// ([Best]); they need no build flag. The classical and dense dynamics' kernels, the nearest
// screening, the finite check behind hopfieldlib's Patterns.CheckFinite ([AllFinite]) and the
// queries' largest units and norms use simd/archsimd (AVX2, and FMA where they fuse), compiled
// with GOEXPERIMENT=simd and chosen at run time too.
// Constructors take an [ISA]; Portable forces the plain Go kernels, which is how the tests cover
// every twin on one machine. The purego build tag leaves the assembly out.
//
// The twins are not all bit-identical, and what differs is bounded:
//
//   - the classical kernels compute exact integers (overlaps) or the same two roundings per
//     update (fields): identical results;
//   - the dense kernels form the same elementwise products exactly and differ only in the order of
//     the additions inside a proven bound, and every decision the bound cannot settle is redone
//     in float64: identical dynamics;
//   - the float32 products of the continuous step differ in rounding (fused multiply-adds, lane
//     order): each output is within gemmError(n)·Σ|a_k b_k| of the exact sum on every instruction
//     set, n the length of the sum, so two of them differ by at most twice that; the steps and
//     weights they give are within the bounds stated at [Attention] on every instruction set;
//   - the nearest-pattern search returns exactly the float64 answer on every one;
//   - the finite check and, for finite values, the queries' statistics (the largest |unit| and
//     the float64 sum of squares, in the same eight partial sums) are identical.
//
// Speed on this project's machines (2 cores of an AMD EPYC with AVX-512, float32 peak 440-455
// GFLOP/s at 3.44-3.47 GHz; `go test -bench Products ./hopfieldlib/internal/engine`, 2026-12-08):
// the AVX-512 tile kernel runs at 97 % of a core's peak on operands in L2, and the whole products,
// B = 1000 by K = 1000-10,000 by d = 784, at 353-376 GFLOP/s (scores) and 317-335 (weighted sums)
// on both cores, 71-85 % of peak; the AVX2 ones at 159-189, the portable twins at 4-6. GoMLX's
// pure-Go matmul measured beside them (`go test -bench ContinuousProducts ./hopfieldlib`) ran
// both products of a step at K = 10,000 in 568 ms against 101-112 ms.
package engine
