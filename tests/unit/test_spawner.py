"""Does each user get their own container with exactly the contracted mounts, UID and GPU?"""

import re

import pytest
from dockerspawner import DockerSpawner
from traitlets.config import Config

import asyncio
from types import SimpleNamespace

from workshop_hub.spawner import (
    CONFIG_LABEL,
    config_fingerprint,
    configure_spawner,
    device_requests,
    make_environment,
    make_pre_spawn_hook,
    remove_if_stale,
    user_uid,
)

from .conftest import IMAGE, fake_user

DOCKER_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]+$")


def spawner_for(settings, roster, name="øyvind", uid=7):
    c = Config()
    configure_spawner(c, settings, roster)
    return DockerSpawner(config=c, user=fake_user(name, uid))


def test_image_is_pinned_and_the_only_one_allowed(settings, roster):
    sp = spawner_for(settings, roster)
    assert sp.image == IMAGE
    assert sp.allowed_images == {IMAGE: IMAGE}
    assert sp.pull_policy == "never"


def test_extra_images_are_allowed_too(make_settings, roster):
    gpu = "glacier-workshop/notebook:2026.11.0-cuda"
    sp = spawner_for(make_settings(extra_images=[gpu]), roster)
    assert set(sp.allowed_images) == {IMAGE, gpu}


def test_mounts_are_exactly_the_contracted_ones(settings, roster):
    sp = spawner_for(settings, roster, name="anna.lund")
    assert sp.volume_binds == {
        "workshop-home-anna-2elund": {"bind": "/home/anna.lund", "mode": "rw"},
        "workshop-exchange": {"bind": "/srv/nbgrader/exchange", "mode": "rw"},
        "/srv/workshop/data": {"bind": "/srv/data", "mode": "ro"},
        "workshop-passwd": {"bind": "/etc/workshop/passwd", "mode": "ro"},
    }
    assert sp.mounts == []
    assert sp.read_only_volumes == {}
    assert not any("docker.sock" in k or "docker.sock" in v["bind"] for k, v in sp.volume_binds.items())


@pytest.mark.parametrize("name", ["øyvind", "anna.lund", "kari@uit.no", "ünïcödé.ñame", "x" * 64, "jean-luc"])
def test_escaped_names_are_valid_docker_names(settings, roster, name):
    """Are the container and home-volume names of unicode/dotted users valid and distinct?"""
    sp = spawner_for(settings, roster, name=name)
    home_volume = next(k for k, v in sp.volume_binds.items() if v["bind"].startswith("/home/"))
    assert DOCKER_NAME.match(sp.object_name), sp.object_name
    assert DOCKER_NAME.match(home_volume), home_volume
    assert sp.volume_binds[home_volume]["bind"] == f"/home/{name}"


def test_names_that_differ_only_in_punctuation_get_different_volumes(settings, roster):
    names = ["anna.lund", "anna-lund", "anna_lund", "annalund", "anna-2elund"]
    volumes = {next(iter(spawner_for(settings, roster, name=n).volume_binds)) for n in names}
    containers = {spawner_for(settings, roster, name=n).object_name for n in names}
    assert len(volumes) == len(containers) == len(names)


def test_container_runs_on_the_workshop_network_as_root_for_the_start_script(settings, roster):
    sp = spawner_for(settings, roster)
    assert sp.network_name == "workshop-net"
    assert sp.use_internal_ip is True
    kwargs = sp.extra_create_kwargs(sp)
    assert kwargs["user"] == "root"
    assert set(kwargs) == {"user", "labels"}
    assert sp.object_name == "workshop-user--c3-b8yvind"


def test_servers_survive_hub_restarts(settings, roster):
    c = Config()
    configure_spawner(c, settings, roster)
    assert c.DockerSpawner.remove is False
    assert c.JupyterHub.cleanup_servers is False
    assert spawner_for(settings, roster).will_resume


def test_limits_and_timeouts_come_from_settings(make_settings, roster):
    sp = spawner_for(make_settings(mem_limit="6G", cpu_limit=1.5, start_timeout=600, http_timeout=90), roster)
    assert sp.mem_limit == 6 * 1024**3
    assert sp.cpu_limit == 1.5
    assert sp.start_timeout == 600
    assert sp.http_timeout == 90


def test_default_start_timeout_allows_a_cold_start(settings, roster):
    assert spawner_for(settings, roster).start_timeout >= 300


