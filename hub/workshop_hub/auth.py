"""Login: who may log in (the roster, in every mode) and how (issued passwords or OAuth).

- ``RosterPasswordAuthenticator``: the default. Passwords are issued at start-up
  (``workshop_hub.passwords``) and checked against salted scrypt hashes; users may
  change theirs at ``/hub/workshop/password``. Not NativeAuthenticator: its 1.3.0
  answers 500 on every login under JupyterHub 6.
- ``github``: oauthenticator's GitHubOAuthenticator; roster usernames are GitHub logins.
- ``oidc``: oauthenticator's GenericOAuthenticator (e.g. Feide); roster usernames are
  the value of ``oidc_username_claim``.

In every mode ``allowed_users`` is the roster, admins are the settings'
``admin_users`` (as the admin role's member list, see ``workshop_hub.roles``), and group membership (students / instructors / formgrade-<course>) is
set from the roster (``manage_groups``) at every login and at every auth refresh
(``refresh_user``; JupyterHub refreshes on a user's first request after a restart
and then every ``auth_refresh_age`` seconds). So after a roster change and a hub
restart, an instructor made student loses the formgrade group on their next
request, and a user removed from the roster is sent back to the login page even
with a live session cookie.
"""

from __future__ import annotations

import asyncio
import os
import time

from jupyterhub.auth import Authenticator
from jupyterhub.handlers import BaseHandler
from oauthenticator.generic import GenericOAuthenticator
from oauthenticator.github import GitHubOAuthenticator
from tornado import web
from traitlets import Any, Dict, Integer, List, Unicode

from . import names
from .passwords import HASH_FILE_NAME, PasswordStore, dummy_hash, verify_password
from .roster import Roster
from .secretfiles import read_secret
from .settings import Settings

PASSWORD_PAGE = "/workshop/password"


class RosterGroups(Authenticator):
    """Groups from the roster, applied at login (post_auth_hook) and on every auth refresh."""

    roster_groups = Dict(
        key_trait=Unicode(),
        value_trait=List(Unicode()),
        help="username -> hub groups, from the roster (set by workshop_hub.auth.configure_auth).",
    ).tag(config=True)

    user_added_hook = Any(
        None,
        allow_none=True,
        help="Called with each user JupyterHub adds (every DB user at start-up, new users later); "
        "workshop_hub.passwd_map uses it to keep the passwd map complete.",
    ).tag(config=True)

    def groups_for(self, username: str) -> list[str]:
        return list(self.roster_groups.get(username, []))

    def add_user(self, user):
        super().add_user(user)
        if self.user_added_hook is not None:
            try:
                self.user_added_hook(user)
            except Exception:
                # the user is still valid; only the grader's name lookup is behind
                self.log.exception("user_added_hook failed for %s", user.name)

    async def refresh_user(self, user, handler=None, **kwargs):
        if user.name not in self.allowed_users:
            return False  # removed from the roster: the session ends, login fails
        refreshed = await super().refresh_user(user, handler, **kwargs)
        if not refreshed:
            return refreshed
        model = refreshed if isinstance(refreshed, dict) else {"name": user.name}
        return dict(model, groups=self.groups_for(user.name))


def set_roster_groups(authenticator, handler, authentication):
    """post_auth_hook: the user's groups are the roster's, whatever the login method said."""
    return dict(authentication, groups=authenticator.groups_for(authentication["name"]))


