//go:build !amd64 || purego

package engine

// asmColumns: no assembly column passes on this platform.
func asmColumns(isa ISA) (columns, bool) { return columns{}, false }
