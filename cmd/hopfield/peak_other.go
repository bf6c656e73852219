//go:build !amd64 || purego

package main

// vectorUnit: not measured on this architecture.
func vectorUnit() (lanes int, name string, loop func(n uintptr)) { return 0, "", nil }

// clockLoop: not measured on this architecture.
func clockLoop() func(n uintptr) { return nil }
