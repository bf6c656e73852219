//go:build amd64 && !purego

package main

import "golang.org/x/sys/cpu"

//go:noescape
func fmaLoop512(n uintptr)

//go:noescape
func fmaLoop256(n uintptr)

//go:noescape
func addChain(n uintptr)

// vectorUnit is the widest float32 FMA this CPU has: its lanes, its name and its loop (nil
// without FMA).
func vectorUnit() (lanes int, name string, loop func(n uintptr)) {
	switch x := cpu.X86; {
	case x.HasAVX512F:
		return 16, "AVX-512", fmaLoop512
	case x.HasAVX2 && x.HasFMA:
		return 8, "AVX2+FMA", fmaLoop256
	}
	return 0, "", nil
}

// clockLoop is a loop of 16 dependent additions per iteration (16 cycles).
func clockLoop() func(n uintptr) { return addChain }
