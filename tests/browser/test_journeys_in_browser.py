"""What a student and an instructor see in a real browser."""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import COURSE_ID, HUB_URL, as_student

from .conftest import goto, log_in, shot


def released_assignments() -> list[str]:
    proc = as_student("bob", f"ls /srv/nbgrader/exchange/{COURSE_ID}/outbound")
    return sorted(proc.stdout.split())


def test_student_sees_jupyterlab_with_released_assignment(page, hub, login):
    """Does a student who logs in see JupyterLab, and the Assignments panel listing the released assignment?"""
    login("bob").start_server()  # ensures bob's container exists for released_assignments()
    assignments = released_assignments()
    assert assignments, "the deployment released no assignment"

    log_in(page, "alice", hub["passwords"]["alice"])
    page.wait_for_url(re.compile(r"/user/alice/"), timeout=300_000)
    goto(page, f"{HUB_URL}/user/alice/lab?reset")
    expect(page.locator("#jp-main-dock-panel")).to_be_visible(timeout=120_000)
    shot(page, "student-jupyterlab")

    page.get_by_role("menuitem", name="Nbgrader").click()
    page.get_by_role("menuitem", name="Assignment List").click()
    panel = page.locator("#nbgrader-assignment-list")
    expect(panel).to_be_visible(timeout=60_000)
    expect(panel.get_by_text(assignments[0]).first).to_be_visible(timeout=60_000)
    shot(page, "student-assignments-panel")


def test_instructor_reaches_formgrader_with_course_assignments(page, hub):
    """Does an instructor reach a working formgrader page (in its own tab) that lists the course's assignments?"""
    log_in(page, "teacher", hub["passwords"]["teacher"])
    page.wait_for_url(re.compile(r"/(user|hub)/"), timeout=300_000)
    goto(page, f"{HUB_URL}/services/{COURSE_ID}/formgrader")
    # First visit may ask the hub for authorization; the service is configured to skip the prompt.
    expect(page.get_by_text("Manage Assignments").first).to_be_visible(timeout=120_000)
    assignments = released_assignments()
    expect(page.get_by_text(assignments[0]).first).to_be_visible(timeout=60_000)
    shot(page, "instructor-formgrader")
