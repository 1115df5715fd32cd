"""Fixtures for the grading suite: a PostgreSQL gradebook container, a sandbox image, and one fresh
course (directory, exchange, database) per test, built from the committed fixture course.

Docker goes through tests/utils/docker_helper.py (``/usr/bin/docker``); everything created here is
removed again. The pipeline runs as ``python -m workshop_grading`` in a Python that has nbgrader:
WORKSHOP_GRADING_PYTHON, else this interpreter if it has nbgrader, else ``.venv-notebook`` (the
notebook lock), else a small ``.venv-grading`` made once from the notebook lock's pins.
"""
from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.utils.docker_helper import TrackedDocker, docker, exec_in, wait_for

REPO = Path(__file__).resolve().parents[2]

HERE = Path(__file__).resolve().parent
FIXTURE_COURSE = HERE / "fixtures" / "course"
AUTOGRADERS = REPO / "autograders"
TAG = (REPO / "images" / "VERSION").read_text().strip()
GRADEBOOK_IMAGE = f"glacier-workshop/gradebook:{TAG}"
BASE_IMAGE = os.environ.get("WORKSHOP_BASE_IMAGE", "workshop-local/debian:bookworm")
TEST_SANDBOX_IMAGE = "workshop-test/grading-sandbox:latest"
DB_PASSWORD = f"pw-{uuid.uuid4().hex}"
ASSIGNMENTS = ("ps1", "project")


def _image_exists(name: str) -> bool:
    return docker("image", "inspect", name, check=False).returncode == 0


def _build(tag: str, dockerfile: Path, context: Path, *extra: str) -> None:
    env = dict(os.environ, DOCKER_BUILDKIT="1")
    proc = subprocess.run(["/usr/bin/docker", "build", "--build-arg", f"BASE_IMAGE={BASE_IMAGE}", *extra,
                           "-t", tag, "-f", str(dockerfile), str(context)], env=env, capture_output=True, text=True,
                          timeout=1200)
    if proc.returncode != 0:
        pytest.fail(f"building {tag} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")


def _has_nbgrader(python: str) -> bool:
    return subprocess.run([python, "-c", "import nbgrader, psycopg2"], capture_output=True).returncode == 0


@pytest.fixture(scope="session")
def grading_python() -> str:
    candidates = [os.environ.get("WORKSHOP_GRADING_PYTHON", ""), sys.executable,
                  str(REPO / ".venv-notebook" / "bin" / "python"), str(REPO / ".venv-grading" / "bin" / "python")]
    for python in candidates:
        if python and os.path.exists(python) and _has_nbgrader(python):
            return python
    venv = REPO / ".venv-grading"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    pins = [line.split()[0] for line in (REPO / "images/notebook/requirements.lock").read_text().splitlines()
            if line[:1].isalnum()]
    constraints = venv / "constraints.txt"
    constraints.write_text("\n".join(pins) + "\n")
    proc = subprocess.run([str(venv / "bin/pip"), "install", "-q", "-c", str(constraints), "nbgrader", "psycopg2-binary"],
                          capture_output=True, text=True, timeout=1200)
    if proc.returncode != 0:
        pytest.fail(f"could not make {venv} with nbgrader:\n{proc.stderr[-3000:]}")
    return str(venv / "bin" / "python")


@pytest.fixture(scope="session")
def sandbox_image() -> str:
    """The notebook image when it is built; otherwise a small stand-in with a kernel and nbclient."""
    for name in (os.environ.get("WORKSHOP_NOTEBOOK_IMAGE", ""), f"glacier-workshop/notebook:{TAG}"):
        if name and _image_exists(name):
            return name
    if not _image_exists(TEST_SANDBOX_IMAGE):
        _build(TEST_SANDBOX_IMAGE, HERE / "sandbox-image" / "Dockerfile", HERE / "sandbox-image",
               "--secret", "id=ca,src=/etc/ssl/certs/ca-certificates.crt")
    return TEST_SANDBOX_IMAGE


@dataclass
class GradebookServer:
    container: str
    host: str

    def url(self, database: str) -> str:
        return f"postgresql+psycopg2://nbgrader:{DB_PASSWORD}@{self.host}/{database}"

    def psql(self, sql: str, database: str = "postgres") -> str:
        proc = exec_in(self.container, ["psql", "-v", "ON_ERROR_STOP=1", "-qAt", "-U", "postgres", "-d", database, "-c", sql])
        assert proc.returncode == 0, proc.stderr
        return proc.stdout.strip()


@pytest.fixture(scope="session")
def tracked():
    t = TrackedDocker()
    yield t
    t.cleanup()


