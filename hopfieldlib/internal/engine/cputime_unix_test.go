//go:build unix

package engine

import "syscall"

// cpuSeconds is the CPU time this process has used (user + system): on a shared machine a rate
// per CPU-second says how well a kernel uses the cores it gets, whatever the other load.
func cpuSeconds() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Utime.Sec+ru.Stime.Sec) + float64(ru.Utime.Usec+ru.Stime.Usec)/1e6
}
