"""Can only roster users log in, with the right password, and are secrets kept 0600?"""

import asyncio
import csv
import os
import stat

import pytest
from traitlets.config import Config

from workshop_hub import names
from workshop_hub.auth import (
    PASSWORD_PAGE,
    RosterPasswordAuthenticator,
    check_admins_in_roster,
    RosterGenericOAuthenticator,
    RosterGitHubOAuthenticator,
    configure_auth,
    roster_group_map,
    roster_groups,
    set_roster_groups,
)
from workshop_hub.passwords import (
    ISSUED_FILE_NAME,
    PasswordStore,
    generate_password,
    hash_password,
    issue_missing_passwords,
    verify_password,
)
from workshop_hub.secretfiles import SecretError
from workshop_hub.settings import SettingsError


def mode(path):
    return stat.S_IMODE(os.stat(path).st_mode)


def test_hash_is_salted_and_verifies():
    a, b = hash_password("correct horse"), hash_password("correct horse")
    assert a != b and a.startswith("scrypt$")
    assert verify_password("correct horse", a)
    assert not verify_password("wrong horse", a)
    assert not verify_password("x", "garbage")


def test_issued_passwords_are_long_and_unambiguous():
    pw = generate_password()
    assert len(pw) >= 14
    assert not set(pw) & set("0O1lI")


@pytest.fixture
def issued(tmp_path, roster):
    hash_file = tmp_path / "passwords.json"
    issued_file = tmp_path / ISSUED_FILE_NAME
    names_issued = issue_missing_passwords(roster.usernames, str(hash_file), str(issued_file))
    with open(issued_file, newline="", encoding="utf-8") as f:
        rows = {row["username"]: row["password"] for row in csv.DictReader(f)}
    return hash_file, issued_file, names_issued, rows


def test_every_roster_user_is_issued_one_password(issued, roster):
    hash_file, issued_file, names_issued, rows = issued
    assert sorted(names_issued) == sorted(roster.usernames)
    assert set(rows) == roster.usernames
    store = PasswordStore(str(hash_file)).load()
    for name, pw in rows.items():
        assert verify_password(pw, store[name])
        assert pw not in hash_file.read_text()


def test_hash_file_and_cleartext_file_are_0600(issued):
    hash_file, issued_file, _, _ = issued
    assert mode(hash_file) == 0o600
    assert mode(issued_file) == 0o600


def test_passwords_are_issued_once(issued, roster):
    hash_file, issued_file, _, rows = issued
    before = issued_file.read_text()
    assert issue_missing_passwords(roster.usernames, str(hash_file), str(issued_file)) == []
    assert issued_file.read_text() == before


def test_a_new_roster_user_gets_a_password_appended(issued, roster):
    hash_file, issued_file, _, rows = issued
    assert issue_missing_passwords(roster.usernames | {"carl"}, str(hash_file), str(issued_file)) == ["carl"]
    lines = issued_file.read_text().splitlines()
    assert lines[0] == "username,password,issued_at"
    assert lines[-1].startswith("carl,")
    assert len(lines) == 1 + len(rows) + 1
    assert mode(issued_file) == 0o600


def test_loose_cleartext_file_is_tightened(tmp_path):
    issued_file = tmp_path / ISSUED_FILE_NAME
    issued_file.write_text("username,password,issued_at\n")
    os.chmod(issued_file, 0o644)
    issue_missing_passwords({"dora"}, str(tmp_path / "p.json"), str(issued_file))
    assert mode(issued_file) == 0o600


def make_authenticator(issued, roster):
    hash_file = issued[0]
    c = Config()
    c.Authenticator.allowed_users = set(roster.usernames)
    c.RosterPasswordAuthenticator.password_file = str(hash_file)
    return RosterPasswordAuthenticator(config=c)


def login(auth, username, password):
    return asyncio.run(auth.get_authenticated_user(None, {"username": username, "password": password}))


def test_correct_password_logs_in(issued, roster):
    auth = make_authenticator(issued, roster)
    result = login(auth, "øyvind", issued[3]["øyvind"])
    assert result["name"] == "øyvind"


def test_login_name_is_case_insensitive(issued, roster):
    auth = make_authenticator(issued, roster)
    assert login(auth, "Anna.Lund", issued[3]["anna.lund"])["name"] == "anna.lund"


def test_wrong_password_is_refused(issued, roster):
    auth = make_authenticator(issued, roster)
    assert login(auth, "bob", issued[3]["bob"] + "x") is None
    assert login(auth, "bob", "") is None
    assert login(auth, "bob", issued[3]["øyvind"]) is None


def test_user_not_in_roster_is_refused_even_with_a_stored_hash(issued, roster):
    hash_file = issued[0]
    PasswordStore(str(hash_file)).set_password("mallory", "a good password")
    auth = make_authenticator(issued, roster)
    assert login(auth, "mallory", "a good password") is None


