"""Does the notebook image's start script give each hub user their own unprivileged account?

Containers are started the way DockerSpawner starts them (see conftest.py); the server tests
run the real jupyterhub-singleuser with the environment the hub gives it (a hub that is not
there: the server starts and answers its /api without one).
"""
from __future__ import annotations

import json
import tempfile
import urllib.parse
import uuid
from pathlib import Path

import pytest

from tests.utils import docker_helper as dh

from .conftest import describe, hub_style_args, new_uid, run_hub_style

# Hub user "Ünïcode.Dotted", lowercased by the hub; the hub passes it as NB_USER unchanged.
HUB_NAME = "ünïcode.dotted"
# DockerSpawner's escaping of it (the volume and container name), also a valid account name.
ESCAPED_NAME = "-c3-bcn-c3-afcode-2edotted"


# Stands in for the hub's API: jupyterhub-singleuser asks the hub's version at start and
# exits when no hub answers. Runs in the hub image, on a test network of its own.
FAKE_HUB = r'''
import http.server, json, jupyterhub
class Hub(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"version": jupyterhub.__version__}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("X-JupyterHub-Version", jupyterhub.__version__)
        self.end_headers()
        self.wfile.write(body)
http.server.ThreadingHTTPServer(("0.0.0.0", 8081), Hub).serve_forever()
'''


@pytest.fixture(scope="module")
def fake_hub(session_docker, hub_image) -> dict:
    network = session_docker.network("images-net")
    name = session_docker.name("fake-hub")
    proc = session_docker.run(hub_image, "--network", network, name=name,
                              command=["python", "-c", FAKE_HUB])
    assert proc.returncode == 0, describe(proc)
    return {"network": network, "api_url": f"http://{name}:8081/hub/api"}


def start_server(tracker: dh.TrackedDocker, image: str, hub: dict, role: str, user: str,
                 uid: int, prefix: str, service_url: str) -> dict:
    """Start jupyterhub-singleuser as the hub would and wait until its HEALTHCHECK passes."""
    env = {
        "JUPYTERHUB_API_TOKEN": uuid.uuid4().hex,
        "JUPYTERHUB_API_URL": hub["api_url"],
        "JUPYTERHUB_CLIENT_ID": f"jupyterhub-user-{urllib.parse.quote(user)}",
        "JUPYTERHUB_USER": user,
        "JUPYTERHUB_BASE_URL": "/",
        "JUPYTERHUB_SERVICE_PREFIX": prefix,
        "JUPYTERHUB_SERVICE_URL": service_url,
        "JUPYTERHUB_OAUTH_CALLBACK_URL": f"{prefix}oauth_callback",
    }
    name = tracker.name(f"server-{role}")
    args = hub_style_args(tracker, user, uid, role=role, network=hub["network"], extra_env=env)
    # Poll the image's own HEALTHCHECK often, so "healthy" is the readiness signal.
    proc = tracker.run(image, *args, "--health-interval", "1s", "--health-start-period", "120s",
                       name=name)
    assert proc.returncode == 0, describe(proc)

    def settled():
        state = dh.inspect("container", name)["State"]
        if not state["Running"]:
            return "exited"
        return state.get("Health", {}).get("Status") == "healthy" and "healthy"

    try:
        outcome = dh.wait_for(settled, timeout=120, what=f"{role} server to become healthy")
    except TimeoutError as exc:
        outcome = str(exc)
    assert outcome == "healthy", f"{role} server: {outcome}\n--- container log ---\n{dh.logs(name)}"
    return {"name": name, "uid": uid, "prefix": prefix, "user": user}


@pytest.fixture(scope="module")
def student_server(session_docker, notebook_image, fake_hub):
    """A student whose name needs escaping, as DockerSpawner starts their server."""
    prefix = f"/user/{urllib.parse.quote(HUB_NAME)}/"
    return start_server(session_docker, notebook_image, fake_hub, "student", HUB_NAME, new_uid(),
                        prefix, f"http://0.0.0.0:8888{prefix}")


@pytest.fixture(scope="module")
def grader_server(session_docker, notebook_image, fake_hub):
    """The course's formgrader service, as docs/architecture.md starts workshop-grader-<course>."""
    return start_server(session_docker, notebook_image, fake_hub, "grader", "grader", 19000,
                        "/services/glaciers-ml/", "http://0.0.0.0:8888")


