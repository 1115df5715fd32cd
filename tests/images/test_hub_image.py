"""Does the hub image carry what the hub needs, at the same JupyterHub as the notebook image?"""
from __future__ import annotations

import pytest

from tests.utils import docker_helper as dh

from .conftest import describe

VERSION = "import jupyterhub; print(jupyterhub.__version__)"


def jupyterhub_version(tracker: dh.TrackedDocker, image: str) -> str:
    proc = tracker.run(image, "--network", "none", detach=False, command=["python", "-c", VERSION])
    assert proc.returncode == 0, describe(proc)
    return proc.stdout.strip().splitlines()[-1]


def test_jupyterhub_versions_are_equal(tracked_docker, hub_image, notebook_image):
    """Do the hub and the single-user servers run the same JupyterHub version?"""
    hub = jupyterhub_version(tracked_docker, hub_image)
    notebook = jupyterhub_version(tracked_docker, notebook_image)
    assert hub == notebook, f"hub image has JupyterHub {hub}, notebook image {notebook}"


@pytest.mark.parametrize("module", ["dockerspawner", "oauthenticator", "jupyterhub_idle_culler",
                                    "configurable_http_proxy", "psycopg2", "yaml", "workshop_hub"])
def test_hub_image_imports(tracked_docker, hub_image, module):
    """Does the hub image import MODULE (workshop_hub through PYTHONPATH)?"""
    proc = tracked_docker.run(hub_image, "--network", "none", detach=False,
                              command=["python", "-c", f"import {module}"])
    assert proc.returncode == 0, describe(proc)


def test_hub_image_layout(tracked_docker, hub_image):
    """Are the proxy and the config where the CMD and the hub expect them?"""
    info = dh.inspect("image", hub_image)["Config"]
    assert info["Cmd"] == ["jupyterhub", "-f", "/opt/workshop/hub/jupyterhub_config.py"]
    assert info["WorkingDir"] == "/srv/jupyterhub"
    assert info.get("Healthcheck", {}).get("Test"), "the hub image has no HEALTHCHECK"
    proc = tracked_docker.run(hub_image, "--network", "none", detach=False, command=[
        "bash", "-c", "configurable-http-proxy --version && test -f /opt/workshop/hub/jupyterhub_config.py"])
    assert proc.returncode == 0, describe(proc)
