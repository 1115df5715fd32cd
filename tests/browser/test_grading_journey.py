"""The whole grading journey through the deployed hub, with real containers and a real browser.

Three students fetch ``a1_pandas`` and submit through the exchange from their own servers: alice
right, bob partly right (a typical unit mistake), carol hostile (snoops on files and the network,
then loops forever). The instructors' pipeline collects and autogrades in sandboxes; the
instructor grades one written answer in the formgrader in chromium; feedback is released; each
student fetches their own feedback and nobody else's; the CSV and the ECTS sheet hold exactly the
expected numbers.
"""
from __future__ import annotations

import csv
import json
import os
import re
import subprocess
import textwrap
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.assignments.assignment_scenarios import SCENARIOS
from tests.utils import docker_helper as dh

from tests.e2e.conftest import COURSE_ID, GRADER_CONTAINER, HUB_URL, as_student

from .conftest import goto, log_in, shot

REPO = Path(__file__).resolve().parents[2]
ASSIGNMENT = "a1_pandas"
SOURCE_NB = REPO / "assignments" / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
# What ./deploy installs for instructors on the host: the pipeline command and its settings.
GRADING_COMMAND = "/usr/local/bin/workshop-grading"
DEPLOYED_GRADING_CONFIG = "/etc/workshop/grading.toml"
# Reading the gradebook directly (to find a submission's id, to check what the formgrader saved).
GRADING_PYTHON = os.environ.get("WORKSHOP_GRADING_PYTHON", "/opt/workshop/grading-venv/bin/python")
PARTLY_RIGHT = "a1_forgot_km3_conversion"     # loses volume_in_km3 only
HAND_GRADED_CELL = "zmean_vs_zmed"             # 2 points, graded by the instructor in the browser
HAND_SCORE = 1.5
CELL_TIMEOUT = 20

HOSTILE_SOURCE = textwrap.dedent('''
    import os, socket
    snooped = {}
    for path in ["/srv/course", "/srv/nbgrader/exchange", "/home", "/etc/workshop/passwd", "/var/run/docker.sock"]:
        try:
            snooped[path] = sorted(os.listdir(path))
        except Exception as exc:
            snooped[path] = type(exc).__name__
    for host, port in [("workshop-gradebook", 5432), ("workshop-hub", 8081), ("1.1.1.1", 53)]:
        try:
            socket.create_connection((host, port), timeout=3).close()
            snooped[host] = "REACHED"
        except Exception as exc:
            snooped[host] = type(exc).__name__
    print("SNOOPED", snooped)
    while True:
        pass
''')


def _solution_sources() -> dict[str, str]:
    """The instructor's solution of each solution cell, without nbgrader's markers."""
    nb = json.loads(SOURCE_NB.read_text())
    out = {}
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("solution") and cell["cell_type"] == "code":
            lines = "".join(cell["source"]).splitlines()
            out[meta["grade_id"]] = "\n".join(l for l in lines if "### BEGIN SOLUTION" not in l and "### END SOLUTION" not in l)
    return out


def _answer(released: dict, replacements: dict[str, str]) -> dict:
    """Fill the released notebook's solution cells the way a student would type them."""
    nb = json.loads(json.dumps(released))
    for cell in nb["cells"]:
        grade_id = cell["metadata"].get("nbgrader", {}).get("grade_id")
        if grade_id in replacements:
            cell["source"] = replacements[grade_id]
    return nb


def _grading(*args: str, cfg: Path, timeout: float = 1800) -> subprocess.CompletedProcess:
    """Run the pipeline exactly as an instructor does on the deployed host: the installed command."""
    proc = subprocess.run([GRADING_COMMAND, *args], capture_output=True, text=True, timeout=timeout,
                          env=dict(os.environ, WORKSHOP_GRADING_CONFIG=str(cfg)))
    assert proc.returncode == 0, f"workshop-grading {' '.join(args)} failed:\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc


def _volume_path(name: str) -> Path:
    return Path(dh.inspect("volume", name)["Mountpoint"])


def _gradebook_url() -> str:
    """The grader's own gradebook URL, with the gradebook container's address for this host."""
    env = dict(e.split("=", 1) for e in dh.inspect("container", GRADER_CONTAINER)["Config"]["Env"])
    networks = dh.inspect("container", "workshop-gradebook")["NetworkSettings"]["Networks"]
    address = next(iter(networks.values()))["IPAddress"]
    return env["NBGRADER_DB_URL"].replace("@workshop-gradebook:", f"@{address}:")


