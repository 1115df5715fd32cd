"""Hostile and broken submissions: is each one contained, flagged and graded fairly while the others are graded?"""
from __future__ import annotations

import datetime as dt
import json
import time

from tests.grading.conftest import PARTLY_RIGHT, RIGHT, answered, drop_cell, set_cell


def _outputs_text(nb: dict, grade_id: str) -> str:
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            return json.dumps(cell.get("outputs", []))
    raise KeyError(grade_id)


def test_infinite_loop_times_out_and_the_rest_is_graded(make_course):
    """Does an endless loop cost only its own cell (interrupted at the cell limit) while the rest is graded?"""
    course = make_course(cell_timeout=5, notebook_timeout=90)
    loop = "while True:\n    pass\n" + RIGHT["mean_thickness"]
    course.submit("carol", answered(course, dict(RIGHT, mean_thickness=loop)))
    course.run("collect")
    started = time.monotonic()
    course.run("autograde")
    assert time.monotonic() - started < 90
    carol = course.score("carol")
    assert carol["test_mass_balance"]["auto"] == 2.0            # cells before and after the loop still count
    assert carol["test_mean_thickness"]["auto"] == 0.0          # the function never got defined
    graded = course.autograded("carol")
    assert "CellTimeoutError" in _outputs_text(graded, "mean_thickness")
    assert any("timed out" in f for f in course.status("carol")["flags"])


def test_edited_and_deleted_test_cells_are_restored_from_the_gradebook(make_course):
    """Do nbgrader's checksums undo a weakened test and put back a deleted one?"""
    course = make_course()
    nb = answered(course, {"mass_balance": "def mass_balance(a, b):\n    return 0.0",
                           "mean_thickness": "def mean_thickness(values):\n    return 0.0"})
    set_cell(nb, "test_mass_balance", "pass  # nothing to see here")
    drop_cell(nb, "test_mean_thickness")
    course.submit("dave", nb)
    course.run("collect")
    course.run("autograde")
    dave = course.score("dave")
    assert dave["test_mass_balance"]["auto"] == 0.0
    assert dave["test_mean_thickness"]["auto"] == 0.0
    assert dave["test_mean_thickness_empty"]["auto"] == 0.0
    flags = " ".join(course.status("dave")["flags"])
    assert "edited protected cell test_mass_balance" in flags and "deleted protected cell test_mean_thickness" in flags
    graded = course.autograded("dave")
    assert "assert mass_balance(2.0, 0.5) == 1.5" in json.dumps(graded)


def test_invalid_json_is_flagged_and_the_others_are_graded(make_course):
    """Is a notebook that is not JSON flagged with zero autograde points, while the others are graded?"""
    course = make_course()
    course.submit("erin", b'{"cells": [ this is not json')
    course.submit("alice", answered(course, RIGHT))
    course.run("collect")
    course.run("autograde")
    assert course.status("erin")["state"] == "invalid"
    assert "not a valid notebook" in " ".join(course.status("erin")["flags"])
    erin = course.score("erin")
    assert {c: g["auto"] for c, g in erin.items() if c.startswith("test_")} == {
        "test_mass_balance": 0.0, "test_mean_thickness": 0.0, "test_mean_thickness_empty": 0.0}
    assert course.score("alice")["test_mean_thickness"]["auto"] == 3.0
    course.run("export")
    row = next(r for r in course.csv("grades.csv") if r["student_id"] == "erin" and r["assignment"] == "ps1")
    assert row["score"] == "0.00" and "not a valid notebook" in row["flags"]
    # a forced re-run flags it again instead of failing on the set-aside file
    course.run("autograde", "--force")
    assert course.status("erin")["state"] == "invalid"


def test_100_mb_of_output_is_bounded(make_course):
    """Does printing 100 MB leave a small, gradable notebook instead of a crash?"""
    course = make_course()
    flood = "for _ in range(100):\n    print('x' * 1_000_000)\n" + RIGHT["mass_balance"]
    course.submit("frank", answered(course, dict(RIGHT, mass_balance=flood)))
    course.run("collect")
    course.run("autograde")
    frank = course.score("frank")
    assert frank["test_mass_balance"]["auto"] == 2.0 and frank["test_mean_thickness"]["auto"] == 3.0
    size = (course.course_dir / "autograded" / "frank" / "ps1" / "ps1.ipynb").stat().st_size
    assert size < 2_000_000, size
    assert "truncated" in _outputs_text(course.autograded("frank"), "mass_balance")


