"""Do our hub pages extend JupyterHub's instead of replacing them?"""

import os

from traitlets.config import Config

from workshop_hub.ui import TEMPLATES, configure_ui


def test_templates_and_vars(make_settings):
    c = Config()
    configure_ui(c, make_settings(course_id="glaciers-101"))
    assert c.JupyterHub.template_paths == [TEMPLATES]
    assert c.JupyterHub.template_vars == {"workshop_course_id": "glaciers-101", "workshop_password_page": True}


def test_no_password_link_with_oauth(make_settings):
    c = Config()
    configure_ui(c, make_settings(auth_mode="github", oauth_callback_url="https://h.example.org/hub/oauth_callback"))
    assert c.JupyterHub.template_vars["workshop_password_page"] is False


def test_page_extends_jupyterhubs_own():
    with open(os.path.join(TEMPLATES, "page.html"), encoding="utf-8") as f:
        text = f.read()
    assert '{% extends "templates/page.html" %}' in text
    assert "{{ super() }}" in text
