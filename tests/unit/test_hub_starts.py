"""Does JupyterHub 6 start with jupyterhub_config.py, and do login, groups and scopes behave?

The one test here that runs a real hub: the repository's jupyterhub_config.py, loaded by
a wrapper that only moves state to a temporary folder, skips the Docker preflight, binds
to 127.0.0.1 and adds a read-only probe service for the assertions. No server is spawned
(that needs Docker: tests/e2e); DOCKER_HOST points nowhere so a stray spawn cannot reach the engine.
"""

import contextlib
import csv
import os
import re
import signal
import socket
import subprocess
import sys
import time

import pytest
import requests

HUB_DIR = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", "hub"))
PROBE_TOKEN = "p" * 48
GRADER_TOKEN = "g" * 64

ROSTER = """username,role,name,email
Anna.Lund,instructor,Anna Lund,anna@example.org
Øyvind,student,Øyvind Berg,
"""

WRAPPER = """
import sys
sys.path.insert(0, {hub_dir!r})
import workshop_hub.names as names
names.HUB_DATA_DIR = {state!r}
names.PASSWD_DIR_IN_HUB = {state!r} + "/passwd"
import workshop_hub.preflight as preflight
preflight.check_docker_host = lambda settings: None  # no Docker in unit tests
preflight.check_hub_volumes = lambda: None  # state in a temporary folder, not in volumes

load_subconfig({config!r})

c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{hub_port}"
c.JupyterHub.hub_connect_url = "http://127.0.0.1:{hub_port}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
# no grader container here: do not wait for it
c.JupyterHub.services = [dict(s, timeout=1) if "url" in s else s for s in c.JupyterHub.services]
c.JupyterHub.services = c.JupyterHub.services + [{{"name": "unit-probe", "api_token": {probe!r}}}]
c.JupyterHub.load_roles = c.JupyterHub.load_roles + [{{
    "name": "unit-probe",
    "scopes": ["list:users", "read:users", "read:groups", "list:services", "read:services", "read:roles"],
    "services": ["unit-probe"],
}}]
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_hub(tmp, roster_text, admin_users=()):
    """Start the hub on 127.0.0.1 with state in tmp/state; stop it on exit."""
    state = tmp / "state"
    state.mkdir(exist_ok=True)
    (tmp / "roster.csv").write_text(roster_text, encoding="utf-8")
    token = tmp / "grader-api-token"
    token.write_text(GRADER_TOKEN)
    os.chmod(token, 0o600)
    (tmp / "workshop.yaml").write_text(
        "notebook_image: glacier-workshop/notebook:2026.11.0\n"
        f"roster_file: {tmp}/roster.csv\n"
        f"grader_api_token_file: {token}\n"
        f"cookie_secret_file: {state}/cookie_secret\n"
        f"admin_users: {list(admin_users)!r}\n",
        encoding="utf-8",
    )
    port, hub_port, api_port = free_port(), free_port(), free_port()
    wrapper = tmp / "wrapper_config.py"
    wrapper.write_text(WRAPPER.format(
        hub_dir=HUB_DIR, state=str(state), config=os.path.join(HUB_DIR, "jupyterhub_config.py"),
        port=port, hub_port=hub_port, api_port=api_port, probe=PROBE_TOKEN,
    ))
    env = dict(os.environ, WORKSHOP_SETTINGS=str(tmp / "workshop.yaml"),
               PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
               # a unit test must never reach the machine's Docker engine, even if a request spawns
               DOCKER_HOST="unix:///nonexistent/workshop-unit-tests/docker.sock")
    env.pop("WORKSHOP_GRADER_API_TOKEN", None)
    log_path = tmp / "hub.log"
    log = open(log_path, "ab")
    proc = subprocess.Popen(
        [os.path.join(os.path.dirname(sys.executable), "jupyterhub"), "-f", str(wrapper)],
        cwd=state, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"hub exited with {proc.returncode}:\n{log_path.read_text()[-6000:]}")
            try:
                if requests.get(f"{url}/hub/health", timeout=2).status_code == 200:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"hub did not answer in 90 s:\n{log_path.read_text()[-6000:]}")
            time.sleep(0.5)
        with open(state / "issued-passwords.csv", newline="", encoding="utf-8") as f:
            passwords = {row["username"]: row["password"] for row in csv.DictReader(f)}
        yield {"url": url, "passwords": passwords, "state": state, "log": log_path}
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    with running_hub(tmp_path_factory.mktemp("hub"), ROSTER) as running:
        yield running


def login(hub, username, password):
    s = requests.Session()
    page = s.get(f"{hub['url']}/hub/login")
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
    r = s.post(f"{hub['url']}/hub/login", data={"username": username, "password": password, "_xsrf": xsrf},
               allow_redirects=False)
    return s, r


def api(hub, path):
    r = requests.get(f"{hub['url']}/hub/api{path}", headers={"Authorization": f"token {PROBE_TOKEN}"})
    assert r.status_code == 200, (path, r.status_code, r.text)
    return r.json()


def test_roster_users_get_issued_passwords(hub):
    assert set(hub["passwords"]) == {"anna.lund", "øyvind"}
    assert oct(os.stat(hub["state"] / "issued-passwords.csv").st_mode & 0o777) == "0o600"
    assert oct(os.stat(hub["state"] / "passwords.json").st_mode & 0o777) == "0o600"


def test_passwd_map_is_complete_right_after_start_up(hub):
    """Is every roster user in the grader's passwd map before anyone spawned a server?"""
    import sqlite3

    lines = (hub["state"] / "passwd" / "passwd").read_text(encoding="utf-8").splitlines()
    with contextlib.closing(sqlite3.connect(hub["state"] / "jupyterhub.sqlite")) as db:
        ids = dict(db.execute("SELECT name, id FROM users"))
    assert {line.split(":")[0]: int(line.split(":")[2]) for line in lines} == {
        name: 20000 + ids[name] for name in ("anna.lund", "øyvind")}