def processes(container: str) -> list[dict]:
    """Every process in the container with its real/effective UIDs and capabilities."""
    script = r'''
import json, os
out = []
for pid in filter(str.isdigit, os.listdir("/proc")):
    try:
        status = dict(line.split(":\t", 1) for line in open(f"/proc/{pid}/status").read().splitlines() if ":\t" in line)
        cmd = open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode().strip()
    except OSError:
        continue
    if pid == str(os.getpid()):
        continue
    out.append({"pid": int(pid), "uids": status["Uid"].split(), "cap_eff": status["CapEff"].strip(),
                "cap_bnd": status["CapBnd"].strip(), "no_new_privs": status["NoNewPrivs"].strip(), "cmd": cmd})
print(json.dumps(out))
'''
    # Run as the server's own user: a root `docker exec` would itself show up as root.
    info = dh.inspect("container", container)
    uid = next(e.split("=", 1)[1] for e in info["Config"]["Env"] if e.startswith("NB_UID="))
    proc = dh.exec_in(container, ["python", "-c", script], user=uid)
    assert proc.returncode == 0, describe(proc)
    return json.loads(proc.stdout)


def http_status(container: str, path: str, user: str | int) -> int:
    script = ("import sys, urllib.request, urllib.error\n"
              "class NoRedirect(urllib.request.HTTPRedirectHandler):\n"
              "    def redirect_request(self, *args): return None\n"
              "opener = urllib.request.build_opener(NoRedirect)\n"
              "try: print(opener.open('http://127.0.0.1:8888' + sys.argv[1], timeout=10).status)\n"
              "except urllib.error.HTTPError as e: print(e.code)\n")
    proc = dh.exec_in(container, ["python", "-c", script, path], user=user)
    assert proc.returncode == 0, describe(proc)
    return int(proc.stdout.strip())


def test_server_process_is_not_root(student_server):
    """Does the single-user server (and everything else in the container) run as NB_UID, not root?"""
    procs = processes(student_server["name"])
    server = [p for p in procs if "jupyterhub-singleuser" in p["cmd"]]
    assert server, f"no jupyterhub-singleuser process in {procs}"
    uid = str(student_server["uid"])
    for proc in procs:
        assert proc["uids"] == [uid] * 4, f"process not running purely as {uid}: {proc}"
        assert proc["cap_eff"] == "0000000000000000" and proc["cap_bnd"] == "0000000000000000", proc
        assert proc["no_new_privs"] == "1", proc


def test_user_inside_is_not_root(tracked_docker, notebook_image):
    """Does a command in a hub-started container run as NB_UID, unable to regain root?"""
    proc, uid = run_hub_style(tracked_docker, notebook_image, [
        "bash", "-c", "id -u; id -g; grep -E '^(CapBnd|NoNewPrivs)' /proc/self/status; "
                      "su -c true root </dev/null 2>/dev/null && echo ROOT-AGAIN || echo su-refused"])
    assert proc.returncode == 0, describe(proc)
    lines = proc.stdout.split()
    assert lines[0] == str(uid) and lines[1] == str(uid), describe(proc)
    assert "0000000000000000" in lines and "ROOT-AGAIN" not in lines, describe(proc)


def test_image_default_user_is_unprivileged(tracked_docker, notebook_image):
    """Without the hub's override, does the image run as an unprivileged user?"""
    assert dh.inspect("image", notebook_image)["Config"]["User"] not in ("", "0", "root", "0:0")
    proc = tracked_docker.run(notebook_image, "--network", "none", detach=False, command=["id", "-u"])
    assert proc.returncode == 0 and proc.stdout.strip() != "0", describe(proc)


@pytest.mark.parametrize("user", [HUB_NAME, "anna.lund", "Anna.Lund", "_" + ESCAPED_NAME, "øyvind",
                                  "staff"])  # "staff" is a Debian group: the user gets group nb-<GID>
