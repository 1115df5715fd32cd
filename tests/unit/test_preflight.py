"""Does a Docker host that is not ready stop the hub with a message saying what to do?"""

import docker.errors
import pytest

from workshop_hub.preflight import PreflightError, check_docker_host, check_hub_volumes


class FakeCollection:
    def __init__(self, present, not_found=docker.errors.NotFound):
        self.present, self.not_found = set(present), not_found

    def get(self, name):
        if name not in self.present:
            raise self.not_found(f"{name} not found")
        return name


class FakeDocker:
    def __init__(self, networks=("workshop-net",), volumes=("workshop-exchange",), images=()):
        self.networks = FakeCollection(networks)
        self.volumes = FakeCollection(volumes)
        self.images = FakeCollection(images, docker.errors.ImageNotFound)

    def ping(self):
        return True


def test_ready_host_passes(settings):
    check_docker_host(settings, lambda: FakeDocker(images=[settings.notebook_image]))


def test_engine_down_says_how_to_start_it(settings):
    def unreachable():
        raise docker.errors.DockerException("Error while fetching server API version: Connection refused")

    with pytest.raises(PreflightError) as e:
        check_docker_host(settings, unreachable)
    msg = str(e.value)
    assert "Docker engine is not reachable" in msg
    assert "Connection refused" in msg
    assert "docker.sock" in msg


def test_missing_image_network_and_exchange_are_all_listed(make_settings):
    settings = make_settings(extra_images=["glacier-workshop/notebook:2026.11.0-cuda"])
    with pytest.raises(PreflightError) as e:
        check_docker_host(settings, lambda: FakeDocker(networks=(), volumes=(), images=[settings.notebook_image]))
    msg = str(e.value)
    assert "docker network create workshop-net" in msg
    assert "workshop-exchange" in msg and "1777" in msg
    assert "glacier-workshop/notebook:2026.11.0-cuda" in msg and "tools/build-images.sh" in msg
    assert f"{settings.notebook_image!r} is not" not in msg


def test_preflight_error_stops_start_up():
    assert issubclass(PreflightError, SystemExit)


def test_hub_state_outside_volumes_stops_start_up():
    with pytest.raises(PreflightError) as e:
        check_hub_volumes(ismount=lambda path: path == "/srv/jupyterhub")
    assert "-v workshop-passwd:/srv/jupyterhub/passwd" in str(e.value)
    assert "workshop-hub-data" not in str(e.value)
    check_hub_volumes(ismount=lambda path: True)


def test_mount_points_are_read_from_mountinfo(tmp_path):
    """Volumes nested on the same filesystem (same st_dev) are still seen as mounts."""
    from workshop_hub.preflight import _mount_points

    info = tmp_path / "mountinfo"
    info.write_text(
        "22 1 0:21 / / rw shared:1 - overlay overlay rw\n"
        "80 22 8:1 /var/lib/docker/volumes/hubdata/_data /srv/jupyterhub rw - ext4 /dev/sda1 rw\n"
        "81 80 8:1 /var/lib/docker/volumes/pw/_data /srv/jupyterhub/passwd rw - ext4 /dev/sda1 rw\n"
        "82 22 8:1 /x /srv/with\\040space rw - ext4 /dev/sda1 rw\n"
    )
    assert {"/srv/jupyterhub", "/srv/jupyterhub/passwd", "/srv/with space"} <= _mount_points(str(info))


def test_this_processes_root_is_a_mount_point():
    from workshop_hub.preflight import _is_mount_point

    assert _is_mount_point("/")
