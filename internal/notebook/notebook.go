// Package notebook reads and writes Jupyter notebooks (nbformat 4, .ipynb) without losing
// anything: every field this package does not model is kept as raw JSON and written back
// unchanged. It also reads and writes nbgrader's cell metadata (schema 3).
//
// Written files follow Jupyter's own layout (one-space indent, sorted keys, no HTML escaping,
// trailing newline), so a notebook read and written unchanged differs from Jupyter's copy only
// where Jupyter itself is inconsistent.
package notebook

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
)

// ErrFormat reports a file that is not an nbformat-4 notebook.
var ErrFormat = errors.New("notebook: not a valid nbformat 4 notebook")

// Notebook is a parsed .ipynb file.
type Notebook struct {
	Cells         []*Cell
	Metadata      map[string]json.RawMessage
	NBFormat      int
	NBFormatMinor int
	// Extra holds top-level fields this package does not model.
	Extra map[string]json.RawMessage
}

// Cell is one notebook cell. Source is the cell's text; Outputs and ExecutionCount only exist
// for code cells.
type Cell struct {
	Type           string // "code", "markdown" or "raw"
	ID             string // nbformat ≥ 4.5 cell id; empty if absent
	Source         string
	Metadata       map[string]json.RawMessage
	Outputs        []*Output
	ExecutionCount *int
	// Extra holds cell fields this package does not model (attachments, …).
	Extra map[string]json.RawMessage
}

// Output is one output of a code cell.
type Output struct {
	Type      string // "stream", "display_data", "execute_result" or "error"
	Name      string // stream name: "stdout" or "stderr"
	Text      string // stream text
	EName     string // error name
	EValue    string // error value
	Traceback []string
	// Data is the MIME bundle of display_data and execute_result outputs.
	Data map[string]json.RawMessage
	// Extra holds output fields this package does not model (metadata, execution_count, …).
	Extra map[string]json.RawMessage
}