def test_name_needing_escaping_gets_account_and_home(tracked_docker, notebook_image, user):
    """Does a hub name with unicode, dots or capitals get its account, home and files?"""
    script = ("import os, pwd, sys\n"
              "me = pwd.getpwuid(os.getuid())\n"
              "print(me.pw_name == sys.argv[1], me.pw_dir == os.environ['HOME'] == os.getcwd() == '/home/' + sys.argv[1])\n"
              "open('notes.txt', 'w').write('hello')\n"
              "print(oct(os.stat(me.pw_dir).st_mode & 0o777), os.stat('notes.txt').st_uid == os.getuid())\n")
    proc, _ = run_hub_style(tracked_docker, notebook_image, ["python", "-c", script, user], user=user)
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.split() == ["True", "True", "0o700", "True"], describe(proc)


def test_home_is_prepared_only_on_first_start(tracked_docker, notebook_image):
    """Is the home volume chowned on the first start only, and kept across restarts?"""
    volume = tracked_docker.volume("home-reuse")
    uid = new_uid()
    first, _ = run_hub_style(tracked_docker, notebook_image, ["bash", "-c", "echo kept > keep.txt"],
                             uid=uid, home_volume=volume)
    second, _ = run_hub_style(tracked_docker, notebook_image, ["cat", "keep.txt"], uid=uid,
                              home_volume=volume)
    assert first.returncode == 0 and "giving /home/" in first.stderr, describe(first)
    assert second.returncode == 0 and second.stdout.strip() == "kept", describe(second)
    assert "giving" not in second.stderr, f"home chowned again on the second start:\n{describe(second)}"


def test_exchange_volume_gets_nbgrader_modes(tracked_docker, notebook_image):
    """Does a fresh exchange volume come up root-owned with mode 1777, as nbgrader expects?"""
    exchange = tracked_docker.volume("exchange")
    uid = new_uid()
    args = hub_style_args(tracked_docker, "anna.lund", uid)
    proc = tracked_docker.run(notebook_image, *args, "--volume", f"{exchange}:/srv/nbgrader/exchange",
                              detach=False, command=["stat", "-c", "%u %a", "/srv/nbgrader/exchange"])
    assert proc.returncode == 0 and proc.stdout.split() == ["0", "1777"], describe(proc)


def test_roster_passwd_map_is_added_safely(tracked_docker, notebook_image):
    """Does the grader learn the roster's names from the passwd map, and only safe entries?"""
    with tempfile.TemporaryDirectory() as folder:
        Path(folder, "passwd").write_text(
            "anna.lund:x:20002:20002:Anna Lund:/home/anna.lund:/bin/bash\n"
            "øyvind:x:20003:20003:Øyvind Å:/home/øyvind:/bin/bash\n"
            "evil:x:0:0::/root:/bin/bash\n"                       # never a second root
            "grader:x:20099:20099::/home/x:/bin/bash\n"  # the container's own name, another UID
            "broken line\n")
        Path(folder).chmod(0o755)
        Path(folder, "passwd").chmod(0o644)
        uid = 19000
        args = hub_style_args(tracked_docker, "grader", uid, role="grader")
        course = tracked_docker.volume("course")
        proc = tracked_docker.run(
            notebook_image, *args, "--volume", f"{folder}:/etc/workshop/passwd:ro",
            "--volume", f"{course}:/srv/course", detach=False,
            command=["bash", "-c", "getent passwd 20002 | cut -d: -f1; getent passwd evil || echo no-evil; "
                                   "getent passwd 20003 | cut -d: -f1; "
                                   "getent passwd 0 | cut -d: -f1; id -un; stat -c %u /srv/course"])
    assert proc.returncode == 0, describe(proc)
    assert proc.stdout.split() == ["anna.lund", "no-evil", "øyvind", "root", "grader", "19000"], \
        describe(proc)


