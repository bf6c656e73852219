//go:build !amd64 || purego

package hopfieldlib

// contScoreKernel exists only on amd64; scoreKernelAvailable keeps it from being called.
func contScoreKernel(q, p, out *float32, qStride, pStride, outStride, n, triples uintptr) {
	panic("hopfieldlib: contScoreKernel called without a kernel")
}

// scoreKernelAvailable reports whether contScoreKernel can run here: never on this platform, where
// the scores come from a GoMLX graph.
func scoreKernelAvailable() bool { return false }
