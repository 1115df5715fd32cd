"""Does site.yml bring the workshop up on this machine, and does a second run change nothing?"""
from __future__ import annotations

import stat
from pathlib import Path

from tests.utils import docker_helper as dh

from .conftest import changed_tasks, deploy_args, recap, run_playbook

CONTAINERS = ("workshop-hub", "workshop-proxy", "workshop-gradebook", "workshop-grader-glaciers-ml")


def test_site_brings_up_every_container(deployed):
    """After a run: are the hub, proxy, gradebook and grader running with a restart policy?"""
    for name in CONTAINERS:
        info = dh.inspect("container", name)
        assert info and info["State"]["Running"], f"{name} is not running:\n{dh.logs(name, 60)}"
        assert info["HostConfig"]["RestartPolicy"]["Name"] == "unless-stopped", name
        assert "workshop-net" in info["NetworkSettings"]["Networks"], name


def test_published_ports_bind_loopback_only(deployed):
    """Does every published port of the local deployment bind 127.0.0.1 only?"""
    for name in CONTAINERS:
        ports = dh.inspect("container", name)["HostConfig"]["PortBindings"] or {}
        for bindings in ports.values():
            for binding in bindings:
                assert binding["HostIp"] == "127.0.0.1", f"{name} publishes {binding} beyond loopback"


def test_secrets_are_private_and_stable(deployed):
    """Are the generated secrets 0600 root files in a 0700 folder, kept across runs?"""
    secrets = Path("/etc/workshop/secrets")
    assert stat.S_IMODE(secrets.stat().st_mode) == 0o700
    for name in ("cookie-secret", "proxy-auth-token", "grader-api-token", "gradebook-password"):
        path = secrets / name
        st = path.stat()
        assert stat.S_IMODE(st.st_mode) == 0o600 and st.st_uid == 0, f"{path}: {oct(st.st_mode)}"
        assert len(path.read_text().strip()) == 64


def test_issued_passwords_are_in_a_private_file(deployed):
    """Does the admin get the issued passwords in a 0600 file?"""
    path = Path("/etc/workshop/secrets/issued-passwords.csv")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text().startswith("username,password")


def test_data_is_mounted_read_only_in_the_grader(deployed):
    """Is the glacier data host folder mounted read-only at /srv/data?"""
    mounts = dh.inspect("container", "workshop-grader-glaciers-ml")["Mounts"]
    data = [m for m in mounts if m["Destination"] == "/srv/data"]
    assert data and data[0]["RW"] is False


def test_exchange_root_is_sticky_and_world_writable(deployed):
    """Is the exchange root root-owned 1777 as nbgrader expects?"""
    proc = dh.exec_in("workshop-grader-glaciers-ml", ["stat", "-c", "%u %a", "/srv/nbgrader/exchange"])
    assert proc.stdout.split() == ["0", "1777"], proc.stdout + proc.stderr


def test_second_run_changes_nothing(deployed):
    """Run site.yml again on the deployed machine: is the recap changed=0?"""
    proc = run_playbook(*deploy_args())
    assert proc.returncode == 0, proc.stdout[-5000:] + proc.stderr[-3000:]
    counts = recap(proc.stdout)
    assert counts["changed"] == 0, f"changed tasks on the second run: {changed_tasks(proc.stdout)}"
