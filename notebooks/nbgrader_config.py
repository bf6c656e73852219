# nbgrader configuration for the course's Go notebooks (GoNB kernel).
#
# The course ships its own tool for the same workflow (`hopfield release`, `hopfield grade`; see
# the README's section for instructors). This file lets an instructor use nbgrader instead, with
# the same markers and stubs, so the notebooks in notebooks/source/ work with both.
#
# nbgrader wants its course folder laid out as <root>/source/<assignment>/<notebook>.ipynb. Make
# one outside the repository and point it at the course's source notebooks, for example:
#
#   mkdir -p ~/hopfield-course/source
#   ln -s "$PWD/notebooks/source" ~/hopfield-course/source/hopfield
#   cp notebooks/nbgrader_config.py ~/hopfield-course/
#   cd ~/hopfield-course && nbgrader generate_assignment hopfield
#
# The kernel ("gonb") must be installed where nbgrader's Python finds it: docker/setup-kernel.sh.

c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "hopfield"
c.CourseDirectory.root = "."

# Solution regions: "// BEGIN SOLUTION" ... "// END SOLUTION" inside function bodies. nbgrader
# replaces each region by the stub for the notebook's language ("go", from the kernel spec),
# indented like the BEGIN line. The stub compiles in any function body and fails the cell.
c.ClearSolutions.begin_solution_delimeter = "BEGIN SOLUTION"
c.ClearSolutions.end_solution_delimeter = "END SOLUTION"
c.ClearSolutions.code_stub = {"go": 'panic("not implemented") // YOUR CODE HERE'}
c.ClearSolutions.text_stub = "YOUR ANSWER HERE"
c.ClearSolutions.enforce_metadata = True

# Hidden tests: "// BEGIN HIDDEN TESTS" ... "// END HIDDEN TESTS" in grade (test) cells, removed
# from the student version and put back by autograde.
c.ClearHiddenTests.begin_test_delimeter = "BEGIN HIDDEN TESTS"
c.ClearHiddenTests.end_test_delimeter = "END HIDDEN TESTS"
c.ClearHiddenTests.enforce_metadata = True

# Execution (autograde, validate): the GoNB kernel; each cell compiles a Go program, the first
# one that imports the library links GoMLX (about 1-2 s with the build cache warmed by
# setup-kernel.sh, 30 s cold).
c.Execute.kernel_name = "gonb"
c.Execute.timeout = 120  # seconds per cell
c.Execute.startup_timeout = 60
c.Execute.interrupt_on_timeout = True
c.Execute.allow_errors = True
c.ExecutePreprocessor.timeout = 120  # older nbgrader versions read this one

# Student versions: clear outputs, lock test cells against editing and deleting (as
# `hopfield release` does).
c.ClearOutput.enabled = True
c.LockCells.lock_grade_cells = True
c.LockCells.lock_solution_cells = True
c.LockCells.lock_readonly_cells = True

# Caveats when grading with nbgrader rather than `hopfield grade`:
# - nbgrader scores a test cell from its "error" outputs only. GoNB reports a failed check or a
#   panic as an error ("exit status N") plus stderr text, so that works; but a submission whose
#   code calls os.Exit(0) ends the test cell early with no error and passes it. `hopfield grade`
#   catches this by checking that each test cell printed a line appended after its last statement.
# - nbgrader runs every submission on the grading machine itself, with the network and no memory
#   limit; `hopfield grade` runs each in a sandbox (see the README).
