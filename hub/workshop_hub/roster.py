"""The roster: who may log in, and who is an instructor.

CSV, UTF-8 (a BOM from spreadsheet exports is fine), header row required::

    username,role,name,email
    anna.lund,instructor,Anna Lund,anna.lund@example.org
    øyvind,student,Øyvind Berg,

Columns may come in any order; all four must be present and no others.
Blank rows are skipped. ``name`` and ``email`` may be empty.

Usernames are normalised as JupyterHub's default ``Authenticator.normalize_username``
does (lower-case), so ``Anna.Lund`` in the roster and ``anna.lund`` at the
login form are the same user. Allowed: any Unicode letters and digits, and
punctuation such as ``. _ - @ +``. Invalid (with the reason in the error):

- empty, or longer than 64 characters;
- any whitespace, ``/``, ``\\`` or ``:``, control or invisible characters,
  a leading ``-``, or just ``.``/``..``: the name is also the user's account
  in the container (``/etc/passwd``) and their home folder ``/home/<name>``;
- not in Unicode NFC form (the browser sends NFC; the user could never log in);
- longer than 200 characters once escaped for Docker names (each non-ASCII
  byte takes 3: about 33 letters like ``ø``);
- two rows that normalise to the same name (``Anna`` and ``anna``).

``role`` is ``student`` or ``instructor`` (case-insensitive). A non-empty
``email`` must look like ``local@domain.tld``.

All problems are collected and raised together as ``RosterError`` (a
``SystemExit``), each naming the line number and the field.
"""

from __future__ import annotations

import csv
import io
import re
import string
import unicodedata
from dataclasses import dataclass

from escapism import escape


COLUMNS = ("username", "role", "name", "email")
ROLES = ("student", "instructor")
MAX_USERNAME_LENGTH = 64
# DockerSpawner names the home volume workshop-home-<escaped>; Docker keeps a volume as a
# directory of that name, and file names stop at 255 bytes.
MAX_ESCAPED_LENGTH = 200
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]{2,}$")


class RosterError(SystemExit):
    """Invalid roster; the message lists every error with its line and field."""

    def __init__(self, source: str, errors: list[str]):
        self.errors = list(errors)
        lines = [f"Roster {source} has {len(errors)} error(s); fix them and restart the hub:"]
        lines += [f"  - {e}" for e in errors]
        super().__init__("\n".join(lines))


@dataclass(frozen=True)
class RosterUser:
    username: str  # normalised (lower-case) hub name
    role: str  # student | instructor
    name: str
    email: str
    line: int


@dataclass(frozen=True)
class Roster:
    users: tuple[RosterUser, ...]

    @property
    def usernames(self) -> set[str]:
        return {u.username for u in self.users}

    @property
    def instructors(self) -> set[str]:
        return {u.username for u in self.users if u.role == "instructor"}

    @property
    def students(self) -> set[str]:
        return {u.username for u in self.users if u.role == "student"}

    def get(self, username: str) -> RosterUser | None:
        for u in self.users:
            if u.username == username:
                return u
        return None

    def role_of(self, username: str) -> str | None:
        u = self.get(username)
        return u.role if u else None


def docker_escape(username: str) -> str:
    """DockerSpawner 14's default escaping (``DockerSpawner._escape``), used for its object names."""
    return escape(username, set(string.ascii_lowercase + string.digits), escape_char="-").lower()


def normalize_username(username: str) -> str:
    """What JupyterHub's default Authenticator.normalize_username does."""
    return username.lower()


