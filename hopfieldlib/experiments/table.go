package experiments

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
)

// Column is one named column of a [Table]: numbers in Values, or text in Text (a text column
// has a non-nil Text and no Values).
type Column struct {
	Name   string
	Values []float64
	Text   []string
}

// isText reports whether the column holds text.
func (c Column) isText() bool { return c.Text != nil }

// len is the number of rows in the column.
func (c Column) len() int {
	if c.isText() {
		return len(c.Text)
	}
	return len(c.Values)
}

// Table is the result of an experiment: named columns of equal length, one row per setting
// (a noise level, a number of patterns, a β). Columns are stored whole, so a series for a plot
// is one call: xs, ys, errs, err := t.XYErr("alpha", "stable", "stable_std").
//
// Experiments name their columns in snake_case; a column "x_std" is the standard deviation over
// seeds of column "x".
type Table struct {
	// Title describes the experiment, e.g. "capacity: classical, N=1000"; captions use it.
	Title   string
	Columns []Column
}

// NewTable checks columns (unique, non-empty names; equal lengths) and returns a table of them.
func NewTable(title string, columns ...Column) (*Table, error) {
	t := &Table{Title: title, Columns: columns}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	return t, nil
}

// Validate checks that the columns have unique, non-empty names and the same length.
func (t *Table) Validate() error {
	seen := map[string]bool{}
	for i, c := range t.Columns {
		if c.Name == "" {
			return fmt.Errorf("%w: table %q: column %d has no name", hopfieldlib.ErrParameter, t.Title, i)
		}
		if seen[c.Name] {
			return fmt.Errorf("%w: table %q: two columns are named %q", hopfieldlib.ErrParameter, t.Title, c.Name)
		}
		seen[c.Name] = true
		if c.len() != t.Columns[0].len() {
			return fmt.Errorf("%w: table %q: column %q has %d rows, column %q has %d",
				hopfieldlib.ErrShape, t.Title, c.Name, c.len(), t.Columns[0].Name, t.Columns[0].len())
		}
	}
	return nil
}

// Len is the number of rows.
func (t *Table) Len() int {
	if t == nil || len(t.Columns) == 0 {
		return 0
	}
	return t.Columns[0].len()
}

// Names returns the column names in order.
func (t *Table) Names() []string {
	names := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		names[i] = c.Name
	}
	return names
}

// column finds a column by name.
func (t *Table) column(name string) (*Column, error) {
	for i := range t.Columns {
		if t.Columns[i].Name == name {
			return &t.Columns[i], nil
		}
	}
	return nil, fmt.Errorf("%w: table %q has no column %q; it has %s",
		hopfieldlib.ErrParameter, t.Title, name, strings.Join(t.Names(), ", "))
}

// Col returns a copy of the numeric column name.
func (t *Table) Col(name string) ([]float64, error) {
	c, err := t.column(name)
	if err != nil {
		return nil, err
	}
	if c.isText() {
		return nil, fmt.Errorf("%w: table %q: column %q holds text, not numbers", hopfieldlib.ErrParameter, t.Title, name)
	}
	return slices.Clone(c.Values), nil
}

// TextCol returns a copy of the text column name.
func (t *Table) TextCol(name string) ([]string, error) {
	c, err := t.column(name)
	if err != nil {
		return nil, err
	}
	if !c.isText() {
		return nil, fmt.Errorf("%w: table %q: column %q holds numbers, not text", hopfieldlib.ErrParameter, t.Title, name)
	}
	return slices.Clone(c.Text), nil
}

// XY returns the numeric columns x and y: a line for a plot.
func (t *Table) XY(x, y string) (xs, ys []float64, err error) {
	if xs, err = t.Col(x); err != nil {
		return nil, nil, err
	}
	if ys, err = t.Col(y); err != nil {
		return nil, nil, err
	}
	return xs, ys, nil
}

// XYErr returns the numeric columns x, y and e (usually y's "_std" column): a line with error
// bars.
func (t *Table) XYErr(x, y, e string) (xs, ys, es []float64, err error) {
	if xs, ys, err = t.XY(x, y); err != nil {
		return nil, nil, nil, err
	}
	if es, err = t.Col(e); err != nil {
		return nil, nil, nil, err
	}
	return xs, ys, es, nil
}

