"""Collect submissions from the exchange with submission times students cannot forge.

nbgrader's own collect trusts two things the student writes: the time in the inbound folder's
name and ``timestamp.txt``. Here the submission time is the newest *change time* (ctime) of the
inbound folder and everything in it, as the collector sees it. The kernel sets ctime to the
current time on every write, chmod or rename, and no user can set it back (utime sets only
atime/mtime), so a student can make a submission look later, never earlier. The first time the
collector sees a submission it records that time with a content hash in a ledger in the course
directory (students cannot reach it); later runs keep the recorded time while the content is
unchanged, so copying or restoring the exchange cannot make work look late.

The newest submission per student (by that time) is copied to ``submitted/`` with a
``timestamp.txt`` the collector writes; the student's claimed time is only kept in the ledger.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import stat
import warnings
from dataclasses import dataclass, field
from pathlib import Path

from .config import GradingConfig
from .util import chown_like, nbgrader_timestamp, read_json, utcnow, write_json_atomic

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_SUBMISSION_BYTES = 200 * 1024 * 1024


@dataclass
class InboundSubmission:
    path: Path
    student: str
    assignment: str
    claimed_time: str
    owner_uid: int
    changed_at: dt.datetime
    digest: str
    problems: list[str] = field(default_factory=list)


@dataclass
class CollectResult:
    collected: dict[str, str] = field(default_factory=dict)      # student -> inbound folder name
    unchanged: list[str] = field(default_factory=list)
    rejected: dict[str, list[str]] = field(default_factory=dict)  # inbound folder -> reasons


def _scan(path: Path) -> tuple[dt.datetime, str, list[str]]:
    """Newest ctime over the folder and its entries (links not followed) and a content digest."""
    newest = path.lstat().st_ctime
    digest = hashlib.sha256()
    problems: list[str] = []
    for root, dirs, files in os.walk(path, followlinks=False):
        dirs.sort()
        for name in sorted(dirs) + sorted(files):
            full = Path(root) / name
            st = full.lstat()
            newest = max(newest, st.st_ctime)
            rel = full.relative_to(path).as_posix()
            if stat.S_ISREG(st.st_mode):
                digest.update(rel.encode() + b"\0" + str(st.st_size).encode() + b"\0")
                if st.st_size <= MAX_FILE_BYTES:
                    with full.open("rb") as fh:
                        for chunk in iter(lambda: fh.read(1 << 20), b""):
                            digest.update(chunk)
            elif not stat.S_ISDIR(st.st_mode):
                problems.append(f"skipped {rel}: not a regular file")
    return dt.datetime.fromtimestamp(newest, dt.timezone.utc), digest.hexdigest(), problems


def _load_passwd(path: str) -> dict[int, str] | None:
    """UID -> name from the hub's passwd map (a passwd(5) file, or the map's folder holding ``passwd``)."""
    if path and os.path.isdir(path):
        path = os.path.join(path, "passwd")
    if not path:
        return None
    if not os.path.exists(path):
        warnings.warn(f"passwd map {path} not found: the owner check of submissions is off "
                      "(set passwd_file to the workshop-passwd volume's folder, or \"\" to silence this)")
        return None
    uids: dict[int, str] = {}
    for line in Path(path).read_text().splitlines():
        parts = line.split(":")
        if len(parts) >= 3 and parts[2].isdigit():
            uids[int(parts[2])] = parts[0]
    return uids


def scan_inbound(cfg: GradingConfig, assignment: str) -> tuple[list[InboundSubmission], dict[str, list[str]]]:
    inbound = cfg.exchange_dir / cfg.course_id / "inbound"
    passwd = _load_passwd(cfg.passwd_file)
    found: list[InboundSubmission] = []
    rejected: dict[str, list[str]] = {}
    if not inbound.is_dir():
        return found, rejected
    for entry in sorted(inbound.iterdir()):
        parts = entry.name.rsplit("+", 3)
        if len(parts) < 3 or parts[1] != assignment:
            continue
        st = entry.lstat()
        if not stat.S_ISDIR(st.st_mode):
            rejected[entry.name] = ["not a folder"]
            continue
        student = parts[0]
        if passwd is not None and passwd.get(st.st_uid) != student:
            rejected[entry.name] = [f"claims student {student!r} but is owned by "
                                    f"{passwd.get(st.st_uid, 'unknown uid %d' % st.st_uid)!r}"]
            continue
        changed_at, digest, problems = _scan(entry)
        found.append(InboundSubmission(entry, student, assignment, parts[2], st.st_uid, changed_at, digest, problems))
    return found, rejected


def _copy_submission(src: Path, dest: Path) -> list[str]:
    problems = []
    total = 0
    for root, dirs, files in os.walk(src, followlinks=False):
        for name in sorted(files):
            full = Path(root) / name
            rel = full.relative_to(src)
            if rel.as_posix() == "timestamp.txt":
                continue
            st = full.lstat()
            if not stat.S_ISREG(st.st_mode):
                continue
            if st.st_size > MAX_FILE_BYTES or total + st.st_size > MAX_SUBMISSION_BYTES:
                problems.append(f"skipped {rel}: too large ({st.st_size} bytes)")
                continue
            total += st.st_size
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            with full.open("rb") as fin, target.open("wb") as fout:
                shutil.copyfileobj(fin, fout)
    return problems


def ledger_path(cfg: GradingConfig) -> Path:
    return cfg.grading_dir / "collect-ledger.json"


def collect(cfg: GradingConfig, assignment: str) -> CollectResult:
    """Copy each student's latest submission of ``assignment`` into ``submitted/``."""
    ledger = read_json(ledger_path(cfg), {})
    seen = ledger.setdefault("seen", {})
    latest = ledger.setdefault("latest", {}).setdefault(assignment, {})
    submissions, rejected = scan_inbound(cfg, assignment)
    result = CollectResult(rejected=rejected)

    for sub in submissions:
        record = seen.get(sub.path.name)
        if record is None or record["sha256"] != sub.digest:
            record = {"student": sub.student, "assignment": assignment, "sha256": sub.digest,
                      "submitted_at": sub.changed_at.isoformat(), "first_seen": utcnow().isoformat(),
                      "claimed_time": sub.claimed_time, "owner_uid": sub.owner_uid, "problems": sub.problems}
            seen[sub.path.name] = record

    by_student: dict[str, list[InboundSubmission]] = {}
    for sub in submissions:
        by_student.setdefault(sub.student, []).append(sub)

    for student, subs in sorted(by_student.items()):
        newest = max(subs, key=lambda s: (seen[s.path.name]["submitted_at"], s.path.name))
        record = seen[newest.path.name]
        dest = cfg.course_dir / "submitted" / student / assignment
        current = latest.get(student)
        stamp = dest / "timestamp.txt"
        # Someone may have run nbgrader's own collect (formgrader button) over our copy: then redo it.
        ours = stamp.is_file() and stamp.read_text() == nbgrader_timestamp(dt.datetime.fromisoformat(record["submitted_at"]))
        if current and current["inbound"] == newest.path.name and current["sha256"] == record["sha256"] and ours:
            result.unchanged.append(student)
            continue
        staging = dest.with_name(f".{assignment}.collecting")
        if staging.exists():
            shutil.rmtree(staging)
        problems = _copy_submission(newest.path, staging)
        submitted_at = dt.datetime.fromisoformat(record["submitted_at"])
        (staging / "timestamp.txt").write_text(nbgrader_timestamp(submitted_at))
        if dest.exists():
            shutil.rmtree(dest)
        staging.rename(dest)
        latest[student] = {"inbound": newest.path.name, "sha256": record["sha256"],
                           "submitted_at": record["submitted_at"], "collected_at": utcnow().isoformat(),
                           "problems": record["problems"] + problems}
        result.collected[student] = newest.path.name

    ledger.setdefault("rejected", {}).update(rejected)
    write_json_atomic(ledger_path(cfg), ledger)
    chown_like(cfg.course_dir, cfg.course_dir / "submitted", cfg.grading_dir)
    return result


def submitted_students(cfg: GradingConfig, assignment: str) -> list[str]:
    root = cfg.course_dir / "submitted"
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / assignment).is_dir())


def collected_record(cfg: GradingConfig, assignment: str, student: str) -> dict | None:
    return read_json(ledger_path(cfg), {}).get("latest", {}).get(assignment, {}).get(student)
