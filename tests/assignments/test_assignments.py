"""Do the nbgrader assignments release cleanly, and do their graders tell right work from typical wrong work?

One session builds a temporary course per assignment (so two assignments can be autograded at once without sharing a
gradebook), runs the real `nbgrader generate_assignment` and `nbgrader autograde` CLIs, and reads every cell's score
from the gradebook. Submissions per assignment: the instructor solution, the unchanged released notebook, and every
scenario of ``scenarios.py`` (the solution with one cell replaced by a typical mistake).
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from tests.assignments.assignment_scenarios import SCENARIOS
from tests.assignments.suite import AUTOGRADERS, DATA_DIR, REPO

COURSE_SRC = REPO / "assignments"
ASSIGNMENTS = sorted(p.name for p in (COURSE_SRC / "source").iterdir() if p.is_dir())
SOLUTION, UNCHANGED = "solution", "unchanged_release"
PARALLEL = int(os.environ.get("ASSIGNMENT_TEST_PARALLEL", "2"))  # 2 cores shared: never more than two kernels
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION", "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def _env() -> dict:
    env = dict(os.environ, GLACIER_DATA_DIR=str(DATA_DIR), PYTHONHASHSEED="0", MPLBACKEND="Agg")
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(AUTOGRADERS), env.get("PYTHONPATH", "")) if p)
    # nbgrader runs `alembic` (gradebook migrations) and the kernel from PATH: use this interpreter's environment
    env["PATH"] = os.pathsep.join((str(Path(sys.executable).parent), env.get("PATH", "")))
    return env


def _nbgrader(course: Path, *args: str, timeout: int = 1500) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=_env(), capture_output=True,
                          text=True, timeout=timeout)
    if proc.returncode != 0:
        raise AssertionError(f"nbgrader {' '.join(args)} failed ({proc.returncode}) in {course}:\n{proc.stdout[-3000:]}"
                             f"\n{proc.stderr[-6000:]}")
    return proc


def _scenario_notebook(nb_path: Path, sc: dict, out: Path) -> None:
    """Write the solution notebook with the scenario's solution cell (and any tampered test cell) replaced."""
    nb = nbformat.read(nb_path, as_version=4)
    cells = {c.metadata.get("nbgrader", {}).get("grade_id"): c for c in nb.cells}
    assert cells[sc["cell"]].metadata["nbgrader"]["solution"], f"a mistake replaces a solution cell, not {sc['cell']}"
    cells[sc["cell"]].source = sc["source"]
    for grade_id, source in sc["tampered_tests"].items():
        assert cells[grade_id].metadata["nbgrader"]["locked"], f"only locked test cells can be tampered with: {grade_id}"
        cells[grade_id].source = source
    out.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, out)


def _grade_assignment(assignment: str, root: Path) -> dict:
    """Release one assignment and autograde all its submissions; return scores, logs and timings."""
    course = root / assignment
    (course / "source").mkdir(parents=True)
    shutil.copy(COURSE_SRC / "nbgrader_config.py", course)
    shutil.copy(COURSE_SRC / "source" / "header.ipynb", course / "source")
    shutil.copytree(COURSE_SRC / "source" / assignment, course / "source" / assignment)
    t0 = time.monotonic()
    _nbgrader(course, "generate_assignment", assignment, "--force")
    source_nb = course / "source" / assignment / f"{assignment}.ipynb"
    release_nb = course / "release" / assignment / f"{assignment}.ipynb"
    submitted = course / "submitted"
    students = {SOLUTION: None, UNCHANGED: None}
    students.update({name: sc for name, sc in SCENARIOS.items() if sc["assignment"] == assignment})
    for student, sc in students.items():
        dest = submitted / student / assignment / f"{assignment}.ipynb"
        dest.parent.mkdir(parents=True)
        if student == SOLUTION:
            shutil.copy(source_nb, dest)
        elif student == UNCHANGED:
            shutil.copy(release_nb, dest)
        else:
            _scenario_notebook(source_nb, sc, dest)
        (dest.parent / "timestamp.txt").write_text("2026-11-27 12:00:00.000000 UTC")
    t1 = time.monotonic()
    proc = _nbgrader(course, "autograde", assignment, "--force")
    t2 = time.monotonic()

    from nbgrader.api import Gradebook
    scores: dict[str, dict[str, tuple[float, float]]] = {}
    manual: dict[str, float] = {}
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for student in students:
            nb = gb.find_submission_notebook(assignment, assignment, student)
            # autograded = code grade cells; markdown grade cells are written answers graded by hand
            scores[student] = {g.name: (g.auto_score, g.max_score) for g in nb.grades if g.cell_type == "code"}
            manual.update({g.name: g.max_score for g in nb.grades if g.cell_type == "markdown"})
    return dict(course=course, source=source_nb, release=release_nb, scores=scores, manual=manual,
                log=proc.stdout + proc.stderr, seconds=dict(release=t1 - t0, autograde=t2 - t1),
                n_submissions=len(students))


@pytest.fixture(scope="session")
def graded(tmp_path_factory, data_dir) -> dict:
    root = tmp_path_factory.mktemp("courses")
    with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
        futures = {a: pool.submit(_grade_assignment, a, root) for a in ASSIGNMENTS}
        return {a: f.result() for a, f in futures.items()}


