package grading

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// gonbCompileHTML is a compile error as GoNB v0.11.3 shows it (recorded from the kernel, style
// sheet left out): the hover context holds hidden tests, which feedback must not show.
const gonbCompileHTML = `<style>.gonb-err-location {}</style>
<div class="lm-Widget p-Widget jp-RenderedText jp-mod-trusted jp-OutputArea-output" data-mime-type="application/vnd.jupyter.stderr" style="font-family: monospace;">
<span style="white-space: pre;"> # gonb_a3873ef3</span>
<br/>
<span class="gonb-cell-line-info">Cell[3]: Line 5</span>
<span class="gonb-err-location">./main.go:23:7: </span> undefined: Energy &amp; more
<div class="gonb-err-context">
// BEGIN HIDDEN TESTS
<div class="gonb-err-line">check(Energy(w, []float64{1, -1}) == 1, &#34;secret&#34;)
</div>// END HIDDEN TESTS
</div>
<br/>
</div>`

func TestProblemDetail(t *testing.T) {
	htmlData, _ := json.Marshal(gonbCompileHTML)
	for _, tc := range []struct {
		name    string
		outputs []*notebook.Output
		want    []string
		not     []string
	}{
		{"compile error", []*notebook.Output{
			{Type: "display_data", Data: map[string]json.RawMessage{"text/html": htmlData}},
			{Type: "error", EName: "ERROR", EValue: `failed to run "/usr/local/go/bin/go build -o /tmp/x/gonb_a3873ef3/gonb_a3873ef3": exit status 1`},
		}, []string{"Cell[3]: Line 5: undefined: Energy & more"}, []string{"HIDDEN", "secret", "go build", "/tmp/"}},
		{"panic", []*notebook.Output{
			{Type: "stream", Name: "stderr", Text: "panic: boom\n\ngoroutine 1 [running]:\nmain.Energy(...)\n\t [[ Cell [3] Line 3 ]] /tmp/hopfield-grade-1/hopfield-kernel-2/gonb_44e22252/main.go:11 +0x91\nexit status 2\n"},
		}, []string{"panic: boom", "[[ Cell [3] Line 3 ]]"}, []string{"/tmp/", "main.go", "exit status"}},
		{"failed check", []*notebook.Output{
			{Type: "stream", Name: "stdout", Text: "W for two patterns: ok\n"},
			{Type: "stream", Name: "stderr", Text: "✗ Exercise 1: 1 of 6 checks failed\n  - W[0][0] is 0.5, expected 0 (within 1e-12)\nexit status 1\n"},
		}, []string{"✗ Exercise 1: 1 of 6 checks failed\n  - W[0][0] is 0.5, expected 0 (within 1e-12)"}, []string{"exit status", "ok"}},
		{"colors", []*notebook.Output{
			{Type: "error", EName: "E", EValue: "bad", Traceback: []string{"\x1b[31mred line\x1b[0m"}},
		}, []string{"E: bad\nred line"}, []string{"\x1b"}},
		{"long", []*notebook.Output{
			{Type: "stream", Name: "stderr", Text: strings.Repeat("line\n", 50)},
		}, []string{strings.Repeat("line\n", maxDetailLines) + "…"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := problemDetail(&notebook.Cell{Type: "code", Outputs: tc.outputs})
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("detail %q lacks %q", got, w)
				}
			}
			for _, n := range tc.not {
				if strings.Contains(got, n) {
					t.Errorf("detail %q shows %q", got, n)
				}
			}
		})
	}
}