@pytest.fixture(scope="session")
def gradebook_server(tracked) -> GradebookServer:
    if not _image_exists(GRADEBOOK_IMAGE):
        _build(GRADEBOOK_IMAGE, REPO / "images" / "gradebook" / "Dockerfile", REPO)
    network = tracked.network("grading")
    name = tracked.name("gradebook")
    proc = tracked.run(GRADEBOOK_IMAGE, "--network", network, "--env", f"GRADEBOOK_PASSWORD={DB_PASSWORD}", name=name)
    assert proc.returncode == 0, proc.stderr
    wait_for(lambda: exec_in(name, ["pg_isready", "-q", "-h", "127.0.0.1"]).returncode == 0
             and exec_in(name, ["psql", "-qAt", "-U", "postgres", "-c", "SELECT 1 FROM pg_roles WHERE rolname='nbgrader'"]).stdout.strip() == "1",
             timeout=60, what="the gradebook to accept connections")
    ip = json.loads(docker("inspect", name).stdout)[0]["NetworkSettings"]["Networks"][network]["IPAddress"]
    return GradebookServer(name, ip)


@pytest.fixture(scope="session")
def template_course(tmp_path_factory, gradebook_server, grading_python) -> tuple[Path, str]:
    """The fixture course generated once into a template database; each test copies both."""
    course = tmp_path_factory.mktemp("template") / "course"
    shutil.copytree(FIXTURE_COURSE, course)
    database = f"tmpl_{uuid.uuid4().hex[:8]}"
    gradebook_server.psql(f'CREATE DATABASE "{database}" OWNER nbgrader')
    for assignment in ASSIGNMENTS:
        ops(grading_python, op="generate", course=str(course), db=gradebook_server.url(database), assignment=assignment)
    return course, database


def ops(python: str, **request) -> dict:
    proc = subprocess.run([python, str(HERE / "nbgrader_ops.py"), json.dumps(request)], capture_output=True, text=True,
                          timeout=300)
    assert proc.returncode == 0, f"nbgrader_ops {request.get('op')} failed:\n{proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return json.loads(proc.stdout.strip().splitlines()[-1])