class RosterPasswordAuthenticator(RosterGroups):
    """Username + password, checked against scrypt hashes in a 0600 JSON file."""

    password_file = Unicode(
        os.path.join(names.HUB_DATA_DIR, HASH_FILE_NAME),
        help="JSON file (mode 0600) with the salted password hashes.",
    ).tag(config=True)

    min_password_length = Integer(10, help="Shortest password a user may choose.").tag(config=True)

    allowed_failed_logins = Integer(
        10, help="Failed logins for one name within lockout_seconds before that name is locked (0: never)."
    ).tag(config=True)

    lockout_seconds = Integer(300, help="How long a name stays locked after too many failed logins.").tag(
        config=True
    )

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._failures: dict[str, list[float]] = {}
        self._clock = time.monotonic

    def _store(self) -> PasswordStore:
        return PasswordStore(self.password_file)

    def _recent_failures(self, username: str) -> list[float]:
        cutoff = self._clock() - self.lockout_seconds
        recent = [t for t in self._failures.get(username, []) if t > cutoff]
        if recent:
            self._failures[username] = recent
        else:
            self._failures.pop(username, None)
        return recent

    def is_locked(self, username: str) -> bool:
        return bool(self.allowed_failed_logins) and len(self._recent_failures(username)) >= self.allowed_failed_logins

    async def authenticate(self, handler, data):
        username = self.normalize_username((data or {}).get("username", "") or "")
        password = (data or {}).get("password", "") or ""
        encoded = None
        if username in self.allowed_users:
            encoded = self._store().get(username)
        # Always hash once, so unknown names and known names take the same time.
        ok = await asyncio.to_thread(verify_password, password, encoded or dummy_hash())
        if self.is_locked(username):
            self.log.warning("Login for %r refused: too many failed attempts, locked for a while", username)
            return None
        if ok and encoded and password:
            self._failures.pop(username, None)
            return {"name": username}
        if encoded:  # only roster names are counted, so the table stays bounded
            self._failures.setdefault(username, []).append(self._clock())
        self.log.warning("Failed login for %r", username)
        return None

    async def change_password(self, username: str, current: str, new: str, confirm: str) -> str | None:
        """Change ``username``'s password; return an error text, or None on success."""
        encoded = self._store().get(username)
        if not encoded or not await asyncio.to_thread(verify_password, current, encoded):
            return "The current password is wrong."
        if new != confirm:
            return "The two new passwords differ."
        if len(new) < self.min_password_length:
            return f"Choose at least {self.min_password_length} characters."
        if new == current:
            return "The new password is the same as the current one."
        await asyncio.to_thread(self._store().set_password, username, new)
        self.log.info("User %s changed their password", username)
        return None

    def get_handlers(self, app):
        return super().get_handlers(app) + [(PASSWORD_PAGE, PasswordChangeHandler)]


_FORM = """{% extends "page.html" %}
{% block main %}
<div class="container" style="max-width: 32em">
  <h1>Change your password</h1>
  {% if message %}<p class="alert {{ 'alert-success' if ok else 'alert-danger' }}">{{ message }}</p>{% endif %}
  <form method="post" action="">
    <input type="hidden" name="_xsrf" value="{{ xsrf }}"/>
    <label for="current_password">Current password</label>
    <input class="form-control" type="password" id="current_password" name="current_password" autocomplete="current-password" required/>
    <label for="new_password">New password</label>
    <input class="form-control" type="password" id="new_password" name="new_password" autocomplete="new-password" required/>
    <label for="confirm_password">New password again</label>
    <input class="form-control" type="password" id="confirm_password" name="confirm_password" autocomplete="new-password" required/>
    <button class="btn btn-primary" type="submit" style="margin-top: 1em">Change password</button>
  </form>
</div>
{% endblock %}
"""


class PasswordChangeHandler(BaseHandler):
    """GET: the form; POST: change the logged-in user's own password."""

    async def _page(self, message="", ok=False):
        # JupyterHub's jinja2 environment is async-enabled: render_async, never render
        template = self.settings["jinja2_env"].from_string(_FORM)
        return await template.render_async(**self.template_namespace, message=message, ok=ok)

    @web.authenticated
    async def get(self):
        self.finish(await self._page())

    @web.authenticated
    async def post(self):
        user = self.current_user
        if getattr(user, "kind", "user") != "user":
            raise web.HTTPError(403)
        error = await self.authenticator.change_password(
            user.name,
            self.get_body_argument("current_password", ""),
            self.get_body_argument("new_password", ""),
            self.get_body_argument("confirm_password", ""),
        )
        if error:
            self.set_status(400)
            self.finish(await self._page(error))
        else:
            self.finish(await self._page("Password changed.", ok=True))