def test_user_can_change_own_password(issued, roster):
    auth = make_authenticator(issued, roster)
    old = issued[3]["bob"]
    assert asyncio.run(auth.change_password("bob", old, "new secret pw", "new secret pw")) is None
    assert login(auth, "bob", old) is None
    assert login(auth, "bob", "new secret pw")["name"] == "bob"
    assert mode(issued[0]) == 0o600


@pytest.mark.parametrize(
    "current, new, confirm, error",
    [
        ("wrong", "new secret pw", "new secret pw", "current password is wrong"),
        (None, "new secret pw", "other secret", "differ"),
        (None, "short", "short", "at least 10"),
    ],
)
def test_password_change_is_refused_when(issued, roster, current, new, confirm, error):
    auth = make_authenticator(issued, roster)
    current = current or issued[3]["bob"]
    assert error in asyncio.run(auth.change_password("bob", current, new, confirm))
    assert login(auth, "bob", issued[3]["bob"])  # unchanged


def test_password_page_is_registered(issued, roster):
    auth = make_authenticator(issued, roster)
    urls = [url for url, _ in auth.get_handlers(None)]
    assert "/login" in urls and PASSWORD_PAGE in urls


def test_groups_come_from_the_roster(roster):
    assert roster_groups(roster, "glaciers-ml", "anna.lund") == ["formgrade-glaciers-ml", "instructors"]
    assert roster_groups(roster, "glaciers-ml", "bob") == ["students"]
    assert roster_groups(roster, "glaciers-ml", "nobody") == []
    c = Config()
    c.RosterGroups.roster_groups = roster_group_map(roster, "glaciers-ml")
    auth = RosterPasswordAuthenticator(config=c)
    auth_model = {"name": "øyvind", "admin": False}
    assert set_roster_groups(auth, None, auth_model) == {"name": "øyvind", "admin": False, "groups": ["students"]}
    assert "groups" not in auth_model  # the hook returns a new model


def test_configure_auth_password_mode(settings, roster):
    c = Config()
    configure_auth(c, settings, roster)
    assert c.JupyterHub.authenticator_class is RosterPasswordAuthenticator
    assert c.Authenticator.allowed_users == {"anna.lund", "øyvind", "bob"}
    assert c.Authenticator.allow_all is False
    assert c.Authenticator.allow_existing_users is False
    assert c.Authenticator.manage_groups is True
    assert c.RosterPasswordAuthenticator.password_file == os.path.join(names.HUB_DATA_DIR, "passwords.json")
    auth = RosterPasswordAuthenticator(config=c)
    assert auth.manage_groups and auth.allowed_users == {"anna.lund", "øyvind", "bob"}


def test_admins_must_be_in_the_roster(make_settings, roster):
    c = Config()
    configure_auth(c, make_settings(admin_users=["Anna.Lund"]), roster)
    assert "admin_users" not in c.Authenticator  # the admin role lists them (roles.py)
    check_admins_in_roster(make_settings(admin_users=["Anna.Lund"]), roster)
    with pytest.raises(SettingsError, match="admin_users: carl not in the roster"):
        check_admins_in_roster(make_settings(admin_users=["carl"]), roster)


@pytest.fixture
def oauth_secrets(tmp_path):
    cid, secret = tmp_path / "id", tmp_path / "secret"
    cid.write_text("client-123\n")
    secret.write_text("s3cret\n")
    os.chmod(cid, 0o600)
    os.chmod(secret, 0o600)
    return {"oauth_client_id_file": str(cid), "oauth_client_secret_file": str(secret),
            "oauth_callback_url": "https://hub.example.org/hub/oauth_callback"}


def test_configure_auth_github(make_settings, roster, oauth_secrets):
    from oauthenticator.github import GitHubOAuthenticator

    c = Config()
    configure_auth(c, make_settings(auth_mode="github", **oauth_secrets), roster, environ={})
    assert c.JupyterHub.authenticator_class is RosterGitHubOAuthenticator
    assert issubclass(RosterGitHubOAuthenticator, GitHubOAuthenticator)
    auth = RosterGitHubOAuthenticator(config=c)
    assert auth.groups_for("anna.lund") == ["formgrade-glaciers-ml", "instructors"]
    assert auth.client_id == "client-123" and auth.client_secret == "s3cret"
    assert auth.allowed_users == roster.usernames
    assert auth.manage_groups is True
    assert asyncio.run(auth.get_user_groups({})) == set()


