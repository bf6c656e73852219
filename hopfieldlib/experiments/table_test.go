package experiments_test

import (
	"bytes"
	"errors"
	"slices"
	"testing"

	"github.com/hopfieldlib/hopfield/hopfieldlib"
	"github.com/hopfieldlib/hopfield/hopfieldlib/experiments"
)

func sampleTable(t *testing.T) *experiments.Table {
	t.Helper()
	tab, err := experiments.NewTable("sample",
		experiments.Column{Name: "model", Text: []string{"classical", "dense", "classical"}},
		experiments.Column{Name: "N", Values: []float64{100, 100, 1000}},
		experiments.Column{Name: "acc", Values: []float64{0.5, 1, 1.0 / 3}},
		experiments.Column{Name: "acc_std", Values: []float64{0.1, 0, 0.25}},
	)
	if err != nil {
		t.Fatal(err)
	}
	return tab
}

func TestTableAccessors(t *testing.T) {
	tab := sampleTable(t)
	if tab.Len() != 3 || !slices.Equal(tab.Names(), []string{"model", "N", "acc", "acc_std"}) {
		t.Fatalf("Len %d, Names %v", tab.Len(), tab.Names())
	}
	xs, ys, es, err := tab.XYErr("N", "acc", "acc_std")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(xs, []float64{100, 100, 1000}) || !slices.Equal(ys, []float64{0.5, 1, 1.0 / 3}) || !slices.Equal(es, []float64{0.1, 0, 0.25}) {
		t.Errorf("XYErr = %v %v %v", xs, ys, es)
	}
	xs[0] = -1 // a copy: the table does not change
	if v, _ := tab.Col("N"); v[0] != 100 {
		t.Error("Col returned a slice into the table")
	}
	big, err := tab.Where("N", func(n float64) bool { return n == 1000 })
	if err != nil || big.Len() != 1 {
		t.Fatalf("Where: %v, %v", big, err)
	}
	if m, _ := big.TextCol("model"); !slices.Equal(m, []string{"classical"}) {
		t.Errorf("Where kept %v", m)
	}
	cl, err := tab.WhereText("model", "classical")
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := cl.Col("N"); !slices.Equal(n, []float64{100, 1000}) {
		t.Errorf("WhereText kept N = %v", n)
	}
}

func TestTableOutput(t *testing.T) {
	tab := sampleTable(t)
	var csv bytes.Buffer
	if err := tab.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	// Numbers in their shortest exact form (strconv 'g', -1).
	wantCSV := "model,N,acc,acc_std\nclassical,100,0.5,0.1\ndense,100,1,0\nclassical,1000,0.3333333333333333,0.25\n"
	if csv.String() != wantCSV {
		t.Errorf("CSV:\n%s\nwant:\n%s", csv.String(), wantCSV)
	}
	// Four significant digits, integers in full.
	wantMD := "| model | N | acc | acc_std |\n| --- | ---: | ---: | ---: |\n" +
		"| classical | 100 | 0.5 | 0.1 |\n| dense | 100 | 1 | 0 |\n| classical | 1000 | 0.3333 | 0.25 |\n"
	if got := tab.Markdown(); got != wantMD {
		t.Errorf("Markdown:\n%s\nwant:\n%s", got, wantMD)
	}
	var md bytes.Buffer
	if err := tab.WriteMarkdown(&md); err != nil || md.String() != wantMD {
		t.Errorf("WriteMarkdown = %q, %v", md.String(), err)
	}
	if got := tab.String(); got != "sample\n\n"+wantMD {
		t.Errorf("String = %q", got)
	}
}

func TestTableErrors(t *testing.T) {
	tab := sampleTable(t)
	ragged := &experiments.Table{Columns: []experiments.Column{{Name: "a", Values: []float64{1}}, {Name: "b", Values: []float64{1, 2}}}}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"NewTable ragged", second(experiments.NewTable("x", experiments.Column{Name: "a", Values: []float64{1}}, experiments.Column{Name: "b", Values: []float64{}})), hopfieldlib.ErrShape},
		{"NewTable duplicate", second(experiments.NewTable("x", experiments.Column{Name: "a", Values: []float64{1}}, experiments.Column{Name: "a", Values: []float64{2}})), hopfieldlib.ErrParameter},
		{"NewTable unnamed", second(experiments.NewTable("x", experiments.Column{Values: []float64{1}})), hopfieldlib.ErrParameter},
		{"Col missing", second(tab.Col("nope")), hopfieldlib.ErrParameter},
		{"Col of text", second(tab.Col("model")), hopfieldlib.ErrParameter},
		{"TextCol of numbers", second(tab.TextCol("N")), hopfieldlib.ErrParameter},
		{"XY missing y", third(tab.XY("N", "nope")), hopfieldlib.ErrParameter},
		{"XYErr missing err", fourth(tab.XYErr("N", "acc", "nope")), hopfieldlib.ErrParameter},
		{"Where on text", second(tab.Where("model", func(float64) bool { return true })), hopfieldlib.ErrParameter},
		{"Where missing", second(tab.Where("nope", func(float64) bool { return true })), hopfieldlib.ErrParameter},
		{"WhereText on numbers", second(tab.WhereText("N", "100")), hopfieldlib.ErrParameter},
		{"WriteCSV ragged", ragged.WriteCSV(&bytes.Buffer{}), hopfieldlib.ErrShape},
		{"WriteMarkdown ragged", ragged.WriteMarkdown(&bytes.Buffer{}), hopfieldlib.ErrShape},
	}
	for _, tc := range tests {
		if !errors.Is(tc.err, tc.want) {
			t.Errorf("%s: got %v, want an error wrapping %v", tc.name, tc.err, tc.want)
		}
	}
}

func TestSummarize(t *testing.T) {
	tests := []struct {
		xs   []float64
		want experiments.Summary // by hand
	}{
		{nil, experiments.Summary{}},
		{[]float64{3}, experiments.Summary{N: 1, Mean: 3, Median: 3, Min: 3, Max: 3}},
		// mean 2.5; Σ(x−m)² = 2.25+0.25+0.25+2.25 = 5, /3 → std √(5/3); median (2+3)/2.
		{[]float64{4, 1, 3, 2}, experiments.Summary{N: 4, Mean: 2.5, Std: 1.2909944487358056, Median: 2.5, Min: 1, Max: 4}},
		{[]float64{5, 1, 9}, experiments.Summary{N: 3, Mean: 5, Std: 4, Median: 5, Min: 1, Max: 9}},
	}
	for _, tc := range tests {
		if got := experiments.Summarize(tc.xs); got != tc.want {
			t.Errorf("Summarize(%v) = %+v, want %+v", tc.xs, got, tc.want)
		}
	}
}

func second[T any](_ T, err error) error                 { return err }
func third[T, U any](_ T, _ U, err error) error          { return err }
func fourth[T, U, V any](_ T, _ U, _ V, err error) error { return err }
