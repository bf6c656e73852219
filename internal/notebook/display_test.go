package notebook

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestUnsyncedDisplays(t *testing.T) {
	for _, tc := range []struct {
		name  string
		cells []string
		want  []string // "cell:line:call" of each unsynced display
	}{
		{"display then nothing", []string{"%%\ngonbui.DisplayHtml(\"<b>x</b>\")"}, []string{"0:2:gonbui.DisplayHtml"}},
		{"display then Sync", []string{"%%\ngonbui.DisplayHtml(\"<b>x</b>\")\ngonbui.Sync()"}, nil},
		{"deferred Sync first", []string{"%%\ndefer gonbui.Sync()\ngonbui.DisplayImage(img)"}, nil},
		{"Sync before the last display", []string{"%%\ngonbui.DisplayHtml(a)\ngonbui.Sync()\ngonbui.UpdateHtml(id, b)"}, []string{"0:4:gonbui.UpdateHtml"}},
		{"library Show after", []string{"%%\ngonbui.DisplayMarkdown(\"# t\")\nmust(fig).Show()"}, nil},
		{"Table.Display after", []string{"%%\ngonbui.UpdateHTML(id, s)\ntable.Display()"}, nil},
		{"Show alone", []string{"%%\nfig.Show()"}, nil},
		{"quiet calls only", []string{"%%\nid := gonbui.UniqueId()\nfmt.Println(id, gonbui.IsNotebook)"}, nil},
		{"in a comment", []string{"%%\n// gonbui.DisplayHtml(x) would show it\nfmt.Println(1)"}, nil},
		{"in a string", []string{"%%\nfmt.Println(\"call gonbui.DisplayHtml(x) to show it\")"}, nil},
		{"in a raw string", []string{"%%\nfmt.Println(`gonbui.DisplayHtml(x)`)"}, nil},
		{"a Sync in a comment does not count", []string{"%%\ngonbui.DisplayHtml(x)\n// gonbui.Sync()"}, []string{"0:2:gonbui.DisplayHtml"}},
		{"a helper that displays", []string{"func show(s string) {\n\tgonbui.DisplayHtml(s)\n}"}, []string{"0:2:gonbui.DisplayHtml"}},
		{"a helper that syncs", []string{"func show(s string) {\n\tgonbui.DisplayHtml(s)\n\tgonbui.Sync()\n}"}, nil},
		{"alias from an earlier cell", []string{"import ui \"github.com/janpfeifer/gonb/gonbui\"", "%%\nui.DisplayHtml(x)"}, []string{"1:2:ui.DisplayHtml"}},
		{"alias synced", []string{"import ui \"github.com/janpfeifer/gonb/gonbui\"", "%%\nui.DisplayHtml(x)\nui.Sync()"}, nil},
		{"dom sends too", []string{"import \"github.com/janpfeifer/gonb/gonbui/dom\"\n%%\ndom.Append(id, s)"}, []string{"0:3:dom.Append"}},
		{"dom without its import is not gonbui", []string{"%%\ndom.Append(id, s)"}, nil},
		{"markdown is not code", nil, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			nb := &Notebook{NBFormat: 4, Cells: []*Cell{{Type: "markdown", Source: "gonbui.DisplayHtml(x)"}}}
			for _, s := range tc.cells {
				nb.Cells = append(nb.Cells, &Cell{Type: "code", Source: s})
			}
			var got []string
			for _, u := range nb.UnsyncedDisplays() {
				got = append(got, fmt.Sprintf("%d:%d:%s", u.Cell-1, u.Line, u.Call))
			}
			if strings.Join(got, " ") != strings.Join(tc.want, " ") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// TestRepositoryNotebooksSyncDisplays reads every notebook in the repository (the course's
// student and instructor versions, the test notebooks of every package) and fails on a cell that
// displays with gonbui and can end before GoNB has read the display.
func TestRepositoryNotebooksSyncDisplays(t *testing.T) {
	root := filepath.Join("..", "..")
	n := 0
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "out" || d.Name() == "node_modules" || d.Name() == ".ipynb_checkpoints") {
			return filepath.SkipDir
		}
		if d.IsDir() || filepath.Ext(path) != ".ipynb" {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		nb, err := Parse(b)
		if err != nil {
			return nil // not a notebook on purpose (a broken test fixture)
		}
		n++
		for _, u := range nb.UnsyncedDisplays() {
			t.Errorf("%s: %v", path, u)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 10 {
		t.Errorf("read %d notebooks; the course and the tests have more: is the walk rooted at the repository?", n)
	}
}
