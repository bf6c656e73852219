package engine

import (
	"fmt"
	"sync"
)

// ISA names an instruction set a kernel is written for. Every kernel of this package exists for
// Portable (plain Go, any platform); the dense products and the column passes of the continuous
// step also for AVX2 (with FMA) and AVX-512 (F, VL, BW, DQ) on amd64, in assembly.
type ISA int

const (
	// Portable is plain Go: every platform, and the reference the others are tested against.
	Portable ISA = iota
	// AVX2 is x86-64 with AVX2 and FMA3: 8 float32 lanes, 16 vector registers.
	AVX2
	// AVX512 is x86-64 with AVX-512 F, VL, BW and DQ: 16 float32 lanes, 32 vector registers and
	// mask registers.
	AVX512
)

func (i ISA) String() string {
	switch i {
	case Portable:
		return "portable"
	case AVX2:
		return "avx2"
	case AVX512:
		return "avx512"
	}
	return fmt.Sprintf("ISA(%d)", int(i))
}

// Best is the fastest instruction set this CPU runs, detected once from CPUID.
var Best = sync.OnceValue(detect)

// Available lists the instruction sets this CPU runs, Portable first: the variants an agreement
// test compares.
func Available() []ISA {
	out := []ISA{Portable}
	for i := Portable + 1; i <= Best(); i++ {
		out = append(out, i)
	}
	return out
}

// Supported reports whether this CPU runs i.
func Supported(i ISA) bool { return i >= Portable && i <= Best() }
