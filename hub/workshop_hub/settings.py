"""The hub's settings file: load, validate, document.

One YAML mapping, flat keys, read from ``/etc/workshop/workshop.yaml`` or the
path in ``$WORKSHOP_SETTINGS``. Every key is declared once below (type,
default, help); ``python -m workshop_hub.settings`` prints them as a table.

Start-up stops (``SettingsError`` is a ``SystemExit``) when a key is unknown
(the message names the closest valid key), a required key is missing, or a
value has the wrong type; all problems are reported at once.

Secrets never live in this file: it names 0600 files (or the environment
variables that replace them), see ``workshop_hub.secretfiles``.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
import re
import sys
from dataclasses import dataclass, field
from typing import Any

from . import names


class SettingsError(SystemExit):
    """Bad settings file; stops the hub with a message naming each key."""


REQUIRED = object()


def _setting(default: Any, help: str, check):
    meta = {"help": help, "check": check, "required": default is REQUIRED, "default": default}
    if isinstance(default, list):
        return field(default_factory=lambda: list(default), metadata=meta)
    return field(default=None if default is REQUIRED else default, metadata=meta)


# --- value checks: each returns an error text or None --------------------------

_COURSE_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,38}[a-z0-9]$")
_MEM = re.compile(r"^[0-9]+(\.[0-9]+)?[KMGT]?$")


def _course_id(v):
    if not isinstance(v, str) or not _COURSE_ID.match(v):
        return ("must be 2-40 characters of a-z, 0-9 and '-' (it names a container, "
                "a service URL and the nbgrader course)")


def _pinned_image(v):
    if not isinstance(v, str) or not v:
        return "must be an image name with a tag, e.g. glacier-workshop/notebook:2026.11.0"
    last = v.rsplit("/", 1)[-1]
    if "@sha256:" in v:
        return None
    if ":" not in last:
        return f"{v!r} has no tag; pin it, e.g. {v}:2026.11.0"
    if last.endswith(":latest"):
        return f"{v!r} uses ':latest'; pin a version tag"


def _image_list(v):
    if not isinstance(v, list):
        return "must be a list of image names"
    for item in v:
        err = _pinned_image(item)
        if err:
            return err


def _str(v):
    if not isinstance(v, str) or not v:
        return "must be a non-empty string"


def _opt_str(v):
    if not isinstance(v, str):
        return "must be a string ('' for unset)"


def _abs_path(v):
    if not isinstance(v, str) or not v.startswith("/"):
        return "must be an absolute path"
    if "{" in v or "}" in v or ":" in v:
        return "must not contain '{', '}' or ':'"


def _opt_abs_path(v):
    if v == "":
        return None
    return _abs_path(v)


def _str_list(v):
    if not isinstance(v, list) or not all(isinstance(x, str) and x for x in v):
        return "must be a list of non-empty strings"


def _one_of(*choices):
    def check(v):
        if v not in choices:
            return "must be one of " + ", ".join(repr(c) for c in choices)

    return check


def _mem(v):
    if not isinstance(v, str) or not _MEM.match(v):
        return "must be a size such as '4G' or '512M'"


def _positive_number(v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0:
        return "must be a positive number"


def _positive_int(v):
    if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
        return "must be a positive integer"


def _gpu_ids(v):
    if not isinstance(v, list) or not all(
        isinstance(x, (str, int)) and not isinstance(x, bool) and str(x) for x in v
    ):
        return "must be a list of GPU indices or UUIDs, e.g. [0, 1] or ['GPU-3a5b...']"


def _url(v):
    if not isinstance(v, str) or not re.match(r"^https?://[^\s]+$", v):
        return "must be an http(s) URL"


def _opt_url(v):
    if v == "":
        return None
    return _url(v)


# --- the settings ---------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    """All hub settings. Field order is the order of the documentation."""

    course_id: str = _setting(
        "glaciers-ml",
        "nbgrader course id; names the course service, the group formgrade-<course_id> "
        "and the grader container workshop-grader-<course_id>.",
        _course_id,
    )
    roster_file: str = _setting(
        "/etc/workshop/roster.csv",
        "CSV roster (username,role,name,email); decides who may log in and who is an instructor.",
        _abs_path,
    )
    admin_users: list = _setting(
        [],
        "Roster usernames that get the hub's admin role (admin page, all servers). "
        "Keep this short; instructors do not need it.",
        _str_list,
    )
    auth_mode: str = _setting(
        "password",
        "'password': roster users log in with issued passwords (hashes in "
        "/srv/jupyterhub); 'github': GitHub OAuth; 'oidc': any OpenID Connect provider "
        "(e.g. Feide). In every mode only roster users may log in.",
        _one_of("password", "github", "oidc"),
    )
    oauth_callback_url: str = _setting(
        "",
        "github/oidc: the hub's public callback, e.g. https://hub.example.org/hub/oauth_callback.",
        _opt_url,
    )
    oauth_client_id_file: str = _setting(
        "/etc/workshop/secrets/oauth-client-id",
        "github/oidc: file (mode 0600) with the OAuth client id; env WORKSHOP_OAUTH_CLIENT_ID wins.",
        _abs_path,
    )
    oauth_client_secret_file: str = _setting(
        "/etc/workshop/secrets/oauth-client-secret",
        "github/oidc: file (mode 0600) with the OAuth client secret; env "
        "WORKSHOP_OAUTH_CLIENT_SECRET wins.",
        _abs_path,
    )
    oidc_authorize_url: str = _setting("", "oidc: the provider's authorization endpoint.", _opt_url)
    oidc_token_url: str = _setting("", "oidc: the provider's token endpoint.", _opt_url)
    oidc_userdata_url: str = _setting("", "oidc: the provider's userinfo endpoint.", _opt_url)
    oidc_username_claim: str = _setting(
        "preferred_username",
        "oidc: userinfo claim that holds the roster username (Feide: e.g. "
        "'https://n.feide.no/claims/eduPersonPrincipalName' or 'email').",
        _str,
    )
    oidc_scopes: list = _setting(["openid", "profile", "email"], "oidc: scopes to request.", _str_list)
    oidc_login_service: str = _setting("OpenID Connect", "oidc: provider name on the login button.", _str)
    notebook_image: str = _setting(
        REQUIRED,
        "Pinned image for user servers, e.g. glacier-workshop/notebook:2026.11.0 (no ':latest'). "
        "Must already be on the Docker host: the hub never pulls.",
        _pinned_image,
    )
    extra_images: list = _setting(
        [],
        "More pinned images users may choose (e.g. a GPU build); with any, the spawn page "
        "offers a choice. allowed_images = [notebook_image] + extra_images.",
        _image_list,
    )
    data_host_path: str = _setting(
        "/srv/workshop/data",
        "Host folder with the glacier data, mounted read-only at /srv/data. A path on the "
        "Docker host (the daemon resolves it), not inside the hub container.",
        _abs_path,
    )
    mem_limit: str = _setting("4G", "Memory limit per user server (Docker size string).", _mem)
    cpu_limit: float = _setting(2.0, "CPU limit per user server (cores, may be fractional).", _positive_number)
    gpu_mode: str = _setting(
        "none",
        "'none': no GPU; 'shared': every server sees gpu_ids (all GPUs if empty); "
        "'per-user': each server gets one GPU, gpu_ids[user id % len(gpu_ids)].",
        _one_of("none", "shared", "per-user"),
    )
    gpu_ids: list = _setting([], "GPU indices or UUIDs used by gpu_mode (required for 'per-user').", _gpu_ids)
    start_timeout: int = _setting(
        300,
        "Seconds a server may take to start; a cold start (first image layer read, "
        "home volume creation) takes far longer than a warm one.",
        _positive_int,
    )
    http_timeout: int = _setting(120, "Seconds to wait for a started server to answer HTTP.", _positive_int)
    idle_timeout: int = _setting(
        3600, "Seconds without activity after which the idle culler stops a server.", _positive_int
    )
    idle_cull_every: int = _setting(300, "Seconds between idle-culler passes.", _positive_int)
    cookie_secret_file: str = _setting(
        "/srv/jupyterhub/jupyterhub_cookie_secret",
        "Hex cookie secret, mode 0600 (e.g. /etc/workshop/secrets/cookie-secret); the default "
        "lives in the hub-data volume and is created by JupyterHub on first start.",
        _abs_path,
    )
    proxy_auth_token_file: str = _setting(
        "",
        "File (mode 0600) with the token between hub and proxy; '' lets the hub make a fresh "
        "one at each start (the proxy is its own subprocess). Env CONFIGPROXY_AUTH_TOKEN wins.",
        _opt_abs_path,
    )
    grader_api_token_file: str = _setting(
        "/etc/workshop/secrets/grader-api-token",
        "File (mode 0600) with the course service's hub API token; env "
        "WORKSHOP_GRADER_API_TOKEN wins. The grader container gets the same token.",
        _abs_path,
    )


SETTING_NAMES = [f.name for f in dataclasses.fields(Settings)]


def _cross_checks(s: Settings) -> list[str]:
    errors = []
    if s.auth_mode in ("github", "oidc") and not s.oauth_callback_url:
        errors.append(
            f"oauth_callback_url: required when auth_mode is {s.auth_mode!r} "
            "(e.g. https://hub.example.org/hub/oauth_callback)"
        )
    if s.auth_mode == "oidc":
        for key in ("oidc_authorize_url", "oidc_token_url", "oidc_userdata_url"):
            if not getattr(s, key):
                errors.append(f"{key}: required when auth_mode is 'oidc' (see your provider's metadata)")
    if s.gpu_mode == "per-user" and not s.gpu_ids:
        errors.append("gpu_ids: required when gpu_mode is 'per-user', e.g. gpu_ids: [0, 1]")
    if s.gpu_mode == "none" and s.gpu_ids:
        errors.append("gpu_ids: set but gpu_mode is 'none'; set gpu_mode to 'shared' or 'per-user'")
    if len(set(s.admin_users)) != len(s.admin_users):
        errors.append("admin_users: lists a user twice")
    return errors


def settings_from_dict(data: Any, source: str = "settings") -> Settings:
    """Validate a mapping and return Settings; raise SettingsError listing every problem."""
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise SettingsError(f"{source}: must be a YAML mapping of key: value, got {type(data).__name__}")
    errors = []
    values = {}
    for key, value in data.items():
        if key not in SETTING_NAMES:
            close = difflib.get_close_matches(str(key), SETTING_NAMES, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else f"; valid keys: {', '.join(SETTING_NAMES)}"
            errors.append(f"{key}: unknown setting{hint}")
            continue
        values[key] = value
    for f in dataclasses.fields(Settings):
        if f.name not in values:
            if f.metadata["required"]:
                errors.append(f"{f.name}: required setting is missing. {f.metadata['help']}")
            continue
        err = f.metadata["check"](values[f.name])
        if err:
            errors.append(f"{f.name}: {err} (got {values[f.name]!r})")
    if errors:
        raise SettingsError(_format(source, errors))
    if "gpu_ids" in values:
        values["gpu_ids"] = [str(x) for x in values["gpu_ids"]]
    if "cpu_limit" in values:
        values["cpu_limit"] = float(values["cpu_limit"])
    settings = Settings(**values)
    errors = _cross_checks(settings)
    if errors:
        raise SettingsError(_format(source, errors))
    return settings


def _format(source, errors):
    lines = [f"Hub settings in {source} are invalid; fix these and restart:"]
    lines += [f"  - {e}" for e in errors]
    return "\n".join(lines)


def settings_path(environ=os.environ) -> str:
    return environ.get(names.SETTINGS_ENV) or names.SETTINGS_PATH


def load_settings(path: str | None = None) -> Settings:
    """Read and validate the settings file (default: $WORKSHOP_SETTINGS or /etc/workshop/workshop.yaml)."""
    import yaml

    path = path or settings_path()
    try:
        with open(path, encoding="utf-8") as f:
            data = yaml.safe_load(f)
    except FileNotFoundError:
        raise SettingsError(
            f"Hub settings file {path} not found: mount it there or point "
            f"${names.SETTINGS_ENV} at it (required key: notebook_image)."
        ) from None
    except yaml.YAMLError as e:
        raise SettingsError(f"Hub settings file {path} is not valid YAML: {e}") from None
    return settings_from_dict(data, source=path)


def documentation() -> str:
    """Markdown table of every key, its default and meaning."""
    rows = ["| key | default | meaning |", "|---|---|---|"]
    for f in dataclasses.fields(Settings):
        default = "**required**" if f.metadata["required"] else f"`{f.metadata['default']!r}`"
        rows.append(f"| `{f.name}` | {default} | {f.metadata['help']} |")
    return "\n".join(rows)


if __name__ == "__main__":  # pragma: no cover
    sys.stdout.write(documentation() + "\n")
