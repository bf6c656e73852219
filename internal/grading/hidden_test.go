package grading

import (
	"errors"
	"strings"
	"testing"
)

func TestHiddenOnly(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{
			"the fixture's check",
			"%%\nw := [][]float64{{0, 1}, {1, 0}}\ncheck(Energy(w, []float64{1, 1}) == -1, \"visible\")\n// BEGIN HIDDEN TESTS\ncheck(Energy(w, []float64{1, -1}) == 1, \"hidden\")\n// END HIDDEN TESTS\nfmt.Println(\"✓ Energy\")",
			"%%\nw := [][]float64{{0, 1}, {1, 0}}\n_ = w\ncheck(Energy(w, []float64{1, -1}) == 1, \"hidden\")\nfmt.Println(\"✓ Energy\")",
		},
		{
			"checks.Exercise: ex kept, visible values and checks dropped",
			"%%\nex := checks.Start(\"Exercise 1\")\ntwo := must(hopfieldlib.NewPatterns(nil))\nvar w [][]float64\nif ex.Run(func() { w = Weights(two) }) {\n\tex.Close(\"W[0][0]\", w[0][0], 0, 1e-12)\n}\n// BEGIN HIDDEN TESTS\nfor _, k := range []int{3, 5} {\n\tex.Check(len(Weights(random(k))) == k, \"rows\")\n}\n// END HIDDEN TESTS\nex.Done()",
			"%%\nex := checks.Start(\"Exercise 1\")\n_ = ex\nfor _, k := range []int{3, 5} {\n\tex.Check(len(Weights(random(k))) == k, \"rows\")\n}\nex.Done()",
		},
		{
			"a chain of declarations, two regions, declarations before %%",
			"import \"fmt\"\n\nfunc helper() int { return 1 }\n%%\nn := helper()\nm := n + 1\nunused := 7\nfmt.Println(unused)\n// BEGIN HIDDEN TESTS\nfmt.Println(m)\n// END HIDDEN TESTS\nfmt.Println(\"between\")\n// BEGIN HIDDEN TESTS\nvar a, b = m, 2\nfmt.Println(a + b)\n// END HIDDEN TESTS\nfmt.Println(\"done\")",
			"import \"fmt\"\n\nfunc helper() int { return 1 }\n%%\nn := helper()\n_ = n\nm := n + 1\n_ = m\nfmt.Println(m)\nvar a, b = m, 2\nfmt.Println(a + b)\nfmt.Println(\"done\")",
		},
		{
			"a helper closure the hidden tests call, with an indented !condition (Go, not a shell line)",
			"%%\nex := checks.Start(\"Exercise 2\")\ncheckOne := func(n int) {\n\tif ex.Run(func() {}) &&\n\t\t!ex.Close(\"E\", 1, 1, 0) {\n\t\treturn\n\t}\n}\ncheckOne(1)\n// BEGIN HIDDEN TESTS\ncheckOne(2)\n// END HIDDEN TESTS\nex.Done()",
			"%%\nex := checks.Start(\"Exercise 2\")\n_ = ex\ncheckOne := func(n int) {\n\tif ex.Run(func() {}) &&\n\t\t!ex.Close(\"E\", 1, 1, 0) {\n\t\treturn\n\t}\n}\n_ = checkOne\ncheckOne(2)\nex.Done()",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok, err := HiddenOnly(tc.src)
			if err != nil || !ok {
				t.Fatalf("HiddenOnly: %v, %v", ok, err)
			}
			if got != tc.want {
				t.Errorf("got\n%s\nwant\n%s", got, tc.want)
			}
		})
	}
	if _, ok, err := HiddenOnly("%%\nfmt.Println(1)"); ok || err != nil {
		t.Errorf("a check without hidden tests: %v, %v", ok, err)
	}
}

func TestHiddenOnlyRefusesWhatCannotRunAlone(t *testing.T) {
	for _, tc := range []struct{ name, src, want string }{
		{"inside an if", "%%\nex := checks.Start(\"x\")\nif ex.Run(func() {}) {\n\t// BEGIN HIDDEN TESTS\n\tex.Check(true, \"\")\n\t// END HIDDEN TESTS\n}\nex.Done()", "inside the statement that starts on line 3"},
		{"no main body", "func TestX() {\n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS\n}", "after a %% line"},
		{"does not parse", "%%\nx := \n// BEGIN HIDDEN TESTS\n// END HIDDEN TESTS", "does not parse"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := HiddenOnly(tc.src)
			if err == nil || !errors.Is(err, ErrMarker) || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("err = %v, want ErrMarker saying %q", err, tc.want)
			}
		})
	}
}

func TestSpecialLinesAsGoNBReadsThem(t *testing.T) {
	for _, tc := range []struct {
		line          string
		special, main bool
	}{
		{"%%", true, true}, {"%% ", true, true}, {"%main", true, true}, {"//gonb:%%", true, true},
		{"%noautoget", true, false}, {"!ls -l", true, false}, {"//gonb:!ls", true, false},
		{"\t!ex.Close(a, b)", false, false}, {"  %%", false, false}, {"x := !ok", false, false}, {"!", false, false}, {"%", false, false},
	} {
		if got := isSpecialLine(tc.line); got != tc.special {
			t.Errorf("isSpecialLine(%q) = %v, want %v", tc.line, got, tc.special)
		}
		if got := isMainLine(tc.line); got != tc.main {
			t.Errorf("isMainLine(%q) = %v, want %v", tc.line, got, tc.main)
		}
	}
}
