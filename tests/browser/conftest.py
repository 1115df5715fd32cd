"""Playwright driving Debian's chromium (no browser download) against the deployed hub."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.conftest import hub, issued_passwords, login, unique  # noqa: F401 - shared fixtures

ARTIFACTS = Path(os.environ.get("WORKSHOP_ARTIFACTS", Path(__file__).resolve().parents[2] / "artifacts")) / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(ignore_https_errors=True, viewport={"width": 1400, "height": 900})
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    failed = getattr(request.node, "rep_call", None) is not None and request.node.rep_call.failed
    suffix = "-FAILED" if failed else "-end"
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}{suffix}.png"), full_page=True)
    if failed:
        print(f"page URL at failure: {page.url}")
        print(page.content()[:5000])
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    rep = outcome.get_result()
    setattr(item, f"rep_{rep.when}", rep)


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def goto(page, url: str, attempts: int = 5):
    """page.goto, again when chromium reports ERR_NETWORK_CHANGED.

    Chromium aborts a navigation when a network interface appears or goes, and on a Docker host
    every container start or stop adds or removes one; that says nothing about the hub.
    """
    for attempt in range(attempts):
        try:
            return page.goto(url)
        except Exception as exc:  # playwright's Error
            network_changed = "ERR_NETWORK_CHANGED" in str(exc) or "chrome-error://" in str(exc)
            if not network_changed or attempt == attempts - 1:
                raise
            page.wait_for_timeout(1000)


def log_in(page, username: str, password: str) -> None:
    """Log in through the hub's login form, as a person does."""
    from tests.e2e.conftest import HUB_URL

    goto(page, f"{HUB_URL}/hub/login")
    page.fill("#username_input", username)
    page.fill("#password_input", password)
    page.click("#login_submit")
