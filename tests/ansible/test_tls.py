"""Does the TLS proxy serve the hub securely (self-signed certificate in the local inventory)?"""
from __future__ import annotations

import csv
import io
import socket
import ssl
from urllib.parse import urlsplit

import pytest
import requests

from tests.utils import docker_helper as dh

from .conftest import CERT_FILE, HTTP_URL, HTTPS_URL


@pytest.fixture(scope="module")
def login_page(deployed):
    """The hub's login page through HTTPS, trusting only the deployment's own certificate."""
    resp = requests.get(f"{HTTPS_URL}/hub/login", verify=CERT_FILE, timeout=30)
    return resp


def test_https_serves_the_hub_with_the_self_signed_certificate(login_page):
    """Is the login page served over HTTPS with a certificate valid for 127.0.0.1?"""
    assert login_page.status_code == 200, login_page.text[:500]
    assert 'name="username"' in login_page.text and "x-jupyterhub-version" in login_page.headers


def test_plain_http_redirects_to_https(deployed):
    """Does plain HTTP answer only with a permanent redirect to the same path over HTTPS?"""
    resp = requests.get(f"{HTTP_URL}/hub/login?next=%2Fhub%2Fhome", allow_redirects=False, timeout=30)
    assert resp.status_code == 301
    location = urlsplit(resp.headers["Location"])
    assert (location.scheme, location.port, location.path) == ("https", 8443, "/hub/login")
    assert location.query == "next=%2Fhub%2Fhome"


def test_security_headers(login_page):
    """HSTS (>= 1 year), nosniff, a referrer policy, the hub's CSP, and no server version?"""
    headers = login_page.headers
    hsts = headers.get("Strict-Transport-Security", "")
    assert hsts.startswith("max-age=") and int(hsts.split("=", 1)[1].split(";")[0]) >= 31536000, hsts
    assert headers.get("X-Content-Type-Options") == "nosniff"
    assert headers.get("Referrer-Policy") == "same-origin"
    assert "frame-ancestors" in headers.get("Content-Security-Policy", "")
    assert headers.get("Server") == "nginx", headers.get("Server")


def test_old_tls_versions_are_refused(deployed):
    """Is TLS 1.1 refused (only 1.2 and 1.3 offered)?"""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    try:
        ctx.minimum_version = ssl.TLSVersion.TLSv1_1
        ctx.maximum_version = ssl.TLSVersion.TLSv1_1
    except ValueError:
        pytest.skip("this OpenSSL cannot even offer TLS 1.1")
    with socket.create_connection(("127.0.0.1", 8443), timeout=10) as raw:
        with pytest.raises(ssl.SSLError):
            with ctx.wrap_socket(raw, server_hostname="localhost"):
                pass


def _any_roster_login() -> tuple[str, str]:
    """A user of the current roster and the password the hub issued to them."""
    roster = dh.exec_in("workshop-hub", ["cat", "/etc/workshop/roster.csv"]).stdout
    current = {row["username"].strip().lower() for row in csv.DictReader(io.StringIO(roster))}
    issued = dh.exec_in("workshop-hub", ["cat", "/srv/jupyterhub/issued-passwords.csv"]).stdout
    rows = [row for row in csv.DictReader(io.StringIO(issued)) if row["username"] in current]
    assert rows, f"the hub issued no password to any of {sorted(current)}"
    return rows[-1]["username"], rows[-1]["password"]


def test_login_cookies_are_secure_and_httponly(deployed):
    """After a real login through the proxy: are the session cookies Secure and HttpOnly?"""
    username, password = _any_roster_login()
    session = requests.Session()
    # verify per request: a Session's own verify loses to REQUESTS_CA_BUNDLE from the environment.
    page = session.get(f"{HTTPS_URL}/hub/login", verify=CERT_FILE, timeout=30)
    xsrf = session.cookies.get("_xsrf", "")
    resp = session.post(f"{HTTPS_URL}/hub/login?next=", data={"username": username, "password": password, "_xsrf": xsrf},
                        allow_redirects=False, verify=CERT_FILE, timeout=30)
    assert resp.status_code == 302, f"login as {username}: {resp.status_code} {resp.text[:300]}"
    raw = page.raw.headers.getlist("Set-Cookie") + resp.raw.headers.getlist("Set-Cookie")
    cookies = {c.split("=", 1)[0]: [a.strip().lower() for a in c.split(";")[1:]] for c in raw}
    assert "jupyterhub-session-id" in cookies and "jupyterhub-hub-login" in cookies, list(cookies)
    for name, attrs in cookies.items():
        assert "secure" in attrs, f"cookie {name} lacks Secure: {attrs}"
        if name != "_xsrf":  # JupyterLab's JavaScript must read _xsrf to send it back
            assert "httponly" in attrs, f"cookie {name} lacks HttpOnly: {attrs}"
