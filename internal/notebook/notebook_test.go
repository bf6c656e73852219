package notebook

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// sample is a notebook as Jupyter writes it, with fields this package does not model
// (attachments, kernelspec, output metadata) that must survive a round trip.
const sample = `{
 "cells": [
  {
   "cell_type": "markdown",
   "id": "intro",
   "metadata": {},
   "source": [
    "# Title <b>&</b>\n",
    "text"
   ],
   "attachments": {"a.png": {"image/png": "AAAA"}}
  },
  {
   "cell_type": "code",
   "execution_count": 3,
   "id": "c1",
   "metadata": {
    "nbgrader": {"grade": true, "grade_id": "test_energy", "locked": true, "points": 2, "schema_version": 3, "solution": false, "task": false},
    "tags": ["x"]
   },
   "outputs": [
    {"name": "stdout", "output_type": "stream", "text": ["ok\n"]},
    {"name": "stderr", "output_type": "stream", "text": "panic: boom\n"},
    {"data": {"text/plain": ["1"]}, "execution_count": 3, "metadata": {"k": 1}, "output_type": "execute_result"},
    {"ename": "E", "evalue": "bad", "output_type": "error", "traceback": ["t"]}
   ],
   "source": "x := 1\nfmt.Println(x)"
  }
 ],
 "metadata": {"kernelspec": {"display_name": "Go (gonb)", "language": "go", "name": "gonb"}},
 "nbformat": 4,
 "nbformat_minor": 5
}`

func TestRoundTripKeepsEverything(t *testing.T) {
	nb, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	if len(nb.Cells) != 2 || nb.Cells[0].Source != "# Title <b>&</b>\ntext" || nb.Cells[1].Source != "x := 1\nfmt.Println(x)" {
		t.Fatalf("cells parsed wrong: %+v", nb.Cells)
	}
	out, err := nb.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(out, []byte(`\u003c`)) {
		t.Errorf("HTML was escaped: %s", out)
	}
	// Same JSON value once the source is compared in list form.
	var want, got any
	if err := json.Unmarshal([]byte(sample), &want); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(out, &got); err != nil {
		t.Fatal(err)
	}
	normalizeSources(want)
	normalizeSources(got)
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(got)
	if !bytes.Equal(wj, gj) {
		t.Errorf("round trip changed the notebook:\nwant %s\ngot  %s", wj, gj)
	}
	// A second round trip is byte-identical.
	nb2, err := Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	out2, _ := nb2.Marshal()
	if !bytes.Equal(out, out2) {
		t.Errorf("second round trip differs")
	}
}

// normalizeSources joins list-form multiline strings so both forms compare equal.
func normalizeSources(v any) {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			if k == "source" || k == "text" {
				if parts, ok := e.([]any); ok {
					var b strings.Builder
					for _, p := range parts {
						b.WriteString(p.(string))
					}
					x[k] = b.String()
					continue
				}
			}
			normalizeSources(e)
		}
	case []any:
		for _, e := range x {
			normalizeSources(e)
		}
	}
}

func TestProblemsFindsErrorsAndStderr(t *testing.T) {
	nb, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	ps := nb.Problems()
	if len(ps) != 2 || ps[0].Kind != "stderr" || ps[0].Cell != 1 || ps[1].Kind != "error" || ps[1].Text != "E: bad" {
		t.Fatalf("Problems() = %v", ps)
	}
}

func TestNBGraderMetadata(t *testing.T) {
	nb, err := Parse([]byte(sample))
	if err != nil {
		t.Fatal(err)
	}
	m, err := nb.Cells[1].NBGrader()
	if err != nil || m == nil || !m.Grade || !m.Locked || m.GradeID != "test_energy" || m.Points != 2 || m.SchemaVersion != 3 {
		t.Fatalf("NBGrader() = %+v, %v", m, err)
	}
	m.Checksum = "abc"
	nb.Cells[1].SetNBGrader(m)
	again, _ := nb.Cells[1].NBGrader()
	if again.Checksum != "abc" {
		t.Errorf("checksum not stored: %+v", again)
	}
	if m, _ := nb.Cells[0].NBGrader(); m != nil {
		t.Errorf("markdown cell has nbgrader metadata %+v", m)
	}
}

func TestParseRejectsBadInput(t *testing.T) {
	for name, in := range map[string]string{
		"not json":     `{"cells": [`,
		"nbformat 3":   `{"nbformat": 3, "nbformat_minor": 0, "cells": []}`,
		"no cells":     `{"nbformat": 4, "nbformat_minor": 5}`,
		"bad type":     `{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "weird", "source": ""}]}`,
		"bad source":   `{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code", "source": 3}]}`,
		"bad output":   `{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code", "source": "", "outputs": [{"output_type": "x"}]}]}`,
		"bad nbgrader": `{"nbformat": 4, "nbformat_minor": 5, "cells": [{"cell_type": "code", "source": "", "metadata": {"nbgrader": 5}}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			nb, err := Parse([]byte(in))
			if err == nil {
				_, err = nb.Cells[0].NBGrader()
			}
			if !errors.Is(err, ErrFormat) {
				t.Errorf("got %v, want ErrFormat", err)
			}
		})
	}
}

func TestTags(t *testing.T) {
	c := &Cell{Type: "code", Metadata: map[string]json.RawMessage{"tags": json.RawMessage(`["skip-execution", "mistake"]`)}}
	if !c.HasTag("mistake") || c.HasTag("hint") || len(c.Tags()) != 2 {
		t.Errorf("tags %v", c.Tags())
	}
	for _, m := range []map[string]json.RawMessage{nil, {"tags": json.RawMessage(`"mistake"`)}} {
		if c := (&Cell{Metadata: m}); c.HasTag("mistake") || c.Tags() != nil {
			t.Errorf("metadata %v: tags %v, want none", m, c.Tags())
		}
	}
}
