package kernel

import (
	"strings"
	"testing"
)

// testdata/panic.executed.ipynb is panic.ipynb as GoNB v0.11.3 executed it (nbconvert
// --allow-errors): cell 1 panics, cell 3 calls an undefined function.
func TestDescribe(t *testing.T) {
	nb := readTestdata(t, "panic.executed.ipynb")
	ps := nb.Problems()
	if len(ps) != 2 {
		t.Fatalf("problems %v, want 2", ps)
	}
	for _, tc := range []struct {
		problem int
		want    string
	}{
		{0, "stderr: panic: boom: the check failed | goroutine 1 [running]: | main.main()"}, // first 3 non-empty lines, ANSI codes removed
		{1, "error: does not compile: Cell[4]: Line 2: undefined: undefinedFunction"},       // from GoNB's HTML report
	} {
		p := ps[tc.problem]
		if got := Describe(p, nb.Cells[p.Cell], 3); got != tc.want {
			t.Errorf("Describe(problem %d) = %q, want %q", tc.problem, got, tc.want)
		}
	}
	if got := CompileErrors(nb.Cells[1]); got != nil {
		t.Errorf("CompileErrors(cell 1) = %q, want none", got)
	}
}

func TestFirstLines(t *testing.T) {
	for _, tc := range []struct {
		in   string
		n    int
		want string
	}{
		{"a\n\n b \nc\nd", 2, "a | b"},
		{"", 3, ""},
		{"only\n", 5, "only"},
	} {
		if got := FirstLines(tc.in, tc.n); got != tc.want {
			t.Errorf("FirstLines(%q, %d) = %q, want %q", tc.in, tc.n, got, tc.want)
		}
	}
}

func TestCoalesceStreams(t *testing.T) {
	nb := readTestdata(t, "panic.executed.ipynb")
	outs := nb.Cells[1].Outputs
	outs = append(outs, outs[0])
	got := coalesceStreams(outs)
	if len(got) != 1 || strings.Count(got[0].Text, "panic: boom") != 2 {
		t.Errorf("coalesceStreams joined %d outputs into %d: %q", len(outs), len(got), got[0].Text)
	}
}

func TestDescendants(t *testing.T) {
	procs := map[int]procInfo{
		1: {pid: 1}, 10: {pid: 10, ppid: 1}, 11: {pid: 11, ppid: 10}, 12: {pid: 12, ppid: 11},
		13: {pid: 13, ppid: 10}, 20: {pid: 20, ppid: 1},
	}
	seen := map[int]bool{}
	for _, p := range descendants(procs, 10) {
		seen[p.pid] = true
	}
	if len(seen) != 4 || !seen[10] || !seen[11] || !seen[12] || !seen[13] {
		t.Errorf("descendants of 10 = %v, want 10 11 12 13", seen)
	}
}

func TestSyncBufferKeepsTail(t *testing.T) {
	var b syncBuffer
	chunk := strings.Repeat("x", 1000) + "\n"
	for range 1000 { // 1 MB written
		b.Write([]byte(chunk))
	}
	b.Write([]byte("last line\n"))
	s := b.String()
	if len(s) > 2*syncBufferKeep || !strings.HasSuffix(s, "last line\n") {
		t.Errorf("kept %d bytes ending %q; want at most %d ending with the last line", len(s), s[len(s)-20:], 2*syncBufferKeep)
	}
}
