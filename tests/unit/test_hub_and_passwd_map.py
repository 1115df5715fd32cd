"""Is the hub reachable where the containers expect it, and does the grader learn every student's UID?"""

import json
import os
import stat
from types import SimpleNamespace

import pytest
from jupyterhub.app import JupyterHub
from traitlets.config import Config

from workshop_hub.hub import configure_hub
from workshop_hub.passwd_map import (
    configure_passwd_map,
    make_pre_spawn_hook,
    make_user_added_hook,
    passwd_entries,
    passwd_text,
    write_passwd_map,
)
from workshop_hub.secretfiles import SecretError


def test_hub_listens_for_containers_on_workshop_net(settings):
    c = Config()
    configure_hub(c, settings)
    hub = JupyterHub(config=c)
    assert hub.bind_url.rstrip("/") == "http://0.0.0.0:8000"
    assert hub.hub_bind_url == "http://0.0.0.0:8081"
    assert hub.hub_connect_url == "http://workshop-hub:8081"
    assert hub.db_url == "sqlite:////srv/jupyterhub/jupyterhub.sqlite"
    assert hub.cookie_secret_file == "/srv/jupyterhub/jupyterhub_cookie_secret"
    assert hub.cleanup_servers is False
    assert hub.allow_named_servers is False


def test_proxy_is_the_chp_subprocess(settings):
    from jupyterhub.proxy import ConfigurableHTTPProxy

    c = Config()
    configure_hub(c, settings)
    hub = JupyterHub(config=c)
    assert hub.proxy_class is ConfigurableHTTPProxy
    proxy = ConfigurableHTTPProxy(config=c)
    assert proxy.command == ["configurable-http-proxy"] and proxy.should_start


def test_proxy_token_from_a_0600_file(make_settings, tmp_path):
    path = tmp_path / "proxy-auth-token"
    path.write_text("t" * 64)
    os.chmod(path, 0o600)
    c = Config()
    configure_hub(c, make_settings(proxy_auth_token_file=str(path)), environ={})
    assert c.ConfigurableHTTPProxy.auth_token == "t" * 64
    os.chmod(path, 0o644)
    with pytest.raises(SecretError):
        configure_hub(Config(), make_settings(proxy_auth_token_file=str(path)), environ={})


def test_passwd_map_lists_roster_users_with_hub_ids(roster):
    entries = passwd_entries(roster, {"anna.lund": 1, "øyvind": 2, "bob": 3, "not-in-roster": 4})
    assert [(e["name"], e["uid"], e["role"]) for e in entries] == [
        ("anna.lund", 20001, "instructor"), ("øyvind", 20002, "student"), ("bob", 20003, "student")]
    assert passwd_text(entries).splitlines() == [
        "anna.lund:x:20001:20001:Anna Lund:/home/anna.lund:/bin/bash",
        "øyvind:x:20002:20002:Øyvind Berg:/home/øyvind:/bin/bash",
        "bob:x:20003:20003:Bob:/home/bob:/bin/bash",
    ]


def test_passwd_map_skips_users_not_yet_in_the_db(roster):
    assert [e["name"] for e in passwd_entries(roster, {"bob": 9})] == ["bob"]


def test_gecos_cannot_break_the_passwd_format(make_user):
    from workshop_hub.roster import parse_roster

    roster = parse_roster('username,role,name,email\neve,student,"Eve: the, ""hacker""",\n')
    line = passwd_text(passwd_entries(roster, {"eve": 1}))
    assert line.count(":") == 6
    assert line == 'eve:x:20001:20001:Eve  the  "hacker":/home/eve:/bin/bash\n'


def test_write_passwd_map_is_world_readable_and_matches_the_start_script(roster, tmp_path):
    """Would images/notebook/workshop-start accept every line (its regex, UIDs >= 1000)?"""
    import re

    write_passwd_map(roster, {"anna.lund": 1, "øyvind": 2, "bob": 3}, str(tmp_path))
    passwd = tmp_path / "passwd"
    assert stat.S_IMODE(os.stat(passwd).st_mode) == 0o644
    accepted = re.compile(r"^[^:/\s]+:x:[0-9]+:[0-9]+:[^:]*:/[^:]*:/[^:]*$")
    for line in passwd.read_text(encoding="utf-8").splitlines():
        assert accepted.match(line), line
    users = json.loads((tmp_path / "users.json").read_text(encoding="utf-8"))
    assert {u["name"] for u in users} == {"anna.lund", "øyvind", "bob"}


def test_pre_spawn_hook_reads_ids_from_the_hub_db(roster, tmp_path):
    from jupyterhub import orm

    db = orm.new_session_factory("sqlite://")()
    for name in ("anna.lund", "øyvind", "bob", "stranger"):
        db.add(orm.User(name=name))
    db.commit()
    hook = make_pre_spawn_hook(roster, str(tmp_path))
    hook(SimpleNamespace(user=SimpleNamespace(db=db)))
    lines = (tmp_path / "passwd").read_text(encoding="utf-8").splitlines()
    assert [line.split(":")[0] for line in lines] == ["anna.lund", "øyvind", "bob"]
    ids = {u.name: u.id for u in db.query(orm.User)}
    assert lines[1].split(":")[2] == str(20000 + ids["øyvind"])


def test_configure_passwd_map_sets_the_user_added_hook(roster):
    c = Config()
    configure_passwd_map(c, roster)
    assert callable(c.RosterGroups.user_added_hook)


def test_user_added_hook_works_with_orm_users_at_start_up(roster, tmp_path):
    """At start-up JupyterHub hands the authenticator bare orm.User objects."""
    from jupyterhub import orm

    db = orm.new_session_factory("sqlite://")()
    for name in ("bob", "anna.lund"):
        db.add(orm.User(name=name))
    db.commit()
    hook = make_user_added_hook(roster, str(tmp_path))
    hook(db.query(orm.User).filter_by(name="bob").one())
    names = [line.split(":")[0] for line in (tmp_path / "passwd").read_text(encoding="utf-8").splitlines()]
    assert names == ["bob", "anna.lund"]


def test_a_failing_hook_does_not_invalidate_the_user(settings, roster):
    from workshop_hub.auth import RosterPasswordAuthenticator, configure_auth

    c = Config()
    configure_auth(c, settings, roster)

    def broken(user):
        raise OSError("volume full")

    c.RosterGroups.user_added_hook = broken
    auth = RosterPasswordAuthenticator(config=c)
    auth.add_user(SimpleNamespace(name="bob"))  # logs, does not raise
