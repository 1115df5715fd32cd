"""Autograde collected submissions, several at a time, each notebook in its own sandbox.

One worker subprocess per submission runs nbgrader's autograder with the sandboxed executor
(:mod:`workshop_grading.nbgrader_glue`); the workers share the PostgreSQL gradebook. A
submission is graded again only when its collected content changed (or with ``force``), and
nbgrader keeps hand grades (``manual_score``) when it writes new ``auto_score`` values.
"""
from __future__ import annotations

import atexit
import dataclasses
import json
import os
import queue
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
from nbgrader.utils import parse_utc

from .collect import collected_record, submitted_students
from .config import GradingConfig
from .gradebook import apply_deadlines, keep_reviewed, mark_unreadable, reviewed_hand_grades, normalise_db_url, open_gradebook, refresh_late_penalties
from .util import chown_like, nbgrader_env, read_json, utcnow, write_json_atomic

PACKAGE_PARENT = str(Path(__file__).resolve().parents[1])

@dataclass
class SubmissionStatus:
    student: str
    assignment: str
    state: str = "pending"          # graded | unchanged | invalid | failed
    flags: list[str] = field(default_factory=list)
    seconds: float = 0.0


@dataclass
class AutogradeSummary:
    assignment: str
    statuses: list[SubmissionStatus] = field(default_factory=list)
    seconds: float = 0.0

    def by_student(self) -> dict[str, SubmissionStatus]:
        return {s.student: s for s in self.statuses}


def status_path(cfg: GradingConfig, assignment: str, student: str) -> Path:
    return cfg.grading_dir / "status" / assignment / f"{student}.json"


def _submission_key(cfg: GradingConfig, assignment: str, student: str) -> str:
    record = collected_record(cfg, assignment, student)
    if record:
        return record["sha256"]
    folder = cfg.course_dir / "submitted" / student / assignment
    return "mtime:" + ",".join(f"{p.name}:{p.stat().st_mtime_ns}" for p in sorted(folder.iterdir()))


def _check_notebooks(cfg: GradingConfig, assignment: str, student: str, notebook_names: list[str]) -> list[str]:
    """Set aside notebooks that are not valid JSON / nbformat, so nbgrader scores them as missing."""
    folder = cfg.course_dir / "submitted" / student / assignment
    invalid = []
    for name in notebook_names:
        path = folder / f"{name}.ipynb"
        if not path.exists():
            if path.with_name(f"{name}.ipynb.invalid").exists():  # set aside by an earlier run
                invalid.append(f"{name}.ipynb is not a valid notebook (kept as {name}.ipynb.invalid)")
            continue
        try:
            nbformat.read(str(path), as_version=4)
        except Exception as exc:  # noqa: BLE001 - any unreadable notebook is flagged
            invalid.append(f"{name}.ipynb is not a valid notebook ({type(exc).__name__}: {str(exc)[:200]})")
            path.rename(path.with_name(f"{name}.ipynb.invalid"))
    return invalid


def _protected_cell_changes(cfg: GradingConfig, assignment: str, student: str, notebook_names: list[str]) -> list[str]:
    """Which test/locked cells the student edited or deleted, compared with the released notebook.

    nbgrader itself restores them from the gradebook (checksums, ``add_missing_cells``) before
    running anything; this only makes the attempt visible in the status and the report."""
    flags = []
    folder = cfg.course_dir / "submitted" / student / assignment
    for name in notebook_names:
        release = cfg.course_dir / "release" / assignment / f"{name}.ipynb"
        submitted = folder / f"{name}.ipynb"
        if not release.exists() or not submitted.exists():
            continue
        try:
            released = nbformat.read(str(release), as_version=4)
            handed_in = nbformat.read(str(submitted), as_version=4)
        except Exception:  # noqa: BLE001 - invalid notebooks are reported elsewhere
            continue
        protected = {}
        for cell in released.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade_id") and (meta.get("locked") or (meta.get("grade") and not meta.get("solution"))):
                protected[meta["grade_id"]] = cell.source
        handed = {}
        for cell in handed_in.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            if grade_id:
                handed.setdefault(grade_id, cell.source)
        for grade_id, source in protected.items():
            if grade_id not in handed:
                flags.append(f"{name}: deleted protected cell {grade_id} (nbgrader put it back)")
            elif handed[grade_id] != source:
                flags.append(f"{name}: edited protected cell {grade_id} (nbgrader restored it)")
    return flags


