//go:build amd64 && !purego

package hopfieldlib

import "golang.org/x/sys/cpu"

// contScoreKernel is implemented in continuous_scores_amd64.s.
//
//go:noescape
func contScoreKernel(q, p, out *float32, qStride, pStride, outStride, n, triples uintptr)

// scoreKernelAvailable reports whether contScoreKernel can run here (AVX2 and FMA3).
func scoreKernelAvailable() bool { return cpu.X86.HasAVX2 && cpu.X86.HasFMA }
