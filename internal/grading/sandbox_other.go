//go:build !linux

package grading

import "syscall"

func namespacesAvailable() bool { return false }

func workerAttr(isolate bool) *syscall.SysProcAttr { return &syscall.SysProcAttr{Setpgid: true} }

func killGroup(pid int) { _ = syscall.Kill(-pid, syscall.SIGKILL) }

func prepareWorker(isolated bool, addressSpace int64) string {
	return "host network (network namespaces need Linux)"
}

func killAdopted() {}
