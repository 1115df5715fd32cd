"""Does the grading pipeline turn honest submissions into exactly the expected marks, feedback and ECTS verdicts,
and can it be re-run without duplicates or lost hand grades?"""
from __future__ import annotations

import hashlib
import json

from tests.grading.conftest import PARTLY_RIGHT, RIGHT, RIGHT_PROJECT, answered


def test_right_and_partly_right_give_exact_csv_and_ects_sheet(make_course):
    """Do the CSV and the ECTS sheet hold exactly the expected numbers after autograding and hand grading?"""
    course = make_course()
    course.submit("alice", answered(course, RIGHT))
    course.submit("bob", answered(course, PARTLY_RIGHT))
    course.submit("alice", answered(course, RIGHT_PROJECT, "project"), assignment="project")
    course.run("collect")
    course.run("autograde")

    alice, bob = course.score("alice"), course.score("bob")
    assert {c: g["auto"] for c, g in alice.items()} == {
        "test_mass_balance": 2.0, "test_mean_thickness": 3.0, "test_mean_thickness_empty": 1.0, "explain_retreat": None}
    assert bob["test_mean_thickness_empty"]["auto"] == 0.0  # hidden test: mean of no soundings divides by zero
    assert bob["test_mean_thickness"]["auto"] == 3.0

    # Before hand grading: alice already reaches both thresholds on tests alone; bob's ps1 waits for hand
    # grading (it could still reach 60 %), but his missing project fails him anyway.
    course.run("ects")
    sheet = {r["student_id"]: r for r in course.csv("ects.csv")}
    assert {s: r["verdict"] for s, r in sheet.items()} == {"alice": "pass", "bob": "fail"}
    assert "ps1: 5/10 = 50.0 % so far; hand grading pending" in sheet["bob"]["reasons"]

    # What an instructor does in the formgrader (same gradebook rows, same API).
    course.hand_grade("alice", "explain_retreat", 3, "good, mention accumulation area")
    course.hand_grade("bob", "explain_retreat", 1)
    course.hand_grade("alice", "report", 4, assignment="project")
    course.run("export")
    course.run("ects")

    grades = {(r["student_id"], r["assignment"]): r for r in course.csv("grades.csv")}
    assert (grades["alice", "ps1"]["score"], grades["alice", "ps1"]["max_score"], grades["alice", "ps1"]["percent"]) == ("9.00", "10.00", "90.00")
    assert (grades["bob", "ps1"]["score"], grades["bob", "ps1"]["percent"]) == ("6.00", "60.00")
    assert (grades["alice", "project"]["score"], grades["alice", "project"]["percent"]) == ("9.00", "90.00")
    assert grades["bob", "project"]["score"] == "0.00" and grades["bob", "project"]["flags"] == "not submitted"
    assert grades["alice", "ps1"]["late_penalty"] == "0.00" and grades["alice", "ps1"]["needs_manual_grade"] == "False"

    sheet = {r["student_id"]: r for r in course.csv("ects.csv")}
    assert sheet["alice"]["verdict"] == "pass"
    assert (sheet["alice"]["ps1_score"], sheet["alice"]["ps1_percent"], sheet["alice"]["project_score"]) == ("9.00", "90.00", "9.00")
    assert sheet["bob"]["verdict"] == "fail"
    assert "project: not submitted" in sheet["bob"]["reasons"] and "ps1: 6/10 = 60.0 % >= 60 %" in sheet["bob"]["reasons"]
    assert "alice" in (course.course_dir / "grading" / "ects.html").read_text()

    cells = [r for r in course.csv("grade-cells.csv") if r["student_id"] == "bob" and r["assignment"] == "ps1"]
    assert {r["cell"]: r["score"] for r in cells} == {
        "ps1/explain_retreat": "1.00", "ps1/test_mass_balance": "2.00", "ps1/test_mean_thickness": "3.00",
        "ps1/test_mean_thickness_empty": "0.00"}

    course.run("report")
    report = (course.course_dir / "grading" / "report.html").read_text()
    assert "<svg" in report and "test_mean_thickness_empty" in report


def test_feedback_reaches_each_student_only(make_course):
    """Is each student's feedback released under a name only their own submission secret yields?"""
    course = make_course()
    secrets = {}
    for student, answers in (("alice", RIGHT), ("bob", PARTLY_RIGHT)):
        folder = course.submit(student, answered(course, answers))
        secrets[student] = (folder / "submission_secret.txt").read_text()
    course.run("collect")
    course.run("autograde")
    course.hand_grade("alice", "explain_retreat", 4, "well argued")
    course.run("feedback")
    released = course.exchange / "glaciers-ml" / "feedback"
    # nbgrader.utils.notebook_hash(secret=..., notebook_id=...) is the name fetch_feedback looks for
    pages = {s: (released / (hashlib.md5((secrets[s] + "ps1").encode()).hexdigest() + ".html")).read_text()
             for s in ("alice", "bob")}
    assert "well argued" in pages["alice"] and "Score: 10.0 / 10.0" in pages["alice"]
    assert "well argued" not in pages["bob"] and "Score: 5.0 / 10.0" in pages["bob"]
    assert "ZeroDivisionError" in pages["bob"] and "ZeroDivisionError" not in pages["alice"]
    assert len(list(released.glob("*.html"))) == 2


def test_rerun_is_safe_and_keeps_hand_grades(make_course):
    """Does running everything again (even forced) keep hand grades and add no duplicate rows?"""
    course = make_course()
    course.submit("alice", answered(course, RIGHT))
    course.submit("bob", answered(course, PARTLY_RIGHT))
    course.run("all")
    course.hand_grade("alice", "explain_retreat", 3.5, "clear")
    first = course.grades()
    course.run("export")
    csv_before = (course.course_dir / "grading" / "grades.csv").read_text()

    course.run("all")                       # nothing changed: nothing is regraded
    assert course.status("alice")["state"] == "graded"
    course.run("all", "--force")            # regrade everything
    second = course.grades()

    assert second["counts"] == first["counts"]
    alice = course.score("alice")
    assert alice["explain_retreat"]["manual"] == 3.5 and alice["explain_retreat"]["manual_comment"] == "clear"
    assert alice["explain_retreat"]["score"] == 3.5
    assert (course.course_dir / "grading" / "grades.csv").read_text() == csv_before
    key = lambda g: (g["student"], g["assignment"], g["cell"])  # noqa: E731
    assert sorted(map(json.dumps, [{k: g[k] for k in ("student", "cell", "score")} for g in sorted(second["grades"], key=key)])) == \
        sorted(map(json.dumps, [{k: g[k] for k in ("student", "cell", "score")} for g in sorted(first["grades"], key=key)]))
