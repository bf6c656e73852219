//go:build !amd64 || purego

package engine

func detect() ISA { return Portable }
