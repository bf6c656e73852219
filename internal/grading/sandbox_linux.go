package grading

import (
	"os"
	"syscall"
	"unsafe"

	"github.com/hopfieldlib/hopfield/internal/kernel"
)

// namespacesAvailable reports whether a worker may be started in a network namespace of its own
// (creating one needs CAP_SYS_ADMIN: root, outside a locked-down container).
func namespacesAvailable() bool {
	_, err := os.Stat("/proc/self/ns/net")
	return err == nil && os.Geteuid() == 0
}

// workerAttr starts a worker in a process group of its own, killed if the grader dies, and in a
// new network namespace when isolate is set.
func workerAttr(isolate bool) *syscall.SysProcAttr {
	a := &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGKILL}
	if isolate {
		a.Cloneflags = syscall.CLONE_NEWNET
	}
	return a
}

// killGroup kills the process group led by pid.
func killGroup(pid int) {
	_ = syscall.Kill(-pid, syscall.SIGKILL)
}

const prSetChildSubreaper = 36 // prctl(2) PR_SET_CHILD_SUBREAPER

// prepareWorker sets up the worker process: it becomes the subreaper of everything it starts
// (so orphaned processes stay findable and killable), brings up the loopback interface in its
// own network namespace (Jupyter talks to the kernel over 127.0.0.1) and caps the address space
// of itself and its children. It returns how the network is isolated.
func prepareWorker(isolated bool, addressSpace int64) string {
	_, _, _ = syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0)
	if addressSpace > 0 {
		lim := syscall.Rlimit{Cur: uint64(addressSpace), Max: uint64(addressSpace)}
		_ = syscall.Setrlimit(syscall.RLIMIT_AS, &lim)
	}
	if !isolated {
		return "host network (no namespace: needs root on Linux)"
	}
	if err := loopbackUp(); err != nil {
		return "own network namespace, loopback down: " + err.Error()
	}
	return "none: own network namespace with loopback only"
}

// loopbackUp sets the "lo" interface up (SIOCSIFFLAGS with IFF_UP).
func loopbackUp() error {
	fd, err := syscall.Socket(syscall.AF_INET, syscall.SOCK_DGRAM|syscall.SOCK_CLOEXEC, 0)
	if err != nil {
		return err
	}
	defer syscall.Close(fd)
	var req struct {
		name  [syscall.IFNAMSIZ]byte
		flags uint16
		_     [22]byte
	}
	copy(req.name[:], "lo")
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCGIFFLAGS, uintptr(unsafe.Pointer(&req))); e != 0 {
		return e
	}
	req.flags |= syscall.IFF_UP | syscall.IFF_RUNNING
	if _, _, e := syscall.Syscall(syscall.SYS_IOCTL, uintptr(fd), syscall.SIOCSIFFLAGS, uintptr(unsafe.Pointer(&req))); e != 0 {
		return e
	}
	return nil
}

// killAdopted kills every process below the worker (its children, and the orphans it adopted as
// their subreaper) and reaps them.
func killAdopted() {
	self := os.Getpid()
	for range 20 {
		pids := kernel.Descendants(self)
		if len(pids) == 0 {
			break
		}
		for _, pid := range pids {
			_ = syscall.Kill(pid, syscall.SIGKILL)
		}
		for {
			var ws syscall.WaitStatus
			pid, err := syscall.Wait4(-1, &ws, syscall.WNOHANG, nil)
			if pid <= 0 || err != nil {
				break
			}
		}
	}
}