HOSTILE = '''
import os, socket
found = []
for root, dirs, files in os.walk("/", followlinks=False):
    dirs[:] = [d for d in dirs if os.path.join(root, d) not in ("/proc", "/sys", "/dev")]
    found += [os.path.join(root, f) for f in files
              if "CANARY" in f or f in ("submission_secret.txt", "timestamp.txt", "gradebook.db", "collect-ledger.json")
              or (f.endswith(".ipynb") and os.path.join(root, f) != "/tmp/work/ps1.ipynb")]
print("FOUND", [p for p in found if "site-packages" not in p and "/usr/share" not in p])
for target in (("{gradebook_ip}", 5432), ("{gateway_ip}", 2375)):
    try:
        socket.create_connection(target, timeout=3).close()
        print("LEAK connected to", target)
    except OSError as exc:
        print("denied", target, type(exc).__name__)
for path in ("/srv/course/gradebook.db", "/etc/passwd-grader", "/opt/evil.py", "/tmp/../gradebook.db"):
    try:
        open(path, "w").write("x")
        print("LEAK wrote", path)
    except OSError as exc:
        print("denied write", path, type(exc).__name__)
print("uid", os.getuid())
''' + "\n"


def test_reading_other_files_network_and_gradebook_writes_are_denied(make_course, gradebook_server):
    """Can student code see other submissions or the course, reach the network or the gradebook, or write outside /tmp?"""
    course = make_course()
    alice_folder = course.submit("alice", answered(course, RIGHT))
    (alice_folder / "CANARY-alice.txt").write_text("secret")
    gateway = gradebook_server.host.rsplit(".", 1)[0] + ".1"
    source = HOSTILE.replace("{gradebook_ip}", gradebook_server.host).replace("{gateway_ip}", gateway) + RIGHT["mass_balance"]
    course.submit("mallory", answered(course, dict(RIGHT, mass_balance=source)))
    course.run("collect")
    course.run("autograde")
    out = _outputs_text(course.autograded("mallory"), "mass_balance")
    assert "LEAK" not in out, out
    assert "FOUND []" in out, out
    assert out.count("denied") == 6, out
    assert "uid 0" not in out
    assert course.score("mallory")["test_mass_balance"]["auto"] == 2.0
    assert course.score("alice")["test_mean_thickness"]["auto"] == 3.0


def test_submission_under_another_name_is_rejected(make_course):
    """Is a folder that claims to be alice's but belongs to mallory's account refused?"""
    course = make_course()
    course.student_uid("alice")
    course.submit("alice", answered(course, PARTLY_RIGHT), owner="mallory")
    proc = course.run("collect")
    assert "rejected" in proc.stdout and "owned by 'mallory'" in proc.stdout
    assert not (course.course_dir / "submitted" / "alice").exists()


def test_resubmission_latest_counts_by_collector_time(make_course):
    """Does the submission made last count, even when its folder name claims an older time?"""
    course = make_course()
    course.submit("alice", answered(course, PARTLY_RIGHT), claimed_time="2026-12-31 23:59:00.000000 UTC")
    time.sleep(1.1)
    course.submit("alice", answered(course, RIGHT), claimed_time="2020-01-01 00:00:00.000000 UTC")
    course.run("collect")
    course.run("autograde")
    assert course.score("alice")["test_mean_thickness_empty"]["auto"] == 1.0
    # a third, later submission replaces it again and is regraded on the next run
    time.sleep(1.1)
    course.submit("alice", answered(course, PARTLY_RIGHT), claimed_time="2019-01-01 00:00:00.000000 UTC")
    course.run("collect")
    course.run("autograde")
    assert course.score("alice")["test_mean_thickness_empty"]["auto"] == 0.0
    assert course.grades()["counts"]["submitted_assignment"] == 1


def test_late_submission_penalty_ignores_the_students_own_timestamp(make_course):
    """Is a submission after the deadline penalised per started hour, whatever its timestamp.txt claims?"""
    deadline = (dt.datetime.now(dt.timezone.utc) - dt.timedelta(minutes=90)).isoformat()
    course = make_course(deadline=deadline, late_method="per_hour")
    course.submit("alice", answered(course, RIGHT), claimed_time="2020-01-01 00:00:00.000000 UTC")
    course.run("collect")
    course.run("autograde")
    course.hand_grade("alice", "explain_retreat", 4)
    course.run("export")
    row = next(r for r in course.csv("grades.csv") if r["student_id"] == "alice" and r["assignment"] == "ps1")
    assert 90 * 60 <= float(row["seconds_late"]) < 100 * 60
    # 2 started hours x 10 % of 10 points
    assert (row["raw_score"], row["late_penalty"], row["score"]) == ("10.00", "2.00", "8.00")
    stamp = (course.course_dir / "submitted" / "alice" / "ps1" / "timestamp.txt").read_text()
    assert not stamp.startswith("2020")
