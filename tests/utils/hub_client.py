"""A student's or instructor's HTTP session against the hub, through the real login form."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from urllib.parse import quote

import requests

from .docker_helper import wait_for


@dataclass
class HubUser:
    hub_url: str
    username: str
    password: str
    verify: bool | str = True

    def __post_init__(self) -> None:
        self.session = requests.Session()
        # REQUESTS_CA_BUNDLE in the environment would override the session's own CA choice.
        self.session.trust_env = False
        self.session.verify = self.verify

    # -- login ---------------------------------------------------------------------------
    def login(self) -> requests.Response:
        """Log in through /hub/login exactly as the browser form does (with the _xsrf token)."""
        page = self.session.get(f"{self.hub_url}/hub/login", timeout=30)
        page.raise_for_status()
        xsrf = self.session.cookies.get("_xsrf", "")
        resp = self.session.post(
            f"{self.hub_url}/hub/login?next=",
            data={"username": self.username, "password": self.password, "_xsrf": xsrf},
            allow_redirects=False,
            timeout=30,
        )
        return resp

    def xsrf_headers(self) -> dict[str, str]:
        return {"X-XSRFToken": self.session.cookies.get("_xsrf", path="/hub/") or self.session.cookies.get("_xsrf", "")}

    # -- API with the user's own cookie ---------------------------------------------------
    def api(self, method: str, path: str, **kwargs) -> requests.Response:
        headers = kwargs.pop("headers", {})
        headers.update(self.xsrf_headers())
        headers.setdefault("Referer", f"{self.hub_url}/hub/home")
        return self.session.request(method, f"{self.hub_url}/hub/api{path}", headers=headers, timeout=60, **kwargs)

    @property
    def name(self) -> str:
        """The name the hub knows the user by: JupyterHub lower-cases (and NFC-normalises) at login."""
        return unicodedata.normalize("NFC", self.username).lower()

    @property
    def escaped(self) -> str:
        return quote(self.name, safe="")

    def start_server(self, timeout: float = 300) -> None:
        """Start the personal server as the Start button does, and wait until it is ready."""
        resp = self.api("POST", f"/users/{self.escaped}/server", json={})
        assert resp.status_code in (201, 202, 400), f"start server: {resp.status_code} {resp.text}"

        def ready() -> bool:
            info = self.api("GET", f"/users/{self.escaped}").json()
            server = info.get("servers", {}).get("", {})
            return bool(server.get("ready"))

        wait_for(ready, timeout=timeout, interval=1, what=f"{self.name}'s server to be ready")

    def stop_server(self, timeout: float = 120) -> None:
        resp = self.api("DELETE", f"/users/{self.escaped}/server", json={})
        assert resp.status_code in (202, 204), f"stop server: {resp.status_code} {resp.text}"

        def stopped() -> bool:
            info = self.api("GET", f"/users/{self.escaped}").json()
            return "" not in info.get("servers", {})

        wait_for(stopped, timeout=timeout, interval=1, what=f"{self.username}'s server to stop")

    def user_url(self, path: str = "", owner: str | None = None) -> str:
        return f"{self.hub_url}/user/{quote(owner or self.name, safe='')}/{path}"

    def get(self, url: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", 60)
        return self.session.get(url, **kwargs)

    def open_server(self, owner: str | None = None) -> requests.Response:
        """Open a server's JupyterLab page as a browser does; this runs the OAuth dance with the hub.

        The server's API answers 403 to a session that has not been through it yet.
        """
        return self.get(self.user_url("lab", owner=owner))

    def server_api(self, path: str, owner: str | None = None) -> requests.Response:
        """GET a server's REST API through the proxy, after opening the server's page once."""
        opened = self.open_server(owner)
        if opened.status_code != 200:
            return opened
        return self.get(self.user_url(f"api/{path}", owner=owner))

    def contents(self, path: str = "", owner: str | None = None) -> requests.Response:
        """GET the Jupyter contents API of a server through the proxy."""
        return self.server_api(f"contents/{path}", owner=owner)