@pytest.mark.parametrize("env, message", [
    ({"NB_UID": "0"}, "NB_UID"),
    ({"NB_UID": "500"}, "NB_UID"),
    ({"NB_USER": "a:b"}, "NB_USER"),
    ({"NB_USER": "../etc"}, "NB_USER"),
    ({"WORKSHOP_ROLE": "admin"}, "WORKSHOP_ROLE"),
    ({"NB_USER": "root"}, "system account"),
    ({"NB_USER": "mail"}, "system account"),
])
def test_bad_start_environment_is_refused(tracked_docker, notebook_image, env, message):
    """Does the start script refuse a bad NB_USER/NB_UID/role with a clear message, starting nothing?"""
    user = env.get("NB_USER", "anna.lund")
    args = ["--user", "root", "--network", "none", "--env", f"NB_USER={user}",
            "--env", f"NB_UID={env.get('NB_UID', '20003')}",
            "--env", f"WORKSHOP_ROLE={env.get('WORKSHOP_ROLE', 'student')}"]
    proc = tracked_docker.run(notebook_image, *args, detach=False, command=["echo", "STARTED"])
    assert proc.returncode != 0 and "STARTED" not in proc.stdout, describe(proc)
    assert "workshop-start: error:" in proc.stderr and message in proc.stderr, describe(proc)


def test_student_server_has_no_formgrader(student_server):
    """Is the formgrader absent from a student's server while the Assignments list is there?"""
    name, prefix, uid = student_server["name"], student_server["prefix"], student_server["uid"]
    assert http_status(name, f"{prefix}api", uid) == 200
    assert http_status(name, f"{prefix}formgrader", uid) == 404
    assert http_status(name, f"{prefix}course_list", uid) == 404  # course-list handler hidden
    assert http_status(name, f"{prefix}assignments", uid) in (302, 403)  # exists, wants hub login


def test_grader_server_has_formgrader(grader_server):
    """Does WORKSHOP_ROLE=grader serve the formgrader from /srv/course?"""
    name, prefix, uid = grader_server["name"], grader_server["prefix"], grader_server["uid"]
    assert http_status(name, f"{prefix}formgrader", uid) in (302, 403)  # exists, wants hub login
    proc = dh.exec_in(name, ["stat", "-c", "%u", "/srv/course"], user=uid)
    assert proc.stdout.split() == [str(uid)], describe(proc)
    assert "Serving notebooks from local directory: /srv/course" in dh.logs(name, tail=1000)


@pytest.mark.parametrize("role, hidden", [
    ("student", True), ("instructor", True), ("grader", False)])
def test_lab_hides_instructor_plugins_by_role(tracked_docker, notebook_image, role, hidden):
    """Are formgrader/create-assignment/course-list hidden in JupyterLab except for the grader?"""
    script = ("import json\n"
              "from jupyterlab_server.config import get_page_config\n"
              "from jupyter_core.paths import jupyter_path\n"
              "pc = get_page_config(jupyter_path('labextensions'), None)\n"
              "print(json.dumps(pc['disabledExtensions']))\n")
    proc, _ = run_hub_style(tracked_docker, notebook_image, ["python", "-c", script], role=role)
    assert proc.returncode == 0, describe(proc)
    disabled = set(json.loads(proc.stdout.strip().splitlines()[-1]))  # what JupyterLab is told
    assert "@jupyterlab/apputils-extension:announcements" in disabled, disabled
    for plugin in ("formgrader", "create-assignment", "course-list"):
        assert (f"@jupyter/nbgrader:{plugin}" in disabled) is hidden, disabled
    assert "@jupyter/nbgrader:assignment-list" not in disabled, "the Assignments panel must stay"
    assert "@jupyter/nbgrader" not in disabled, "the whole nbgrader extension must not be off"


@pytest.mark.parametrize("role", ["student", "grader"])
def test_nbgrader_configuration(tracked_docker, notebook_image, role):
    """Does nbgrader find the exchange, the course id from the hub and, for the grader, the course?"""
    script = ("from nbgrader.apps.nbgraderapp import NbGraderApp\n"
              "app = NbGraderApp(); app.initialize([])\n"
              "print(app.coursedir.course_id, app.config.Exchange.root, app.coursedir.root,"
              " app.coursedir.db_url)\n")
    env = {"NBGRADER_COURSE_ID": "test-course", "NBGRADER_DB_URL": "postgresql://gradebook/test"}
    proc, _ = run_hub_style(tracked_docker, notebook_image, ["python", "-c", script], role=role,
                            user="grader", extra_env=env)
    assert proc.returncode == 0, describe(proc)
    words = proc.stdout.split()[-4:]
    assert words[:2] == ["test-course", "/srv/nbgrader/exchange"], describe(proc)
    if role == "grader":
        assert words[2:] == ["/srv/course", "postgresql://gradebook/test"], describe(proc)
