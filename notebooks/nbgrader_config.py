# nbgrader configuration for the course's Go notebooks (GoNB kernel), written for nbgrader 0.8.5.
#
# The course ships its own tool for the same workflow (`hopfield release`, `hopfield grade`; see
# the README's section for instructors). This file lets an instructor use nbgrader instead, with
# the same markers and stubs, so the notebooks in notebooks/source/ work with both.
#
# nbgrader wants a course folder laid out as <course>/source/<assignment>/<notebook>.ipynb, with
# this file in <course>/ (it is the course root: see CourseDirectory.root below). For example:
#
#   mkdir -p ~/hopfield-nbgrader/source
#   ln -s "$PWD/notebooks/source" ~/hopfield-nbgrader/source/hopfield
#   cp notebooks/nbgrader_config.py ~/hopfield-nbgrader/
#   cd ~/hopfield-nbgrader && nbgrader generate_assignment hopfield
#
# The kernel ("gonb") must be installed where nbgrader's Python finds it: docker/setup-kernel.sh.
#
# Every name set here is a configurable trait of nbgrader 0.8.5 or of nbconvert, which it uses
# (the project's tests load this file with traitlets and check each one).

import os

from nbconvert.preprocessors import TagRemovePreprocessor

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

# The course root is the folder of this file, as an absolute path (nbgrader warns about a
# relative one such as "." and turns it into an absolute path from wherever it runs).
c.CourseDirectory.root = os.path.dirname(os.path.abspath(__file__))
c.CourseDirectory.course_id = "hopfield"

# The markers, as `hopfield release` reads them (internal/grading/markers.go).
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"

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
c.ClearHiddenTests.begin_test_delimeter = BEGIN_HIDDEN
c.ClearHiddenTests.end_test_delimeter = END_HIDDEN
c.ClearHiddenTests.enforce_metadata = True

# Execution (autograde, validate): the GoNB kernel; each cell compiles a Go program, the first
# one that imports the library links GoMLX (about 1-2 s with the build cache warmed by
# setup-kernel.sh, 30 s cold). nbgrader's Execute always runs every cell, even after one fails
# (its allow_errors is fixed, not a setting).
c.Execute.kernel_name = "gonb"
c.Execute.timeout = 120  # seconds per cell
c.Execute.startup_timeout = 60
c.Execute.interrupt_on_timeout = True

# Student versions: clear outputs, lock test cells against editing and deleting (as
# `hopfield release` does).
c.ClearOutput.enabled = True
c.LockCells.lock_grade_cells = True
c.LockCells.lock_solution_cells = True
c.LockCells.lock_readonly_cells = True


# The source notebooks hold cells only instructors see: raw cells tagged "mistake" (wrong
# solutions the checks must reject; `hopfield mistakes` runs them) and cells tagged
# "solutions-only" (notes for the solutions handed out after the deadline). nbgrader knows
# neither, so nbconvert's TagRemovePreprocessor drops them: both from the student version,
# the mistakes from the solutions.
class RemoveInstructorCells(TagRemovePreprocessor):
    """Drops the mistake and solutions-only cells (generate_assignment)."""


class RemoveMistakeCells(TagRemovePreprocessor):
    """Drops the mistake cells (generate_solution)."""


c.RemoveInstructorCells.enabled = True
c.RemoveInstructorCells.remove_cell_tags = {"mistake", "solutions-only"}
c.RemoveMistakeCells.enabled = True
c.RemoveMistakeCells.remove_cell_tags = {"mistake"}

# nbgrader 0.8.5's lists of preprocessors, with those cells dropped first (and, for the
# solutions, the hidden tests removed before the notebook is run: they are not for students).
c.GenerateAssignment.preprocessors = [
    RemoveInstructorCells,
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearSolutions",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]
c.GenerateSolution.preprocessors = [
    RemoveMistakeCells,
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.LockCells",
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.Execute",
]

# Feedback: nbgrader renders the autograded notebook, in which the hidden tests were put back;
# without this, every student would read them in their feedback. The outputs stay, so a
# student still sees which hidden check failed and its message.
c.GenerateFeedback.preprocessors = [
    "nbgrader.preprocessors.GetGrades",
    "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
    "nbgrader.preprocessors.ClearHiddenTests",
]


def strip_hidden(source):
    """The source of a test cell as released: without its hidden-test regions (as nbgrader's
    ClearHiddenTests removes them)."""
    out, hidden = [], False
    for line in source.split("\n"):
        if BEGIN_HIDDEN in line:
            hidden = True
        elif END_HIDDEN in line:
            hidden = False
        elif not hidden:
            out.append(line)
    return "\n".join(out)


# Checksum warnings. autograde puts back every locked cell from the source and warns
# "Attribute 'checksum' for cell X has changed!" when the submitted cell differs from the
# source. A test cell with hidden tests always differs (the student version has no hidden
# tests), so the warning would come for every such cell of every submission and bury the cells
# a student really edited. This OverwriteCells tells the two apart: a submitted cell that is
# the source without its hidden tests is logged at info level ("hidden tests put back"); any
# other change is still the warning. (It needs nbgrader itself; without it, as in the
# project's tests, nbgrader's own OverwriteCells is kept.)
try:
    from nbgrader.preprocessors import OverwriteCells
except ImportError:
    OverwriteCells = None

if OverwriteCells is not None:

    class OverwriteCellsExpectingHiddenTests(OverwriteCells):
        """OverwriteCells that does not warn about test cells whose only change is the hidden
        tests put back."""

        def preprocess_cell(self, cell, resources, cell_index):
            self._submitted_source = cell.source
            return super().preprocess_cell(cell, resources, cell_index)

        def report_change(self, name, attr, old, new):
            if attr == "checksum":
                try:
                    source = self.gradebook.find_source_cell(name, self.notebook_id, self.assignment_id).source
                except Exception:  # noqa: BLE001 (any lookup failure: report as nbgrader does)
                    source = None
                if source is not None and source != self._submitted_source and strip_hidden(source) == self._submitted_source:
                    self.log.info("Cell %s: hidden tests put back (the student's cell is unchanged)", name)
                    return
            super().report_change(name, attr, old, new)

    c.Autograde.sanitize_preprocessors = [
        "nbgrader.preprocessors.ClearOutput",
        "nbgrader.preprocessors.DeduplicateIds",
        "nbgrader.preprocessors.OverwriteKernelspec",
        OverwriteCellsExpectingHiddenTests,
        "nbgrader.preprocessors.CheckCellMetadata",
    ]

# Grading with nbgrader rather than `hopfield grade`:
# - nbgrader (0.6.2 and later) scores a test cell 0 when it has an "error" output or a stderr
#   stream. GoNB reports a failed check or a panic as stderr text (only a compile error is an
#   error output), so both fail the cell. But a submission whose code calls os.Exit(0) ends the
#   test cell early with neither, and nbgrader passes it; `hopfield grade` fails it (each test
#   cell must print a line appended after its last statement).
# - nbgrader runs every submission on the grading machine itself, with the network and no memory
#   limit; `hopfield grade` runs each in a sandbox (see the README).
# - `nbgrader collect` and `nbgrader release_assignment` go through nbgrader's exchange folder
#   (Exchange.root, by default /usr/local/share/nbgrader/exchange), which must exist and be
#   writable by every user; without an exchange, copy the submissions into
#   <course>/submitted/STUDENT/hopfield/ instead (the README shows both).