def test_environment_names_the_user_their_uid_and_role(settings, roster):
    env = make_environment(settings, roster)
    sp = spawner_for(settings, roster, name="anna.lund", uid=3)
    values = {k: (v(sp) if callable(v) else v) for k, v in env.items()}
    assert values == {
        "NB_USER": "anna.lund",
        "NB_HOME": "/home/anna.lund",
        "NB_UID": "20003",
        "NB_GID": "20003",
        "WORKSHOP_ROLE": "instructor",
        "NBGRADER_COURSE_ID": "glaciers-ml",
        "GLACIER_DATA_DIR": "/srv/data",
    }
    student = spawner_for(settings, roster, name="bob", uid=4)
    assert env["WORKSHOP_ROLE"](student) == "student"
    assert env["NB_UID"](student) == "20004"


def test_uids_are_distinct_and_not_root(make_user):
    uids = {user_uid(make_user(f"u{i}", i)) for i in range(1, 50)}
    assert len(uids) == 49 and min(uids) > 20000


def test_no_gpu_by_default(settings, roster):
    sp = spawner_for(settings, roster)
    assert device_requests(settings, 1) == []
    assert "device_requests" not in sp.extra_host_config(sp)


def test_containers_cannot_regain_privileges(settings, roster):
    sp = spawner_for(settings, roster)
    config = sp.extra_host_config(sp)
    assert config["security_opt"] == ["no-new-privileges"]
    assert {"NET_RAW", "MKNOD", "SYS_CHROOT"} <= set(config["cap_drop"])
    # the start script needs these to create the account and drop to it
    assert not {"CHOWN", "DAC_OVERRIDE", "FOWNER", "SETUID", "SETGID", "SETPCAP"} & set(config["cap_drop"])
    assert config["pids_limit"] > 0
    assert "privileged" not in config


def test_host_config_is_accepted_by_docker_py(make_settings, roster):
    from docker.types import HostConfig

    settings = make_settings(gpu_mode="per-user", gpu_ids=[0])
    sp = spawner_for(settings, roster)
    hc = HostConfig(version="1.41", **sp.extra_host_config(sp))
    assert hc["SecurityOpt"] == ["no-new-privileges"] and hc["PidsLimit"] == 4096


def test_shared_gpu_mode_gives_every_server_all_gpus(make_settings):
    assert device_requests(make_settings(gpu_mode="shared"), 5) == [
        {"driver": "nvidia", "count": -1, "capabilities": [["gpu"]]}
    ]


def test_shared_gpu_mode_with_ids(make_settings):
    assert device_requests(make_settings(gpu_mode="shared", gpu_ids=[0, 2]), 5) == [
        {"driver": "nvidia", "device_ids": ["0", "2"], "capabilities": [["gpu"]]}
    ]


def test_per_user_gpu_mode_is_round_robin_by_user_id(make_settings, roster):
    settings = make_settings(gpu_mode="per-user", gpu_ids=[0, 1, 2])
    picked = [device_requests(settings, uid)[0]["device_ids"] for uid in range(1, 7)]
    assert picked == [["1"], ["2"], ["0"], ["1"], ["2"], ["0"]]
    sp = spawner_for(settings, roster, uid=4)
    assert sp.extra_host_config(sp)["device_requests"] == [
        {"driver": "nvidia", "device_ids": ["1"], "capabilities": [["gpu"]]}
    ]


def test_device_requests_are_accepted_by_docker_py(make_settings):
    """Would docker-py turn our dicts into DeviceRequests for the HostConfig?"""
    from docker.types import HostConfig

    for settings in (make_settings(gpu_mode="shared"), make_settings(gpu_mode="per-user", gpu_ids=["GPU-abc"])):
        hc = HostConfig(version="1.41", device_requests=device_requests(settings, 1))
        assert hc["DeviceRequests"][0]["Driver"] == "nvidia"
        assert hc["DeviceRequests"][0]["Capabilities"] == [["gpu"]]


def container_for(sp, settings, roster, running=False, label=None):
    label = config_fingerprint(sp, settings, roster) if label is None else label
    return {"Id": "c0ffee", "State": {"Running": running}, "Config": {"Labels": {CONFIG_LABEL: label}}}


def with_fake_docker(sp, container):
    removed = []

    async def get_object():
        return container

    async def remove_object():
        removed.append(sp.object_id)

    sp.get_object, sp.remove_object = get_object, remove_object
    return removed


