"""Checks notebooks/nbgrader_config.py against nbgrader 0.8.5 without nbgrader (which cannot be
installed here): run by TestNbgraderConfig with the config's path and a JSON file of what the Go
side expects. Prints one JSON object: {"problems": [...]}.

The names of nbgrader 0.8.5's configurable traits and default preprocessor lists below were read
from nbgrader's source at tag v0.8.5 (nbgrader/preprocessors/*.py, nbgrader/converters/*.py,
nbgrader/coursedir.py, nbgrader/exchange/default/exchange.py); the traits nbgrader classes inherit
from nbconvert are read from the installed nbconvert.
"""
import json
import os
import sys
import types

from traitlets.config import Config
from traitlets.config.loader import PyFileConfigLoader
from nbconvert.preprocessors import (ClearOutputPreprocessor, ExecutePreprocessor,
                                     TagRemovePreprocessor)
import nbformat

config_path, expected_path = sys.argv[1], sys.argv[2]
expected = json.load(open(expected_path))
problems = []

CONVERTER = {"exporter_class", "force", "pre_convert_hook", "post_convert_hook", "permissions"}
NBGRADER_PREPROCESSOR = {"enabled"}


def traits(cls):
    return set(cls.class_trait_names(config=True))


# nbgrader 0.8.5's classes and their configurable traits.
KNOWN = {
    "CourseDirectory": {"course_id", "student_id", "student_id_exclude", "assignment_id", "notebook_id",
                        "directory_structure", "source_directory", "release_directory", "submitted_directory",
                        "autograded_directory", "feedback_directory", "solution_directory", "db_url", "root",
                        "groupshared", "ignore", "include", "max_file_size", "max_dir_size"},
    "ClearSolutions": {"code_stub", "text_stub", "begin_solution_delimeter", "end_solution_delimeter", "enforce_metadata"} | NBGRADER_PREPROCESSOR,
    "ClearHiddenTests": {"begin_test_delimeter", "end_test_delimeter", "enforce_metadata"} | NBGRADER_PREPROCESSOR,
    "LockCells": {"lock_solution_cells", "lock_grade_cells", "lock_readonly_cells", "lock_all_cells"} | NBGRADER_PREPROCESSOR,
    "ClearOutput": traits(ClearOutputPreprocessor) | NBGRADER_PREPROCESSOR,
    # Execute redefines allow_errors without config=True: setting it only warns.
    "Execute": (traits(ExecutePreprocessor) - {"allow_errors"}) | {"timeout", "interrupt_on_timeout",
               "raise_on_iopub_timeout", "error_on_timeout", "extra_arguments", "execute_retries"} | NBGRADER_PREPROCESSOR,
    "OverwriteCells": {"add_missing_cells", "missing_cell_notification"} | NBGRADER_PREPROCESSOR,
    "GenerateAssignment": {"create_assignment", "no_database", "preprocessors"} | CONVERTER,
    "GenerateSolution": {"create_assignment", "preprocessors"} | CONVERTER,
    "GenerateFeedback": {"preprocessors"} | CONVERTER,
    "Autograde": {"create_student", "exclude_overwriting", "sanitize_preprocessors", "autograde_preprocessors"} | CONVERTER,
    "Exchange": {"root", "cache", "path_includes_course", "assignment_dir", "timezone", "timestamp_format"},
}
PREPROCESSORS = {"AssignLatePenalties", "IncludeHeaderFooter", "LockCells", "ClearSolutions", "SaveAutoGrades",
                 "ComputeChecksums", "SaveCells", "OverwriteCells", "CheckCellMetadata", "Execute", "GetGrades",
                 "ClearOutput", "LimitOutput", "DeduplicateIds", "ClearHiddenTests", "ClearMarkScheme",
                 "OverwriteKernelspec"}
