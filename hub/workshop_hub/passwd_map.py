"""The passwd map: every roster user's container account, for the grader.

The grader container runs ``nbgrader collect``, whose owner check looks up the
UID of each submission with ``pwd.getpwuid``; nbgrader's student id is that
account's name inside the student's container (``NB_USER``, the hub name). The hub is the
only place that knows the UIDs (20000 + hub user id), so it writes them to
the volume ``workshop-passwd`` (mounted at ``/srv/jupyterhub/passwd`` in the
hub and read-only at ``/etc/workshop/passwd`` in user and grader containers):

- ``passwd``: passwd(5) lines ``name:x:UID:GID:full name:/home/name:/bin/bash``
  (GID = UID: user-private groups); the notebook image's start script appends
  them to the container's ``/etc/passwd``;
- ``users.json``: ``[{"name", "uid", "role", "full_name"}]`` for tools.

Only roster users that exist in the hub DB are listed (they get a hub user id
at start-up, when JupyterHub adds ``allowed_users`` to its DB). The map is
rewritten whenever JupyterHub adds a user (``Authenticator.add_user``: every
user at start-up, so it is complete before the grader starts) and before every
spawn.
"""

from __future__ import annotations

import json
import os

from . import names
from .roster import Roster


def _gecos(text: str) -> str:
    return "".join(" " if ch in ":,\n\r" else ch for ch in text).strip()


def passwd_entries(roster: Roster, user_ids: dict[str, int]) -> list[dict]:
    """One entry per roster user with a hub id, sorted by UID."""
    entries = []
    for user in roster.users:
        if user.username not in user_ids:
            continue
        uid = names.UID_BASE + int(user_ids[user.username])
        entries.append(
            {
                "name": user.username,
                "uid": uid,
                "role": user.role,
                "full_name": user.name,
            }
        )
    return sorted(entries, key=lambda e: e["uid"])


def passwd_text(entries: list[dict]) -> str:
    return "".join(
        f"{e['name']}:x:{e['uid']}:{e['uid']}:{_gecos(e['full_name'])}:/home/{e['name']}:/bin/bash\n"
        for e in entries
    )


def _write_public(path: str, data: str) -> None:
    # readable by every container user (names and UIDs are not secret); atomic
    tmp = f"{path}.{os.getpid()}.tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def write_passwd_map(roster: Roster, user_ids: dict[str, int], directory: str | None = None) -> list[dict]:
    directory = directory or names.PASSWD_DIR_IN_HUB
    entries = passwd_entries(roster, user_ids)
    os.makedirs(directory, exist_ok=True)
    _write_public(os.path.join(directory, names.PASSWD_FILE_NAME), passwd_text(entries))
    _write_public(os.path.join(directory, "users.json"), json.dumps(entries, indent=1, ensure_ascii=False) + "\n")
    return entries


def hub_user_ids(db) -> dict[str, int]:
    """name -> id of every user in the hub DB."""
    from jupyterhub import orm

    return {name: uid for name, uid in db.query(orm.User.name, orm.User.id)}


def _session_of(user):
    """The DB session of a JupyterHub User wrapper (``.db``) or of an orm.User."""
    db = getattr(user, "db", None)
    if db is not None:
        return db
    from sqlalchemy.orm import object_session

    return object_session(user)


def make_user_added_hook(roster: Roster, directory: str | None = None):
    """RosterGroups.user_added_hook that rewrites the passwd map."""

    def refresh_passwd_map(user):
        write_passwd_map(roster, hub_user_ids(_session_of(user)), directory)

    return refresh_passwd_map


def make_pre_spawn_hook(roster: Roster, directory: str | None = None):
    """Spawner.pre_spawn_hook that refreshes the passwd map before each server starts."""

    def refresh_passwd_map(spawner):
        write_passwd_map(roster, hub_user_ids(spawner.user.db), directory)

    return refresh_passwd_map


def configure_passwd_map(c, roster: Roster, directory: str | None = None) -> None:
    # the pre-spawn refresh is part of workshop_hub.spawner's pre_spawn_hook
    c.RosterGroups.user_added_hook = make_user_added_hook(roster, directory)
