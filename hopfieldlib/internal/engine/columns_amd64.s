//go:build amd64 && !purego

#include "textflag.h"

// AVX-512 passes over a strip of 16 columns of a row-major float32 matrix (16 queries of the
// continuous step: the score or weight of every stored pattern, one row per pattern), and the
// float64 dot product and axpy of the exact path. See columns.go for what each computes.

// Constants of the exponential (Cephes expf): log2(e), ln 2 split in two for an exact range
// reduction, the degree-5 polynomial of (eʳ − 1 − r)/r², and 1.
DATA expConst<>+0(SB)/4, $0x3fb8aa3b  // log2 e
DATA expConst<>+4(SB)/4, $0x3f318000  // ln 2, high part (exact in a few bits)
DATA expConst<>+8(SB)/4, $0xb95e8083  // ln 2, low part
DATA expConst<>+12(SB)/4, $0x39506967 // p0
DATA expConst<>+16(SB)/4, $0x3ab743ce // p1
DATA expConst<>+20(SB)/4, $0x3c088908 // p2
DATA expConst<>+24(SB)/4, $0x3d2aa9c1 // p3
DATA expConst<>+28(SB)/4, $0x3e2aaaaa // p4
DATA expConst<>+32(SB)/4, $0x3f000000 // p5
DATA expConst<>+36(SB)/4, $0x3f800000 // 1
GLOBL expConst<>(SB), RODATA|NOPTR, $40

// func colMax512(s *float32, rows, rs uintptr, m *[16]float32)
TEXT ·colMax512(SB), NOSPLIT, $0-32
	MOVQ s+0(FP), SI
	MOVQ rows+8(FP), CX
	MOVQ rs+16(FP), DX
	MOVQ m+24(FP), DI
	VMOVUPS (SI), Z0
	VMOVAPS Z0, Z1
	ADDQ DX, SI
	DECQ CX
	JZ max_done

max_pair:
	CMPQ CX, $2
	JB max_one
	VMAXPS (SI), Z0, Z0
	VMAXPS (SI)(DX*1), Z1, Z1
	LEAQ (SI)(DX*2), SI
	SUBQ $2, CX
	JMP max_pair

max_one:
	TESTQ CX, CX
	JZ max_done
	VMAXPS (SI), Z0, Z0

max_done:
	VMAXPS Z1, Z0, Z0
	VMOVUPS Z0, (DI)
	VZEROUPPER
	RET

// func colExp512(s *float32, rows, rs uintptr, beta, m, cut *[16]float32, sum *[16]float64)
//
// In place, for every row: x = β(s − m); s ← eˣ if x ≥ cut, else 0; sum += s in float64.
// eˣ = 2ⁿ·e^r with n = round(x·log2 e), r = x − n·ln 2 (|r| ≤ ln 2 / 2, reduced exactly with two
// fused multiply-adds), e^r = 1 + r + r²·p(r); about 1 ulp.
TEXT ·colExp512(SB), NOSPLIT, $0-56
	MOVQ s+0(FP), SI
	MOVQ rows+8(FP), CX
	MOVQ rs+16(FP), DX
	MOVQ beta+24(FP), AX
	VMOVUPS (AX), Z20
	MOVQ m+32(FP), AX
	VMOVUPS (AX), Z21
	MOVQ cut+40(FP), AX
	VMOVUPS (AX), Z22
	MOVQ sum+48(FP), R8
	VMOVUPD (R8), Z10
	VMOVUPD 64(R8), Z11
	LEAQ expConst<>(SB), AX
	VBROADCASTSS 0(AX), Z23
	VBROADCASTSS 4(AX), Z24
	VBROADCASTSS 8(AX), Z25
	VBROADCASTSS 12(AX), Z26
	VBROADCASTSS 16(AX), Z27
	VBROADCASTSS 20(AX), Z28
	VBROADCASTSS 24(AX), Z29
	VBROADCASTSS 28(AX), Z30
	VBROADCASTSS 32(AX), Z31
	VBROADCASTSS 36(AX), Z19
	TESTQ CX, CX
	JZ exp_done

exp_loop:
	VMOVUPS (SI), Z0
	VSUBPS Z21, Z0, Z0
	VMULPS Z20, Z0, Z0             // x
	VCMPPS $0x1d, Z22, Z0, K1      // x ≥ cut
	VMULPS Z23, Z0, Z1
	VRNDSCALEPS $0, Z1, Z1         // n
	VMOVAPS Z0, Z2
	VFNMADD231PS Z24, Z1, Z2
	VFNMADD231PS Z25, Z1, Z2       // r
	VMOVAPS Z26, Z3
	VFMADD213PS Z27, Z2, Z3
	VFMADD213PS Z28, Z2, Z3
	VFMADD213PS Z29, Z2, Z3
	VFMADD213PS Z30, Z2, Z3
	VFMADD213PS Z31, Z2, Z3        // p(r)
	VMULPS Z2, Z2, Z4
	VFMADD213PS Z2, Z4, Z3         // r + r²p(r)
	VADDPS Z19, Z3, Z3
	VSCALEFPS Z1, Z3, Z3           // ·2ⁿ
	VMOVAPS.Z Z3, K1, Z3
	VMOVUPS Z3, (SI)
	VCVTPS2PD Y3, Z5
	VADDPD Z5, Z10, Z10
	VEXTRACTF32X8 $1, Z3, Y6
	VCVTPS2PD Y6, Z6
	VADDPD Z6, Z11, Z11
	ADDQ DX, SI
	DECQ CX
	JNZ exp_loop

