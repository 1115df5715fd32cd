"""The course: its id and the hub-side names nbgrader's multi-grader layout needs.

nbgrader's documented "one class, multiple graders" layout: a shared notebook
server runs as a hub service named after the course id; instructors reach it
through the group ``formgrade-<course_id>``, which holds
``access:services!service=<course_id>``. Here that server is the grader
container ``workshop-grader-<course_id>`` (UID 19000, course directory in the
volume ``workshop-course-<course_id>``), registered as an external service.

The formgrader opens in its own browser tab at ``/services/<course_id>/formgrader``
(the hub's "Services" menu links instructors to the service). It cannot live
in JupyterLab's iframe: JupyterHub 6 servers send
``Content-Security-Policy: frame-ancestors 'none'``, and allowing ``'self'``
would let any user's page frame any other on this single-origin hub, which
JupyterHub's security docs count as unsafe. We keep the CSP as it is.
"""

from __future__ import annotations

from . import names

SERVICE_PORT = 8888


def course_service_name(course_id: str) -> str:
    return course_id


def course_service_url(course_id: str) -> str:
    """Where the hub's proxy sends /services/<course_id>/ (inside workshop-net)."""
    return f"http://{names.grader_container(course_id)}:{SERVICE_PORT}"


def formgrader_path(course_id: str) -> str:
    return f"/services/{course_id}/formgrader"


def course_volume(course_id: str) -> str:
    return f"workshop-course-{course_id}"
