"""Generate feedback (nbgrader generate_feedback) and release it to the exchange (release_feedback).

Both run as nbgrader applications in a subprocess of this trusted process; nothing is executed.
release_feedback names each file after a hash of the student's own submission secret, so a
student's ``nbgrader fetch_feedback`` finds only their own feedback.
"""
from __future__ import annotations

import subprocess
import sys

from .config import GradingConfig
from .gradebook import normalise_db_url
from .util import chown_like, nbgrader_env


class FeedbackError(RuntimeError):
    pass


def _nbgrader(cfg: GradingConfig, *args: str) -> str:
    cmd = [sys.executable, "-m", "nbgrader", *args,
           f"--CourseDirectory.root={cfg.course_dir}", f"--CourseDirectory.course_id={cfg.course_id}",
           f"--CourseDirectory.db_url={normalise_db_url(cfg.require_db_url())}",
           f"--Exchange.root={cfg.exchange_dir}"]
    proc = subprocess.run(cmd, cwd=cfg.course_dir, env=nbgrader_env(), capture_output=True, text=True)
    if proc.returncode != 0:
        raise FeedbackError(f"nbgrader {args[0]} failed ({proc.returncode}):\n{proc.stdout[-3000:]}{proc.stderr[-3000:]}")
    return proc.stdout + proc.stderr


def _has_autograded(cfg: GradingConfig, assignment: str) -> bool:
    root = cfg.course_dir / "autograded"
    return root.is_dir() and any((p / assignment).is_dir() for p in root.iterdir())


def generate_feedback(cfg: GradingConfig, assignment: str) -> str:
    if not _has_autograded(cfg, assignment):
        return f"{assignment}: nothing autograded yet, no feedback\n"
    log = _nbgrader(cfg, "generate_feedback", assignment, "--force")
    chown_like(cfg.course_dir, cfg.course_dir / "feedback")
    return log


def release_feedback(cfg: GradingConfig, assignment: str) -> str:
    if not (cfg.course_dir / "feedback").is_dir():
        return ""
    # The exchange's feedback folder belongs to the grader account (it released the assignment from
    # its container), which this host may not know by name: nbgrader's "do you own it?" check would
    # then fail on a uid lookup. Treat the folder as shared and restore its owner right after.
    log = _nbgrader(cfg, "release_feedback", assignment, "--CourseDirectory.groupshared=True")
    course_root = cfg.exchange_dir / cfg.course_id
    chown_like(course_root, course_root / "feedback")
    return log


def feedback(cfg: GradingConfig, assignment: str) -> str:
    return generate_feedback(cfg, assignment) + release_feedback(cfg, assignment)
