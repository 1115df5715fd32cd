"""Map a JupyterHub username to a safe POSIX account name.

Hub names may hold capitals (normalised away), dots, ``@`` and any Unicode
letter (``øyvind``). Account names inside the notebook container must match
Debian's ``useradd`` rule ``^[a-z_][-a-z0-9_]*$`` and stay short. We reuse
DockerSpawner's escaping (the same one that names the user's container and
home volume), so the three names are easy to relate:

    anna.lund   -> anna-2elund      (container workshop-user-anna-2elund)
    øyvind      -> _-c3-b8yvind     (escape starts with '-', so prefix '_')
    2024guest   -> _2024guest       (may not start with a digit)

The escaped form only contains ``[a-z0-9-]``, so the ``_`` we add can never
collide with another user's escaped name. Names longer than
``MAX_LENGTH`` keep a prefix plus ``_`` and 8 hex digits of a SHA-256 of the
hub name; the roster checks that no two users end up with the same account.
"""

import hashlib
import string

from escapism import escape

MAX_LENGTH = 32  # useradd/utmp convention


def docker_escape(username: str) -> str:
    """DockerSpawner 14's default escaping (``DockerSpawner._escape``)."""
    safe_chars = set(string.ascii_lowercase + string.digits)
    return escape(username, safe_chars, escape_char="-").lower()


def unix_name(username: str) -> str:
    name = docker_escape(username)
    if not name or name[0] not in string.ascii_lowercase:
        name = "_" + name
    if len(name) > MAX_LENGTH:
        digest = hashlib.sha256(username.encode("utf-8")).hexdigest()[:8]
        name = name[: MAX_LENGTH - 9] + "_" + digest
    return name
