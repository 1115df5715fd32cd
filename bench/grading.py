#!/usr/bin/env python3
"""Benchmark: autograde N students x all assignments, nbgrader's plain sequential autograde vs the pipeline.

Prints both wall times and the ratio (a figure, not a timed test). Both runs grade the same
submissions (the instructor solution with the nbgrader markers removed, i.e. "right" work):

* baseline: ``nbgrader autograde <assignment>`` per assignment, kernels on this machine, sqlite gradebook;
* pipeline: ``workshop_grading`` collect + autograde per assignment, every notebook in its own sandbox
  container, ``--workers`` submissions at a time, PostgreSQL gradebook (a throwaway container).

Usage (a Python with nbgrader, e.g. the notebook lock's venv):
    .venv-notebook/bin/python bench/grading.py [--students 10] [--course assignments|fixture]
        [--assignments a1_pandas ...] [--workers N] [--image glacier-workshop/notebook:TAG]
Env: GLACIER_DATA_DIR / WORKSHOP_DATA_MIRROR  glacier data for the real assignments (default /work/shared/data)
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "autograders"))
DOCKER = "/usr/bin/docker"
TAG = (REPO / "images" / "VERSION").read_text().strip()
MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


def sh(*cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)


def env() -> dict:
    e = dict(os.environ)
    e["PATH"] = os.path.dirname(sys.executable) + os.pathsep + e.get("PATH", "")
    e["PYTHONPATH"] = str(REPO / "autograders") + os.pathsep + e.get("PYTHONPATH", "")
    e.setdefault("GLACIER_DATA_DIR", data_dir())
    return e


def data_dir() -> str:
    return os.environ.get("GLACIER_DATA_DIR") or os.environ.get("WORKSHOP_DATA_MIRROR") \
        or str(Path(__file__).resolve().parents[2] / "shared" / "data")


def nbgrader(course: Path, *args: str) -> None:
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env(), capture_output=True, text=True)
    if proc.returncode != 0:
        raise SystemExit(f"nbgrader {' '.join(args)} failed:\n{proc.stdout[-2000:]}{proc.stderr[-4000:]}")


def solution_submission(source: Path, release: Path) -> dict:
    """The released notebook with each solution cell replaced by the instructor's solution."""
    src = json.loads(source.read_text())
    rel = json.loads(release.read_text())
    solutions = {}
    for cell in src["cells"]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("solution"):
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            solutions[meta["grade_id"]] = "\n".join(l for l in text.splitlines() if l.strip() not in MARKERS)
    for cell in rel["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id in solutions:
            cell["source"] = solutions[grade_id]
    return rel


def start_gradebook() -> tuple[str, str, str]:
    name, network, password = f"bench-gradebook-{uuid.uuid4().hex[:6]}", f"bench-net-{uuid.uuid4().hex[:6]}", uuid.uuid4().hex
    image = f"glacier-workshop/gradebook:{TAG}"
    if subprocess.run([DOCKER, "image", "inspect", image], capture_output=True).returncode != 0:
        sh(DOCKER, "build", "--build-arg", "BASE_IMAGE=workshop-local/debian:bookworm", "-t", image,
           "-f", str(REPO / "images/gradebook/Dockerfile"), str(REPO), env=dict(os.environ, DOCKER_BUILDKIT="1"))
    sh(DOCKER, "network", "create", network)
    sh(DOCKER, "run", "-d", "--name", name, "--network", network, "--env", f"GRADEBOOK_PASSWORD={password}", image)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        probe = subprocess.run([DOCKER, "exec", name, "psql", "-qAt", "-U", "postgres", "-c",
                                "SELECT 1 FROM pg_roles WHERE rolname='nbgrader'"], capture_output=True, text=True)
        if probe.stdout.strip() == "1":
            break
        time.sleep(0.5)
    ip = json.loads(sh(DOCKER, "inspect", name).stdout)[0]["NetworkSettings"]["Networks"][network]["IPAddress"]
    return name, network, f"postgresql+psycopg2://nbgrader:{password}@{ip}/nbgrader"


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--students", type=int, default=10)
    p.add_argument("--course", choices=("assignments", "fixture"), default="assignments")
    p.add_argument("--assignments", nargs="*")
    p.add_argument("--workers", type=int, default=0, help="default: number of cores")
    p.add_argument("--image", default=os.environ.get("WORKSHOP_NOTEBOOK_IMAGE", f"glacier-workshop/notebook:{TAG}"))
    args = p.parse_args()

    course_src = REPO / "assignments" if args.course == "assignments" else REPO / "tests/grading/fixtures/course"
    assignments = args.assignments or sorted(d.name for d in (course_src / "source").iterdir() if d.is_dir())
    students = [f"student{i:02d}" for i in range(1, args.students + 1)]
    work = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    gradebook = network = None
    try:
        template = work / "template"
        template.mkdir()
        shutil.copy(course_src / "nbgrader_config.py", template)
        shutil.copytree(course_src / "source", template / "source")
        for a in assignments:
            nbgrader(template, "generate_assignment", a, "--force")
        submissions = {a: {nb.stem: solution_submission(course_src / "source" / a / nb.name, nb)
                           for nb in (template / "release" / a).glob("*.ipynb")} for a in assignments}

        # --- baseline: plain nbgrader, sequential, sqlite -------------------------------------
        baseline = work / "baseline"
        shutil.copytree(template, baseline)
        for a in assignments:
            for s in students:
                folder = baseline / "submitted" / s / a
                folder.mkdir(parents=True)
                for name, nb in submissions[a].items():
                    (folder / f"{name}.ipynb").write_text(json.dumps(nb))
                (folder / "timestamp.txt").write_text("2026-11-20 10:00:00.000000 UTC")
        t0 = time.monotonic()
        for a in assignments:
            nbgrader(baseline, "autograde", a, "--force")
        t_baseline = time.monotonic() - t0

        # --- pipeline: exchange -> collect -> sandboxed parallel autograde, PostgreSQL -------
        gradebook, network, db_url = start_gradebook()
        pipeline = work / "pipeline"
        shutil.copytree(template, pipeline)
        (pipeline / "gradebook.db").unlink(missing_ok=True)
        for a in assignments:
            nbgrader(pipeline, "generate_assignment", a, "--force", f"--db={db_url}")
        inbound = work / "exchange" / "glaciers-ml" / "inbound"
        inbound.mkdir(parents=True)
        for a in assignments:
            for s in students:
                folder = inbound / f"{s}+{a}+2026-11-20 10:00:00.000000 UTC+{uuid.uuid4().hex[:6]}"
                folder.mkdir()
                for name, nb in submissions[a].items():
                    (folder / f"{name}.ipynb").write_text(json.dumps(nb))
                (folder / "submission_secret.txt").write_text(uuid.uuid4().hex)

        from workshop_grading import autograde, collect, load_config
        os.environ.update(env())
        cfg = load_config(None, course_dir=str(pipeline), exchange_dir=str(work / "exchange"), db_url=db_url,
                          passwd_file="", image=args.image, workers=args.workers or None)
        cfg.sandbox.data_dir = data_dir() if os.path.isdir(data_dir()) else ""
        t0 = time.monotonic()
        failed = []
        for a in assignments:
            collect(cfg, a)
            summary = autograde(cfg, a)
            failed += [f"{a}/{s.student}" for s in summary.statuses if s.state != "graded"]
        t_pipeline = time.monotonic() - t0

        n = len(students) * len(assignments)
        print(f"submissions: {len(students)} students x {len(assignments)} assignments = {n} ({', '.join(assignments)})")
        print(f"cores: {os.cpu_count()}, pipeline workers: {cfg.sandbox.resolved_workers()}, image: {args.image}")
        print(f"plain nbgrader autograde (sequential, local kernels, sqlite): {t_baseline:8.1f} s")
        print(f"workshop_grading collect+autograde (sandboxed, parallel):     {t_pipeline:8.1f} s")
        print(f"speed-up (baseline / pipeline):                               {t_baseline / t_pipeline:8.2f} x")
        if failed:
            print(f"not graded cleanly by the pipeline: {', '.join(failed)}")
        return 0
    finally:
        if gradebook:
            subprocess.run([DOCKER, "rm", "-f", "-v", gradebook], capture_output=True)
        if network:
            subprocess.run([DOCKER, "network", "rm", network], capture_output=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
