"""DockerSpawner: one container per user on workshop-net, nothing mounted beyond the contract.

Each user container gets exactly these mounts (no Docker socket, no other host path):

======================================  ==============================  ====
source                                  target                          mode
======================================  ==============================  ====
volume ``workshop-home-{username}``     ``/home/{hub name}``            rw
volume ``workshop-exchange``            ``/srv/nbgrader/exchange``      rw
host ``settings.data_host_path``        ``/srv/data``                   ro
volume ``workshop-passwd``              ``/etc/workshop/passwd``        ro
======================================  ==============================  ====

``{username}`` is DockerSpawner's escaped name, safe for Docker object names
(``anna.lund`` -> ``anna-2elund``, ``øyvind`` -> ``-c3-b8yvind``; the volume and
container names carry a prefix, so a leading ``-`` is fine). The home path and
the account use the hub name itself (``/home/øyvind``): the notebook image's
start script (``images/notebook/workshop-start``) writes the account straight
into ``/etc/passwd``, which takes any name without ``:``, ``/``, whitespace or a
leading ``-`` (the roster refuses those). It runs as root, creates ``NB_USER``
with ``NB_UID`` (20000 + hub user id) and drops privileges with setpriv;
nbgrader's student id is that account name, i.e. the hub name.
"""

from __future__ import annotations

import hashlib
import json

from . import names, passwd_map
from .roster import Roster
from .settings import Settings

SPAWNER_CLASS = "dockerspawner.DockerSpawner"


def user_uid(user) -> int:
    """Stable per-user UID: 20000 + the hub's user id."""
    return names.UID_BASE + int(user.id)


def user_volumes(settings: Settings) -> dict:
    return {
        names.HOME_VOLUME_TEMPLATE: {"bind": names.HOME_DIR_TEMPLATE, "mode": "rw"},
        names.EXCHANGE_VOLUME: {"bind": names.EXCHANGE_DIR, "mode": "rw"},
        settings.data_host_path: {"bind": names.DATA_DIR_IN_USER, "mode": "ro"},
        names.PASSWD_VOLUME: {"bind": names.PASSWD_DIR_IN_USER, "mode": "ro"},
    }


def device_requests(settings: Settings, user_id: int) -> list[dict]:
    """``device_requests`` for docker's HostConfig (docker.types.DeviceRequest fields)."""
    if settings.gpu_mode == "none":
        return []
    if settings.gpu_mode == "shared":
        if settings.gpu_ids:
            return [{"driver": "nvidia", "device_ids": list(settings.gpu_ids), "capabilities": [["gpu"]]}]
        return [{"driver": "nvidia", "count": -1, "capabilities": [["gpu"]]}]
    # per-user: round-robin over gpu_ids by hub user id (stable across restarts)
    gpu = settings.gpu_ids[int(user_id) % len(settings.gpu_ids)]
    return [{"driver": "nvidia", "device_ids": [str(gpu)], "capabilities": [["gpu"]]}]


# Defence in depth around the start script, which needs root only to create the account,
# chown the home and drop to the user with setpriv (CHOWN, DAC_OVERRIDE, FOWNER, SETUID,
# SETGID, SETPCAP stay). Checked with the notebook image: the server then runs with no
# capabilities and NoNewPrivs=1.
HARDENING = {
    "security_opt": ["no-new-privileges"],
    "cap_drop": ["NET_RAW", "MKNOD", "AUDIT_WRITE", "SYS_CHROOT", "SETFCAP", "NET_BIND_SERVICE"],
    # a fork bomb stops at its own container (threads count too: torch and BLAS use many)
    "pids_limit": 4096,
}


def make_extra_host_config(settings: Settings):
    """Callable for DockerSpawner.extra_host_config (evaluated per spawn)."""

    def extra_host_config(spawner) -> dict:
        config = {key: list(value) if isinstance(value, list) else value for key, value in HARDENING.items()}
        requests = device_requests(settings, spawner.user.id)
        if requests:
            config["device_requests"] = requests
        return config

    return extra_host_config


