"""Checks before the hub starts, so a broken host stops start-up with a clear message
instead of a hub that runs but cannot spawn anyone (no half-started state).
"""

from __future__ import annotations

import re

from . import names
from .settings import Settings


class PreflightError(SystemExit):
    """The Docker host is not ready for the hub."""


def _docker_client():
    import docker

    return docker.from_env(timeout=15)


def check_docker_host(settings: Settings, client_factory=_docker_client) -> None:
    """Engine reachable; network, exchange volume and every allowed image present."""
    import docker.errors

    try:
        client = client_factory()
        client.ping()
    except docker.errors.DockerException as e:
        raise PreflightError(
            "The Docker engine is not reachable, so the hub cannot start user servers.\n"
            f"  cause: {e}\n"
            "  fix: start it (tools/docker-engine.sh on a machine without systemd) and mount its socket "
            "into the hub container (-v /var/run/docker.sock:/var/run/docker.sock), then restart the hub."
        ) from None
    problems = []
    try:
        client.networks.get(names.NETWORK)
    except docker.errors.NotFound:
        problems.append(f"network {names.NETWORK!r} is missing: docker network create {names.NETWORK}")
    try:
        client.volumes.get(names.EXCHANGE_VOLUME)
    except docker.errors.NotFound:
        problems.append(
            f"volume {names.EXCHANGE_VOLUME!r} is missing: create it and set its root to mode 1777 "
            "(the provisioning does this)"
        )
    for image in [settings.notebook_image, *settings.extra_images]:
        try:
            client.images.get(image)
        except docker.errors.ImageNotFound:
            problems.append(f"image {image!r} is not on the Docker host: build it with tools/build-images.sh")
    if problems:
        raise PreflightError(
            "The Docker host is not ready for the hub; fix these and restart:\n"
            + "\n".join(f"  - {p}" for p in problems)
        )


def _mount_points(mountinfo: str = "/proc/self/mountinfo") -> set[str]:
    """Mount points of this process. os.path.ismount cannot see a Docker volume mounted
    inside another when both live on the same host filesystem (same st_dev)."""
    points = set()
    with open(mountinfo, encoding="utf-8") as f:
        for line in f:
            fields = line.split()
            if len(fields) > 4:
                # octal escapes for space, tab, newline, backslash
                points.add(re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), fields[4]))
    return points


def _is_mount_point(path: str) -> bool:
    import os

    try:
        return os.path.normpath(path) in _mount_points()
    except OSError:
        return os.path.ismount(path)


def check_hub_volumes(ismount=None) -> None:
    """The hub's state and the passwd map must live in volumes, or a container rebuild loses
    the DB and password hashes, and user containers see an empty passwd map."""
    ismount = ismount or _is_mount_point
    wanted = {
        names.HUB_DATA_DIR: "workshop-hub-data",
        names.PASSWD_DIR_IN_HUB: names.PASSWD_VOLUME,
    }
    missing = [f"-v {volume}:{path}" for path, volume in wanted.items() if not ismount(path)]
    if missing:
        raise PreflightError(
            "The hub container lacks its volumes; recreate it with " + " ".join(missing)
            + " (see hub/README.md)"
        )