exp_done:
	VMOVUPD Z10, (R8)
	VMOVUPD Z11, 64(R8)
	VZEROUPPER
	RET

// func colCount512(s *float32, rows, rs uintptr, cut *[16]float32, cnt *[16]int32)
//
// cnt[l] += the number of rows whose lane l is ≥ cut[l].
TEXT ·colCount512(SB), NOSPLIT, $0-40
	MOVQ s+0(FP), SI
	MOVQ rows+8(FP), CX
	MOVQ rs+16(FP), DX
	MOVQ cut+24(FP), AX
	VMOVUPS (AX), Z22
	MOVQ cnt+32(FP), DI
	VMOVDQU32 (DI), Z1
	MOVL $1, AX
	VPBROADCASTD AX, Z2
	TESTQ CX, CX
	JZ count_done

count_loop:
	VCMPPS $0x12, (SI), Z22, K1 // cut ≤ s
	VPADDD Z2, Z1, K1, Z1
	ADDQ DX, SI
	DECQ CX
	JNZ count_loop

count_done:
	VMOVDQU32 Z1, (DI)
	VZEROUPPER
	RET

// func colCollect512(s *float32, rows, rs uintptr, cut *[16]float32, out *uint64, room uintptr) uintptr
//
// For every row r with some lane l where s ≥ cut[l], appends r<<16 | (the mask of those lanes)
// to out, up to room entries; returns the number of entries (room when it ran out of room).
TEXT ·colCollect512(SB), NOSPLIT, $0-56
	MOVQ s+0(FP), SI
	MOVQ rows+8(FP), CX
	MOVQ rs+16(FP), DX
	MOVQ cut+24(FP), AX
	VMOVUPS (AX), Z22
	MOVQ out+32(FP), DI
	MOVQ room+40(FP), R11
	XORQ R9, R9 // row
	XORQ R10, R10 // entries
	TESTQ CX, CX
	JZ collect_done

collect_loop:
	VCMPPS $0x12, (SI), Z22, K1 // cut ≤ s
	KMOVW K1, AX
	TESTL AX, AX
	JZ collect_next
	MOVQ R9, BX
	SHLQ $16, BX
	ORQ AX, BX
	CMPQ R10, R11
	JAE collect_done
	MOVQ BX, (DI)(R10*8)
	INCQ R10

collect_next:
	ADDQ DX, SI
	INCQ R9
	CMPQ R9, CX
	JB collect_loop

collect_done:
	MOVQ R10, ret+48(FP)
	VZEROUPPER
	RET

// func dot64x512(a, b *float32, n uintptr) float64
//
// Σ a_i·b_i over n values (a multiple of 8), each product exact in float64, summed in float64.
TEXT ·dot64x512(SB), NOSPLIT, $0-32
	MOVQ a+0(FP), SI
	MOVQ b+8(FP), DI
	MOVQ n+16(FP), CX
	VXORPD Z0, Z0, Z0
	VXORPD Z1, Z1, Z1
	VXORPD Z2, Z2, Z2
	VXORPD Z3, Z3, Z3

dot_four:
	CMPQ CX, $32
	JB dot_one
	VCVTPS2PD (SI), Z4
	VCVTPS2PD (DI), Z5
	VFMADD231PD Z5, Z4, Z0
	VCVTPS2PD 32(SI), Z6
	VCVTPS2PD 32(DI), Z7
	VFMADD231PD Z7, Z6, Z1
	VCVTPS2PD 64(SI), Z8
	VCVTPS2PD 64(DI), Z9
	VFMADD231PD Z9, Z8, Z2
	VCVTPS2PD 96(SI), Z10
	VCVTPS2PD 96(DI), Z11
	VFMADD231PD Z11, Z10, Z3
	ADDQ $128, SI
	ADDQ $128, DI
	SUBQ $32, CX
	JMP dot_four

dot_one:
	CMPQ CX, $8
	JB dot_done
	VCVTPS2PD (SI), Z4
	VCVTPS2PD (DI), Z5
	VFMADD231PD Z5, Z4, Z0
	ADDQ $32, SI
	ADDQ $32, DI
	SUBQ $8, CX
	JMP dot_one

dot_done:
	VADDPD Z1, Z0, Z0
	VADDPD Z3, Z2, Z2
	VADDPD Z2, Z0, Z0
	VEXTRACTF64X4 $1, Z0, Y1
	VADDPD Y1, Y0, Y0
	VEXTRACTF128 $1, Y0, X1
	VADDPD X1, X0, X0
	VPERMILPD $1, X0, X1
	VADDSD X1, X0, X0
	VZEROUPPER
	MOVSD X0, ret+24(FP)
	RET

// func axpy64x512(y *float64, w float64, x *float32, n uintptr)
//
// y_i += w·x_i in float64 over n values (a multiple of 8).
TEXT ·axpy64x512(SB), NOSPLIT, $0-32
	MOVQ y+0(FP), DI
	VBROADCASTSD w+8(FP), Z7
	MOVQ x+16(FP), SI
	MOVQ n+24(FP), CX

axpy_loop:
	CMPQ CX, $8
	JB axpy_done
	VCVTPS2PD (SI), Z0
	VFMADD213PD (DI), Z7, Z0
	VMOVUPD Z0, (DI)
	ADDQ $32, SI
	ADDQ $64, DI
	SUBQ $8, CX
	JMP axpy_loop

axpy_done:
	VZEROUPPER
	RET
