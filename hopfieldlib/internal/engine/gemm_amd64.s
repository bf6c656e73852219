//go:build amd64 && !purego

#include "textflag.h"

// The micro-kernels of the dense products (gemm.go): one tile C (12 rows × 32 columns for
// AVX-512, 6 × 16 for AVX2) += A·B over kc steps, where step k reads one value per row of A
// (broadcast) and one row of 32 (16) values of B. The sum is formed in chunks of 64 steps, each
// in accumulators that start at zero and are then added to C (or stored into it, for the first
// chunk when add is 0): the rounding bound of a float32 sum of n terms is then that of 64 + n/64
// terms, not n (see gemmError in gemm.go).
//
// Two ways to address A:
//   - Rows: A[i][k] at a + i·aStride + 4k (rows of a row-major matrix, contracted along a row);
//   - Cols: A[i][k] at a + 4i + k·aStride (columns i of a row-major matrix, contracted down them).
// B[k][j] is at b + k·bStride + 4j and C[i][j] at c + i·cStride + 4j.

// AVX-512: accumulators Z0…Z23 (row i in Z(2i), Z(2i+1)), B in Z28, Z29, the broadcast value in
// Z30 or Z31 (alternating, so that consecutive rows do not wait on one register).
#define ROW512(addr, acc0, acc1, t) \
	VBROADCASTSS addr, t; \
	VFMADD231PS Z28, t, acc0; \
	VFMADD231PS Z29, t, acc1

#define ZERO512 \
	VXORPS Z0, Z0, Z0; VXORPS Z1, Z1, Z1; VXORPS Z2, Z2, Z2; VXORPS Z3, Z3, Z3; \
	VXORPS Z4, Z4, Z4; VXORPS Z5, Z5, Z5; VXORPS Z6, Z6, Z6; VXORPS Z7, Z7, Z7; \
	VXORPS Z8, Z8, Z8; VXORPS Z9, Z9, Z9; VXORPS Z10, Z10, Z10; VXORPS Z11, Z11, Z11; \
	VXORPS Z12, Z12, Z12; VXORPS Z13, Z13, Z13; VXORPS Z14, Z14, Z14; VXORPS Z15, Z15, Z15; \
	VXORPS Z16, Z16, Z16; VXORPS Z17, Z17, Z17; VXORPS Z18, Z18, Z18; VXORPS Z19, Z19, Z19; \
	VXORPS Z20, Z20, Z20; VXORPS Z21, Z21, Z21; VXORPS Z22, Z22, Z22; VXORPS Z23, Z23, Z23

// C row at AX: add the accumulators to it (ADDC) or store them (STC), then move to the next row.
#define ADDC512(acc0, acc1) \
	VADDPS (AX), acc0, acc0; \
	VADDPS 64(AX), acc1, acc1; \
	VMOVUPS acc0, (AX); \
	VMOVUPS acc1, 64(AX); \
	ADDQ SI, AX

#define STC512(acc0, acc1) \
	VMOVUPS acc0, (AX); \
	VMOVUPS acc1, 64(AX); \
	ADDQ SI, AX

#define ADDALL512 \
	ADDC512(Z0, Z1); ADDC512(Z2, Z3); ADDC512(Z4, Z5); ADDC512(Z6, Z7); \
	ADDC512(Z8, Z9); ADDC512(Z10, Z11); ADDC512(Z12, Z13); ADDC512(Z14, Z15); \
	ADDC512(Z16, Z17); ADDC512(Z18, Z19); ADDC512(Z20, Z21); ADDC512(Z22, Z23)

#define STALL512 \
	STC512(Z0, Z1); STC512(Z2, Z3); STC512(Z4, Z5); STC512(Z6, Z7); \
	STC512(Z8, Z9); STC512(Z10, Z11); STC512(Z12, Z13); STC512(Z14, Z15); \
	STC512(Z16, Z17); STC512(Z18, Z19); STC512(Z20, Z21); STC512(Z22, Z23)

// Chunk length: R15 = min(64, CX), CX -= R15.
#define CHUNK \
	MOVQ $64, R15; \
	CMPQ CX, R15; \
	CMOVQLT CX, R15; \
	SUBQ R15, CX