DEFAULTS = {
    ("GenerateAssignment", "preprocessors"): ["IncludeHeaderFooter", "LockCells", "ClearSolutions", "ClearOutput",
                                              "CheckCellMetadata", "ComputeChecksums", "SaveCells", "ClearHiddenTests",
                                              "ClearMarkScheme", "ComputeChecksums", "CheckCellMetadata"],
    ("GenerateSolution", "preprocessors"): ["IncludeHeaderFooter", "LockCells", "ClearOutput", "ClearMarkScheme", "Execute"],
    ("GenerateFeedback", "preprocessors"): ["GetGrades", "CSSHTMLHeaderPreprocessor"],
    ("Autograde", "sanitize_preprocessors"): ["ClearOutput", "DeduplicateIds", "OverwriteKernelspec", "OverwriteCells",
                                              "CheckCellMetadata"],
}
# What the config changes in each list, and nothing else.
WANT = {
    ("GenerateAssignment", "preprocessors"): ["RemoveInstructorCells"] + DEFAULTS[("GenerateAssignment", "preprocessors")],
    ("GenerateSolution", "preprocessors"): ["RemoveMistakeCells", "IncludeHeaderFooter", "LockCells", "ClearOutput",
                                            "ClearMarkScheme", "ClearHiddenTests", "Execute"],
    ("GenerateFeedback", "preprocessors"): DEFAULTS[("GenerateFeedback", "preprocessors")] + ["ClearHiddenTests"],
}


def load(path, extra_path=None):
    """The config as traitlets loads it, and the file's namespace (for the classes it defines)."""
    if extra_path:
        sys.path.insert(0, extra_path)
    try:
        cfg = PyFileConfigLoader(os.path.basename(path), os.path.dirname(path)).load_config()
        ns = {"__file__": path}
        ns["c"] = Config()
        ns["get_config"] = lambda: ns["c"]
        exec(compile(open(path).read(), path, "exec"), ns)
        return cfg, ns
    finally:
        if extra_path:
            sys.path.remove(extra_path)
            for m in [m for m in sys.modules if m == "nbgrader" or m.startswith("nbgrader.")]:
                del sys.modules[m]


cfg, ns = load(config_path)
defined = {name: obj for name, obj in ns.items() if isinstance(obj, type) and issubclass(obj, TagRemovePreprocessor) and obj is not TagRemovePreprocessor}

# Every section names a class nbgrader (or this file) configures, and every key one of its traits.
for section in cfg:
    if section in defined:
        allowed = traits(defined[section])
    elif section in KNOWN:
        allowed = KNOWN[section]
    else:
        problems.append("c.%s: not a class nbgrader 0.8.5 configures" % section)
        continue
    for key in cfg[section]:
        if key not in allowed:
            problems.append("c.%s.%s: not a configurable trait of %s" % (section, key, section))


def name_of(entry):
    if isinstance(entry, str):
        module, _, name = entry.rpartition(".")
        if module == "nbgrader.preprocessors" and name not in PREPROCESSORS:
            problems.append("%s: nbgrader 0.8.5 has no such preprocessor" % entry)
        if module.startswith("nbconvert"):
            __import__(module)
            if not hasattr(sys.modules[module], name):
                problems.append("%s: nbconvert has no such preprocessor" % entry)
        return name
    return entry.__name__


for (section, key), want in WANT.items():
    got = [name_of(e) for e in cfg[section][key]] if key in cfg[section] else None
    if got != want:
        problems.append("c.%s.%s = %s, want %s" % (section, key, got, want))

# The markers and stubs are hopfield release's.
cs, ch = cfg["ClearSolutions"], cfg["ClearHiddenTests"]
for what, got, want in [
    ("ClearSolutions.code_stub['go']", cs["code_stub"].get("go"), expected["code_stub"]),
    ("ClearSolutions.text_stub", cs["text_stub"], expected["answer_stub"]),
    ("ClearSolutions.begin_solution_delimeter", cs["begin_solution_delimeter"], expected["begin_solution"]),
    ("ClearSolutions.end_solution_delimeter", cs["end_solution_delimeter"], expected["end_solution"]),
    ("ClearHiddenTests.begin_test_delimeter", ch["begin_test_delimeter"], expected["begin_hidden"]),
    ("ClearHiddenTests.end_test_delimeter", ch["end_test_delimeter"], expected["end_hidden"]),
    ("CourseDirectory.root", cfg["CourseDirectory"]["root"], os.path.dirname(os.path.abspath(config_path))),
]:
    if got != want:
        problems.append("%s = %r, want %r" % (what, got, want))
