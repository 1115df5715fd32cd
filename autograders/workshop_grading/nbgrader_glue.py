"""The pieces plugged into nbgrader's own autograder.

nbgrader's ``Autograde`` converter runs two phases: sanitising (clear outputs, restore the
instructors' grade/test cells from the gradebook, check their checksums and metadata) and
autograding (execute, limit output, save grades, late penalties, check metadata again).
We keep both phases and every gradebook write in this trusted process, and only swap the
``Execute`` step for :class:`SandboxExecute`, which runs the sanitised notebook in a container.
So nbgrader's checksums and cell metadata protect the grade exactly as in a plain autograde,
and student code never holds a gradebook connection, a course file or another submission.
"""
from __future__ import annotations

import gc
import json
import os
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor
from nbgrader import utils
from nbgrader.plugins import LateSubmissionPlugin
from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput,
                                    NbGraderPreprocessor, SaveAutoGrades)
from traitlets import Enum, Float, Unicode

from .config import LatePolicy, SandboxConfig
from .sandbox import merge_outputs, run_in_sandbox


def is_autograder_test(cell) -> bool:
    return utils.is_grade(cell) and not utils.is_solution(cell) and cell.cell_type == "code"


class SandboxExecute(NbGraderPreprocessor):
    """Replaces nbgrader's Execute: runs the notebook in the grading sandbox, keeps only outputs."""

    sandbox_json = Unicode("{}", help="SandboxConfig fields as JSON").tag(config=True)
    report_dir = Unicode("", help="where to write one JSON report per executed notebook").tag(config=True)

    def preprocess(self, nb, resources):
        cfg = SandboxConfig(**json.loads(self.sandbox_json))
        workdir = Path(resources["metadata"]["path"])
        info = resources["nbgrader"]
        notebook_name = info["notebook"] + ".ipynb"
        label = f"{info['assignment']}-{info['student']}"
        result = run_in_sandbox(cfg, workdir, notebook_name, nb, label=label)
        merged = merge_outputs(nb, result, is_autograder_test)
        if result.problems:
            self.log.warning("%s/%s: %s", label, notebook_name, "; ".join(result.problems))
        if self.report_dir:
            report = {
                "assignment": info["assignment"], "student": info["student"], "notebook": info["notebook"],
                "problems": result.problems, "wall_seconds": round(result.wall_seconds, 2),
                "timed_out_cells": [_cell_name(merged, i) for i in result.timed_out_cells],
                "truncated_cells": [_cell_name(merged, i) for i in result.truncated_cells],
                "sandbox_log_tail": result.log_tail[-2000:],
            }
            path = Path(self.report_dir) / f"{info['notebook']}.json"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(report, indent=1))
        return merged, resources


def _cell_name(nb, index: int) -> str:
    try:
        cell = nb.cells[index]
    except IndexError:
        return f"cell {index}"
    return cell.metadata.get("nbgrader", {}).get("grade_id") or f"cell {index}"


class WorkshopLatePenalty(LateSubmissionPlugin):
    """nbgrader late-penalty plugin driven by the grading config's [late] table."""

    method = Enum(("none", "zero", "per_hour"), default_value="none").tag(config=True)
    percent_per_hour = Float(10.0).tag(config=True)
    grace_minutes = Float(0.0).tag(config=True)

    def late_submission_penalty(self, student_id, score, total_seconds_late):
        policy = LatePolicy(self.method, self.percent_per_hour, self.grace_minutes)
        penalty = policy.penalty(score or 0.0, total_seconds_late)
        return penalty if penalty > 0 else None


class RefuseUnsandboxedExecution(NbGraderPreprocessor):
    """For the grader container's nbgrader_config.py: the formgrader's "Autograde" button (and a
    plain ``nbgrader autograde`` there) would run student code unsandboxed next to the course
    files and the gradebook password. With this in place of ``Execute`` it stops with a pointer.

        from workshop_grading.nbgrader_glue import REFUSING_AUTOGRADE_PREPROCESSORS
        c.Autograde.autograde_preprocessors = REFUSING_AUTOGRADE_PREPROCESSORS
    """

    def preprocess(self, nb, resources):
        raise RuntimeError("autograding runs in the sandboxed grading pipeline only: "
                           "python -m workshop_grading autograde (see docs/instructor-grading.md)")


AUTOGRADE_PREPROCESSORS = [SandboxExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput,
                           SaveAutoGrades, AssignLatePenalties, CheckCellMetadata]
REFUSING_AUTOGRADE_PREPROCESSORS = [RefuseUnsandboxedExecution] + AUTOGRADE_PREPROCESSORS[1:]


def autograde_one(job: dict) -> int:
    """Autograde one student's submission with nbgrader (called in a worker subprocess).

    ``job`` holds course_dir, course_id, db_url, assignment, student, sandbox (dict), late (dict),
    report_dir. Returns the process exit status nbgrader would give.
    """
    from nbgrader.apps import AutogradeApp
    from traitlets.config import Config

    c = Config()
    c.CourseDirectory.root = job["course_dir"]
    c.CourseDirectory.course_id = job["course_id"]
    c.CourseDirectory.db_url = job["db_url"]
    c.CourseDirectory.assignment_id = job["assignment"]
    c.CourseDirectory.student_id = job["student"]
    c.BaseConverter.force = True
    # Deleted test cells are put back (from the gradebook) and run, as nbgrader offers.
    c.OverwriteCells.add_missing_cells = True
    c.Autograde.autograde_preprocessors = AUTOGRADE_PREPROCESSORS
    c.SandboxExecute.sandbox_json = json.dumps(job["sandbox"])
    c.SandboxExecute.report_dir = job["report_dir"]
    c.AssignLatePenalties.plugin_class = WorkshopLatePenalty
    for key, value in job["late"].items():
        setattr(c.WorkshopLatePenalty, key, value)

    os.chdir(job["course_dir"])
    app = AutogradeApp(config=c)
    app.initialize([])
    # The course's nbgrader_config.py is read last by nbgrader; the pipeline's settings win.
    app.update_config(c)
    app.coursedir._load_config(app.config)
    try:
        app.start()
    except SystemExit as exc:
        return int(exc.code or 0)
    return 0


def serve() -> int:
    """A worker: one JSON job per stdin line, one JSON result per stdout line.

    Kept alive for many submissions, so the few seconds of importing nbgrader are paid once per
    worker, not once per submission. Each job's output goes to its own log file (``job["log"]``)."""
    import sys
    import traceback

    results = os.fdopen(os.dup(1), "w", buffering=1)
    for line in sys.stdin:
        job = json.loads(line)
        with open(job["log"], "w") as log:
            sys.stdout.flush()
            sys.stderr.flush()
            saved = os.dup(1), os.dup(2)
            os.dup2(log.fileno(), 1)
            os.dup2(log.fileno(), 2)
            try:
                rc = autograde_one(job)
            except BaseException:  # noqa: BLE001 - one bad submission must not stop the worker
                traceback.print_exc()
                rc = 1
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os.dup2(saved[0], 1)
                os.dup2(saved[1], 2)
                os.close(saved[0])
                os.close(saved[1])
        _reset_nbgrader_singletons()
        gc.collect()  # nbgrader opens an SQLAlchemy engine per Gradebook: close their connections now
        results.write(json.dumps({"student": job["student"], "rc": rc}) + "\n")
    return 0


def _reset_nbgrader_singletons() -> None:
    from nbgrader.apps import AutogradeApp
    AutogradeApp.clear_instance()


if __name__ == "__main__":
    import sys
    sys.exit(serve())
