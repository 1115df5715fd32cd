"""Unit tests of the hub configuration: no Docker, no network, no running hub."""

import os
import sys
from types import SimpleNamespace

import pytest

HUB_DIR = os.path.join(os.path.dirname(__file__), "..", "..", "hub")
sys.path.insert(0, os.path.abspath(HUB_DIR))

from workshop_hub.roster import parse_roster  # noqa: E402
from workshop_hub.settings import settings_from_dict  # noqa: E402

IMAGE = "glacier-workshop/notebook:2026.11.0"

ROSTER_CSV = """username,role,name,email
Anna.Lund,instructor,Anna Lund,anna.lund@example.org
Øyvind,student,Øyvind Berg,oyvind@example.org
bob,student,Bob,
"""


@pytest.fixture
def make_settings():
    def make(**overrides):
        data = {"notebook_image": IMAGE}
        data.update(overrides)
        return settings_from_dict(data)

    return make


@pytest.fixture
def settings(make_settings):
    return make_settings()


@pytest.fixture
def roster():
    return parse_roster(ROSTER_CSV, source="roster.csv")


def fake_user(name, uid):
    return SimpleNamespace(name=name, id=uid, url=f"/user/{name}/", server=None, settings={}, spawners={})


@pytest.fixture
def make_user():
    return fake_user