// func gemmRows512(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr)
TEXT ·gemmRows512(SB), NOSPLIT, $0-64
	MOVQ a+0(FP), R8
	MOVQ aStride+8(FP), R12
	MOVQ b+16(FP), BX
	MOVQ bStride+24(FP), DI
	MOVQ c+32(FP), DX
	MOVQ cStride+40(FP), SI
	MOVQ kc+48(FP), CX
	MOVQ add+56(FP), R13
	TESTQ CX, CX
	JZ rows512_done
	LEAQ (R12)(R12*2), AX
	LEAQ (R8)(AX*1), R9  // rows 3…5
	LEAQ (R9)(AX*1), R10 // rows 6…8
	LEAQ (R10)(AX*1), R11 // rows 9…11

rows512_chunk:
	ZERO512
	CHUNK

rows512_loop:
	VMOVUPS (BX), Z28
	VMOVUPS 64(BX), Z29
	ROW512((R8), Z0, Z1, Z30)
	ROW512((R8)(R12*1), Z2, Z3, Z31)
	ROW512((R8)(R12*2), Z4, Z5, Z30)
	ROW512((R9), Z6, Z7, Z31)
	ROW512((R9)(R12*1), Z8, Z9, Z30)
	ROW512((R9)(R12*2), Z10, Z11, Z31)
	ROW512((R10), Z12, Z13, Z30)
	ROW512((R10)(R12*1), Z14, Z15, Z31)
	ROW512((R10)(R12*2), Z16, Z17, Z30)
	ROW512((R11), Z18, Z19, Z31)
	ROW512((R11)(R12*1), Z20, Z21, Z30)
	ROW512((R11)(R12*2), Z22, Z23, Z31)
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ $4, R10
	ADDQ $4, R11
	ADDQ DI, BX
	DECQ R15
	JNZ rows512_loop

	// Add the chunk to C, or store it there if it is the first and add is 0.
	MOVQ DX, AX
	TESTQ R13, R13
	JZ rows512_store
	ADDALL512
	JMP rows512_next

rows512_store:
	STALL512
	MOVQ $1, R13

rows512_next:
	TESTQ CX, CX
	JNZ rows512_chunk

rows512_done:
	VZEROUPPER
	RET

// func gemmCols512(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr)
TEXT ·gemmCols512(SB), NOSPLIT, $0-64
	MOVQ a+0(FP), R8
	MOVQ aStride+8(FP), R12
	MOVQ b+16(FP), BX
	MOVQ bStride+24(FP), DI
	MOVQ c+32(FP), DX
	MOVQ cStride+40(FP), SI
	MOVQ kc+48(FP), CX
	MOVQ add+56(FP), R13
	TESTQ CX, CX
	JZ cols512_done

cols512_chunk:
	ZERO512
	CHUNK

cols512_loop:
	VMOVUPS (BX), Z28
	VMOVUPS 64(BX), Z29
	ROW512((R8), Z0, Z1, Z30)
	ROW512(4(R8), Z2, Z3, Z31)
	ROW512(8(R8), Z4, Z5, Z30)
	ROW512(12(R8), Z6, Z7, Z31)
	ROW512(16(R8), Z8, Z9, Z30)
	ROW512(20(R8), Z10, Z11, Z31)
	ROW512(24(R8), Z12, Z13, Z30)
	ROW512(28(R8), Z14, Z15, Z31)
	ROW512(32(R8), Z16, Z17, Z30)
	ROW512(36(R8), Z18, Z19, Z31)
	ROW512(40(R8), Z20, Z21, Z30)
	ROW512(44(R8), Z22, Z23, Z31)
	ADDQ R12, R8
	ADDQ DI, BX
	DECQ R15
	JNZ cols512_loop

	// Add the chunk to C, or store it there if it is the first and add is 0.
	MOVQ DX, AX
	TESTQ R13, R13
	JZ cols512_store
	ADDALL512
	JMP cols512_next

cols512_store:
	STALL512
	MOVQ $1, R13

cols512_next:
	TESTQ CX, CX
	JNZ cols512_chunk

cols512_done:
	VZEROUPPER
	RET

// AVX2: 6 rows × 16 columns, accumulators Y0…Y11 (row i in Y(2i), Y(2i+1)), B in Y12, Y13, the
// broadcast value in Y14 or Y15.
#define ROW256(addr, acc0, acc1, t) \
	VBROADCASTSS addr, t; \
	VFMADD231PS Y12, t, acc0; \
	VFMADD231PS Y13, t, acc1

#define ZERO256 \
	VXORPS Y0, Y0, Y0; VXORPS Y1, Y1, Y1; VXORPS Y2, Y2, Y2; VXORPS Y3, Y3, Y3; \
	VXORPS Y4, Y4, Y4; VXORPS Y5, Y5, Y5; VXORPS Y6, Y6, Y6; VXORPS Y7, Y7, Y7; \
	VXORPS Y8, Y8, Y8; VXORPS Y9, Y9, Y9; VXORPS Y10, Y10, Y10; VXORPS Y11, Y11, Y11