class _Worker:
    """One long-lived ``python -m workshop_grading.nbgrader_glue`` process (see ``serve``)."""

    def __init__(self):
        env = nbgrader_env()
        env["PYTHONPATH"] = PACKAGE_PARENT + os.pathsep + env.get("PYTHONPATH", "")
        self.proc = subprocess.Popen([sys.executable, "-m", "workshop_grading.nbgrader_glue"], env=env, text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     bufsize=1)

    def run(self, job: dict) -> int:
        if self.proc.poll() is not None:
            self.__init__()
        self.proc.stdin.write(json.dumps(job) + "\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline()
        if not line:  # the worker died: start a fresh one for the next job
            self.proc.wait()
            self.__init__()
            return 1
        return int(json.loads(line)["rc"])

    def close(self):
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# Idle workers are kept for the next autograde call in this process (``all`` grades assignment
# after assignment), so starting them is paid once per run, not once per assignment.
_IDLE_WORKERS: list[_Worker] = []
_IDLE_LOCK = threading.Lock()


def _take_worker() -> _Worker:
    with _IDLE_LOCK:
        while _IDLE_WORKERS:
            worker = _IDLE_WORKERS.pop()
            if worker.proc.poll() is None:
                return worker
    return _Worker()


def _give_back(worker: _Worker) -> None:
    with _IDLE_LOCK:
        _IDLE_WORKERS.append(worker)


@atexit.register
def close_workers() -> None:
    with _IDLE_LOCK:
        while _IDLE_WORKERS:
            _IDLE_WORKERS.pop().close()


def _grade_one(cfg: GradingConfig, worker: _Worker, assignment: str, student: str) -> SubmissionStatus:
    status = SubmissionStatus(student, assignment)
    report_dir = cfg.grading_dir / "sandbox-reports" / assignment / student
    log_path = cfg.grading_dir / "logs" / assignment / f"{student}.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    for old in report_dir.glob("*.json"):
        old.unlink()
    job = {
        "course_dir": str(cfg.course_dir), "course_id": cfg.course_id,
        "db_url": normalise_db_url(cfg.require_db_url()), "assignment": assignment, "student": student,
        "sandbox": dataclasses.asdict(cfg.sandbox) | {"image": cfg.sandbox.resolved_image()},
        "late": dataclasses.asdict(cfg.late), "report_dir": str(report_dir), "log": str(log_path),
    }
    started = time.monotonic()
    rc = worker.run(job)
    status.seconds = time.monotonic() - started
    for report in sorted(report_dir.glob("*.json")):
        data = read_json(report, {})
        status.flags += [f"{data.get('notebook')}: {p}" for p in data.get("problems", [])]
        status.flags += [f"{data.get('notebook')}: cell {c} timed out" for c in data.get("timed_out_cells", [])]
        status.flags += [f"{data.get('notebook')}: output of {c} truncated" for c in data.get("truncated_cells", [])]
    if rc != 0:
        status.state = "failed"
        status.flags.append(f"nbgrader autograde exited with {rc}; see {log_path}")
    else:
        status.state = "graded"
    return status


def autograde(cfg: GradingConfig, assignment: str, force: bool = False,
              students: list[str] | None = None) -> AutogradeSummary:
    """Autograde every collected submission of ``assignment`` that changed since it was last graded."""
    started = time.monotonic()
    summary = AutogradeSummary(assignment)
    apply_deadlines(cfg, [assignment])
    with open_gradebook(cfg) as gb:
        notebook_names = [nb.name for nb in gb.find_assignment(assignment).notebooks]
        for student in students or submitted_students(cfg, assignment):
            gb.update_or_create_student(student)

    todo = []
    for student in students or submitted_students(cfg, assignment):
        key = _submission_key(cfg, assignment, student)
        previous = read_json(status_path(cfg, assignment, student), {})
        if not force and previous.get("graded_key") == key and previous.get("state") in ("graded", "invalid"):
            summary.statuses.append(SubmissionStatus(student, assignment, "unchanged", previous.get("flags", [])))
            continue
        invalid = _check_notebooks(cfg, assignment, student, notebook_names)
        folder = cfg.course_dir / "submitted" / student / assignment
        if invalid and not any((folder / f"{n}.ipynb").exists() for n in notebook_names):
            timestamp_file = folder / "timestamp.txt"
            timestamp = parse_utc(timestamp_file.read_text().strip()) if timestamp_file.exists() else None
            mark_unreadable(cfg, assignment, student, timestamp, "; ".join(invalid))
            status = SubmissionStatus(student, assignment, "invalid", invalid)
            _save_status(cfg, status, key)
            summary.statuses.append(status)
            continue
        todo.append((student, key, invalid + _protected_cell_changes(cfg, assignment, student, notebook_names)))

    def work(worker: _Worker, item) -> SubmissionStatus:
        student, key, invalid = item
        same_content = read_json(status_path(cfg, assignment, student), {}).get("graded_key") == key
        reviewed = reviewed_hand_grades(cfg, assignment, student) if same_content else {}
        status = _grade_one(cfg, worker, assignment, student)
        keep_reviewed(cfg, assignment, student, reviewed)
        status.flags = invalid + status.flags
        _save_status(cfg, status, key)
        return status

    jobs: queue.Queue = queue.Queue()
    for item in todo:
        jobs.put(item)
    done: list[SubmissionStatus] = []

    def slot():
        worker = None
        try:
            while True:
                try:
                    item = jobs.get_nowait()
                except queue.Empty:
                    return
                worker = worker or _take_worker()
                try:
                    done.append(work(worker, item))
                except Exception as exc:  # noqa: BLE001 - record it, grade the others
                    status = SubmissionStatus(item[0], assignment, "failed", [f"pipeline error: {exc!r}"])
                    _save_status(cfg, status, item[1])
                    done.append(status)
        finally:
            if worker:
                _give_back(worker)

    threads = [threading.Thread(target=slot) for _ in range(min(max(1, cfg.sandbox.resolved_workers()), len(todo)))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    summary.statuses += done
    refresh_late_penalties(cfg, [assignment])
    chown_like(cfg.course_dir, cfg.course_dir / "autograded", cfg.course_dir / "submitted", cfg.grading_dir)
    summary.statuses.sort(key=lambda s: s.student)
    summary.seconds = time.monotonic() - started
    return summary


def _save_status(cfg: GradingConfig, status: SubmissionStatus, key: str) -> None:
    write_json_atomic(status_path(cfg, status.assignment, status.student),
                      {"state": status.state, "flags": status.flags, "graded_key": key,
                       "graded_at": utcnow().isoformat(), "seconds": round(status.seconds, 2)})
