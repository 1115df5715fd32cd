"""Students are semi-trusted: each test asks whether one of them can reach what is not theirs.

A student's own terminal is simulated by running commands in their own container under
their own UID (`as_student`); everything over HTTP goes through the proxy with their
own login cookie or the API token their server holds.
"""
from __future__ import annotations

import json
import shlex

import pytest

from tests.utils import docker_helper as dh

from .conftest import COURSE_ID, GRADER_CONTAINER, as_student, user_container

EXCHANGE = "/srv/nbgrader/exchange"


@pytest.fixture
def alice_and_bob(login):
    alice, bob = login("alice"), login("bob")
    alice.start_server()
    bob.start_server()
    return alice, bob


def test_student_cannot_read_or_list_another_students_home(alice_and_bob, unique):
    """Can alice read or list bob's home, on disk or through bob's server?"""
    alice, bob = alice_and_bob
    assert as_student("bob", f"echo secret > ~/diary-{unique}.txt").returncode == 0
    # On disk: bob's home volume is not in alice's container at all.
    listing = as_student("alice", "ls -A /home")
    assert "alice" in listing.stdout.split() and "bob" not in listing.stdout.split(), listing.stdout
    assert as_student("alice", f"cat /home/bob/diary-{unique}.txt").returncode != 0
    # Through the proxy with alice's cookie: bob's server refuses her.
    resp = alice.contents(f"diary-{unique}.txt", owner="bob")
    assert resp.status_code == 403, f"{resp.status_code}: {resp.text[:300]}"
    resp = alice.open_server(owner="bob")
    assert resp.status_code == 403


def released_assignment(student: str) -> str:
    proc = as_student(student, f"ls {EXCHANGE}/{COURSE_ID}/outbound")
    names = proc.stdout.split()
    assert names, f"no released assignment in the exchange: {proc.stderr}"
    return sorted(names)[0]


def test_student_cannot_list_or_read_submissions(alice_and_bob):
    """After bob submits with nbgrader, can alice list the inbound folder or find bob's submission?"""
    assignment = released_assignment("bob")
    submitted = as_student(
        "bob",
        f"cd ~ && nbgrader fetch_assignment {assignment} --course {COURSE_ID}; "
        f"nbgrader submit {assignment} --course {COURSE_ID}",
        timeout=180,
    )
    assert submitted.returncode == 0, submitted.stdout + submitted.stderr
    inbound = f"{EXCHANGE}/{COURSE_ID}/inbound"
    # The grader (root in its container) sees bob's submission ...
    seen = dh.exec_in(GRADER_CONTAINER, f"ls {inbound}")
    assert any(n.startswith(f"bob+{assignment}+") for n in seen.stdout.splitlines()), seen.stdout
    # ... alice can neither list the folder nor find the submission by a pattern.
    assert as_student("alice", f"ls {inbound}").returncode != 0, "alice can list the inbound folder"
    found = as_student("alice", f"ls -d {inbound}/bob+* 2>/dev/null | head -n 1")
    assert found.stdout.strip() == "", f"alice found {found.stdout!r}"
    assert as_student("alice", f"cat {inbound}/bob+*/*.ipynb").returncode != 0


def test_exchange_root_is_sticky_and_course_folder_cannot_be_replaced(alice_and_bob):
    """Is the exchange root 1777, so that a student cannot rename the course folder and plant a fake?"""
    mode = as_student("alice", f"stat -c %a {EXCHANGE}").stdout.strip()
    assert mode == "1777"
    renamed = as_student("alice", f"mv {EXCHANGE}/{COURSE_ID} {EXCHANGE}/stolen")
    assert renamed.returncode != 0
    assert as_student("alice", f"test -d {EXCHANGE}/{COURSE_ID}").returncode == 0