def test_student_logs_in_through_the_form(hub):
    s, r = login(hub, "øyvind", hub["passwords"]["øyvind"])
    assert r.status_code == 302, r.text[:300]
    assert api(hub, "/users/øyvind")["groups"] == ["students"]


def test_wrong_password_and_non_roster_user_are_refused(hub):
    assert login(hub, "øyvind", "not the password")[1].status_code == 403
    assert login(hub, "mallory", hub["passwords"]["øyvind"])[1].status_code == 403
    assert "mallory" not in {u["name"] for u in api(hub, "/users")}


def test_instructor_gets_the_formgrade_group(hub):
    s, r = login(hub, "Anna.Lund", hub["passwords"]["anna.lund"])
    assert r.status_code == 302
    assert api(hub, "/users/anna.lund")["groups"] == ["formgrade-glaciers-ml", "instructors"]


def test_no_service_is_admin(hub):
    services = api(hub, "/services")
    assert {"idle-culler", "glaciers-ml"} <= set(services)
    assert not any(svc.get("admin") for svc in services.values())
    assert services["glaciers-ml"]["roles"] == ["grader-glaciers-ml"]
    assert services["idle-culler"]["roles"] == ["idle-culler"]


def authorize_service(session, hub):
    return session.get(
        f"{hub['url']}/hub/api/oauth2/authorize",
        params={"client_id": "service-glaciers-ml", "response_type": "code",
                "redirect_uri": "/services/glaciers-ml/oauth_callback"},
        allow_redirects=False,
    )


def test_formgrader_service_refuses_students_and_admits_instructors(hub):
    """Does the hub let a student through OAuth to the course service? Does it let an instructor?"""
    student, _ = login(hub, "øyvind", hub["passwords"]["øyvind"])
    assert authorize_service(student, hub).status_code == 403
    instructor, _ = login(hub, "anna.lund", hub["passwords"]["anna.lund"])
    r = authorize_service(instructor, hub)
    assert r.status_code == 302, r.text[:300]
    assert r.headers["Location"].startswith("/services/glaciers-ml/oauth_callback?code=")  # no confirm page


