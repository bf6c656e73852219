package grading_test

import (
	"fmt"

	"github.com/hopfieldlib/hopfield/internal/grading"
	"github.com/hopfieldlib/hopfield/internal/notebook"
)

// The student version of an exercise cell: the marked region becomes a stub that compiles.
func ExampleReleaseNotebook() {
	cell := &notebook.Cell{Type: "code", Source: `// Sign returns +1 for x ≥ 0, else -1.
func Sign(x float64) float64 {
	// BEGIN SOLUTION
	if x < 0 {
		return -1
	}
	return 1
	// END SOLUTION
}`}
	cell.SetNBGrader(&notebook.NBGrader{SchemaVersion: 3, GradeID: "sign", Solution: true})
	src := &notebook.Notebook{NBFormat: 4, NBFormatMinor: 5, Cells: []*notebook.Cell{cell}}

	student, err := grading.ReleaseNotebook("sign.ipynb", src)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(student.Cells[0].Source)
	// Output:
	// // Sign returns +1 for x ≥ 0, else -1.
	// func Sign(x float64) float64 {
	// 	panic("not implemented") // YOUR CODE HERE
	// }
}

// A marker outside a function body is an error naming the notebook, cell and line.
func ExampleReleaseNotebook_error() {
	cell := &notebook.Cell{Type: "code", Source: "// BEGIN SOLUTION\nvar beta = 8.0\n// END SOLUTION"}
	cell.SetNBGrader(&notebook.NBGrader{SchemaVersion: 3, GradeID: "beta", Solution: true})
	_, err := grading.ReleaseNotebook("beta.ipynb", &notebook.Notebook{NBFormat: 4, Cells: []*notebook.Cell{cell}})
	fmt.Println(err)
	// Output:
	// grading: misplaced marker: beta.ipynb: cell 0 (beta), line 1: "// BEGIN SOLUTION" is outside a function body; put the solution inside the body of the function the student writes
}
