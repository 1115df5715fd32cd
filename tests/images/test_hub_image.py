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


def pem_blocks(text: str) -> set[str]:
    blocks, current = set(), None
    for line in text.splitlines():
        if line.startswith("-----BEGIN CERTIFICATE"):
            current = []
        elif line.startswith("-----END CERTIFICATE") and current is not None:
            blocks.add("\n".join(current))
            current = None
        elif current is not None:
            current.append(line.strip())
    return blocks


@pytest.mark.parametrize("which", ["hub", "notebook"])
def test_build_ca_never_lands_in_the_image(tracked_docker, hub_image, notebook_image, which):
    """Is the host's CA (mounted as a build secret to reach PyPI) absent from every image file?"""
    image = hub_image if which == "hub" else notebook_image
    host = pem_blocks(open("/etc/ssl/certs/ca-certificates.crt").read())
    proc = tracked_docker.run(image, "--network", "none", detach=False,
                              command=["cat", "/etc/ssl/certs/ca-certificates.crt"])
    assert proc.returncode == 0, describe(proc)
    host_only = host - pem_blocks(proc.stdout)
    if not host_only:
        pytest.skip("the host's CA bundle has no certificate beyond Debian's: nothing to look for")
    # One distinctive line of each host-only certificate, searched in every place a build writes.
    needles = sorted({block.splitlines()[len(block.splitlines()) // 2] for block in host_only})
    args = [arg for needle in needles for arg in ("-e", needle)]
    # As root and past the entrypoint (which would drop to an unprivileged user).
    proc = tracked_docker.run(image, "--network", "none", "--user", "root", "--entrypoint", "grep",
                              detach=False, command=["-rlF", *args, "/etc", "/opt", "/usr/local", "/usr/share/ca-certificates", "/root", "/tmp"])
    assert proc.returncode == 1 and not proc.stdout, f"host CA found in {image}:\n{describe(proc)}"