def test_configure_auth_oidc_e_g_feide(make_settings, roster, oauth_secrets):
    c = Config()
    settings = make_settings(
        auth_mode="oidc",
        oidc_authorize_url="https://auth.dataporten.no/oauth/authorization",
        oidc_token_url="https://auth.dataporten.no/oauth/token",
        oidc_userdata_url="https://auth.dataporten.no/openid/userinfo",
        oidc_username_claim="email",
        oidc_login_service="Feide",
        **oauth_secrets,
    )
    configure_auth(c, settings, roster, environ={"WORKSHOP_OAUTH_CLIENT_SECRET": "from-env"})
    assert c.JupyterHub.authenticator_class is RosterGenericOAuthenticator
    auth = RosterGenericOAuthenticator(config=c)
    assert auth.client_secret == "from-env"  # the environment wins over the file
    assert auth.authorize_url.endswith("/oauth/authorization")
    assert auth.username_claim == "email"
    assert auth.login_service == "Feide"
    assert auth.allowed_users == roster.usernames
    assert auth.oauth_callback_url == "https://hub.example.org/hub/oauth_callback"


def test_oauth_secret_readable_by_others_stops_start_up(make_settings, roster, oauth_secrets):
    os.chmod(oauth_secrets["oauth_client_secret_file"], 0o644)
    with pytest.raises(SecretError, match="chmod 600"):
        configure_auth(Config(), make_settings(auth_mode="github", **oauth_secrets), roster, environ={})


def test_missing_oauth_secret_says_how_to_provide_it(make_settings, roster, oauth_secrets, tmp_path):
    oauth_secrets["oauth_client_secret_file"] = str(tmp_path / "absent")
    with pytest.raises(SecretError, match="WORKSHOP_OAUTH_CLIENT_SECRET"):
        configure_auth(Config(), make_settings(auth_mode="github", **oauth_secrets), roster, environ={})


def test_users_already_in_the_hub_db_are_not_allowed_unless_in_the_roster(settings, roster):
    """JupyterHub calls add_user for every DB user at start; a removed roster user must stay out."""
    from types import SimpleNamespace

    c = Config()
    configure_auth(c, settings, roster)
    auth = RosterPasswordAuthenticator(config=c)
    auth.add_user(SimpleNamespace(name="former.student"))
    assert "former.student" not in auth.allowed_users


def refresh(auth, name):
    from types import SimpleNamespace

    return asyncio.run(auth.refresh_user(SimpleNamespace(name=name)))


def test_refresh_applies_the_current_roster_groups(settings, roster):
    """After a restart with a changed roster, does a live session get the new groups?"""
    c = Config()
    configure_auth(c, settings, roster)
    auth = RosterPasswordAuthenticator(config=c)
    assert refresh(auth, "anna.lund") == {"name": "anna.lund", "groups": ["formgrade-glaciers-ml", "instructors"]}
    assert refresh(auth, "bob") == {"name": "bob", "groups": ["students"]}


def test_refresh_ends_the_session_of_a_user_no_longer_in_the_roster(settings, roster):
    c = Config()
    configure_auth(c, settings, roster)
    assert refresh(RosterPasswordAuthenticator(config=c), "former.student") is False


def test_refresh_keeps_oauth_token_checks(make_settings, roster, oauth_secrets, monkeypatch):
    """If the OAuth provider says the login is stale, the roster does not overrule it."""
    from oauthenticator.github import GitHubOAuthenticator

    c = Config()
    configure_auth(c, make_settings(auth_mode="github", **oauth_secrets), roster, environ={})
    auth = RosterGitHubOAuthenticator(config=c)
    assert refresh(auth, "bob") == {"name": "bob", "groups": ["students"]}

    async def stale(self, user, handler=None, **kwargs):
        return False

    monkeypatch.setattr(GitHubOAuthenticator, "refresh_user", stale)
    assert refresh(auth, "bob") is False


def test_a_name_is_locked_after_too_many_failed_logins(issued, roster):
    """Can someone guess a password by trying fast? (10 misses lock the name for 5 minutes.)"""
    auth = make_authenticator(issued, roster)
    now = [1000.0]
    auth._clock = lambda: now[0]
    right = issued[3]["bob"]
    for _ in range(10):
        assert login(auth, "bob", "guess") is None
    assert login(auth, "bob", right) is None  # locked, even with the right password
    assert login(auth, "øyvind", issued[3]["øyvind"])["name"] == "øyvind"  # others unaffected
    now[0] += 301
    assert login(auth, "bob", right)["name"] == "bob"  # the lock expires
    assert auth._failures == {}


def test_a_success_resets_the_failure_count(issued, roster):
    auth = make_authenticator(issued, roster)
    for _ in range(9):
        login(auth, "bob", "guess")
    assert login(auth, "bob", issued[3]["bob"])
    for _ in range(9):
        login(auth, "bob", "guess")
    assert login(auth, "bob", issued[3]["bob"])


def test_unknown_names_do_not_fill_the_failure_table(issued, roster):
    auth = make_authenticator(issued, roster)
    for i in range(5):
        login(auth, f"random{i}", "x")
    assert auth._failures == {}
