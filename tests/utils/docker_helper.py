"""The one place where tests talk to Docker.

Everything a test creates through :class:`TrackedDocker` is removed again by
:meth:`TrackedDocker.cleanup`, even when the test fails. Calls go through Debian's
``/usr/bin/docker`` CLI (the one with BuildKit), so tests need no Docker SDK.
"""
from __future__ import annotations

import json
import shlex
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable, Iterable

DOCKER = "/usr/bin/docker"


class DockerError(RuntimeError):
    pass


def docker(*args: str, check: bool = True, input: str | None = None, timeout: float = 600) -> subprocess.CompletedProcess:
    """Run a docker CLI command and return the completed process (text mode)."""
    proc = subprocess.run(
        [DOCKER, *args], capture_output=True, text=True, input=input, timeout=timeout
    )
    if check and proc.returncode != 0:
        raise DockerError(
            f"docker {shlex.join(args)} failed with {proc.returncode}:\n{proc.stderr.strip()}"
        )
    return proc


def inspect(kind: str, name: str) -> dict | None:
    proc = docker(kind, "inspect", name, check=False)
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout)[0]


def container_exists(name: str) -> bool:
    return inspect("container", name) is not None


def logs(name: str, tail: int = 200) -> str:
    proc = docker("logs", "--tail", str(tail), name, check=False)
    return proc.stdout + proc.stderr


def exec_in(container: str, command: str | list[str], user: str | int | None = None,
            env: dict[str, str] | None = None, timeout: float = 120,
            input: str | None = None) -> subprocess.CompletedProcess:
    """Run a command in a running container (``bash -c`` when given a string); ``input`` goes to stdin."""
    args = ["exec", "-i"] if input is not None else ["exec"]
    if user is not None:
        args += ["--user", str(user)]
    for key, value in (env or {}).items():
        args += ["--env", f"{key}={value}"]
    cmd = ["bash", "-c", command] if isinstance(command, str) else list(command)
    return docker(*args, container, *cmd, check=False, timeout=timeout, input=input)


def wait_for(predicate: Callable[[], object], timeout: float, interval: float = 0.5,
             what: str = "condition") -> object:
    """Poll ``predicate`` until it returns something truthy; never sleep-then-assert."""
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            value = predicate()
            if value:
                return value
        except Exception as exc:  # noqa: BLE001 - reported if the deadline passes
            last_error = exc
        time.sleep(interval)
    raise TimeoutError(f"timed out after {timeout:.0f}s waiting for {what}; last error: {last_error!r}")


@dataclass
class TrackedDocker:
    """Creates containers and volumes with a unique prefix and removes them afterwards."""

    prefix: str = field(default_factory=lambda: f"t{uuid.uuid4().hex[:8]}")
    containers: list[str] = field(default_factory=list)
    volumes: list[str] = field(default_factory=list)
    networks: list[str] = field(default_factory=list)

    def name(self, suffix: str) -> str:
        return f"{self.prefix}-{suffix}"

    def volume(self, suffix: str) -> str:
        name = self.name(suffix)
        docker("volume", "create", name)
        self.volumes.append(name)
        return name

    def network(self, suffix: str) -> str:
        name = self.name(suffix)
        docker("network", "create", name)
        self.networks.append(name)
        return name

    def run(self, image: str, *args: str, name: str | None = None, detach: bool = True,
            command: Iterable[str] = (), timeout: float = 600) -> subprocess.CompletedProcess:
        """``docker run`` tracked for cleanup; ``args`` are docker options."""
        cname = name or self.name(uuid.uuid4().hex[:6])
        self.containers.append(cname)
        flags = ["-d"] if detach else []
        return docker("run", *flags, "--name", cname, *args, image, *command, check=False, timeout=timeout)

    def track_container(self, name: str) -> None:
        self.containers.append(name)

    def track_volume(self, name: str) -> None:
        self.volumes.append(name)

    def cleanup(self) -> None:
        for name in reversed(self.containers):
            docker("rm", "-f", "-v", name, check=False)
        for name in self.volumes:
            docker("volume", "rm", "-f", name, check=False)
        for name in self.networks:
            docker("network", "rm", name, check=False)
