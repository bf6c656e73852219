// Package hopfieldlib implements associative memories, from the classical Hopfield network to the
// continuous modern Hopfield network that underlies transformer attention, on GoMLX.
//
// Three model families share one vocabulary. Patterns are rows: a [Patterns] value holds K
// patterns of N units each. Every model stores patterns when it is built, and offers
//
//   - Recall(probes, opts): run the dynamics from each probe until stable or a step limit;
//   - Step(states, opts): a single update (one sweep of asynchronous updates, or one
//     synchronous update);
//   - Energy(states): the energy of each state, one value per row.
//
// The families:
//
//   - [Classical]: Hopfield (1982), "Neural networks and physical systems with emergent
//     collective computational abilities", PNAS 79. E = -½ sᵀWs + θᵀs,
//     s_i ← sign(W_i·s - θ_i).
//   - [Dense]: dense associative memory, Krotov & Hopfield (2016), "Dense associative memory for
//     pattern recognition", NeurIPS; Demircigil et al. (2017), "On a model of associative memory
//     with huge storage capacity", J. Stat. Phys. E = -Σ_μ F(ξ^μ·σ) with F(x) = xⁿ, max(x,0)ⁿ
//     or exp(βx).
//   - [Continuous]: Ramsauer et al. (2020), "Hopfield Networks is All You Need", ICLR 2021.
//     E = -lse(β, Xᵀξ) + ½ξᵀξ + β⁻¹log K + ½M², ξ ← X softmax(β Xᵀξ).
//
// [Attention] writes transformer attention softmax(β QKᵀ)V as one update of the continuous
// network: the stored patterns are the keys, the state patterns are the queries.
//
// # Where the work is done
//
// GoMLX graphs serve where a graph is the natural form and fast enough: the classical
// network's Hebbian weights, synchronous updates, starting fields and energies, the dense
// memory's batched overlaps for its energies, the transformer layers ([RunQKV]), and, on any
// backend other than the pure-Go one (a GPU, named by $GOMLX_BACKEND; see [NewBackend]), the two
// matrix products of the continuous step. On the CPU the continuous step ([Continuous],
// [Attention]) runs on this package's own kernels instead, 2-3 times faster than the pure-Go
// backend's matmul here (270-300 against 82-128 GFLOP/s on 2 cores, measured side by side); so do all the unit-by-unit asynchronous dynamics, the dense
// memory's flip decisions and the nearest-pattern search. Those kernels, their memory layouts,
// SIMD and assembly, and the bounds that keep them exact, live in hopfieldlib/internal/engine,
// chosen at run time for the CPU (AVX-512, AVX2, or plain Go; [Kernels] says which). Build with
// GOEXPERIMENT=simd for GoMLX's SIMD matmul and the engine's archsimd kernels; the assembly runs
// without it.
//
// Every function that takes user data validates it and returns an error that wraps one of the
// sentinels ([ErrShape], [ErrEmpty], [ErrNotSpin], [ErrNotFinite], [ErrParameter],
// [ErrBackend]), so callers can test with errors.Is. Not converging is not an error: the
// [RecallResult] says so. Randomness is explicit (a *rand.Rand from math/rand/v2), and the
// package prints nothing.
package hopfieldlib
