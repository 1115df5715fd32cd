"""Hub services: the idle culler (managed) and the course's grader (external).

- ``idle-culler``: started by the hub (``python -m jupyterhub_idle_culler``);
  jupyterhub-idle-culler 2.0 reads traitlets config, passed as
  ``--IdleCuller.<trait>=<value>``. It stops servers idle for
  ``idle_timeout`` seconds; it never deletes users. Homes are volumes, so
  nothing is lost; a culled student just starts again.
- ``<course_id>``: the grader container ``workshop-grader-<course_id>`` runs
  ``jupyterhub-singleuser`` as this service on port 8888; the hub proxies
  ``/services/<course_id>/`` to it and does the OAuth for it
  (``oauth_no_confirm``: graders are not asked to confirm every login).
  Its API token comes from ``grader_api_token_file`` (0600) or
  ``$WORKSHOP_GRADER_API_TOKEN``; the grader container must get the same value
  as ``JUPYTERHUB_API_TOKEN``.
"""

from __future__ import annotations

import os
import sys

from .course import course_service_name, course_service_url
from .secretfiles import SecretError, read_secret
from .settings import Settings

IDLE_CULLER = "idle-culler"
GRADER_TOKEN_ENV = "WORKSHOP_GRADER_API_TOKEN"
# Seconds the hub waits at start-up for the grader to answer (JupyterHub's default, 30,
# delays every hub start while the grader container is down; the route is added anyway).
COURSE_SERVICE_WAIT = 10
MIN_TOKEN_LENGTH = 32


def idle_culler_service(settings: Settings) -> dict:
    return {
        "name": IDLE_CULLER,
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--IdleCuller.timeout={settings.idle_timeout}",
            f"--IdleCuller.cull_every={settings.idle_cull_every}",
            "--IdleCuller.cull_users=False",
            "--IdleCuller.remove_named_servers=False",
        ],
    }


def course_service(settings: Settings, api_token: str) -> dict:
    return {
        "name": course_service_name(settings.course_id),
        "url": course_service_url(settings.course_id),
        "api_token": api_token,
        "oauth_no_confirm": True,
        "display": True,
        "timeout": COURSE_SERVICE_WAIT,
        "info": {"course_id": settings.course_id, "description": "nbgrader formgrader (opens in its own tab)"},
    }


def grader_api_token(settings: Settings, environ=os.environ) -> str:
    token = read_secret(settings.grader_api_token_file, GRADER_TOKEN_ENV, "grader API token", environ)
    if len(token) < MIN_TOKEN_LENGTH:
        raise SecretError(
            f"grader API token: shorter than {MIN_TOKEN_LENGTH} characters; "
            "generate one with `openssl rand -hex 32`"
        )
    return token


def configure_services(c, settings: Settings, environ=os.environ) -> None:
    c.JupyterHub.services = [
        idle_culler_service(settings),
        course_service(settings, grader_api_token(settings, environ)),
    ]
