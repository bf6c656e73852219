//go:build !amd64 || purego

package engine

// asmKernels: no assembly kernels on this platform.
func asmKernels(isa ISA) (rows, cols tileFunc, ok bool) { return nil, nil, false }
