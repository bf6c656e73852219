package kernel

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// procInfo is what /proc/PID/stat tells about one process.
type procInfo struct {
	pid, ppid, pgid int
	comm            string
	state           string // "R", "S", "Z" (a zombie: exited, not yet reaped), …
	rss             int64  // bytes
}

// processes reads every process's parent, group, name and resident size from /proc.
func processes() map[int]procInfo {
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	page := int64(os.Getpagesize())
	out := make(map[int]procInfo, len(entries))
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// "pid (comm) state ppid pgrp session tty tpgid flags minflt cminflt majflt cmajflt
		//  utime stime cutime cstime priority nice threads itrealvalue starttime vsize rss ..."
		// comm may hold spaces and parentheses: split after its last ')'.
		s := string(b)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open {
			continue
		}
		f := strings.Fields(s[close+1:])
		if len(f) < 22 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		pgid, _ := strconv.Atoi(f[2])
		rss, _ := strconv.ParseInt(f[21], 10, 64)
		out[pid] = procInfo{pid: pid, ppid: ppid, pgid: pgid, comm: s[open+1 : close], state: f[0], rss: rss * page}
	}
	return out
}

// descendants returns root and every process below it.
func descendants(procs map[int]procInfo, root int) []procInfo {
	children := make(map[int][]int)
	for pid, p := range procs {
		children[p.ppid] = append(children[p.ppid], pid)
	}
	var out []procInfo
	stack := []int{root}
	seen := map[int]bool{}
	for len(stack) > 0 {
		pid := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		if seen[pid] {
			continue
		}
		seen[pid] = true
		if p, ok := procs[pid]; ok {
			out = append(out, p)
		}
		stack = append(stack, children[pid]...)
	}
	return out
}

// Descendants lists the live (not zombie) processes below root, from /proc: what a process
// that is its children's subreaper must kill and reap before it exits.
func Descendants(root int) []int {
	var out []int
	for _, p := range descendants(processes(), root) {
		if p.pid != root && p.state != "Z" {
			out = append(out, p.pid)
		}
	}
	return out
}

// killTree kills root and all its descendants, and their process groups. It first stops them
// (SIGSTOP) until no new one appears, so none can fork or be re-parented away while it works,
// then kills them all.
func killTree(root int) {
	own := syscall.Getpgrp()
	stopped := map[int]procInfo{}
	for range 10 {
		fresh := 0
		for _, p := range descendants(processes(), root) {
			if _, ok := stopped[p.pid]; !ok {
				stopped[p.pid] = p
				_ = syscall.Kill(p.pid, syscall.SIGSTOP)
				fresh++
			}
		}
		if fresh == 0 {
			break
		}
	}
	groups := map[int]bool{}
	for _, p := range stopped {
		_ = syscall.Kill(p.pid, syscall.SIGKILL)
		if p.pgid > 1 && p.pgid != own {
			groups[p.pgid] = true
		}
	}
	for g := range groups {
		_ = syscall.Kill(-g, syscall.SIGKILL)
	}
	// SIGKILL also ends stopped processes; nothing to continue.
}

// watchMemory samples the resident memory of root's process tree every 200 ms, leaving out the
// driver itself and gopls, and sends the total on exceeded (once) when it passes limit.
func watchMemory(root int, limit int64, stop <-chan struct{}, exceeded chan<- int64) {
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
		}
		var total int64
		for _, p := range descendants(processes(), root) {
			if p.pid == root || p.comm == "gopls" {
				continue
			}
			total += p.rss
		}
		if total > limit {
			exceeded <- total
			return
		}
	}
}
