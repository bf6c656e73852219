//go:build amd64 && !purego

#include "textflag.h"

// func contScoreKernel(q, p, out *float32, qStride, pStride, outStride, n, triples uintptr)
//
// For t in [0, triples): the 3×4 block of dot products between query rows 3t, 3t+1, 3t+2 (at
// q + row·qStride bytes) and pattern rows 0..3 (at p + row·pStride bytes), over n bytes (a
// multiple of 32: n/4 float32 units), stored as 4 float32 at out + row·outStride for each of the
// three query rows. Twelve YMM accumulators hold 8 partial sums each (one per lane: units j ≡ lane
// mod 8), reduced by a pairwise tree at the end; the unit loop is unrolled twice. AVX2 + FMA3.
TEXT ·contScoreKernel(SB), NOSPLIT, $0-64
	MOVQ q+0(FP), SI
	MOVQ p+8(FP), DI
	MOVQ out+16(FP), DX
	MOVQ qStride+24(FP), BX
	MOVQ pStride+32(FP), CX
	MOVQ n+48(FP), R13
	LEAQ (DI)(CX*1), R10
	LEAQ (R10)(CX*1), R11
	LEAQ (R11)(CX*1), R12
	MOVQ triples+56(FP), CX
	TESTQ CX, CX
	JZ done
	LEAQ (SI)(BX*1), R8
	LEAQ (R8)(BX*1), R9

triple:
	VXORPS Y0, Y0, Y0
	VXORPS Y1, Y1, Y1
	VXORPS Y2, Y2, Y2
	VXORPS Y3, Y3, Y3
	VXORPS Y4, Y4, Y4
	VXORPS Y5, Y5, Y5
	VXORPS Y6, Y6, Y6
	VXORPS Y7, Y7, Y7
	VXORPS Y8, Y8, Y8
	VXORPS Y9, Y9, Y9
	VXORPS Y10, Y10, Y10
	VXORPS Y11, Y11, Y11
	XORQ AX, AX
	TESTQ R13, R13
	JZ reduce

	// n is a multiple of 32 bytes: one 32-byte step first if n/32 is odd, then 64 at a time.
	TESTQ $32, R13
	JZ loop2
	VMOVUPS (SI)(AX*1), Y12
	VMOVUPS (R8)(AX*1), Y13
	VMOVUPS (R9)(AX*1), Y14
	VMOVUPS (DI)(AX*1), Y15
	VFMADD231PS Y15, Y12, Y0
	VFMADD231PS Y15, Y13, Y4
	VFMADD231PS Y15, Y14, Y8
	VMOVUPS (R10)(AX*1), Y15
	VFMADD231PS Y15, Y12, Y1
	VFMADD231PS Y15, Y13, Y5
	VFMADD231PS Y15, Y14, Y9
	VMOVUPS (R11)(AX*1), Y15
	VFMADD231PS Y15, Y12, Y2
	VFMADD231PS Y15, Y13, Y6
	VFMADD231PS Y15, Y14, Y10
	VMOVUPS (R12)(AX*1), Y15
	VFMADD231PS Y15, Y12, Y3
	VFMADD231PS Y15, Y13, Y7
	VFMADD231PS Y15, Y14, Y11
	ADDQ $32, AX
	CMPQ AX, R13
	JAE reduce
loop2:
	VMOVUPS (SI)(AX*1), Y12
	VMOVUPS (R8)(AX*1), Y13
	VMOVUPS (R9)(AX*1), Y14
	VMOVUPS (DI)(AX*1), Y15
	VFMADD231PS Y15, Y12, Y0
	VFMADD231PS Y15, Y13, Y4
	VFMADD231PS Y15, Y14, Y8
	VMOVUPS (R10)(AX*1), Y15
	VFMADD231PS Y15, Y12, Y1
	VFMADD231PS Y15, Y13, Y5
	VFMADD231PS Y15, Y14, Y9
	VMOVUPS (R11)(AX*1), Y15
	VFMADD231PS Y15, Y12, Y2
	VFMADD231PS Y15, Y13, Y6
	VFMADD231PS Y15, Y14, Y10
	VMOVUPS (R12)(AX*1), Y15
	VFMADD231PS Y15, Y12, Y3
	VFMADD231PS Y15, Y13, Y7
	VFMADD231PS Y15, Y14, Y11
	VMOVUPS 32(SI)(AX*1), Y12
	VMOVUPS 32(R8)(AX*1), Y13
	VMOVUPS 32(R9)(AX*1), Y14
	VMOVUPS 32(DI)(AX*1), Y15
	VFMADD231PS Y15, Y12, Y0
	VFMADD231PS Y15, Y13, Y4
	VFMADD231PS Y15, Y14, Y8
	VMOVUPS 32(R10)(AX*1), Y15
	VFMADD231PS Y15, Y12, Y1
	VFMADD231PS Y15, Y13, Y5
	VFMADD231PS Y15, Y14, Y9
	VMOVUPS 32(R11)(AX*1), Y15
	VFMADD231PS Y15, Y12, Y2
	VFMADD231PS Y15, Y13, Y6
	VFMADD231PS Y15, Y14, Y10
	VMOVUPS 32(R12)(AX*1), Y15
	VFMADD231PS Y15, Y12, Y3
	VFMADD231PS Y15, Y13, Y7
	VFMADD231PS Y15, Y14, Y11
	ADDQ $64, AX
	CMPQ AX, R13
	JB loop2

