"""Hub pages: our template additions (workshop_hub/templates) and the values they use."""

from __future__ import annotations

import os

from .settings import Settings

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")


def configure_ui(c, settings: Settings) -> None:
    c.JupyterHub.template_paths = [TEMPLATES]
    c.JupyterHub.template_vars = {
        "workshop_course_id": settings.course_id,
        "workshop_password_page": settings.auth_mode == "password",
    }