// Where returns a new table with the rows whose numeric column name satisfies keep, e.g. the
// rows of one N in a capacity table: t.Where("N", func(n float64) bool { return n == 1000 }).
func (t *Table) Where(name string, keep func(float64) bool) (*Table, error) {
	c, err := t.column(name)
	if err != nil {
		return nil, err
	}
	if c.isText() {
		return nil, fmt.Errorf("%w: table %q: column %q holds text; use WhereText", hopfieldlib.ErrParameter, t.Title, name)
	}
	var rows []int
	for i, v := range c.Values {
		if keep(v) {
			rows = append(rows, i)
		}
	}
	return t.pick(rows), nil
}

// WhereText returns a new table with the rows whose text column name equals value.
func (t *Table) WhereText(name, value string) (*Table, error) {
	c, err := t.column(name)
	if err != nil {
		return nil, err
	}
	if !c.isText() {
		return nil, fmt.Errorf("%w: table %q: column %q holds numbers; use Where", hopfieldlib.ErrParameter, t.Title, name)
	}
	var rows []int
	for i, v := range c.Text {
		if v == value {
			rows = append(rows, i)
		}
	}
	return t.pick(rows), nil
}

// pick returns a new table with the given rows, in order.
func (t *Table) pick(rows []int) *Table {
	out := &Table{Title: t.Title, Columns: make([]Column, len(t.Columns))}
	for j, c := range t.Columns {
		nc := Column{Name: c.Name}
		if c.isText() {
			nc.Text = make([]string, 0, len(rows))
			for _, i := range rows {
				nc.Text = append(nc.Text, c.Text[i])
			}
		} else {
			nc.Values = make([]float64, 0, len(rows))
			for _, i := range rows {
				nc.Values = append(nc.Values, c.Values[i])
			}
		}
		out.Columns[j] = nc
	}
	return out
}

// cell formats row i of column c: numbers exactly (shortest round-trip form) when exact, to
// four significant digits otherwise.
func (c Column) cell(i int, exact bool) string {
	if c.isText() {
		return c.Text[i]
	}
	v := c.Values[i]
	if exact {
		return strconv.FormatFloat(v, 'g', -1, 64)
	}
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return strconv.FormatFloat(v, 'f', 0, 64)
	}
	return strconv.FormatFloat(v, 'g', 4, 64)
}

// WriteCSV writes a header line of column names, then one line per row with numbers in their
// shortest exact form.
func (t *Table) WriteCSV(w io.Writer) error {
	if err := t.Validate(); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(t.Names()); err != nil {
		return err
	}
	rec := make([]string, len(t.Columns))
	for i := range t.Len() {
		for j, c := range t.Columns {
			rec[j] = c.cell(i, true)
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Markdown returns the table as a GitHub-flavoured Markdown table (without the title), numbers to
// four significant digits and integers in full.
func (t *Table) Markdown() string {
	var b strings.Builder
	b.WriteString("| " + strings.Join(t.Names(), " | ") + " |\n|")
	for _, c := range t.Columns {
		if c.isText() {
			b.WriteString(" --- |")
		} else {
			b.WriteString(" ---: |")
		}
	}
	b.WriteString("\n")
	for i := range t.Len() {
		b.WriteString("|")
		for _, c := range t.Columns {
			b.WriteString(" " + strings.ReplaceAll(c.cell(i, false), "|", `\|`) + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// WriteMarkdown writes [Table.Markdown] to w.
func (t *Table) WriteMarkdown(w io.Writer) error {
	if err := t.Validate(); err != nil {
		return err
	}
	_, err := io.WriteString(w, t.Markdown())
	return err
}

// String is the title followed by the Markdown table.
func (t *Table) String() string {
	if t.Title == "" {
		return t.Markdown()
	}
	return t.Title + "\n\n" + t.Markdown()
}

// tableBuilder collects numeric rows for an experiment's table.
type tableBuilder struct {
	title string
	names []string
	cols  [][]float64
}

func newTableBuilder(title string, names ...string) *tableBuilder {
	return &tableBuilder{title: title, names: names, cols: make([][]float64, len(names))}
}

// add appends a row; values must follow names (a programming error otherwise).
func (tb *tableBuilder) add(values ...float64) {
	if len(values) != len(tb.names) {
		panic(fmt.Sprintf("experiments: row of %d values for %d columns", len(values), len(tb.names)))
	}
	for j, v := range values {
		tb.cols[j] = append(tb.cols[j], v)
	}
}

func (tb *tableBuilder) table() *Table {
	t := &Table{Title: tb.title, Columns: make([]Column, len(tb.names))}
	for j, name := range tb.names {
		t.Columns[j] = Column{Name: name, Values: tb.cols[j]}
		if t.Columns[j].Values == nil {
			t.Columns[j].Values = []float64{}
		}
	}
	return t
}
