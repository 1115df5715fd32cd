"""Salted scrypt password hashes in a 0600 JSON file, and issuing passwords to the roster.

File ``/srv/jupyterhub/passwords.json`` (volume workshop-hub-data)::

    {"version": 1, "users": {"anna.lund": "scrypt$16384$8$1$<salt>$<hash>"}}

At start-up every roster user without a hash gets a random password; its hash
goes into the JSON file and the cleartext is appended once to
``/srv/jupyterhub/issued-passwords.csv`` (mode 0600) for the admin to hand
out. Cleartext is never stored anywhere else. Delete that CSV after handing
the passwords out; users can change theirs at ``/hub/workshop/password``.
"""

from __future__ import annotations

import base64
import datetime
import hashlib
import hmac
import json
import os
import secrets
import threading

from .secretfiles import append_private, write_private

HASH_FILE_NAME = "passwords.json"
ISSUED_FILE_NAME = "issued-passwords.csv"
ISSUED_HEADER = "username,password,issued_at\n"

# scrypt cost: ~16 MiB and some tens of ms per check on this class of machine.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
# No 0/O, 1/l/I: passwords are read off paper.
ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ISSUED_LENGTH = 14  # ~81 bits

_lock = threading.Lock()


def hash_password(password: str, *, n: int = SCRYPT_N, r: int = SCRYPT_R, p: int = SCRYPT_P) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=32)
    b64 = lambda b: base64.b64encode(b).decode("ascii")  # noqa: E731
    return f"scrypt${n}${r}${p}${b64(salt)}${b64(digest)}"


def verify_password(password: str, encoded: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = encoded.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        actual = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r), p=int(p),
            dklen=len(expected),
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


# A hash to check against when the user has none, so a wrong name costs the same time.
_DUMMY_HASH = None


def dummy_hash() -> str:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = hash_password(secrets.token_hex(8))
    return _DUMMY_HASH


def generate_password(length: int = ISSUED_LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


class PasswordStore:
    """The JSON hash file. Reads fresh on every call; writes atomically with mode 0600."""

    def __init__(self, path: str):
        self.path = path

    def load(self) -> dict[str, str]:
        try:
            with open(self.path, encoding="utf-8") as f:
                data = json.load(f)
        except FileNotFoundError:
            return {}
        return dict(data.get("users", {}))

    def save(self, users: dict[str, str]) -> None:
        write_private(self.path, json.dumps({"version": 1, "users": users}, indent=1, sort_keys=True) + "\n")

    def get(self, username: str) -> str | None:
        return self.load().get(username)

    def set_password(self, username: str, password: str) -> None:
        encoded = hash_password(password)
        with _lock:
            users = self.load()
            users[username] = encoded
            self.save(users)


def issue_missing_passwords(usernames, hash_file: str, issued_file: str, now=None) -> list[str]:
    """Give every user in ``usernames`` without a hash a fresh random password.

    Returns the names that were issued a password (sorted). The cleartext goes
    only to ``issued_file`` (appended, mode 0600).
    """
    store = PasswordStore(hash_file)
    with _lock:
        users = store.load()
        missing = sorted(set(usernames) - set(users))
        if not missing:
            if os.path.exists(hash_file):
                os.chmod(hash_file, 0o600)
            return []
        stamp = (now or datetime.datetime.now(datetime.timezone.utc)).strftime("%Y-%m-%dT%H:%M:%SZ")
        issued = {name: generate_password() for name in missing}
        for name, password in issued.items():
            users[name] = hash_password(password)
        # Cleartext first: if the hash write then fails, a rerun issues new ones and
        # the admin sees both lines; the reverse order could lose a password.
        rows = "".join(f"{_csv_cell(name)},{password},{stamp}\n" for name, password in issued.items())
        append_private(issued_file, rows, header=ISSUED_HEADER)
        store.save(users)
    return missing


def _csv_cell(value: str) -> str:
    if any(c in value for c in ',"\n'):
        return '"' + value.replace('"', '""') + '"'
    return value