def _submission_id(db_url: str, student: str) -> str:
    script = ("import sys; from nbgrader.api import Gradebook\n"
              "with Gradebook(sys.argv[1]) as gb:\n"
              "    print(gb.find_submission_notebook(sys.argv[2], sys.argv[2], sys.argv[3]).id)")
    proc = subprocess.run([GRADING_PYTHON, "-c", script, db_url, ASSIGNMENT, student],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()


def _manual_grade(db_url: str, student: str) -> list:
    script = ("import sys, json; from nbgrader.api import Gradebook\n"
              "with Gradebook(sys.argv[1]) as gb:\n"
              "    g = gb.find_grade(sys.argv[4], sys.argv[2], sys.argv[2], sys.argv[3])\n"
              "    c = gb.find_comment(sys.argv[4], sys.argv[2], sys.argv[2], sys.argv[3])\n"
              "    print(json.dumps([g.manual_score, c.manual_comment]))")
    proc = subprocess.run([GRADING_PYTHON, "-c", script, db_url, ASSIGNMENT, student, HAND_GRADED_CELL],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture
def grading_config(tmp_path) -> Path:
    """The deployment's own /etc/workshop/grading.toml, with a short cell limit (carol's loop) and this course's ECTS rule."""
    deployed = Path(DEPLOYED_GRADING_CONFIG).read_text()
    assert "[sandbox]" in deployed and "[ects]" in deployed, deployed
    cfg = tmp_path / "grading.toml"
    cfg.write_text(deployed
                   .replace("[sandbox]\n", f"[sandbox]\nworkers = 2\ncell_timeout = {CELL_TIMEOUT}\nnotebook_timeout = 900\n")
                   .replace("[ects]\n", f"[ects]\nrequired = [\"{ASSIGNMENT}\"]\nrequire_hand_grading = true\n"))
    return cfg


def test_three_students_are_graded_end_to_end(login, hub, grading_config, page, unique):
    """Do right, partly right and hostile work submitted through the hub end with exactly the right marks and feedback?"""
    solutions = _solution_sources()
    partly = dict(solutions, **{SCENARIOS[PARTLY_RIGHT]["cell"]: SCENARIOS[PARTLY_RIGHT]["source"]})
    hostile = dict(solutions, zmean_compute=HOSTILE_SOURCE)
    answers = {"alice": solutions, "bob": partly, "carol": hostile}
    # Each student signs their first answer, so feedback can be traced to its author.
    signatures = {student: f"# answered by {student}, {unique}" for student in answers}
    for student, replacements in answers.items():
        first = "rgi_load_and_filter"
        answers[student] = dict(replacements, **{first: replacements[first] + "\n" + signatures[student]})

    # --- students: fetch, answer, submit, each from their own server -------------------------
    for student, replacements in answers.items():
        login(student).start_server()
        fetched = as_student(student, f"cd ~ && rm -rf {ASSIGNMENT} .local/share/jupyter/nbgrader_cache/{COURSE_ID} && nbgrader fetch_assignment {ASSIGNMENT} --course {COURSE_ID}")
        assert fetched.returncode == 0, fetched.stdout + fetched.stderr
        released = json.loads(as_student(student, f"cat ~/{ASSIGNMENT}/{ASSIGNMENT}.ipynb").stdout)
        notebook = json.dumps(_answer(released, replacements))
        wrote = as_student(student, f"cat > ~/{ASSIGNMENT}/{ASSIGNMENT}.ipynb", input=notebook)
        assert wrote.returncode == 0, wrote.stderr
        submitted = as_student(student, f"cd ~ && nbgrader submit {ASSIGNMENT} --course {COURSE_ID}", timeout=180)
        assert submitted.returncode == 0, submitted.stdout + submitted.stderr

    # --- instructors' pipeline: collect + sandboxed autograde ---------------------------------
    _grading("all", ASSIGNMENT, "--no-feedback", cfg=grading_config)
    course_dir = _volume_path(f"workshop-course-{COURSE_ID}")

    carols = json.loads((course_dir / "autograded" / "carol" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").read_text())
    hostile_cell = next(c for c in carols["cells"]
                        if c["metadata"].get("nbgrader", {}).get("grade_id") == "zmean_compute")
    outputs = json.dumps(hostile_cell["outputs"])
    assert "SNOOPED" in outputs, f"the hostile cell did not run in the sandbox: {outputs[:2000]}"
    assert "CellTimeoutError" in outputs, f"the infinite loop was not stopped by the cell limit: {outputs[:2000]}"
    snooped = outputs[outputs.index("SNOOPED"):].split("\\n", 1)[0]
    assert "REACHED" not in snooped, f"student code reached the network from the sandbox: {snooped}"
    # Course, exchange, passwd map and Docker socket are absent or empty in the sandbox; no home but the image's own.
    for secret in ("/srv/course", "/srv/nbgrader/exchange", "/etc/workshop/passwd", "/var/run/docker.sock"):
        assert f"'{secret}': []" in snooped or re.search(f"'{secret}': '[A-Za-z]+Error'", snooped), \
            f"student code could see something at {secret}: {snooped}"
    assert not any(name in snooped for name in ("alice", "bob", "a1_pandas")), snooped

    # --- instructor: hand-grade alice's written answer in the formgrader (chromium) -----------
    submission = _submission_id(_gradebook_url(), "alice")
    log_in(page, "teacher", hub["passwords"]["teacher"])
    page.wait_for_url(re.compile(r"/(user|hub)/"), timeout=300_000)
    goto(page, f"{HUB_URL}/services/{COURSE_ID}/formgrader/submissions/{submission}/?index=0")
    score = page.locator(f"input.score#{HAND_GRADED_CELL}")
    score.wait_for(timeout=120_000)
    page.wait_for_load_state("networkidle")
    # A number input that already holds a score (a re-run) is not reliably replaced by one fill:
    # empty it first, as a grader selecting and deleting would.
    score.fill("")
    score.fill(str(HAND_SCORE))
    score.press("Tab")
    comment = page.locator(f"textarea#{HAND_GRADED_CELL}-comment")
    comment.fill("Good comparison; mention the hypsometry's band width.")
    comment.press("Tab")
    shot(page, "instructor-hand-grading")
    # The formgrader saved both through its API: the gradebook holds them.
    db_url = _gradebook_url()
    dh.wait_for(lambda: _manual_grade(db_url, "alice") == [HAND_SCORE, "Good comparison; mention the hypsometry's band width."],
                timeout=60, interval=1, what="the formgrader to save alice's hand grade and comment")
    page.reload()
    expect(page.locator(f"input.score#{HAND_GRADED_CELL}")).to_have_value(re.compile(r"^1\.5$"), timeout=60_000)

    # --- feedback, CSV, ECTS ---------------------------------------------------------------
    _grading("all", ASSIGNMENT, cfg=grading_config)

    autograded_max = sum(c["points"] for c in _grade_cells() if c["kind"] == "auto")
    manual_max = sum(c["points"] for c in _grade_cells() if c["kind"] == "manual")
    lost_by_bob = sum(c["points"] for c in _grade_cells() if c["id"] in SCENARIOS[PARTLY_RIGHT]["loses"])
    lost_by_carol = sum(c["points"] for c in _grade_cells() if c["id"] == "zmean_area_weighted")
    expected = {
        "alice": autograded_max + HAND_SCORE,
        "bob": autograded_max - lost_by_bob,
        "carol": autograded_max - lost_by_carol,
    }
    total = autograded_max + manual_max
    rows = {r["student_id"]: r for r in csv.DictReader(open(course_dir / "grading" / "grades.csv"))
            if r["assignment"] == ASSIGNMENT}
    for student, score_ in expected.items():
        assert rows[student]["score"] == f"{score_:.2f}", rows[student]
        assert rows[student]["max_score"] == f"{total:.2f}", rows[student]

    verdicts = {r["student_id"]: r for r in csv.DictReader(open(course_dir / "grading" / "ects.csv"))}
    for student, score_ in expected.items():
        assert verdicts[student][f"{ASSIGNMENT}_score"] == f"{score_:.2f}", verdicts[student]
        assert verdicts[student][f"{ASSIGNMENT}_percent"] == f"{100 * score_ / total:.2f}", verdicts[student]
    # alice 13.5/17 and bob 11/17 reach 60 %; carol's 10/17 does not, and as she left the written
    # answers as released, nbgrader scores them 0 with nothing left to grade by hand: a fail, not pending.
    assert verdicts["alice"]["verdict"] == "pass", verdicts["alice"]
    assert verdicts["bob"]["verdict"] == "pass", verdicts["bob"]
    assert verdicts["carol"]["verdict"] == "fail", verdicts["carol"]
    assert "58.8 % < 60 %" in verdicts["carol"]["reasons"], verdicts["carol"]
    assert "timed out" in rows["carol"]["flags"], rows["carol"]

    # --- students fetch their own feedback, and only their own ----------------------------------
    for student in answers:
        fetched = as_student(student, f"cd ~ && nbgrader fetch_feedback {ASSIGNMENT} --course {COURSE_ID}", timeout=180)
        assert fetched.returncode == 0, fetched.stdout + fetched.stderr
        html = as_student(student, f"cat ~/{ASSIGNMENT}/feedback/*/{ASSIGNMENT}.html")
        assert html.returncode == 0, html.stderr
        assert signatures[student] in html.stdout, f"{student}'s feedback is not their own work"
        for other in answers:
            if other != student:
                assert signatures[other] not in html.stdout, f"{student}'s feedback shows {other}'s work"
        # Feedback is released per submission hash: only one feedback folder, this student's.
        folders = as_student(student, f"ls -1 ~/{ASSIGNMENT}/feedback").stdout.splitlines()
        assert len(folders) == 1, folders
    alice_feedback = as_student("alice", f"cat ~/{ASSIGNMENT}/feedback/*/{ASSIGNMENT}.html").stdout
    assert "Good comparison" in alice_feedback


def _grade_cells() -> list[dict]:
    nb = json.loads(SOURCE_NB.read_text())
    cells = []
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader", {})
        if meta.get("grade"):
            cells.append({"id": meta["grade_id"], "points": float(meta["points"]),
                          "kind": "auto" if cell["cell_type"] == "code" else "manual"})
    return cells