if not os.path.isabs(cfg["CourseDirectory"]["root"]):
    problems.append("CourseDirectory.root is not absolute: nbgrader warns")

# The tag removers, run by nbconvert itself on the fixture, keep what hopfield release keeps.
nb = nbformat.read(expected["fixture"], as_version=4)
for cls, want in [("RemoveInstructorCells", expected["release_ids"]), ("RemoveMistakeCells", expected["solutions_ids"])]:
    pp = defined[cls](config=cfg)
    out, _ = pp(nbformat.from_dict(json.loads(json.dumps(nb))), {})
    got = [cell["id"] for cell in out.cells]
    if got != want:
        problems.append("%s keeps cells %s, want %s" % (cls, got, want))

# strip_hidden is the release's removal of hidden tests.
got = ns["strip_hidden"](expected["test_cell_source"])
if got != expected["test_cell_released"]:
    problems.append("strip_hidden(test cell) = %r, want %r" % (got, expected["test_cell_released"]))
if "Autograde" in cfg:
    problems.append("without nbgrader installed, the config must keep nbgrader's own sanitize preprocessors")

# The checksum-warning filter, against a stand-in of nbgrader 0.8.5's OverwriteCells (its
# preprocess_cell reports a changed locked cell with report_change(grade_id, "checksum", old, new)
# and puts back the source), installed as a fake "nbgrader" package.
fake = os.path.join(os.path.dirname(expected_path), "fake")
os.makedirs(os.path.join(fake, "nbgrader", "preprocessors"), exist_ok=True)
open(os.path.join(fake, "nbgrader", "__init__.py"), "w").write("")
open(os.path.join(fake, "nbgrader", "preprocessors", "__init__.py"), "w").write('''
class OverwriteCells:
    def report_change(self, name, attr, old, new):
        self.log.warning("Attribute '%s' for cell %s has changed! (should be: %s, got: %s)", attr, name, old, new)

    def preprocess_cell(self, cell, resources, cell_index):
        grade_id = cell.metadata["nbgrader"]["grade_id"]
        source_cell = self.gradebook.find_source_cell(grade_id, self.notebook_id, self.assignment_id)
        if cell.source != source_cell.source:
            self.report_change(grade_id, "checksum", "old", "new")
            cell.source = source_cell.source
        return cell, resources
''')
cfg2, ns2 = load(config_path, fake)
sanitize = [name_of(e) for e in cfg2["Autograde"]["sanitize_preprocessors"]] if "Autograde" in cfg2 else None
want = ["ClearOutput", "DeduplicateIds", "OverwriteKernelspec", "OverwriteCellsExpectingHiddenTests", "CheckCellMetadata"]
if sanitize != want:
    problems.append("with nbgrader, c.Autograde.sanitize_preprocessors = %s, want %s" % (sanitize, want))
else:
    class Log:
        def __init__(self):
            self.records = []

        def info(self, *a):
            self.records.append(("info", a[0] % a[1:]))

        def warning(self, *a):
            self.records.append(("warning", a[0] % a[1:]))

    class Gradebook:
        def find_source_cell(self, grade_id, notebook_id, assignment_id):
            return types.SimpleNamespace(source=expected["test_cell_source"])

    pp = ns2["OverwriteCellsExpectingHiddenTests"]()
    pp.gradebook, pp.notebook_id, pp.assignment_id = Gradebook(), "energy", "hopfield"
    for submitted, level in [(expected["test_cell_released"], "info"), ("%%\nfmt.Println(\"all good\")", "warning")]:
        pp.log = Log()
        cell = types.SimpleNamespace(source=submitted, metadata={"nbgrader": {"grade_id": "test_energy"}})
        pp.preprocess_cell(cell, {}, 0)
        levels = [lvl for lvl, _ in pp.log.records]
        if levels != [level] or cell.source != expected["test_cell_source"]:
            problems.append("a submitted test cell %r: logged %s, source put back %s; want one %s" %
                            (submitted[:30], pp.log.records, cell.source == expected["test_cell_source"], level))

print(json.dumps({"problems": problems}))
