"""The hub process itself: where it listens, where it keeps state, which proxy.

Inside the hub container:

- the proxy (configurable-http-proxy, the Python port installed in the hub
  image, started by JupyterHub as a subprocess) listens on 0.0.0.0:8000:
  publish that port;
- the hub API listens on 0.0.0.0:8081 and tells user servers and services to
  reach it at http://workshop-hub:8081 (the container's name on workshop-net);
- state (sqlite DB, cookie secret, password hashes) lives in /srv/jupyterhub,
  the volume workshop-hub-data.
"""

from __future__ import annotations

import os

from . import names
from .secretfiles import read_secret
from .settings import Settings


def configure_hub(c, settings: Settings, environ=os.environ) -> None:
    c.JupyterHub.bind_url = f"http://0.0.0.0:{names.HUB_PUBLIC_PORT}"
    c.JupyterHub.hub_bind_url = f"http://0.0.0.0:{names.HUB_API_PORT}"
    c.JupyterHub.hub_connect_url = f"http://{names.HUB_HOST}:{names.HUB_API_PORT}"
    c.JupyterHub.proxy_class = "configurable-http-proxy"
    c.ConfigurableHTTPProxy.command = ["configurable-http-proxy"]
    c.ConfigurableHTTPProxy.should_start = True
    c.JupyterHub.db_url = "sqlite:///" + os.path.join(names.HUB_DATA_DIR, "jupyterhub.sqlite")
    c.JupyterHub.cookie_secret_file = settings.cookie_secret_file
    if settings.proxy_auth_token_file:
        c.ConfigurableHTTPProxy.auth_token = read_secret(
            settings.proxy_auth_token_file, "CONFIGPROXY_AUTH_TOKEN", "proxy auth token", environ
        )
    c.JupyterHub.allow_named_servers = False
    # user servers keep running while the hub restarts (see also DockerSpawner.remove)
    c.JupyterHub.cleanup_servers = False