def test_notebooks_are_built_from_specs_and_have_no_outputs():
    """Is every committed notebook exactly what its spec builds (so no stray output or edit is committed)?"""
    proc = subprocess.run([sys.executable, str(COURSE_SRC / "build.py"), "--check"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    for nb_path in (COURSE_SRC / "source").rglob("*.ipynb"):
        nb = nbformat.read(nb_path, as_version=4)
        for cell in nb.cells:
            assert not cell.get("outputs") and not cell.get("execution_count"), f"{nb_path.name} has outputs"


def test_every_assignment_has_visible_and_hidden_tests_and_a_written_answer():
    """Does each assignment have autograded cells with visible and hidden parts, and at least one hand-graded answer?"""
    assert len(ASSIGNMENTS) == 7, ASSIGNMENTS
    for a in ASSIGNMENTS:
        nb = nbformat.read(COURSE_SRC / "source" / a / f"{a}.ipynb", as_version=4)
        meta = [(c, c.metadata.get("nbgrader", {})) for c in nb.cells]
        tests = [c for c, m in meta if m.get("grade") and not m.get("solution")]
        written = [c for c, m in meta if m.get("grade") and m.get("solution") and c.cell_type == "markdown"]
        assert tests and written, a
        for c in tests:
            visible, _, hidden = c.source.partition("### BEGIN HIDDEN TESTS")
            assert hidden.strip(), f"{a}/{c.metadata.nbgrader.grade_id} has no hidden tests"
            assert len([ln for ln in visible.splitlines() if ln.strip()]) > 1, f"{a}/{c.metadata.nbgrader.grade_id}: no visible test"


def test_every_autograded_cell_has_a_scenario_that_loses_it(graded):
    """Is every autograded cell shown to fail on at least one scenario-named typical mistake?"""
    for a, res in graded.items():
        cells = set(res["scores"][SOLUTION])
        covered = {c for sc in SCENARIOS.values() if sc["assignment"] == a for c in sc["loses"]}
        assert cells - covered == set(), f"{a}: no scenario loses {sorted(cells - covered)}"
        assert covered - cells == set(), f"{a}: scenarios name unknown cells {sorted(covered - cells)}"


def test_release_contains_no_solution_and_no_hidden_test(graded):
    """Do released notebooks hide every solution line and every hidden test line?"""
    for a, res in graded.items():
        released_text = res["release"].read_text(encoding="utf-8")
        for marker in MARKERS:
            assert marker not in released_text, f"{a}: released notebook contains {marker!r}"
        released = {c.metadata.get("nbgrader", {}).get("grade_id"): c.source
                    for c in nbformat.read(res["release"], as_version=4).cells}
        for cell in nbformat.read(res["source"], as_version=4).cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
            blocks = re.findall(r"### BEGIN (?:SOLUTION|HIDDEN TESTS)\n(.*?)### END", cell.source, flags=re.S)
            if not blocks:
                continue
            assert grade_id in released, f"{a}: cell {grade_id} is missing from the release"
            for line in "".join(blocks).splitlines():
                line = line.strip()
                if len(line) > 8 and not line.startswith("#"):
                    assert line not in released[grade_id], f"{a}/{grade_id}: released cell leaks {line!r}"


def test_solution_gets_every_autograded_point(graded):
    """Does the instructor's solution earn the full points of every autograded cell?"""
    for a, res in graded.items():
        lost = {c: s for c, s in res["scores"][SOLUTION].items() if s[0] != s[1]}
        assert not lost, f"{a}: the solution loses points in {lost}\n{res['log'][-4000:]}"


def test_unchanged_release_gets_zero_and_completes(graded):
    """Does autograding the untouched released notebook complete and give zero autograded points?"""
    for a, res in graded.items():
        got = res["scores"][UNCHANGED]
        assert set(got) == set(res["scores"][SOLUTION]), f"{a}: not every cell was graded for the unchanged notebook"
        assert sum(s for s, _ in got.values()) == 0, f"{a}: unchanged release earns {got}"


@pytest.fixture(scope="session")
def kernel_sees_gpu() -> bool:
    """Whether torch in the notebook kernel's environment sees a GPU (asked in a subprocess: this suite needs no torch)."""
    proc = subprocess.run([sys.executable, "-c", "import torch; print(torch.cuda.is_available())"], capture_output=True,
                          text=True, env=_env())
    return proc.stdout.strip() == "True"


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_scenario_loses_exactly_the_cells_that_depend_on_the_mistake(graded, kernel_sees_gpu, name):
    """Does this typical mistake lose the points of the cells it affects, and only those?"""
    sc = SCENARIOS[name]
    got = graded[sc["assignment"]]["scores"][name]
    should_lose = set(sc["loses"]) | (set() if kernel_sees_gpu else set(sc["loses_without_gpu"]))
    wrong = {c: s for c, s in got.items() if (s[0] != 0) if c in should_lose}
    wrong.update({c: s for c, s in got.items() if c not in should_lose and s[0] != s[1]})
    assert not wrong, f"{name}: unexpected scores {wrong} (should lose exactly {sorted(should_lose)})"


def test_print_scenario_matrix(graded, capsys):
    """Print the matrix of submissions x autograded cells (points earned / max) and the run times."""
    lines = []
    for a, res in graded.items():
        cells = list(res["scores"][SOLUTION])
        total = sum(m for _, m in res["scores"][SOLUTION].values())
        lines.append(f"\n{a}: {len(cells)} autograded cells ({total:g} pts) + {len(res['manual'])} hand-graded "
                     f"({sum(res['manual'].values()):g} pts); release {res['seconds']['release']:.0f}s, autograde of "
                     f"{res['n_submissions']} submissions {res['seconds']['autograde']:.0f}s")
        width = max(len(s) for s in res["scores"]) + 2
        for i, c in enumerate(cells):
            lines.append(f"{'':{width}}  {'|  ' * i}{c}")
        for student, sc in res["scores"].items():
            row = "".join(f"{sc[c][0]:<3g}" for c in cells)
            lines.append(f"{student:<{width}}  {row} = {sum(v for v, _ in sc.values()):g}")
    with capsys.disabled():
        print("\n".join(lines))
