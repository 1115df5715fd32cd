"""Does the images role build only what is missing, and say changed only when it built?

Runs the role with a throwaway tag, so the deployed images are never touched; BuildKit's layer
cache makes the rebuild of unchanged Dockerfiles quick. The throwaway tags are removed after.
"""
from __future__ import annotations

import uuid

import pytest

from tests.utils import docker_helper as dh

from .conftest import REPO, changed_tasks, recap, run_playbook

NAMES = ("glacier-workshop/hub", "glacier-workshop/notebook", "glacier-workshop/gradebook", "glacier-workshop/proxy")


@pytest.fixture
def throwaway_tag():
    tag = f"ansible-test-{uuid.uuid4().hex[:8]}"
    yield tag
    for name in NAMES:
        dh.docker("rmi", f"{name}:{tag}", check=False)


def test_images_are_built_once_then_left_alone(throwaway_tag, ansible_tools):
    """First run builds all four images (changed); the second finds them and changes nothing."""
    helper = str(REPO / "tests" / "ansible" / "build_images.yml")
    first = run_playbook("-e", f"workshop_image_tag={throwaway_tag}", playbook=helper)
    assert first.returncode == 0, first.stdout[-5000:] + first.stderr[-2000:]
    assert recap(first.stdout)["changed"] >= 1
    for name in NAMES:
        assert dh.inspect("image", f"{name}:{throwaway_tag}"), f"{name}:{throwaway_tag} was not built"
    second = run_playbook("-e", f"workshop_image_tag={throwaway_tag}", playbook=helper)
    assert second.returncode == 0, second.stdout[-5000:]
    assert recap(second.stdout)["changed"] == 0, changed_tasks(second.stdout)
