"""Restore drill: back up, delete the hub's data, restore; is everything back byte for byte?

Seeds a home volume, a submission in the exchange, a file in the course directory and a
student in the gradebook (next to whatever earlier suites left there), takes a backup with
backup.yml, deletes the hub container, its data volume and the seeded items, runs restore.yml,
and compares checksums of every file in the affected volumes and the gradebook's full dump.
"""
from __future__ import annotations

import re
import shutil
import uuid

import pytest

from tests.utils import docker_helper as dh

from .conftest import deploy_args, run_playbook

COURSE = "glaciers-ml"
GRADER = f"workshop-grader-{COURSE}"
HELPER_IMAGE_ENV = "WORKSHOP_NOTEBOOK_IMAGE"


def notebook_image() -> str:
    return dh.inspect("container", GRADER)["Config"]["Image"]


def volume_checksums(volume: str) -> dict[str, str]:
    """path -> 'uid:gid:mode:sha256' for every file in a volume (via a throwaway container)."""
    script = ("cd /v && find . -type f -print0 | sort -z | "
              "while IFS= read -r -d '' f; do printf '%s %s\\n' \"$(stat -c %u:%g:%a \"$f\")\" \"$(sha256sum \"$f\")\"; done")
    proc = dh.docker("run", "--rm", "--network", "none", "--user", "0:0", "--entrypoint", "bash",
                     "-v", f"{volume}:/v:ro", notebook_image(), "-c", script)
    result = {}
    for line in proc.stdout.splitlines():
        meta, digest, path = line.split(" ", 2)
        result[path.strip()] = f"{meta}:{digest}"
    return result


def gradebook_dump() -> str:
    proc = dh.exec_in("workshop-gradebook", ["pg_dump", "--data-only", "--inserts", "--dbname=nbgrader"])
    assert proc.returncode == 0, proc.stderr
    rows = [line for line in proc.stdout.splitlines() if line.startswith("INSERT")]
    return "\n".join(sorted(rows))


def as_root_in(volume_args: list[str], script: str) -> None:
    dh.docker("run", "--rm", "--network", "none", "--user", "0:0", "--entrypoint", "bash",
              *volume_args, notebook_image(), "-c", script)


@pytest.fixture
def drill(deployed):
    tag = uuid.uuid4().hex[:8]
    seeded = {
        "home": f"workshop-home-restoredrill{tag}",
        "submission": f"/srv/nbgrader/exchange/{COURSE}/inbound/drill{tag}+a1_pandas+2026-11-25 10:00:00.000000 UTC+{tag}",
        "course_file": f"/srv/course/submitted/drill{tag}/a1_pandas/notes.txt",
        "student": f"drill{tag}",
        "backup": None,
    }
    yield tag, seeded
    # Remove what the drill seeded, restored or not, so the deployment is as before.
    dh.docker("volume", "rm", "-f", seeded["home"], check=False)
    as_root_in(["-v", "workshop-exchange:/srv/nbgrader/exchange", "-v", f"workshop-course-{COURSE}:/srv/course"],
               f"rm -rf '{seeded['submission']}' /srv/course/submitted/drill{tag}")
    dh.exec_in("workshop-gradebook", ["psql", "-d", "nbgrader", "-c", f"DELETE FROM student WHERE id = '{seeded['student']}'"])
    if seeded["backup"]:
        shutil.rmtree(seeded["backup"], ignore_errors=True)


def test_restore_brings_back_submissions_grades_and_homes(drill):
    """Back up, delete hub data and the seeded items, restore: is every byte back?"""
    tag, seeded = drill
    # --- seed ---------------------------------------------------------------------------
    dh.docker("volume", "create", seeded["home"])
    as_root_in(["-v", f"{seeded['home']}:/home/drill"],
               "mkdir -p /home/drill/work && head -c 200000 /dev/urandom >/home/drill/work/model.bin && "
               "printf 'glacier notes \\303\\245\\n' >/home/drill/notes.md && chown -R 20999:20999 /home/drill && "
               "chmod 0700 /home/drill && chmod 0600 /home/drill/notes.md")
    as_root_in(["-v", "workshop-exchange:/srv/nbgrader/exchange", "-v", f"workshop-course-{COURSE}:/srv/course"],
               f"mkdir -p '{seeded['submission']}' $(dirname {seeded['course_file']}) && "
               f"head -c 5000 /dev/urandom >'{seeded['submission']}/a1_pandas.ipynb' && "
               f"chown -R 20999:20999 '{seeded['submission']}' && "
               f"printf 'hand-graded: good use of groupby\\n' >{seeded['course_file']} && "
               f"chown -R 19000:19000 /srv/course/submitted")
    insert = (f"INSERT INTO student (id, first_name, last_name, email) "
              f"VALUES ('{seeded['student']}', 'Drill', 'Øyvind', 'drill@example.org')")
    proc = dh.exec_in("workshop-gradebook", ["psql", "-v", "ON_ERROR_STOP=1", "-d", "nbgrader", "-c", insert])
    assert proc.returncode == 0, proc.stderr

    volumes = ["workshop-exchange", f"workshop-course-{COURSE}", seeded["home"], "workshop-passwd"]
    before = {v: volume_checksums(v) for v in volumes}
    before_passwords = dh.exec_in("workshop-hub", ["sha256sum", "/srv/jupyterhub/passwords.json"]).stdout
    before_gradebook = gradebook_dump()
    assert seeded["student"] in before_gradebook

    # --- back up --------------------------------------------------------------------------
    proc = run_playbook(*deploy_args(), playbook="backup.yml")
    assert proc.returncode == 0, proc.stdout[-4000:] + proc.stderr[-2000:]
    found = re.findall(r"done: (/\S+/20\d{6}T\d{6}Z)", proc.stdout)
    assert found, proc.stdout[-3000:]
    seeded["backup"] = found[-1]

    # --- lose the data --------------------------------------------------------------------
    dh.docker("rm", "-f", "workshop-hub")
    dh.docker("volume", "rm", "workshop-hub-data")
    dh.docker("volume", "rm", seeded["home"])
    as_root_in(["-v", "workshop-exchange:/srv/nbgrader/exchange", "-v", f"workshop-course-{COURSE}:/srv/course"],
               f"rm -rf '{seeded['submission']}' /srv/course/submitted/drill{tag}")
    dh.exec_in("workshop-gradebook", ["psql", "-d", "nbgrader", "-c", f"DELETE FROM student WHERE id = '{seeded['student']}'"])
    assert seeded["student"] not in gradebook_dump()

    # --- restore --------------------------------------------------------------------------
    proc = run_playbook(*deploy_args(), "-e", f"restore_from={seeded['backup']}", playbook="restore.yml")
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-3000:]

    # --- compare --------------------------------------------------------------------------
    for volume in volumes:
        after = volume_checksums(volume)
        missing = sorted(set(before[volume]) - set(after))
        differing = sorted(p for p in before[volume] if p in after and after[p] != before[volume][p])
        assert not missing and not differing, f"{volume}: missing {missing[:10]}, differing {differing[:10]}"
    assert gradebook_dump() == before_gradebook, "the gradebook's rows differ after the restore"
    after_passwords = dh.exec_in("workshop-hub", ["sha256sum", "/srv/jupyterhub/passwords.json"]).stdout
    assert after_passwords == before_passwords, "the hub's password hashes were not restored"
    info = dh.inspect("container", "workshop-hub")
    assert info and info["State"]["Running"], dh.logs("workshop-hub", 80)
