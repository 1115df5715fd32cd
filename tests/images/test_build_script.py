"""Does tools/build-images.sh fail clearly (non-zero, naming the problem) on bad input?

None of these builds an image: each stops before or at the first build step.
"""
from __future__ import annotations

import os
import subprocess
import uuid

import pytest

from .conftest import REPO

SCRIPT = REPO / "tools" / "build-images.sh"


def build_images(*args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(SCRIPT), *args], capture_output=True, text=True, timeout=300,
                          env={**os.environ, **env}, cwd=REPO)


@pytest.mark.parametrize("args, env, message", [
    (["--bogus"], {}, "unknown option '--bogus'"),
    (["--only", "gradebook"], {}, "--only takes notebook or hub"),
    (["--cpu-wheelhouse", "/nonexistent/wheels"], {}, "is not a folder"),
    (["--cpu-wheelhouse", str(REPO / "images")], {}, "no torch-2.13.0+cpu wheel"),
    ([], {"DOCKER": "/nonexistent/docker"}, "run tools/docker-engine.sh"),
    ([], {"DOCKER": "/bin/false"}, "the Docker engine does not answer"),
])
def test_bad_input_stops_with_a_message(args, env, message):
    """Does a wrong option, a missing wheelhouse or a stopped engine stop the build clearly?"""
    proc = build_images(*args, **env)
    assert proc.returncode != 0, proc.stdout + proc.stderr
    assert message in proc.stderr, proc.stderr


def test_failed_build_names_the_image():
    """When a build fails (here: a base image that does not exist), is the image named?"""
    image = f"glacier-workshop/notebook-test-{uuid.uuid4().hex[:8]}:never"
    proc = build_images("--only", "notebook", "--base", f"workshop-local/missing-{uuid.uuid4().hex[:8]}:x",
                        WORKSHOP_NOTEBOOK_IMAGE=image)
    assert proc.returncode != 0
    assert f"building the notebook image ({image}) failed" in proc.stderr, proc.stderr
    assert subprocess.run(["/usr/bin/docker", "image", "inspect", image], capture_output=True).returncode != 0
