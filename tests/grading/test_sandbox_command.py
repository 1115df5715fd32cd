"""Is every sandbox started with the lock-down flags, and is nothing private handed to it? (no containers)"""
from __future__ import annotations

import json
import subprocess

from tests.grading.conftest import AUTOGRADERS

CHECK = r'''
import json, sys, tarfile, io, pathlib, nbformat
from workshop_grading.config import SandboxConfig
from workshop_grading.sandbox import docker_command, build_payload
cfg = SandboxConfig(image="img", data_dir="/srv/workshop/data")
cmd = docker_command(cfg, "wsgrade-x", "ps1.ipynb")
work = pathlib.Path(sys.argv[1])
for name in ("ps1.ipynb", "other.ipynb", "timestamp.txt", "submission_secret.txt", "data.csv"):
    (work / name).write_text("{}")
(work / "link").symlink_to("/etc/shadow")
payload = build_payload(work, "ps1.ipynb", nbformat.v4.new_notebook())
names = sorted(tarfile.open(fileobj=io.BytesIO(payload)).getnames())
print(json.dumps({"cmd": cmd, "names": names}))
'''


def test_sandbox_flags_and_payload(tmp_path, grading_python):
    proc = subprocess.run([grading_python, "-c", CHECK, str(tmp_path)], capture_output=True, text=True,
                          env={"PYTHONPATH": str(AUTOGRADERS), "PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    cmd = " ".join(result["cmd"])
    for flag in ("--network none", "--read-only", "--memory 2g", "--memory-swap 2g", "--pids-limit 256",
                 "--user 65534:65534", "--cap-drop ALL", "--security-opt no-new-privileges", "--rm -i",
                 "type=bind,source=/srv/workshop/data,target=/srv/data,readonly"):
        assert flag in cmd, flag
    assert "-v " not in cmd and "docker.sock" not in cmd and "/srv/course" not in cmd
    assert result["names"] == ["data.csv", "other.ipynb", "ps1.ipynb"]


def test_plain_nbgrader_autograde_is_refused_in_the_grader_config(tmp_path, grading_python):
    """With the grader container's setting, does nbgrader's own autograde (the formgrader button) refuse to run code?"""
    import shutil

    from tests.grading.conftest import FIXTURE_COURSE

    course = tmp_path / "course"
    shutil.copytree(FIXTURE_COURSE, course)
    with (course / "nbgrader_config.py").open("a") as fh:
        fh.write("from workshop_grading.nbgrader_glue import REFUSING_AUTOGRADE_PREPROCESSORS\n"
                 "c.Autograde.autograde_preprocessors = REFUSING_AUTOGRADE_PREPROCESSORS\n")
    env = {"PYTHONPATH": str(AUTOGRADERS), "PATH": f"{grading_python.rsplit('/', 1)[0]}:/usr/bin:/bin"}
    run = lambda *a: subprocess.run([grading_python, "-m", "nbgrader", *a], cwd=course, env=env,  # noqa: E731
                                    capture_output=True, text=True)
    assert run("generate_assignment", "ps1").returncode == 0
    submitted = course / "submitted" / "eve" / "ps1"
    submitted.mkdir(parents=True)
    canary = tmp_path / "ran"
    nb = json.loads((course / "release" / "ps1" / "ps1.ipynb").read_text())
    nb["cells"][1]["source"] = f"open({str(canary)!r}, 'w').write('student code ran')"
    (submitted / "ps1.ipynb").write_text(json.dumps(nb))
    proc = run("autograde", "ps1")
    assert proc.returncode != 0
    assert "sandboxed grading pipeline only" in proc.stdout + proc.stderr
    assert not canary.exists()