def test_services_menu_opens_the_formgrader_in_its_own_tab_for_instructors_only(hub):
    student, _ = login(hub, "øyvind", hub["passwords"]["øyvind"])
    instructor, _ = login(hub, "anna.lund", hub["passwords"]["anna.lund"])
    assert "/services/glaciers-ml/" not in student.get(f"{hub['url']}/hub/home").text
    home = instructor.get(f"{hub['url']}/hub/home").text
    link = re.search(r'<a class="dropdown-item"\s+href="([^"]+)"\s+target="_blank"', home)
    assert link and link.group(1) == "/services/glaciers-ml/formgrader", home[:2000]


def test_every_page_links_to_the_password_page(hub):
    s, _ = login(hub, "øyvind", hub["passwords"]["øyvind"])
    assert 'href="/hub/workshop/password"' in s.get(f"{hub['url']}/hub/home").text


def test_user_changes_own_password_on_the_hub_page(hub):
    s, _ = login(hub, "øyvind", hub["passwords"]["øyvind"])
    page = s.get(f"{hub['url']}/hub/workshop/password")
    assert page.status_code == 200 and "Change your password" in page.text
    xsrf = re.search(r'name="_xsrf" value="([^"]+)"', page.text).group(1)
    new = "a new long password"
    r = s.post(f"{hub['url']}/hub/workshop/password", data={
        "_xsrf": xsrf, "current_password": hub["passwords"]["øyvind"],
        "new_password": new, "confirm_password": new})
    assert r.status_code == 200 and "Password changed." in r.text
    assert login(hub, "øyvind", new)[1].status_code == 302
    assert login(hub, "øyvind", hub["passwords"]["øyvind"])[1].status_code == 403
    hub["passwords"]["øyvind"] = new


def test_password_page_needs_login(hub):
    r = requests.get(f"{hub['url']}/hub/workshop/password", allow_redirects=False)
    assert r.status_code == 302 and "/hub/login" in r.headers["Location"]


def test_roster_changes_take_effect_at_restart_even_for_live_sessions(tmp_path):
    """After a restart with a new roster and settings: can a removed user still log in or use their
    old session? Does an instructor made student keep the formgrader? An ex-admin their admin rights?"""
    with running_hub(tmp_path, ROSTER, admin_users=["anna.lund"]) as first:
        assert api(first, "/users/anna.lund")["admin"] is True
        password = first["passwords"]["øyvind"]
        removed, r = login(first, "øyvind", password)
        assert r.status_code == 302
        demoted, r = login(first, "anna.lund", first["passwords"]["anna.lund"])
        assert authorize_service(demoted, first).status_code == 302
    new_roster = "username,role,name,email\nanna.lund,student,Anna,\n"
    with running_hub(tmp_path, new_roster) as second:
        assert login(second, "øyvind", password)[1].status_code == 403
        assert "øyvind" in {u["name"] for u in api(second, "/users")}  # still in the DB, just not allowed
        _move_cookies(removed, first, second)
        _move_cookies(demoted, first, second)
        r = removed.get(f"{second['url']}/hub/home", allow_redirects=False)
        assert r.status_code == 302 and "/hub/login" in r.headers["Location"]
        assert demoted.get(f"{second['url']}/hub/home").status_code == 200
        assert api(second, "/users/anna.lund")["groups"] == ["students"]
        assert api(second, "/users/anna.lund")["admin"] is False  # taken off admin_users
        assert authorize_service(demoted, second).status_code == 403


def _move_cookies(session, old, new):
    """Cookies are per host:port in requests; the restarted hub listens on a new port."""
    old_host = old["url"].split("//")[1].split(":")[0]
    jar = [(c.name, c.value, c.path) for c in session.cookies if c.domain.startswith(old_host) or not c.domain]
    session.cookies.clear()
    for name, value, path in jar:
        session.cookies.set(name, value, path=path)
