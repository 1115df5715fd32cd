"""Students log in through the real form and get their own servers from the notebook image."""
from __future__ import annotations

import os

import pytest

from tests.utils import docker_helper as dh

from .conftest import as_student, uid_of, user_container

NOTEBOOK_IMAGE = os.environ.get("WORKSHOP_NOTEBOOK_IMAGE", "")
# "real-uid command line" for every process, read from /proc (the image has no procps).
PROCESS_TABLE = (
    "for d in /proc/[0-9]*; do cmd=$(tr '\\0' ' ' < $d/cmdline 2>/dev/null) || continue; "
    "echo \"$(awk '/^Uid:/{print $2}' $d/status) $cmd\"; done"
)


def test_wrong_password_is_refused(hub):
    """Does the login form refuse a wrong password (and not crash)?"""
    from tests.utils.hub_client import HubUser
    from .conftest import TLS_VERIFY

    user = HubUser(hub["url"], "alice", "not-the-password", verify=TLS_VERIFY)
    resp = user.login()
    assert resp.status_code == 403
    assert "Invalid username or password" in resp.text


def test_two_students_spawn_under_distinct_non_root_uids(login):
    """Do two students' servers come from the notebook image and run as two different non-root UIDs?"""
    alice, bob = login("alice"), login("bob")
    alice.start_server()
    bob.start_server()

    uids = {}
    for user in (alice, bob):
        container = user_container(user.username)
        info = dh.inspect("container", container)
        if NOTEBOOK_IMAGE:
            assert info["Config"]["Image"] == NOTEBOOK_IMAGE
        # The process actually serving Jupyter, not just the configured user.
        proc = dh.exec_in(container, PROCESS_TABLE)
        serving = [line.split(None, 1) for line in proc.stdout.splitlines() if "jupyterhub-singleuser" in line]
        assert serving, f"no jupyterhub-singleuser process in {container}:\n{proc.stdout}\n{dh.logs(container)}"
        running_uids = {int(uid) for uid, _ in serving}
        assert 0 not in running_uids, f"{user.username}'s server runs as root"
        assert running_uids == {uid_of(user.username)}
        uids[user.username] = running_uids.pop()

        status = user.server_api("status")
        assert status.status_code == 200, status.text[:300]
    assert uids["alice"] != uids["bob"]


def test_home_file_survives_stop_and_start(login, unique):
    """Does a file in a student's home survive stopping and starting the server?"""
    carol = login("carol")
    carol.start_server()
    content = f"glacier notes {unique}\n"
    made = as_student("carol", f"printf %s '{content}' > ~/notes-{unique}.txt")
    assert made.returncode == 0, made.stderr
    carol.stop_server()
    carol.start_server()
    resp = carol.contents(f"notes-{unique}.txt")
    assert resp.status_code == 200, resp.text[:300]
    assert resp.json()["content"] == content


def test_user_with_name_needing_escaping_spawns(login):
    """Can a user whose name has capitals, dots and non-ASCII letters log in and get a server?"""
    user = login("Åse.Ødegård")
    user.start_server()
    resp = user.server_api("status")
    assert resp.status_code == 200
    assert as_student("Åse.Ødegård", "id -u").stdout.strip() != "0"
