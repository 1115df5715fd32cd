"""Fixtures for end-to-end tests against the deployed workshop hub.

The hub is deployed before pytest starts, by the same playbook an admin runs
(`tests/run-all` calls `./deploy local` with `tests/e2e/deploy-vars.yml`, whose only
additions are the test roster). Tests reach it the way users do: through the login form
and the proxy. Docker is used only to look at what users cannot see directly (which
UID a server runs as) and to act as a student's terminal inside their own container.
"""
from __future__ import annotations

import csv
import io
import os
import uuid

import pytest

from tests.utils import docker_helper as dh
from tests.utils.hub_client import HubUser

HUB_CONTAINER = os.environ.get("WORKSHOP_HUB_CONTAINER", "workshop-hub")
HUB_URL = os.environ.get("WORKSHOP_HUB_URL", "https://127.0.0.1:8443").rstrip("/")
COURSE_ID = os.environ.get("WORKSHOP_COURSE_ID", "glaciers-ml")
GRADER_CONTAINER = os.environ.get("WORKSHOP_GRADER_CONTAINER", f"workshop-grader-{COURSE_ID}")
PASSWORDS_IN_HUB = "/srv/jupyterhub/issued-passwords.csv"
# The local deployment uses a self-signed certificate: tests verify against exactly that certificate.
TLS_VERIFY: bool | str = os.environ.get("WORKSHOP_CA_FILE", "/etc/workshop/tls/local-ca.pem")


def hub_is_deployed() -> bool:
    info = dh.inspect("container", HUB_CONTAINER)
    return bool(info and info["State"]["Running"])


def issued_passwords() -> dict[str, str]:
    proc = dh.exec_in(HUB_CONTAINER, ["cat", PASSWORDS_IN_HUB])
    assert proc.returncode == 0, f"cannot read issued passwords: {proc.stderr}"
    rows = csv.DictReader(io.StringIO(proc.stdout))
    return {row["username"]: row["password"] for row in rows}


@pytest.fixture(scope="session")
def hub():
    if not hub_is_deployed():
        pytest.fail(
            f"the hub container {HUB_CONTAINER!r} is not running: deploy first with `./deploy local`"
            " (tests/run-all does this)"
        )
    return {"url": HUB_URL, "passwords": issued_passwords()}


@pytest.fixture
def login(hub):
    """Factory: log a roster user in through the real form and return the session."""

    def _login(username: str) -> HubUser:
        user = HubUser(hub["url"], username, hub["passwords"][username.lower()], verify=TLS_VERIFY)
        resp = user.login()
        assert resp.status_code == 302, f"login of {username} answered {resp.status_code}: {resp.text[:500]}"
        return user

    return _login


def user_container(username: str) -> str:
    """The running container of a user's default server (found by its JUPYTERHUB_USER)."""
    proc = dh.docker("ps", "--format", "{{.Names}}")
    for name in proc.stdout.split():
        info = dh.inspect("container", name)
        env = dict(e.split("=", 1) for e in info["Config"]["Env"] if "=" in e)
        if env.get("JUPYTERHUB_USER") == username.lower() and not env.get("JUPYTERHUB_SERVICE_NAME"):
            return name
    raise LookupError(f"no running container for {username}")


def uid_of(username: str) -> int:
    info = dh.inspect("container", user_container(username))
    env = dict(e.split("=", 1) for e in info["Config"]["Env"] if "=" in e)
    return int(env["NB_UID"])


def as_student(username: str, command: str, timeout: float = 120, input: str | None = None):
    """Run a shell command in the user's own container as the user: what their terminal can do."""
    return dh.exec_in(user_container(username), command, user=uid_of(username),
                      env={"HOME": f"/home/{username.lower()}"}, timeout=timeout, input=input)


@pytest.fixture
def unique():
    return uuid.uuid4().hex[:8]