// Read parses the notebook file at path.
func Read(path string) (*Notebook, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	nb, err := Parse(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return nb, nil
}

// Parse parses notebook JSON.
func Parse(b []byte) (*Notebook, error) {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(b, &top); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	nb := &Notebook{Extra: top}
	if err := take(top, "nbformat", &nb.NBFormat); err != nil {
		return nil, err
	}
	if nb.NBFormat != 4 {
		return nil, fmt.Errorf("%w: nbformat is %d, want 4", ErrFormat, nb.NBFormat)
	}
	if err := take(top, "nbformat_minor", &nb.NBFormatMinor); err != nil {
		return nil, err
	}
	if err := take(top, "metadata", &nb.Metadata); err != nil {
		return nil, err
	}
	var cells []map[string]json.RawMessage
	if err := take(top, "cells", &cells); err != nil {
		return nil, err
	}
	if cells == nil {
		return nil, fmt.Errorf("%w: no \"cells\" list", ErrFormat)
	}
	for i, raw := range cells {
		c, err := parseCell(raw)
		if err != nil {
			return nil, fmt.Errorf("cell %d: %w", i, err)
		}
		nb.Cells = append(nb.Cells, c)
	}
	return nb, nil
}

func parseCell(raw map[string]json.RawMessage) (*Cell, error) {
	c := &Cell{Extra: raw}
	if err := take(raw, "cell_type", &c.Type); err != nil {
		return nil, err
	}
	switch c.Type {
	case "code", "markdown", "raw":
	default:
		return nil, fmt.Errorf("%w: cell_type %q, want code, markdown or raw", ErrFormat, c.Type)
	}
	if err := take(raw, "id", &c.ID); err != nil {
		return nil, err
	}
	src, err := takeMultiline(raw, "source")
	if err != nil {
		return nil, err
	}
	c.Source = src
	if err := take(raw, "metadata", &c.Metadata); err != nil {
		return nil, err
	}
	if c.Type == "code" {
		if err := take(raw, "execution_count", &c.ExecutionCount); err != nil {
			return nil, err
		}
		var outs []map[string]json.RawMessage
		if err := take(raw, "outputs", &outs); err != nil {
			return nil, err
		}
		for j, o := range outs {
			out, err := parseOutput(o)
			if err != nil {
				return nil, fmt.Errorf("output %d: %w", j, err)
			}
			c.Outputs = append(c.Outputs, out)
		}
	}
	return c, nil
}

func parseOutput(raw map[string]json.RawMessage) (*Output, error) {
	o := &Output{Extra: raw}
	if err := take(raw, "output_type", &o.Type); err != nil {
		return nil, err
	}
	switch o.Type {
	case "stream":
		if err := take(raw, "name", &o.Name); err != nil {
			return nil, err
		}
		text, err := takeMultiline(raw, "text")
		if err != nil {
			return nil, err
		}
		o.Text = text
	case "error":
		for key, dst := range map[string]any{"ename": &o.EName, "evalue": &o.EValue, "traceback": &o.Traceback} {
			if err := take(raw, key, dst); err != nil {
				return nil, err
			}
		}
	case "display_data", "execute_result", "update_display_data":
		if err := take(raw, "data", &o.Data); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("%w: output_type %q", ErrFormat, o.Type)
	}
	return o, nil
}

// take moves key out of raw into dst (leaving dst unchanged when absent).
func take(raw map[string]json.RawMessage, key string, dst any) error {
	v, ok := raw[key]
	if !ok {
		return nil
	}
	delete(raw, key)
	if err := json.Unmarshal(v, dst); err != nil {
		return fmt.Errorf("%w: field %q: %v", ErrFormat, key, err)
	}
	return nil
}

// takeMultiline reads nbformat's "multiline string": a string or a list of strings to join.
func takeMultiline(raw map[string]json.RawMessage, key string) (string, error) {
	v, ok := raw[key]
	if !ok {
		return "", nil
	}
	delete(raw, key)
	var s string
	if err := json.Unmarshal(v, &s); err == nil {
		return s, nil
	}
	var parts []string
	if err := json.Unmarshal(v, &parts); err != nil {
		return "", fmt.Errorf("%w: field %q is neither a string nor a list of strings", ErrFormat, key)
	}
	return strings.Join(parts, ""), nil
}

// splitLines turns text into nbformat's list form: lines that keep their "\n".
func splitLines(s string) []string {
	lines := []string{}
	for s != "" {
		i := strings.IndexByte(s, '\n')
		if i < 0 {
			lines = append(lines, s)
			break
		}
		lines = append(lines, s[:i+1])
		s = s[i+1:]
	}
	return lines
}

// Marshal renders the notebook as Jupyter writes it.
func (nb *Notebook) Marshal() ([]byte, error) {
	top := clone(nb.Extra)
	top["nbformat"] = mustRaw(nb.NBFormat)
	top["nbformat_minor"] = mustRaw(nb.NBFormatMinor)
	top["metadata"] = mustRaw(orEmpty(nb.Metadata))
	cells := make([]map[string]json.RawMessage, len(nb.Cells))
	for i, c := range nb.Cells {
		cells[i] = c.raw()
	}
	top["cells"] = mustRaw(cells)
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", " ")
	if err := enc.Encode(top); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Write writes the notebook to path (through a temporary file, so a failure leaves no half file).
func (nb *Notebook) Write(path string) error {
	b, err := nb.Marshal()
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func (c *Cell) raw() map[string]json.RawMessage {
	m := clone(c.Extra)
	m["cell_type"] = mustRaw(c.Type)
	if c.ID != "" {
		m["id"] = mustRaw(c.ID)
	}
	m["source"] = mustRaw(splitLines(c.Source))
	m["metadata"] = mustRaw(orEmpty(c.Metadata))
	if c.Type == "code" {
		m["execution_count"] = mustRaw(c.ExecutionCount)
		outs := make([]map[string]json.RawMessage, len(c.Outputs))
		for i, o := range c.Outputs {
			outs[i] = o.raw()
		}
		m["outputs"] = mustRaw(outs)
	}
	return m
}

func (o *Output) raw() map[string]json.RawMessage {
	m := clone(o.Extra)
	m["output_type"] = mustRaw(o.Type)
	switch o.Type {
	case "stream":
		m["name"] = mustRaw(o.Name)
		m["text"] = mustRaw(splitLines(o.Text))
	case "error":
		m["ename"] = mustRaw(o.EName)
		m["evalue"] = mustRaw(o.EValue)
		m["traceback"] = mustRaw(orEmptySlice(o.Traceback))
	default:
		m["data"] = mustRaw(orEmpty(o.Data))
	}
	return m
}

func clone(m map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m)+4)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func orEmpty(m map[string]json.RawMessage) map[string]json.RawMessage {
	if m == nil {
		return map[string]json.RawMessage{}
	}
	return m
}

func orEmptySlice(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// mustRaw marshals values this package built itself (strings, ints, maps of raw JSON), which
// cannot fail.
func mustRaw(v any) json.RawMessage {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("notebook: marshal %T: %v", v, err))
	}
	return bytes.TrimRight(buf.Bytes(), "\n")
}
