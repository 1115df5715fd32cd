"""Groups and least-privilege roles (JupyterHub scopes). No service is ever admin.

=========================  =====================================================  ==============================
role                       scopes                                                 bearers
=========================  =====================================================  ==============================
``user`` (default)         ``self``                                               every user
``server`` (redefined)     default (activity + access to its own server) plus     every server token; intersected
                           ``list:services``, ``read:services!service=<course>``  with its owner's rights, so only
                                                                                  graders' servers can see the
                                                                                  course service
``formgrade-<course>``     ``access:services!service=<course>``,                  group ``formgrade-<course>``
                           ``list:services``, ``read:services!service=<course>``  (the roster's instructors)
``idle-culler``            ``list:users``, ``read:users:activity``,               service ``idle-culler``
                           ``read:servers``, ``delete:servers``
                           (the scopes jupyterhub-idle-culler's README lists;
                           no ``admin:users``: we never cull users)
``grader-<course>``        ``list:users``, ``read:users:name``,                   service ``<course>``
                           ``read:groups!group=students``,
                           ``read:groups!group=formgrade-<course>``
                           (read-only: who the students and graders are)
``admin`` (built in)       everything                                             exactly ``admin_users`` from
                                                                                  settings, and no service: the
                                                                                  static lists make JupyterHub
                                                                                  revoke admin from anyone else
=========================  =====================================================  ==============================

Groups ``students``, ``instructors`` and ``formgrade-<course>`` are set from
the roster at each login (``workshop_hub.auth``). Instructors get nothing
beyond the course service: no access to students' servers.
"""

from __future__ import annotations

from . import names
from .course import course_service_name
from .services import IDLE_CULLER
from .settings import Settings

IDLE_CULLER_SCOPES = ["list:users", "read:users:activity", "read:servers", "delete:servers"]


def formgrade_role(course_id: str) -> dict:
    service = course_service_name(course_id)
    return {
        "name": names.formgrade_group(course_id),
        "description": f"Graders of {course_id}: use the shared formgrader service",
        "groups": [names.formgrade_group(course_id)],
        "scopes": [
            f"access:services!service={service}",
            "list:services",
            f"read:services!service={service}",
        ],
    }


def server_role(course_id: str) -> dict:
    service = course_service_name(course_id)
    return {
        "name": "server",
        "description": "Server tokens: post activity, reach own server, find the course service",
        "scopes": [
            "users:activity!user",
            "access:servers!server",
            "list:services",
            f"read:services!service={service}",
        ],
    }


def idle_culler_role() -> dict:
    return {
        "name": "idle-culler",
        "description": "Stop idle servers",
        "scopes": list(IDLE_CULLER_SCOPES),
        "services": [IDLE_CULLER],
    }


def grader_service_role(course_id: str) -> dict:
    return {
        "name": f"grader-{course_id}",
        "description": f"Course service {course_id}: read who the students and graders are",
        "scopes": [
            "list:users",
            "read:users:name",
            f"read:groups!group={names.STUDENTS_GROUP}",
            f"read:groups!group={names.formgrade_group(course_id)}",
        ],
        "services": [course_service_name(course_id)],
    }


def admin_role(settings: Settings) -> dict:
    """Membership only; JupyterHub forbids changing the admin role's scopes."""
    return {
        "name": "admin",
        "users": sorted({name.lower() for name in settings.admin_users}),
        "services": [],
    }


def load_roles(settings: Settings) -> list[dict]:
    return [
        admin_role(settings),
        formgrade_role(settings.course_id),
        server_role(settings.course_id),
        idle_culler_role(),
        grader_service_role(settings.course_id),
    ]


def configure_roles(c, settings: Settings) -> None:
    c.JupyterHub.load_roles = load_roles(settings)