def username_problem(username: str) -> str | None:
    """Why a (normalised) username is not allowed, or None."""
    if not username:
        return "is empty"
    if len(username) > MAX_USERNAME_LENGTH:
        return f"is longer than {MAX_USERNAME_LENGTH} characters"
    for ch in username:
        if ch.isspace():
            return "contains whitespace"
        if ch in "/\\:":
            return f"contains {ch!r} (not allowed in URLs, paths and /etc/passwd)"
        if unicodedata.category(ch)[0] in ("C", "Z"):
            return f"contains an invisible or control character (U+{ord(ch):04X})"
    if username.startswith("-"):
        return "starts with '-' (it would read as a command-line option)"
    if username in (".", ".."):
        return "is '.' or '..' (not a usable home folder)"
    if unicodedata.normalize("NFC", username) != username:
        return "is not in Unicode NFC form (re-save the file; browsers send NFC, so this user could not log in)"
    escaped = docker_escape(username)
    if len(escaped) > MAX_ESCAPED_LENGTH:
        return (f"is {len(escaped)} characters once escaped for Docker volume names "
                f"(at most {MAX_ESCAPED_LENGTH}); choose a shorter name")
    return None


def parse_roster(text: str, source: str = "roster") -> Roster:
    """Parse and validate roster CSV text. Raises RosterError listing all problems."""
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""))
    errors: list[str] = []
    header = None
    for header in reader:
        if any(cell.strip() for cell in header):
            break
    else:
        raise RosterError(source, ["line 1: the file is empty; expected the header username,role,name,email"])
    header_line = reader.line_num
    columns = [h.strip().lower() for h in header]
    missing = [c for c in COLUMNS if c not in columns]
    unknown = [c for c in columns if c not in COLUMNS]
    for c in missing:
        errors.append(f"line {header_line}, field {c!r}: column is missing from the header (expected {','.join(COLUMNS)})")
    for c in unknown:
        errors.append(f"line {header_line}, field {c!r}: unknown column (expected {','.join(COLUMNS)})")
    dup_columns = {c for c in columns if columns.count(c) > 1 and c in COLUMNS}
    for c in sorted(dup_columns):
        errors.append(f"line {header_line}, field {c!r}: column appears more than once in the header")
    if errors:
        raise RosterError(source, errors)
    index = {c: columns.index(c) for c in COLUMNS}

    users: list[RosterUser] = []
    first_line_of: dict[str, int] = {}
    start = header_line + 1
    for row in reader:
        line = start
        start = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            errors.append(f"line {line}: has {len(row)} fields, the header has {len(columns)}")
            continue
        raw = {c: row[i].strip() for c, i in index.items()}
        row_ok = True

        username = normalize_username(raw["username"])
        problem = username_problem(username)
        if problem:
            errors.append(f"line {line}, field 'username': {raw['username']!r} {problem}")
            row_ok = False
        elif username in first_line_of:
            errors.append(
                f"line {line}, field 'username': {raw['username']!r} duplicates line "
                f"{first_line_of[username]} (names are compared lower-case)"
            )
            row_ok = False
        else:
            first_line_of[username] = line

        role = raw["role"].lower()
        if role not in ROLES:
            errors.append(f"line {line}, field 'role': {raw['role']!r} is not one of {', '.join(ROLES)}")
            row_ok = False

        email = raw["email"]
        if email and not _EMAIL.match(email):
            errors.append(f"line {line}, field 'email': {email!r} is not an e-mail address")
            row_ok = False

        name = raw["name"]
        if any(unicodedata.category(ch) == "Cc" for ch in name):
            errors.append(f"line {line}, field 'name': contains a control character")
            row_ok = False

        if row_ok:
            users.append(RosterUser(username=username, role=role, name=name, email=email, line=line))

    if errors:
        raise RosterError(source, errors)
    if not users:
        raise RosterError(source, [f"line {header_line}: the roster lists no users"])
    return Roster(users=tuple(users))


def load_roster(path: str) -> Roster:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            text = f.read()
    except FileNotFoundError:
        raise RosterError(path, [f"file not found: mount the roster at {path} or set roster_file in the settings"]) from None
    except UnicodeDecodeError as e:
        raise RosterError(path, [f"byte {e.start}: the file is not UTF-8 (save it as 'CSV UTF-8')"]) from None
    return parse_roster(text, source=path)
