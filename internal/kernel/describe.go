package kernel

import (
	"encoding/json"
	"html"
	"regexp"
	"strings"

	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// GoNB shows a compile error as an HTML report (a display_data output) plus an error output that
// only says "failed to run go build". The report marks each message like
//
//	<span class="gonb-cell-line-info">Cell[4]: Line 2</span>
//	<span class="gonb-err-location">./main.go:10:1: </span> undefined: undefinedFunction
var (
	gonbLineInfo = regexp.MustCompile(`<span class="gonb-cell-line-info">([^<]*)</span>`)
	gonbErrLoc   = regexp.MustCompile(`<span class="gonb-err-location">[^<]*</span>([^\n<]*)`)
	ansiEscape   = regexp.MustCompile("\x1b\\[[0-9;]*[A-Za-z]")
)

// CompileErrors returns the Go compiler's messages that GoNB reported for cell c as HTML, as
// plain lines ("Cell[4]: Line 2: undefined: undefinedFunction"); nil when there are none.
func CompileErrors(c *notebook.Cell) []string {
	var out []string
	for _, o := range c.Outputs {
		raw, ok := o.Data["text/html"]
		if !ok || (o.Type != "display_data" && o.Type != "execute_result") {
			continue
		}
		var h string
		if json.Unmarshal(raw, &h) != nil {
			var parts []string
			if json.Unmarshal(raw, &parts) != nil {
				continue
			}
			h = strings.Join(parts, "")
		}
		if !strings.Contains(h, "gonb-err-location") {
			continue
		}
		for _, m := range gonbErrLoc.FindAllStringSubmatchIndex(h, -1) {
			msg := strings.TrimSpace(html.UnescapeString(h[m[2]:m[3]]))
			if li := gonbLineInfo.FindAllStringSubmatch(h[:m[0]], -1); len(li) > 0 {
				msg = html.UnescapeString(li[len(li)-1][1]) + ": " + msg
			}
			out = append(out, msg)
		}
	}
	return out
}

// Describe returns a short plain-text account of a problem of cell c: its first lines, with the
// compiler's messages when GoNB reported a failed build.
func Describe(p notebook.Problem, c *notebook.Cell, lines int) string {
	text := FirstLines(ansiEscape.ReplaceAllString(p.Text, ""), lines)
	if p.Kind == "error" && strings.Contains(p.Text, "go build") {
		if msgs := CompileErrors(c); len(msgs) > 0 {
			if len(msgs) > lines {
				msgs = msgs[:lines]
			}
			text = "does not compile: " + strings.Join(msgs, " | ")
		}
	}
	return p.Kind + ": " + text
}