def test_unchanged_stopped_container_is_restarted_as_it_is(settings, roster):
    sp = spawner_for(settings, roster, name="bob", uid=4)
    removed = with_fake_docker(sp, container_for(sp, settings, roster))
    assert asyncio.run(remove_if_stale(sp, settings, roster)) is False
    assert removed == []


@pytest.mark.parametrize(
    "change",
    [
        {"notebook_image": "glacier-workshop/notebook:2026.12.0"},
        {"mem_limit": "8G"},
        {"cpu_limit": 4},
        {"gpu_mode": "shared"},
        {"course_id": "glaciers-101"},
        {"data_host_path": "/srv/other-data"},
    ],
)
def test_stopped_container_is_recreated_when_its_configuration_changed(make_settings, roster, change):
    """After an image upgrade or new limits, does a stopped server come back with them?"""
    old_settings = make_settings()
    sp_old = spawner_for(old_settings, roster, name="bob", uid=4)
    container = container_for(sp_old, old_settings, roster)
    new_settings = make_settings(**change)
    sp = spawner_for(new_settings, roster, name="bob", uid=4)
    removed = with_fake_docker(sp, container)
    assert asyncio.run(remove_if_stale(sp, new_settings, roster)) is True
    assert removed == ["c0ffee"] and sp.object_id == ""


def test_role_change_in_the_roster_recreates_the_container(settings, roster):
    from workshop_hub.roster import parse_roster

    sp_old = spawner_for(settings, roster, name="bob", uid=4)
    container = container_for(sp_old, settings, roster)
    promoted = parse_roster("username,role,name,email\nbob,instructor,Bob,\n")
    sp = spawner_for(settings, promoted, name="bob", uid=4)
    with_fake_docker(sp, container)
    assert asyncio.run(remove_if_stale(sp, settings, promoted)) is True


def test_containers_without_a_fingerprint_are_recreated(settings, roster):
    sp = spawner_for(settings, roster)
    container = {"Id": "old", "State": {"Running": False}, "Config": {"Labels": None}}
    removed = with_fake_docker(sp, container)
    assert asyncio.run(remove_if_stale(sp, settings, roster)) is True
    assert removed == ["old"]


def test_running_containers_are_never_touched(settings, roster):
    sp = spawner_for(settings, roster)
    removed = with_fake_docker(sp, container_for(sp, settings, roster, running=True, label="outdated"))
    assert asyncio.run(remove_if_stale(sp, settings, roster)) is False
    assert removed == []


def test_no_container_yet(settings, roster):
    sp = spawner_for(settings, roster)
    with_fake_docker(sp, None)
    assert asyncio.run(remove_if_stale(sp, settings, roster)) is False


def test_fingerprint_follows_the_chosen_image(make_settings, roster):
    gpu = "glacier-workshop/notebook:2026.11.0-cuda"
    settings = make_settings(extra_images=[gpu])
    sp = spawner_for(settings, roster)
    default = config_fingerprint(sp, settings, roster)
    sp.user_options = {"image": gpu}
    assert config_fingerprint(sp, settings, roster) != default


def test_container_is_labelled_with_its_fingerprint(settings, roster):
    sp = spawner_for(settings, roster, name="bob", uid=4)
    assert sp.extra_create_kwargs(sp)["labels"] == {CONFIG_LABEL: config_fingerprint(sp, settings, roster)}


def test_pre_spawn_hook_writes_the_passwd_map_then_checks_the_container(settings, roster, tmp_path):
    from jupyterhub import orm

    db = orm.new_session_factory("sqlite://")()
    db.add(orm.User(name="bob"))
    db.commit()
    sp = spawner_for(settings, roster, name="bob", uid=1)
    sp.user.db = db
    removed = with_fake_docker(sp, {"Id": "old", "State": {"Running": False}, "Config": {"Labels": {}}})
    asyncio.run(make_pre_spawn_hook(settings, roster, str(tmp_path))(sp))
    assert (tmp_path / "passwd").read_text(encoding="utf-8").startswith("bob:x:20001:")
    assert removed == ["old"]


def test_configure_spawner_sets_the_pre_spawn_hook(settings, roster):
    c = Config()
    configure_spawner(c, settings, roster)
    assert callable(c.Spawner.pre_spawn_hook)