def make_environment(settings: Settings, roster: Roster) -> dict:
    """Spawner.environment: values that are callables get the spawner at spawn time."""
    return {
        "NB_USER": lambda spawner: spawner.user.name,
        "NB_HOME": lambda spawner: f"/home/{spawner.user.name}",
        "NB_UID": lambda spawner: str(user_uid(spawner.user)),
        # user-private group: another student's files are never group-readable to you
        "NB_GID": lambda spawner: str(user_uid(spawner.user)),
        "WORKSHOP_ROLE": lambda spawner: roster.role_of(spawner.user.name) or "student",
        "NBGRADER_COURSE_ID": settings.course_id,
        "GLACIER_DATA_DIR": names.DATA_DIR_IN_USER,
    }


# A stopped container is kept (remove=False) and DockerSpawner restarts it as it was:
# with the image, environment, mounts and limits it was created with. We label each
# container with a fingerprint of what it should be now; before a start, a stopped
# container whose fingerprint differs (new image tag, role changed in the roster, new
# limits or GPU) is removed and created afresh. Homes are volumes: nothing is lost.
CONFIG_LABEL = "org.glacier-workshop.config"


def config_fingerprint(spawner, settings: Settings, roster: Roster) -> str:
    image = spawner.user_options.get("image") or spawner.image
    environment = {
        key: (value(spawner) if callable(value) else value)
        for key, value in make_environment(settings, roster).items()
    }
    wanted = {
        "image": image,
        "environment": environment,
        "binds": spawner.volume_binds,
        "mem_limit": settings.mem_limit,
        "cpu_limit": settings.cpu_limit,
        "host_config": make_extra_host_config(settings)(spawner),
        "network": names.NETWORK,
    }
    text = json.dumps(wanted, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def make_extra_create_kwargs(settings: Settings, roster: Roster):
    """Callable for DockerSpawner.extra_create_kwargs: start as root, carry the fingerprint."""

    def extra_create_kwargs(spawner) -> dict:
        # root so the start script can create NB_USER/NB_UID and drop privileges (setpriv)
        return {"user": "root", "labels": {CONFIG_LABEL: config_fingerprint(spawner, settings, roster)}}

    return extra_create_kwargs


async def remove_if_stale(spawner, settings: Settings, roster: Roster) -> bool:
    """Remove the user's stopped container if it no longer matches the configuration."""
    container = await spawner.get_object()
    if not container or container.get("State", {}).get("Running"):
        return False
    labels = (container.get("Config") or {}).get("Labels") or {}
    if labels.get(CONFIG_LABEL) == config_fingerprint(spawner, settings, roster):
        return False
    spawner.log.info(
        "Configuration of %s changed since it was created; recreating it (the home volume stays)",
        spawner.object_name,
    )
    spawner.object_id = container["Id"]
    await spawner.remove_object()
    spawner.object_id = ""
    return True


def make_pre_spawn_hook(settings: Settings, roster: Roster, passwd_dir: str | None = None):
    """Spawner.pre_spawn_hook: refresh the grader's passwd map, drop a stale stopped container."""
    refresh_passwd_map = passwd_map.make_pre_spawn_hook(roster, passwd_dir)

    async def pre_spawn(spawner):
        refresh_passwd_map(spawner)
        await remove_if_stale(spawner, settings, roster)

    return pre_spawn


def configure_spawner(c, settings: Settings, roster: Roster) -> None:
    c.JupyterHub.spawner_class = SPAWNER_CLASS
    ds = c.DockerSpawner
    ds.image = settings.notebook_image
    ds.allowed_images = [settings.notebook_image, *settings.extra_images]
    # images are built on the host; there is no registry to pull from
    ds.pull_policy = "never"
    ds.network_name = names.NETWORK
    ds.use_internal_ip = True
    ds.name_template = names.USER_CONTAINER_TEMPLATE
    ds.volumes = user_volumes(settings)
    ds.mem_limit = settings.mem_limit
    ds.cpu_limit = settings.cpu_limit
    ds.extra_host_config = make_extra_host_config(settings)
    ds.extra_create_kwargs = make_extra_create_kwargs(settings, roster)
    ds.environment = make_environment(settings, roster)
    # keep stopped containers (recreated only when their configuration changed, see above);
    # running servers survive hub restarts through cleanup_servers=False
    ds.remove = False
    ds.start_timeout = settings.start_timeout
    ds.http_timeout = settings.http_timeout
    ds.debug = False
    c.Spawner.pre_spawn_hook = make_pre_spawn_hook(settings, roster)
    c.Spawner.default_url = "/lab"
    c.JupyterHub.cleanup_servers = False