@dataclass
class Course:
    """One test's course: directory, exchange, database, and the pipeline as a CLI."""
    root: Path
    course_dir: Path
    exchange: Path
    db_url: str
    python: str
    image: str
    passwd: Path
    config_path: Path
    students: dict[str, int] = field(default_factory=dict)

    # --- submissions ---------------------------------------------------------------------
    def release(self, assignment: str = "ps1") -> dict:
        return json.loads((self.course_dir / "release" / assignment / f"{assignment}.ipynb").read_text())

    def student_uid(self, student: str) -> int:
        if student not in self.students:
            self.students[student] = 20001 + len(self.students)
            self.passwd.write_text("".join(f"{n}:x:{u}:{u}::/home/{n}:/bin/bash\n" for n, u in self.students.items()))
        return self.students[student]

    def submit(self, student: str, notebook: dict | str | bytes, assignment: str = "ps1",
               claimed_time: str = "2026-01-01 00:00:00.000000 UTC", owner: str | None = None) -> Path:
        """Put a submission into the inbound folder the way `nbgrader submit` does, owned by the student."""
        inbound = self.exchange / "glaciers-ml" / "inbound"
        folder = inbound / f"{student}+{assignment}+{claimed_time}+{uuid.uuid4().hex[:6]}"
        folder.mkdir()
        data = notebook if isinstance(notebook, (str, bytes)) else json.dumps(notebook)
        target = folder / f"{assignment}.ipynb"
        target.write_bytes(data.encode() if isinstance(data, str) else data)
        (folder / "timestamp.txt").write_text(claimed_time)
        (folder / "submission_secret.txt").write_text(uuid.uuid4().hex)
        uid = self.student_uid(owner or student)
        for path in (folder, *folder.iterdir()):
            os.chown(path, uid, uid)
        return folder

    # --- the pipeline ------------------------------------------------------------------------
    def run(self, step: str, *args: str, check: bool = True, timeout: int = 900) -> subprocess.CompletedProcess:
        env = dict(os.environ, PYTHONPATH=str(AUTOGRADERS), WORKSHOP_GRADEBOOK_URL=self.db_url,
                   WORKSHOP_NOTEBOOK_IMAGE=self.image)
        env["PATH"] = os.path.dirname(self.python) + os.pathsep + env.get("PATH", "")
        proc = subprocess.run([self.python, "-m", "workshop_grading", step, *args, "--config", str(self.config_path)],
                              env=env, capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            logs = "\n".join(f"--- {p}\n{p.read_text()[-3000:]}" for p in (self.course_dir / "grading" / "logs").rglob("*.log"))
            raise AssertionError(f"workshop_grading {step} failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}\n{logs}")
        return proc

    def grades(self) -> dict:
        return ops(self.python, op="grades", db=self.db_url)

    def score(self, student: str, assignment: str = "ps1") -> dict[str, dict]:
        return {g["cell"]: g for g in self.grades()["grades"] if g["student"] == student and g["assignment"] == assignment}

    def hand_grade(self, student: str, cell: str, score: float, comment: str = "", assignment: str = "ps1") -> None:
        ops(self.python, op="manual", db=self.db_url, assignment=assignment, student=student, notebook=assignment,
            cell=cell, score=score, comment=comment)

    def csv(self, name: str) -> list[dict]:
        with (self.course_dir / "grading" / name).open() as fh:
            return list(csv.DictReader(fh))

    def status(self, student: str, assignment: str = "ps1") -> dict:
        return json.loads((self.course_dir / "grading" / "status" / assignment / f"{student}.json").read_text())

    def autograded(self, student: str, assignment: str = "ps1") -> dict:
        return json.loads((self.course_dir / "autograded" / student / assignment / f"{assignment}.ipynb").read_text())


CONFIG = """\
course_id = "glaciers-ml"
course_dir = "{course_dir}"
exchange_dir = "{exchange}"
passwd_file = "{passwd}"

[sandbox]
workers = 2
memory = "1g"
cell_timeout = {cell_timeout}
notebook_timeout = {notebook_timeout}
max_output_chars = 100000

[late]
method = "{late_method}"
percent_per_hour = 10

[assignments.ps1]
deadline = "{deadline}"

[assignments.project]
min_percent = 50

[ects]
min_percent = 60
required = ["ps1", "project"]
"""


@pytest.fixture
def make_course(tmp_path, gradebook_server, template_course, grading_python, sandbox_image):
    def make(deadline: str = "2099-01-01T00:00:00+00:00", late_method: str = "per_hour",
             cell_timeout: int = 20, notebook_timeout: int = 120) -> Course:
        template_dir, template_db = template_course
        course_dir = tmp_path / "course"
        shutil.copytree(template_dir, course_dir)
        exchange = tmp_path / "exchange"
        inbound = exchange / "glaciers-ml" / "inbound"
        inbound.mkdir(parents=True)
        for folder in (exchange, exchange / "glaciers-ml"):
            folder.chmod(0o755)
        inbound.chmod(0o1733)  # as nbgrader's release_assignment makes it: students write, cannot list
        database = f"t_{uuid.uuid4().hex[:10]}"
        gradebook_server.psql(f'CREATE DATABASE "{database}" OWNER nbgrader TEMPLATE "{template_db}"')
        passwd = tmp_path / "passwd"
        passwd.write_text("")
        config_path = tmp_path / "grading.toml"
        config_path.write_text(CONFIG.format(course_dir=course_dir, exchange=exchange, passwd=passwd,
                                             cell_timeout=cell_timeout, notebook_timeout=notebook_timeout,
                                             late_method=late_method, deadline=deadline))
        return Course(tmp_path, course_dir, exchange, gradebook_server.url(database), grading_python,
                      sandbox_image, passwd, config_path)
    return make


# --- notebook editing helpers used by the tests ------------------------------------------------
def set_cell(nb: dict, grade_id: str, source: str) -> dict:
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
            cell["source"] = source
            return nb
    raise KeyError(grade_id)


def drop_cell(nb: dict, grade_id: str) -> dict:
    nb["cells"] = [c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") != grade_id]
    return nb


RIGHT = {
    "mass_balance": "def mass_balance(accumulation, ablation):\n    return accumulation - ablation",
    "mean_thickness": "def mean_thickness(values):\n    return sum(values) / len(values) if values else 0.0",
    "explain_retreat": "It loses more ice by melt than it gains from snow, so the ice thins and the front retreats.",
}
PARTLY_RIGHT = dict(RIGHT, mean_thickness="def mean_thickness(values):\n    return sum(values) / len(values)")
RIGHT_PROJECT = {
    "ela": "def ela(altitudes, balances):\n    return next((z for z, b in zip(altitudes, balances) if b >= 0), None)",
    "report": "The ELA sits near 2500 m.",
}


def answered(course: Course, answers: dict, assignment: str = "ps1") -> dict:
    nb = course.release(assignment)
    for grade_id, source in answers.items():
        set_cell(nb, grade_id, source)
    return nb


def wait_a_tick() -> None:
    """ctime has nanosecond resolution, but keep submissions clearly ordered."""
    time.sleep(0.05)