def test_student_cannot_change_released_files_or_reach_course_directory(alice_and_bob):
    """Can alice change a released assignment file or see the course directory?"""
    outbound = f"{EXCHANGE}/{COURSE_ID}/outbound"
    files = as_student("alice", f"find {outbound}/{released_assignment('alice')} -type f | head -n 1").stdout.strip()
    assert files, "the released assignment has no files"
    write = as_student("alice", f"echo tampered >> {shlex.quote(files)}")
    assert write.returncode != 0
    assert as_student("alice", f"touch {outbound}/planted").returncode != 0
    # The course directory (source, gradebook exports, everyone's submissions) is not mounted at all.
    mounts = dh.inspect("container", user_container("alice"))["Mounts"]
    assert not any(COURSE_ID in (m.get("Name") or "") and "course" in (m.get("Name") or "") for m in mounts), mounts
    assert as_student("alice", "grep -q ' /srv/course ' /proc/mounts").returncode != 0
    assert as_student("alice", "ls -A /srv/course 2>/dev/null").stdout.strip() == ""


def test_student_cannot_reach_the_docker_socket(alice_and_bob):
    """Is there any Docker socket (or host path beyond data, home and exchange) in a student's container?"""
    assert as_student("alice", "test -S /var/run/docker.sock || test -S /run/docker.sock").returncode != 0
    info = dh.inspect("container", user_container("alice"))
    sources = {m.get("Source") or m.get("Name") for m in info["Mounts"]}
    assert not any("docker.sock" in (s or "") for s in sources)
    binds = [m for m in info["Mounts"] if m["Type"] == "bind"]
    destinations = {m["Destination"]: m["RW"] for m in binds}
    assert set(destinations) <= {"/srv/data", "/etc/workshop/passwd"}, destinations
    assert not any(destinations.values()), f"writable host path in a student container: {destinations}"


def test_student_server_token_cannot_use_admin_apis(alice_and_bob):
    """With the API token her own server holds, can alice list users, start bob's server or make herself admin?"""
    script = r'''
import json, os, urllib.request, urllib.error
api = os.environ["JUPYTERHUB_API_URL"]
tok = os.environ["JUPYTERHUB_API_TOKEN"]
def call(method, path, body=None):
    req = urllib.request.Request(api + path, method=method,
        data=json.dumps(body).encode() if body is not None else None,
        headers={"Authorization": "token " + tok})
    try:
        return urllib.request.urlopen(req).status
    except urllib.error.HTTPError as e:
        return e.code
print(json.dumps({
  "list_users": call("GET", "/users"),
  "read_bob": call("GET", "/users/bob"),
  "stop_bob": call("DELETE", "/users/bob/server"),
  "make_admin": call("PATCH", "/users/alice", {"admin": True}),
  "add_to_instructors": call("POST", "/groups/instructors/users", {"users": ["alice"]}),
  "new_token_for_bob": call("POST", "/users/bob/tokens", {}),
}))
'''
    proc = as_student("alice", f"python3 -c {shlex.quote(script)}")
    assert proc.returncode == 0, proc.stderr
    codes = json.loads(proc.stdout)
    assert all(code in (403, 404) for code in codes.values()), codes


def test_student_gets_403_from_formgrader_and_other_servers(alice_and_bob, hub, login):
    """Does the formgrader, and every other user's server, answer alice with 403?"""
    alice, _ = alice_and_bob
    login("teacher").start_server()
    resp = alice.get(f"{hub['url']}/services/{COURSE_ID}/formgrader")
    assert resp.status_code == 403, f"{resp.status_code} {resp.url}"
    resp = alice.server_api("status", owner="teacher")
    assert resp.status_code == 403, f"{resp.status_code} {resp.url}"
    assert dh.container_exists(GRADER_CONTAINER)


def test_student_cannot_reach_the_grader_or_hub_database_directly(alice_and_bob):
    """Bypassing the proxy, can alice's container read the grader's files or talk to the gradebook database?"""
    # The grader's Jupyter server needs a hub-issued token: an anonymous request is refused.
    script = r'''
import urllib.request, urllib.error, sys
try:
    urllib.request.urlopen("http://%s:8888/services/%s/api/contents" % (sys.argv[1], sys.argv[2]), timeout=10)
    print("open")
except urllib.error.HTTPError as e:
    print(e.code)
except Exception as e:
    print("unreachable")
'''
    proc = as_student("alice", f"python3 -c {shlex.quote(script)} {GRADER_CONTAINER} {COURSE_ID}")
    assert proc.stdout.strip() != "open", proc.stdout
