//go:build !linux

package kernel

import "syscall"

// killTree kills root's process group (without /proc, processes that left the group survive).
func killTree(root int) {
	_ = syscall.Kill(-root, syscall.SIGKILL)
}

// watchMemory cannot sample memory without /proc: MemoryLimit is not enforced here.
func watchMemory(root int, limit int64, stop <-chan struct{}, exceeded chan<- int64) {
	<-stop
}
