//go:build amd64 && !purego

package engine

import "unsafe"

// The micro-kernels of gemm_amd64.s; see tileFunc for the arguments.

//go:noescape
func gemmRows512(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr)

//go:noescape
func gemmCols512(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr)

//go:noescape
func gemmRows256(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr)

//go:noescape
func gemmCols256(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr)

// asmKernels returns the assembly tile kernels of isa, if there are any.
func asmKernels(isa ISA) (rows, cols tileFunc, ok bool) {
	switch isa {
	case AVX512:
		return gemmRows512, gemmCols512, true
	case AVX2:
		return tileRowsAVX2, tileColsAVX2, true
	}
	return nil, nil, false
}

// tileRowsAVX2 and tileColsAVX2 cover a 12 × 32 tile with four 6 × 16 kernel calls.
func tileRowsAVX2(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr) {
	a6 := (*float32)(unsafe.Add(unsafe.Pointer(a), 6*aStride))
	quarters256(gemmRows256, a, a6, aStride, b, bStride, c, cStride, kc, add)
}

func tileColsAVX2(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr) {
	a6 := (*float32)(unsafe.Add(unsafe.Pointer(a), 6*4))
	quarters256(gemmCols256, a, a6, aStride, b, bStride, c, cStride, kc, add)
}

func quarters256(k tileFunc, a, a6 *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr) {
	b16 := (*float32)(unsafe.Add(unsafe.Pointer(b), 16*4))
	c16 := (*float32)(unsafe.Add(unsafe.Pointer(c), 16*4))
	c6 := (*float32)(unsafe.Add(unsafe.Pointer(c), 6*cStride))
	c616 := (*float32)(unsafe.Add(unsafe.Pointer(c6), 16*4))
	k(a, aStride, b, bStride, c, cStride, kc, add)
	k(a, aStride, b16, bStride, c16, cStride, kc, add)
	k(a6, aStride, b, bStride, c6, cStride, kc, add)
	k(a6, aStride, b16, bStride, c616, cStride, kc, add)
}
