"""Fixtures for the image tests: the two images, and notebook containers started the hub's way.

The hub (hub/workshop_hub/spawner.py) starts a user's container as root with NB_USER,
NB_UID, NB_GID and WORKSHOP_ROLE in the environment and the home volume mounted at
/home/NB_USER; the image's entrypoint (workshop-start) creates the account and drops to it.
These fixtures do the same, with a fresh volume per container and, unless a test needs
otherwise, no network at all. Everything goes through tests/utils/docker_helper.py, which
removes what it created.
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.utils import docker_helper as dh

REPO = Path(__file__).resolve().parents[2]
TAG = (REPO / "images" / "VERSION").read_text().strip()
NOTEBOOK_IMAGE = os.environ.get("WORKSHOP_NOTEBOOK_IMAGE", f"glacier-workshop/notebook:{TAG}")
HUB_IMAGE = os.environ.get("WORKSHOP_HUB_IMAGE", f"glacier-workshop/hub:{TAG}")
BUILD_HINT = ("build it with: tools/build-images.sh --base workshop-local/debian:bookworm "
              "--cpu-wheelhouse /opt/wheels")


def _require_image(image: str) -> str:
    if dh.inspect("image", image) is None:
        pytest.fail(f"image {image} is missing; {BUILD_HINT}")
    return image


@pytest.fixture(scope="session")
def notebook_image() -> str:
    return _require_image(NOTEBOOK_IMAGE)


@pytest.fixture(scope="session")
def hub_image() -> str:
    return _require_image(HUB_IMAGE)


@pytest.fixture(scope="session")
def session_docker():
    tracker = dh.TrackedDocker()
    yield tracker
    tracker.cleanup()


@pytest.fixture
def tracked_docker():
    tracker = dh.TrackedDocker()
    yield tracker
    tracker.cleanup()


def new_uid() -> int:
    """A UID in the hub's range (20000 + hub user id), different for every container."""
    return 20000 + 1000 + uuid.uuid4().int % 50000


def hub_style_args(tracker: dh.TrackedDocker, user: str, uid: int, role: str = "student",
                   network: str = "none", home_volume: str | None = None,
                   extra_env: dict[str, str] | None = None) -> list[str]:
    """docker run options as DockerSpawner uses them: root, the user's env, a home volume.

    As in hub/workshop_hub/spawner.py: NB_USER is the hub name, NB_HOME=/home/<hub name>."""
    volume = home_volume or tracker.volume(f"home-{uuid.uuid4().hex[:6]}")
    args = ["--user", "root", "--network", network,
            "--env", f"NB_USER={user}", "--env", f"NB_UID={uid}", "--env", f"NB_GID={uid}",
            "--env", f"NB_HOME=/home/{user}",
            "--env", f"WORKSHOP_ROLE={role}",
            "--volume", f"{volume}:/home/{user}"]
    for key, value in (extra_env or {}).items():
        args += ["--env", f"{key}={value}"]
    return args


def run_hub_style(tracker: dh.TrackedDocker, image: str, command: list[str], user: str = "anna.lund",
                  uid: int | None = None, timeout: float = 300, **kwargs):
    """Run COMMAND through the image's start script, as the hub starts a container; wait for it."""
    uid = uid or new_uid()
    args = hub_style_args(tracker, user, uid, **kwargs)
    proc = tracker.run(image, *args, detach=False, command=command, timeout=timeout)
    return proc, uid


def describe(proc) -> str:
    """What a person needs when a container command fails."""
    return f"exit {proc.returncode}\n--- stdout ---\n{proc.stdout[-4000:]}\n--- stderr ---\n{proc.stderr[-4000:]}"
