"""Are roles least-privilege, is no service ever admin, and are services wired to the contract?"""

import os
import sys

import pytest
from jupyterhub.scopes import _check_scopes_exist
from traitlets.config import Config

from workshop_hub.roles import IDLE_CULLER_SCOPES, configure_roles, load_roles
from workshop_hub.secretfiles import SecretError
from workshop_hub.services import configure_services, course_service, idle_culler_service

TOKEN = "a" * 64

# Scopes that would make a bearer an admin in all but name.
ADMIN_LIKE = {"admin:users", "admin:servers", "admin:services", "admin:groups", "admin-ui", "tokens",
              "users", "servers", "groups", "proxy", "shutdown", "access:servers", "access:services",
              "inherit", "delete:users", "read:hub"}


def roles_by_name(settings):
    return {r["name"]: r for r in load_roles(settings)}


def test_every_scope_exists_in_jupyterhub(settings):
    for role in load_roles(settings):
        _check_scopes_exist(role.get("scopes", []), who_for=role["name"])


def test_no_role_but_admin_is_admin_like(settings):
    for role in load_roles(settings):
        if role["name"] == "admin":
            continue
        assert "admin" not in role
        assert not ADMIN_LIKE & set(role["scopes"]), role


def test_admin_role_is_exactly_the_settings_admins_and_no_service(make_settings):
    role = roles_by_name(make_settings(admin_users=["Anna.Lund"]))["admin"]
    assert role == {"name": "admin", "users": ["anna.lund"], "services": []}
    assert roles_by_name(make_settings())["admin"] == {"name": "admin", "users": [], "services": []}


def test_services_are_never_admin(settings):
    c = Config()
    configure_services(c, settings, environ={"WORKSHOP_GRADER_API_TOKEN": TOKEN})
    for service in c.JupyterHub.services:
        assert not service.get("admin"), service


def test_idle_culler_has_exactly_the_scopes_its_docs_list(settings):
    role = roles_by_name(settings)["idle-culler"]
    assert sorted(role["scopes"]) == sorted(["list:users", "read:users:activity", "read:servers", "delete:servers"])
    assert role["services"] == ["idle-culler"]
    assert IDLE_CULLER_SCOPES == role["scopes"]


def test_instructors_group_reaches_only_the_course_service(settings):
    role = roles_by_name(settings)["formgrade-glaciers-ml"]
    assert role["groups"] == ["formgrade-glaciers-ml"]
    assert "users" not in role
    assert "access:services!service=glaciers-ml" in role["scopes"]
    assert not any(s.startswith("access:servers") for s in role["scopes"])


def test_course_service_role_is_read_only(settings):
    role = roles_by_name(settings)["grader-glaciers-ml"]
    assert role["services"] == ["glaciers-ml"]
    assert all(s.startswith(("read:", "list:")) for s in role["scopes"])


def test_server_role_keeps_the_defaults_and_adds_only_service_discovery(settings):
    role = roles_by_name(settings)["server"]
    assert {"users:activity!user", "access:servers!server"} <= set(role["scopes"])
    assert set(role["scopes"]) - {"users:activity!user", "access:servers!server"} == {
        "list:services", "read:services!service=glaciers-ml"}


def test_course_id_flows_into_every_name(make_settings):
    settings = make_settings(course_id="glaciers-101")
    names = {r["name"] for r in load_roles(settings)}
    assert {"formgrade-glaciers-101", "grader-glaciers-101"} <= names
    svc = course_service(settings, TOKEN)
    assert svc["name"] == "glaciers-101"
    assert svc["url"] == "http://workshop-grader-glaciers-101:8888"


def test_configure_roles_sets_load_roles(settings):
    c = Config()
    configure_roles(c, settings)
    assert c.JupyterHub.load_roles == load_roles(settings)


def test_idle_culler_is_a_managed_service_with_traitlets_config(make_settings):
    svc = idle_culler_service(make_settings(idle_timeout=1800, idle_cull_every=120))
    assert svc["name"] == "idle-culler"
    assert svc["command"][:3] == [sys.executable, "-m", "jupyterhub_idle_culler"]
    assert "--IdleCuller.timeout=1800" in svc["command"]
    assert "--IdleCuller.cull_every=120" in svc["command"]
    assert "--IdleCuller.cull_users=False" in svc["command"]
    assert "url" not in svc and "admin" not in svc


def test_idle_culler_understands_its_arguments(make_settings):
    from jupyterhub_idle_culler import IdleCuller

    app = IdleCuller()
    app.parse_command_line(idle_culler_service(make_settings(idle_timeout=1800))["command"][3:])
    assert app.timeout == 1800 and app.cull_every == 300 and app.cull_users is False


def test_course_service_is_external_with_oauth_no_confirm(settings):
    svc = course_service(settings, TOKEN)
    assert svc == {
        "name": "glaciers-ml",
        "url": "http://workshop-grader-glaciers-ml:8888",
        "api_token": TOKEN,
        "oauth_no_confirm": True,
        "display": True,
        "timeout": 10,
        "info": svc["info"],
    }
    assert "command" not in svc


def test_grader_token_from_a_0600_file(make_settings, tmp_path):
    path = tmp_path / "grader-api-token"
    path.write_text(TOKEN + "\n")
    os.chmod(path, 0o600)
    c = Config()
    configure_services(c, make_settings(grader_api_token_file=str(path)), environ={})
    assert c.JupyterHub.services[1]["api_token"] == TOKEN


def test_grader_token_file_readable_by_others_stops_start_up(make_settings, tmp_path):
    path = tmp_path / "grader-api-token"
    path.write_text(TOKEN)
    os.chmod(path, 0o640)
    with pytest.raises(SecretError, match="mode 0640"):
        configure_services(Config(), make_settings(grader_api_token_file=str(path)), environ={})


def test_short_grader_token_is_refused(settings):
    with pytest.raises(SecretError, match="shorter than 32"):
        configure_services(Config(), settings, environ={"WORKSHOP_GRADER_API_TOKEN": "short"})


def test_missing_grader_token_says_how_to_make_one(make_settings, tmp_path):
    with pytest.raises(SecretError, match="openssl rand -hex 32"):
        configure_services(Config(), make_settings(grader_api_token_file=str(tmp_path / "x")), environ={})


def test_role_names_are_valid_for_jupyterhub(make_settings):
    from jupyterhub.roles import _validate_role_name

    for course_id in ("glaciers-ml", "2026-glaciers"):
        for role in load_roles(make_settings(course_id=course_id)):
            _validate_role_name(role["name"])


def test_service_specs_use_only_jupyterhub_service_fields(settings):
    from jupyterhub.services.service import Service

    fields = set(Service.class_traits(input=True))
    c = Config()
    configure_services(c, settings, environ={"WORKSHOP_GRADER_API_TOKEN": TOKEN})
    for spec in c.JupyterHub.services:
        assert set(spec) <= fields, set(spec) - fields
