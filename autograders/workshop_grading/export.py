"""Grades as CSV: one row per student and assignment, and one per student and grade cell."""
from __future__ import annotations

import csv
from pathlib import Path

from .autograde import status_path
from .config import GradingConfig
from .gradebook import read_scores, refresh_late_penalties
from .util import chown_like, read_json

GRADES_COLUMNS = ["student_id", "assignment", "timestamp", "seconds_late", "raw_score", "late_penalty",
                  "score", "max_score", "percent", "needs_manual_grade", "flags"]
CELLS_COLUMNS = ["student_id", "assignment", "cell", "kind", "score", "max_score", "graded"]


def _num(value: float) -> str:
    return f"{value:.2f}"


def export(cfg: GradingConfig) -> tuple[Path, Path]:
    """Write ``grades.csv`` and ``grade-cells.csv`` to the grading folder; returns both paths."""
    refresh_late_penalties(cfg)
    students, assignments, scores, max_scores = read_scores(cfg)
    out = cfg.grading_dir
    out.mkdir(parents=True, exist_ok=True)
    grades_path, cells_path = out / "grades.csv", out / "grade-cells.csv"
    with grades_path.open("w", newline="") as fh, cells_path.open("w", newline="") as fc:
        grades, cells = csv.writer(fh), csv.writer(fc)
        grades.writerow(GRADES_COLUMNS)
        cells.writerow(CELLS_COLUMNS)
        for student in students:
            for assignment in assignments:
                sub = scores.get((student, assignment))
                if sub is None:
                    grades.writerow([student, assignment, "", "", _num(0), _num(0), _num(0),
                                     _num(max_scores[assignment]), _num(0), "False", "not submitted"])
                    continue
                flags = read_json(status_path(cfg, assignment, student), {}).get("flags", [])
                percent = 100.0 * sub.score / sub.max_score if sub.max_score else 0.0
                grades.writerow([student, assignment, sub.timestamp.isoformat() if sub.timestamp else "",
                                 f"{sub.seconds_late:.0f}", _num(sub.raw_score), _num(sub.penalty), _num(sub.score),
                                 _num(sub.max_score), _num(percent), str(sub.needs_manual_grade), " | ".join(flags)])
                for cell in sub.cells:
                    cells.writerow([student, assignment, cell.name, "auto" if cell.auto else "manual",
                                    _num(cell.score), _num(cell.max_score), str(cell.graded)])
    chown_like(cfg.course_dir, out)
    return grades_path, cells_path