#define ADDC256(acc0, acc1) \
	VADDPS (AX), acc0, acc0; \
	VADDPS 32(AX), acc1, acc1; \
	VMOVUPS acc0, (AX); \
	VMOVUPS acc1, 32(AX); \
	ADDQ SI, AX

#define STC256(acc0, acc1) \
	VMOVUPS acc0, (AX); \
	VMOVUPS acc1, 32(AX); \
	ADDQ SI, AX

#define ADDALL256 \
	ADDC256(Y0, Y1); ADDC256(Y2, Y3); ADDC256(Y4, Y5); \
	ADDC256(Y6, Y7); ADDC256(Y8, Y9); ADDC256(Y10, Y11)

#define STALL256 \
	STC256(Y0, Y1); STC256(Y2, Y3); STC256(Y4, Y5); \
	STC256(Y6, Y7); STC256(Y8, Y9); STC256(Y10, Y11)

// func gemmRows256(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr)
TEXT ·gemmRows256(SB), NOSPLIT, $0-64
	MOVQ a+0(FP), R8
	MOVQ aStride+8(FP), R12
	MOVQ b+16(FP), BX
	MOVQ bStride+24(FP), DI
	MOVQ c+32(FP), DX
	MOVQ cStride+40(FP), SI
	MOVQ kc+48(FP), CX
	MOVQ add+56(FP), R13
	TESTQ CX, CX
	JZ rows256_done
	LEAQ (R12)(R12*2), AX
	LEAQ (R8)(AX*1), R9 // rows 3…5

rows256_chunk:
	ZERO256
	CHUNK

rows256_loop:
	VMOVUPS (BX), Y12
	VMOVUPS 32(BX), Y13
	ROW256((R8), Y0, Y1, Y14)
	ROW256((R8)(R12*1), Y2, Y3, Y15)
	ROW256((R8)(R12*2), Y4, Y5, Y14)
	ROW256((R9), Y6, Y7, Y15)
	ROW256((R9)(R12*1), Y8, Y9, Y14)
	ROW256((R9)(R12*2), Y10, Y11, Y15)
	ADDQ $4, R8
	ADDQ $4, R9
	ADDQ DI, BX
	DECQ R15
	JNZ rows256_loop

	// Add the chunk to C, or store it there if it is the first and add is 0.
	MOVQ DX, AX
	TESTQ R13, R13
	JZ rows256_store
	ADDALL256
	JMP rows256_next

rows256_store:
	STALL256
	MOVQ $1, R13

rows256_next:
	TESTQ CX, CX
	JNZ rows256_chunk

rows256_done:
	VZEROUPPER
	RET

// func gemmCols256(a *float32, aStride uintptr, b *float32, bStride uintptr, c *float32, cStride uintptr, kc uintptr, add uintptr)
TEXT ·gemmCols256(SB), NOSPLIT, $0-64
	MOVQ a+0(FP), R8
	MOVQ aStride+8(FP), R12
	MOVQ b+16(FP), BX
	MOVQ bStride+24(FP), DI
	MOVQ c+32(FP), DX
	MOVQ cStride+40(FP), SI
	MOVQ kc+48(FP), CX
	MOVQ add+56(FP), R13
	TESTQ CX, CX
	JZ cols256_done

cols256_chunk:
	ZERO256
	CHUNK

cols256_loop:
	VMOVUPS (BX), Y12
	VMOVUPS 32(BX), Y13
	ROW256((R8), Y0, Y1, Y14)
	ROW256(4(R8), Y2, Y3, Y15)
	ROW256(8(R8), Y4, Y5, Y14)
	ROW256(12(R8), Y6, Y7, Y15)
	ROW256(16(R8), Y8, Y9, Y14)
	ROW256(20(R8), Y10, Y11, Y15)
	ADDQ R12, R8
	ADDQ DI, BX
	DECQ R15
	JNZ cols256_loop

	// Add the chunk to C, or store it there if it is the first and add is 0.
	MOVQ DX, AX
	TESTQ R13, R13
	JZ cols256_store
	ADDALL256
	JMP cols256_next

cols256_store:
	STALL256
	MOVQ $1, R13

cols256_next:
	TESTQ CX, CX
	JNZ cols256_chunk

cols256_done:
	VZEROUPPER
	RET
