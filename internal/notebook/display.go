package notebook

import (
	"fmt"
	"regexp"
	"strings"
)

// GoNB delivers what a cell displays (gonbui.DisplayHTML, DisplayImage, UpdateHTML, …) through a
// pipe that it reads while the cell's program runs. A program that exits right after a display
// can take the output with it: the display is lost, more often on a busy machine. gonbui.Sync()
// waits until GoNB has read everything sent before it, and so do the course library's Show,
// ShowSVG, Play and Display methods (they end with gonbui.Sync).
//
// UnsyncedDisplays finds the code cells that send a display and do not wait for it.

// gonbuiPath and domPath are the GoNB packages whose calls send a display to the front end.
const (
	gonbuiPath = "github.com/janpfeifer/gonb/gonbui"
	domPath    = "github.com/janpfeifer/gonb/gonbui/dom"
)

// quiet are the functions of gonbui and gonbui/dom that send nothing to display (or wait for the
// front end's answer themselves).
var quiet = map[string]bool{
	"Sync": true, "UniqueId": true, "UniqueID": true, "EmbedImageAsPNGSrc": true, "Error": true,
	"Logf": true, "Open": true, "RequestInput": true, "GetInnerHtml": true, "IsNotebook": true,
}

// syncingMethods are the course library's methods that display and then call gonbui.Sync
// (hopfieldlib/plots: Figure.Show, Figure.ShowSVG, Animation.Show, Animation.Play;
// hopfieldlib/experiments: Table.Display).
var syncingMethods = []string{"Show", "ShowSVG", "Play", "Display"}

// UnsyncedDisplay is a code cell that sends a display and can end before GoNB has read it.
type UnsyncedDisplay struct {
	Cell int    // index of the cell in the notebook
	Line int    // 1-based line of the last display call in the cell's source
	Call string // that call, e.g. "gonbui.DisplayHtml"
}

func (u UnsyncedDisplay) String() string {
	return fmt.Sprintf("cell %d, line %d: %s( is not followed by gonbui.Sync() (or defer gonbui.Sync(), or a library Show): the display can be lost when the cell's program exits",
		u.Cell, u.Line, u.Call)
}

var importRe = regexp.MustCompile(`(?m)(?:^|[\s(])(?:([A-Za-z_]\w*|\.)\s+)?"(` + regexp.QuoteMeta(gonbuiPath) + `(?:/dom)?)"`)

// UnsyncedDisplays returns the code cells of nb in which a call that sends a display (a
// gonbui or gonbui/dom function other than Sync and the few that send nothing) is not followed,
// later in the cell, by gonbui.Sync() or a library method that syncs, and the cell has no
// `defer gonbui.Sync()`. Imports persist between GoNB cells, so an alias imported in one cell
// counts in every later one. Comments and string literals are ignored.
func (nb *Notebook) UnsyncedDisplays() []UnsyncedDisplay {
	names := map[string]string{"gonbui": gonbuiPath} // GoNB's goimports adds the import itself
	var found []UnsyncedDisplay
	for i, c := range nb.Cells {
		if c.Type != "code" {
			continue
		}
		for _, m := range importRe.FindAllStringSubmatch(c.Source, -1) {
			alias := m[1]
			if alias == "" || alias == "import" {
				alias = m[2][strings.LastIndex(m[2], "/")+1:]
			}
			if alias != "." && alias != "_" {
				names[alias] = m[2]
			}
		}
		if u, ok := unsyncedDisplay(blankLiterals(c.Source), names); ok {
			u.Cell = i
			found = append(found, u)
		}
	}
	return found
}

// callRe matches a call x.f( and, for calls on an expression (must(fig).Show()), ).f(.
var callRe = regexp.MustCompile(`(?:\b([A-Za-z_]\w*)|\))\s*\.\s*([A-Za-z_]\w*)\s*\(`)

// unsyncedDisplay checks one cell's code (literals and comments already blanked).
func unsyncedDisplay(code string, names map[string]string) (UnsyncedDisplay, bool) {
	lastSend, lastSync := -1, -1
	var call string
	for _, m := range callRe.FindAllStringSubmatchIndex(code, -1) {
		var pkg string
		if m[2] >= 0 {
			pkg = code[m[2]:m[3]]
		}
		fn := code[m[4]:m[5]]
		path, isGonb := names[pkg]
		switch {
		case isGonb && path == gonbuiPath && fn == "Sync":
			if strings.HasSuffix(strings.TrimSpace(code[:m[0]]), "defer") {
				return UnsyncedDisplay{}, false // waits at the end of whatever function it is in
			}
			lastSync = m[0]
		case isGonb && !quiet[fn]:
			lastSend, call = m[0], pkg+"."+fn
		case !isGonb && isSyncingMethod(fn):
			lastSync = m[0]
		}
	}
	if lastSend < 0 || lastSync > lastSend {
		return UnsyncedDisplay{}, false
	}
	return UnsyncedDisplay{Line: strings.Count(code[:lastSend], "\n") + 1, Call: call}, true
}

func isSyncingMethod(fn string) bool {
	for _, m := range syncingMethods {
		if fn == m {
			return true
		}
	}
	return false
}

// blankLiterals returns Go source with the contents of comments, string, raw string and rune
// literals replaced by spaces (newlines kept, so line numbers stay), so that text inside them is
// not taken for code. Cell lines that are not Go (%% and ! commands) pass through.
func blankLiterals(src string) string {
	b := []byte(src)
	blank := func(from, to int) {
		for k := from; k < to && k < len(b); k++ {
			if b[k] != '\n' {
				b[k] = ' '
			}
		}
	}
	for i := 0; i < len(b); i++ {
		switch {
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '/':
			j := i
			for j < len(b) && b[j] != '\n' {
				j++
			}
			blank(i, j)
			i = j
		case b[i] == '/' && i+1 < len(b) && b[i+1] == '*':
			j := strings.Index(string(b[i+2:]), "*/")
			end := len(b)
			if j >= 0 {
				end = i + 2 + j + 2
			}
			blank(i, end)
			i = end - 1
		case b[i] == '"' || b[i] == '\'':
			q, j := b[i], i+1
			for j < len(b) && b[j] != q && b[j] != '\n' {
				if b[j] == '\\' {
					j++
				}
				j++
			}
			blank(i+1, j)
			i = j
		case b[i] == '`':
			j := i + 1
			for j < len(b) && b[j] != '`' {
				j++
			}
			blank(i+1, j)
			i = j
		}
	}
	return string(b)
}
