"""Secrets come from the environment or from files only their owner can read."""

from __future__ import annotations

import os
import stat


class SecretError(SystemExit):
    """A secret is missing or readable by others; stops start-up."""


def read_secret(path: str, env_var: str, what: str, environ=os.environ) -> str:
    """Return the secret from ``$env_var`` if set, else from ``path`` (must be mode 0600 or stricter)."""
    value = environ.get(env_var, "").strip()
    if value:
        return value
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise SecretError(
            f"{what}: set ${env_var} or create {path} (mode 0600), e.g. "
            f"`openssl rand -hex 32 > {path} && chmod 600 {path}`"
        ) from None
    if stat.S_IMODE(st.st_mode) & 0o077:
        raise SecretError(
            f"{what}: {path} has mode {stat.S_IMODE(st.st_mode):04o}; others could read it. "
            f"Run `chmod 600 {path}` and restart."
        )
    with open(path, encoding="utf-8") as f:
        value = f.read().strip()
    if not value:
        raise SecretError(f"{what}: {path} is empty")
    return value


def write_private(path: str, data: str) -> None:
    """Atomically replace ``path`` with ``data``, mode 0600 from the first byte."""
    directory = os.path.dirname(path) or "."
    tmp = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise
    os.replace(tmp, path)


def append_private(path: str, data: str, header: str = "") -> None:
    """Append to ``path`` (created 0600 with ``header``); tighten its mode if it was looser."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    os.fchmod(fd, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as f:
        if header and os.fstat(f.fileno()).st_size == 0:
            f.write(header)
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