def roster_groups(roster: Roster, course_id: str, username: str) -> list[str]:
    """The hub groups a user belongs to, from the roster."""
    role = roster.role_of(username)
    if role == "instructor":
        return sorted([names.INSTRUCTORS_GROUP, names.formgrade_group(course_id)])
    if role == "student":
        return [names.STUDENTS_GROUP]
    return []


def roster_group_map(roster: Roster, course_id: str) -> dict[str, list[str]]:
    return {name: roster_groups(roster, course_id, name) for name in sorted(roster.usernames)}


def _no_provider_groups(auth_state):
    # oauthenticator's own group lookup; ours (the roster) comes in post_auth_hook.
    return []


class RosterGitHubOAuthenticator(RosterGroups, GitHubOAuthenticator):
    """GitHub login; roster usernames are GitHub logins (lower-cased)."""


class RosterGenericOAuthenticator(RosterGroups, GenericOAuthenticator):
    """Any OpenID Connect provider (e.g. Feide); the username is ``oidc_username_claim``."""


def configure_auth(c, settings: Settings, roster: Roster, environ=os.environ) -> None:
    """Set the authenticator class and the roster-driven access rules on config ``c``."""
    c.Authenticator.allowed_users = set(roster.usernames)
    # admins are the admin role's static user list (workshop_hub.roles), not admin_users:
    # admin_users only ever adds, so someone taken off the list would stay admin
    c.Authenticator.allow_all = False
    # JupyterHub would otherwise let everyone already in its DB log in (its default when
    # allowed_users is set): someone removed from the roster must lose access on restart.
    c.Authenticator.allow_existing_users = False
    c.Authenticator.manage_groups = True
    c.Authenticator.post_auth_hook = set_roster_groups
    c.RosterGroups.roster_groups = roster_group_map(roster, settings.course_id)

    if settings.auth_mode == "password":
        c.JupyterHub.authenticator_class = RosterPasswordAuthenticator
        c.RosterPasswordAuthenticator.password_file = os.path.join(names.HUB_DATA_DIR, HASH_FILE_NAME)
        return

    client_id = read_secret(settings.oauth_client_id_file, "WORKSHOP_OAUTH_CLIENT_ID", "OAuth client id", environ)
    client_secret = read_secret(
        settings.oauth_client_secret_file, "WORKSHOP_OAUTH_CLIENT_SECRET", "OAuth client secret", environ
    )
    if settings.auth_mode == "github":
        c.JupyterHub.authenticator_class = RosterGitHubOAuthenticator
        section = c.GitHubOAuthenticator
    else:
        c.JupyterHub.authenticator_class = RosterGenericOAuthenticator
        section = c.GenericOAuthenticator
        section.authorize_url = settings.oidc_authorize_url
        section.token_url = settings.oidc_token_url
        section.userdata_url = settings.oidc_userdata_url
        section.username_claim = settings.oidc_username_claim
        section.scope = list(settings.oidc_scopes)
        section.login_service = settings.oidc_login_service
    section.client_id = client_id
    section.client_secret = client_secret
    section.oauth_callback_url = settings.oauth_callback_url
    section.auth_state_groups_key = _no_provider_groups


def check_admins_in_roster(settings: Settings, roster: Roster) -> None:
    """admin_users must be roster users: nobody else can log in."""
    from .settings import SettingsError

    unknown = sorted({name.lower() for name in settings.admin_users} - roster.usernames)
    if unknown:
        raise SettingsError(
            "Hub settings are invalid; fix and restart:\n"
            f"  - admin_users: {', '.join(unknown)} not in the roster (only roster users can log in); "
            "add them to the roster or remove them from admin_users"
        )