reduce:
	// Row 0: [Y0 Y1 Y2 Y3] → 4 sums. VHADDPS pairs within 128-bit lanes; the last add folds
	// the two lanes.
	VHADDPS Y1, Y0, Y0
	VHADDPS Y3, Y2, Y2
	VHADDPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPS X1, X0, X0
	VMOVUPS X0, (DX)
	ADDQ outStride+40(FP), DX
	VHADDPS Y5, Y4, Y4
	VHADDPS Y7, Y6, Y6
	VHADDPS Y6, Y4, Y4
	VEXTRACTF128 $1, Y4, X5
	VADDPS X5, X4, X4
	VMOVUPS X4, (DX)
	ADDQ outStride+40(FP), DX
	VHADDPS Y9, Y8, Y8
	VHADDPS Y11, Y10, Y10
	VHADDPS Y10, Y8, Y8
	VEXTRACTF128 $1, Y8, X9
	VADDPS X9, X8, X8
	VMOVUPS X8, (DX)
	ADDQ outStride+40(FP), DX

	// Next three query rows.
	LEAQ (R9)(BX*1), SI
	LEAQ (SI)(BX*1), R8
	LEAQ (R8)(BX*1), R9
	DECQ CX
	JNZ triple

done:
	VZEROUPPER
	RET

// func contMax32(s *float32, n uintptr) float32
//
// The largest of s[0:n], n a positive multiple of 32. The scores are never NaN.
TEXT ·contMax32(SB), NOSPLIT, $0-20
	MOVQ s+0(FP), SI
	MOVQ n+8(FP), CX
	VMOVUPS (SI), Y0
	VMOVUPS 32(SI), Y1
	VMOVUPS 64(SI), Y2
	VMOVUPS 96(SI), Y3
	ADDQ $128, SI
	SUBQ $32, CX
	JZ maxreduce

maxloop:
	VMAXPS (SI), Y0, Y0
	VMAXPS 32(SI), Y1, Y1
	VMAXPS 64(SI), Y2, Y2
	VMAXPS 96(SI), Y3, Y3
	ADDQ $128, SI
	SUBQ $32, CX
	JNZ maxloop

maxreduce:
	VMAXPS Y1, Y0, Y0
	VMAXPS Y3, Y2, Y2
	VMAXPS Y2, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VMAXPS X1, X0, X0
	VPERMILPS $0x4E, X0, X1
	VMAXPS X1, X0, X0
	VPERMILPS $0xB1, X0, X1
	VMAXPS X1, X0, X0
	VZEROUPPER
	MOVSS X0, ret+16(FP)
	RET

// func contFindGE8(s *float32, blocks uintptr, cut float32) uintptr
//
// The number of leading blocks of 8 float32 of s (at most blocks) with every value below cut:
// the index of the first block holding a value ≥ cut, or blocks if none does.
TEXT ·contFindGE8(SB), NOSPLIT, $0-32
	MOVQ s+0(FP), SI
	MOVQ blocks+8(FP), CX
	VBROADCASTSS cut+16(FP), Y1
	XORQ AX, AX

findloop:
	CMPQ AX, CX
	JAE finddone
	VMOVUPS (SI), Y0
	VCMPPS $0x0D, Y1, Y0, Y2
	VMOVMSKPS Y2, DX
	TESTL DX, DX
	JNZ finddone
	ADDQ $32, SI
	INCQ AX
	JMP findloop

finddone:
	VZEROUPPER
	MOVQ AX, ret+24(FP)
	RET
