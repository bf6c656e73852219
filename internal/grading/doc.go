// Package grading releases student versions of the course's notebooks and autogrades
// submissions, following nbgrader's conventions (cell metadata schema 3, checksums) so that an
// instructor may use nbgrader itself instead.
//
// # Source notebooks
//
// Instructor notebooks carry nbgrader cell metadata: solution cells (the student writes them),
// grade cells (tests worth points) and locked cells (read-only), each with a unique grade_id.
// In a code solution cell the student's part sits between
//
//	// BEGIN SOLUTION
//	// END SOLUTION
//
// lines inside one function body; release replaces it by CodeStub, which compiles in any
// function body and fails the cell with "not implemented". A Markdown solution cell becomes
// AnswerStub. In a grade cell, lines between "// BEGIN HIDDEN TESTS" and "// END HIDDEN TESTS"
// are removed on release and put back when grading. ReleaseNotebook checks that every marker
// can be applied and that the released code still compiles as far as names go (no variable
// left unused, nothing used that only the solution declared); otherwise it returns a
// *CellError naming the notebook, cell and line.
//
// # Grading
//
// Grade rebuilds each submission in the source's cell order (matching cells by grade_id):
// locked, grade and plain cells come from the source, so editing a test gains nothing; solution
// cells come from the submission; cells the student added are dropped. It runs the result with
// a Runner (a Sandbox: the GoNB kernel in a worker process with time and memory limits and no
// network) and scores each code grade cell: its points when it shows no error output and no
// stderr and reached its end (a line printed after the cell's last statement tells os.Exit(0)
// apart from success), else 0. Markdown grade cells are left to the instructor. Every
// deviation (deleted, reordered, added or edited cells, a time or memory limit, a missing or
// unreadable notebook) becomes a Note in the student's feedback; none stops the run.
//
// With a Results folder (OpenResults), each submission's feedback, graded notebook and record
// are written as soon as it is graded, so a run that stops loses nothing and a rerun grades
// only what is missing or changed. A class can be graded in shards (Shard, one per machine or
// Kubernetes pod) and the shards' folders merged into what one run writes (MergeResults).
//
// # Instructor-only cells
//
// A source notebook may list, as raw cells tagged TagMistake after an exercise, wrong
// solutions its checks must reject; CheckMistakes runs each through the released check and,
// separately, the hidden tests alone (HiddenOnly) in the kernel. Cells tagged TagSolutionsOnly
// appear only in the solutions version (SolutionsNotebook), written after the deadline.
package grading
