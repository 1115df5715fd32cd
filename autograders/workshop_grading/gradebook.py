"""Gradebook access (nbgrader.api.Gradebook over the configured SQLAlchemy URL).

PostgreSQL URLs must name the driver: SQLAlchemy 2.x maps a bare ``postgresql://`` to psycopg 3,
which the images do not ship; ``postgresql+psycopg2://`` uses psycopg2-binary from the lock.
"""
from __future__ import annotations

import contextlib
from dataclasses import dataclass, field

from nbgrader.api import Gradebook

from .config import GradingConfig
from .util import ensure_alembic_on_path


def normalise_db_url(url: str) -> str:
    if url.startswith("postgresql://") or url.startswith("postgres://"):
        return "postgresql+psycopg2://" + url.split("://", 1)[1]
    return url


@contextlib.contextmanager
def open_gradebook(cfg: GradingConfig):
    ensure_alembic_on_path()
    with Gradebook(normalise_db_url(cfg.require_db_url()), cfg.course_id) as gb:
        yield gb


def apply_deadlines(cfg: GradingConfig, assignments: list[str]) -> None:
    """Write the configured deadlines into the gradebook (nbgrader's ``duedate``, naive UTC)."""
    with open_gradebook(cfg) as gb:
        for name in assignments:
            deadline = cfg.deadline(name)
            if deadline is None:
                continue
            assignment = gb.find_assignment(name)
            assignment.duedate = deadline.replace(tzinfo=None)
        gb.db.commit()


def refresh_late_penalties(cfg: GradingConfig, assignments: list[str] | None = None) -> None:
    """Recompute every notebook's late penalty from its current score (hand grades included),
    so the formgrader, the CSV and the ECTS sheet agree after hand grading."""
    with open_gradebook(cfg) as gb:
        for assignment in gb.assignments:
            if assignments and assignment.name not in assignments:
                continue
            for submission in assignment.submissions:
                late = submission.total_seconds_late
                for notebook in submission.notebooks:
                    penalty = cfg.late.penalty(notebook.score or 0.0, late) if late > 0 else 0.0
                    notebook.late_submission_penalty = penalty if penalty > 0 else None
        gb.db.commit()


def mark_unreadable(cfg: GradingConfig, assignment: str, student: str, timestamp, reason: str) -> None:
    """A submission nbgrader cannot read (invalid JSON): zero autograde points, hand grades kept."""
    with open_gradebook(cfg) as gb:
        gb.update_or_create_student(student)
        submission = gb.update_or_create_submission(assignment, student, timestamp=timestamp)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0
                grade.needs_manual_grade = grade.manual_score is not None
            for comment in notebook.comments:
                comment.auto_comment = reason
        gb.db.commit()


def reviewed_hand_grades(cfg: GradingConfig, assignment: str, student: str) -> dict[tuple[str, str], float]:
    """Hand grades an instructor has already reviewed: {(notebook, cell): manual score}."""
    reviewed = {}
    with open_gradebook(cfg) as gb:
        try:
            submission = gb.find_submission(assignment, student)
        except Exception:  # noqa: BLE001 - MissingEntry: first grading
            return reviewed
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if grade.manual_score is not None and not grade.needs_manual_grade:
                    reviewed[(notebook.name, grade.name)] = grade.manual_score
    return reviewed


def keep_reviewed(cfg: GradingConfig, assignment: str, student: str, reviewed: dict[tuple[str, str], float]) -> None:
    """nbgrader marks every hand-graded cell "needs review" when it autogrades again; for the very same
    submission nothing changed, so the instructor's review stands."""
    if not reviewed:
        return
    with open_gradebook(cfg) as gb:
        submission = gb.find_submission(assignment, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                if reviewed.get((notebook.name, grade.name)) == grade.manual_score:
                    grade.needs_manual_grade = False
        gb.db.commit()


@dataclass
class CellScore:
    name: str
    score: float
    max_score: float
    auto: bool  # graded by tests (True) or by hand (False)
    graded: bool


@dataclass
class SubmissionScore:
    student: str
    assignment: str
    timestamp: object
    seconds_late: float
    raw_score: float
    penalty: float
    score: float
    max_score: float
    needs_manual_grade: bool
    cells: list[CellScore] = field(default_factory=list)


def read_scores(cfg: GradingConfig) -> tuple[list[str], list[str], dict[tuple[str, str], SubmissionScore], dict[str, float]]:
    """(students, assignments, {(student, assignment): score}, {assignment: max score})."""
    scores: dict[tuple[str, str], SubmissionScore] = {}
    with open_gradebook(cfg) as gb:
        students = sorted(s.id for s in gb.students)
        assignments = [a.name for a in sorted(gb.assignments, key=lambda a: (a.duedate is None, a.duedate, a.name))]
        max_scores = {a.name: float(a.max_score) for a in gb.assignments}
        for assignment in gb.assignments:
            for sub in assignment.submissions:
                cells = []
                for notebook in sub.notebooks:
                    solutions = {c.name for c in notebook.notebook.solution_cells}
                    for grade in notebook.grades:
                        auto = grade.cell.cell_type == "code" and grade.name not in solutions
                        cells.append(CellScore(f"{notebook.name}/{grade.name}", float(grade.score or 0.0),
                                               float(grade.max_score), auto,
                                               graded=grade.manual_score is not None or grade.auto_score is not None))
                penalty = float(sum(nb.late_submission_penalty or 0.0 for nb in sub.notebooks))
                raw = float(sub.score or 0.0)
                scores[(sub.student.id, assignment.name)] = SubmissionScore(
                    sub.student.id, assignment.name, sub.timestamp, float(sub.total_seconds_late or 0.0),
                    raw, penalty, max(raw - penalty, 0.0), float(sub.max_score), bool(sub.needs_manual_grade), cells)
    return students, assignments, scores, max_scores

