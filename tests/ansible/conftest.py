"""Helpers for the provisioning tests: run ansible-playbook from .venv-ansible the way ./deploy does.

The full-run tests deploy the real stack under the contract names (workshop-hub, ...), with the
same inventory `./deploy local` uses (plus tests/e2e/deploy-vars.yml when present, so the roster
stays what the e2e suite expects and the hub is not restarted for a roster flip).
"""
from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ANSIBLE_DIR = REPO / "ansible"
VENV_BIN = REPO / ".venv-ansible" / "bin"
LOCAL_INVENTORY = ANSIBLE_DIR / "inventories" / "local"
E2E_VARS = REPO / "tests" / "e2e" / "deploy-vars.yml"
HTTPS_URL = "https://127.0.0.1:8443"
HTTP_URL = "http://127.0.0.1:8080"
# The local inventory's own CA (tls role); clients trust it, not the server certificate itself.
CERT_FILE = "/etc/workshop/tls/local-ca.pem"

RECAP = re.compile(r"^(\S+)\s*:\s*ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


def ansible_env() -> dict[str, str]:
    env = dict(os.environ)
    env["ANSIBLE_CONFIG"] = str(ANSIBLE_DIR / "ansible.cfg")
    env["PATH"] = f"{VENV_BIN}:/usr/bin:{env.get('PATH', '')}"
    env["ANSIBLE_NOCOLOR"] = "1"
    env["ANSIBLE_FORCE_COLOR"] = "0"
    env["PY_COLORS"] = "0"
    return env


def recap(output: str) -> dict[str, int]:
    """The PLAY RECAP counters of the (single) host, e.g. {'ok': 60, 'changed': 0, 'failed': 0}."""
    found = RECAP.findall(output)
    assert found, f"no PLAY RECAP in the output:\n{output[-3000:]}"
    _, ok, changed, unreachable, failed = found[-1]
    return {"ok": int(ok), "changed": int(changed), "unreachable": int(unreachable), "failed": int(failed)}


def changed_tasks(output: str) -> list[str]:
    """Names of the tasks that reported changed (for failure messages)."""
    names, current = [], None
    for line in output.splitlines():
        if line.startswith("TASK [") or line.startswith("RUNNING HANDLER ["):
            current = line.split("[", 1)[1].rsplit("]", 1)[0]
        elif line.startswith("changed:") and current and current not in names:
            names.append(current)
    return names


def run_playbook(*args: str, inventory: Path = LOCAL_INVENTORY, playbook: str = "site.yml",
                 timeout: float = 3600) -> subprocess.CompletedProcess:
    cmd = [str(VENV_BIN / "ansible-playbook"), "-i", str(inventory), str(ANSIBLE_DIR / playbook) if not playbook.startswith("/") else playbook, *args]
    return subprocess.run(cmd, capture_output=True, text=True, env=ansible_env(), timeout=timeout, cwd=REPO)


def deploy_args() -> list[str]:
    return ["-e", f"@{E2E_VARS}"] if E2E_VARS.exists() else []


@pytest.fixture(scope="session", autouse=True)
def ansible_tools():
    """The same venv ./deploy makes (pinned ansible, ansible-lint, yamllint)."""
    proc = subprocess.run([str(REPO / "deploy"), "--install-only"], capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, f"./deploy --install-only failed:\n{proc.stdout}\n{proc.stderr}"
    return VENV_BIN


@pytest.fixture(scope="session")
def deployed(ansible_tools):
    """Run site.yml with the local inventory once (first run of the session); return its output."""
    proc = run_playbook(*deploy_args())
    assert proc.returncode == 0, f"site.yml failed:\n{proc.stdout[-6000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout
