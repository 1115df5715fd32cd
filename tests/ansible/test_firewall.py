"""Does the firewall the base role renders leave exactly SSH, HTTP and HTTPS open?

The rules are rendered with Ansible (never applied to this machine). Where `nft`, `ip` and root
are available they are also loaded into a network namespace this test creates, and real TCP
connections from a second namespace check which ports get through.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid

import pytest

from .conftest import ANSIBLE_DIR, LOCAL_INVENTORY, REPO, VENV_BIN, ansible_env

OPEN_PORTS = {22, 80, 443}
CLOSED_PORTS = {8000, 8081, 8443, 5432, 2375}


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> str:
    target = tmp_path_factory.mktemp("fw") / "nftables.conf"
    proc = subprocess.run(
        [str(VENV_BIN / "ansible-playbook"), "-i", str(LOCAL_INVENTORY),
         str(REPO / "tests" / "ansible" / "render_firewall.yml"), "-e", f"base_firewall_rules_path={target}"],
        capture_output=True, text=True, env=ansible_env(), cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return target.read_text()


def accepted_ports(text: str) -> dict[str, set[int]]:
    ports: dict[str, set[int]] = {"tcp": set(), "udp": set()}
    for proto, spec in re.findall(r"\b(tcp|udp)\s+dport\s+(\{[^}]*\}|\S+)[^\n]*\baccept\b", text):
        ports[proto] |= {int(p) for p in re.findall(r"\d+", spec)}
    return ports


def test_rendered_rules_open_exactly_ssh_http_https(rules):
    """Are TCP 22, 80, 443 the only ports accepted, with a drop policy for the rest?"""
    assert accepted_ports(rules) == {"tcp": OPEN_PORTS, "udp": set()}, rules
    assert "policy drop" in rules
    # Docker's own tables must survive a reload of these rules.
    assert "flush ruleset" not in rules
    assert "delete table inet workshop" in rules


def test_local_inventory_never_enables_the_firewall():
    """Is the firewall off in the local inventory, so this machine's services stay reachable?"""
    import yaml

    settings = yaml.safe_load((LOCAL_INVENTORY / "group_vars" / "all" / "workshop.yml").read_text())
    assert settings["base_firewall_enabled"] is False


def _can_use_namespaces() -> str | None:
    if os.geteuid() != 0:
        return "needs root"
    for tool in ("nft", "ip"):
        if not shutil.which(tool):
            return f"needs {tool}"
    return None


@pytest.fixture
def namespaces():
    """Two fresh network namespaces joined by a veth pair (10.231.x.0/30, only inside them)."""
    tag = uuid.uuid4().hex[:6]
    server, client = f"wsfw-s-{tag}", f"wsfw-c-{tag}"
    subnet = f"10.231.{int(tag[:2], 16)}"
    cmds = [
        ["ip", "netns", "add", server], ["ip", "netns", "add", client],
        ["ip", "link", "add", f"vs{tag}", "netns", server, "type", "veth", "peer", "name", f"vc{tag}", "netns", client],
        ["ip", "-n", server, "addr", "add", f"{subnet}.1/30", "dev", f"vs{tag}"],
        ["ip", "-n", client, "addr", "add", f"{subnet}.2/30", "dev", f"vc{tag}"],
        ["ip", "-n", server, "link", "set", f"vs{tag}", "up"], ["ip", "-n", client, "link", "set", f"vc{tag}", "up"],
        ["ip", "-n", server, "link", "set", "lo", "up"], ["ip", "-n", client, "link", "set", "lo", "up"],
    ]
    try:
        for cmd in cmds:
            subprocess.run(cmd, check=True, capture_output=True, text=True)
        yield server, client, f"{subnet}.1"
    finally:
        subprocess.run(["ip", "netns", "del", server], capture_output=True)
        subprocess.run(["ip", "netns", "del", client], capture_output=True)


LISTENER = """
import socket, sys, time
socks = []
for port in map(int, sys.argv[1:]):
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("0.0.0.0", port)); s.listen(8); socks.append(s)
print("ready", flush=True)
time.sleep(60)
"""

PROBE = """
import socket, sys
host = sys.argv[1]
for port in map(int, sys.argv[2:]):
    s = socket.socket(); s.settimeout(1.5)
    try:
        s.connect((host, port)); print(port, "open")
    except OSError:
        print(port, "closed")
    finally:
        s.close()
"""


def test_rules_in_a_namespace_let_only_ssh_http_https_through(rules, namespaces, tmp_path):
    """Loaded into a namespace of its own: do only 22, 80 and 443 accept connections from outside?"""
    reason = _can_use_namespaces()
    if reason:
        pytest.skip(f"live check {reason}; the rendered rules were checked above")
    server, client, address = namespaces
    rules_file = tmp_path / "rules.nft"
    rules_file.write_text(rules)
    load = subprocess.run(["ip", "netns", "exec", server, "nft", "-f", str(rules_file)], capture_output=True, text=True)
    assert load.returncode == 0, f"nft rejected the rendered rules:\n{load.stderr}\n{rules}"
    ports = sorted(OPEN_PORTS | CLOSED_PORTS)
    listener = subprocess.Popen(["ip", "netns", "exec", server, sys.executable, "-c", LISTENER, *map(str, ports)],
                                stdout=subprocess.PIPE, text=True)
    try:
        assert listener.stdout.readline().strip() == "ready"
        probe = subprocess.run(["ip", "netns", "exec", client, sys.executable, "-c", PROBE, address, *map(str, ports)],
                               capture_output=True, text=True, timeout=60)
        result = dict(line.split() for line in probe.stdout.splitlines())
        opened = {int(p) for p, state in result.items() if state == "open"}
        assert opened == OPEN_PORTS, f"open from outside: {sorted(opened)}; expected {sorted(OPEN_PORTS)}"
        # The namespace's own loopback still reaches everything.
        inside = subprocess.run(["ip", "netns", "exec", server, sys.executable, "-c", PROBE, "127.0.0.1", "8000"],
                                capture_output=True, text=True, timeout=30)
        assert "8000 open" in inside.stdout
    finally:
        listener.kill()
        listener.wait()
