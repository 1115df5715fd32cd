"""Is the grading configuration read strictly, and is the late policy's arithmetic right? (no Docker)"""
from __future__ import annotations

import sys

import pytest

from tests.grading.conftest import AUTOGRADERS

sys.path.insert(0, str(AUTOGRADERS))
from workshop_grading.config import ConfigError, LatePolicy, load_config  # noqa: E402


def test_late_policy_per_started_hour_and_zero():
    per_hour = LatePolicy("per_hour", percent_per_hour=10, grace_minutes=5)
    assert per_hour.penalty(8.0, 4 * 60) == 0.0                 # within grace
    assert per_hour.penalty(8.0, 6 * 60) == pytest.approx(0.8)  # first started hour after grace
    assert per_hour.penalty(8.0, 65 * 60 + 1) == pytest.approx(1.6)
    assert per_hour.penalty(8.0, 100 * 3600) == 8.0             # never more than the score
    assert LatePolicy("zero").penalty(7.0, 1) == 7.0
    assert LatePolicy("none").penalty(7.0, 10**6) == 0.0


def test_unknown_keys_and_bad_values_name_the_key(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKSHOP_GRADEBOOK_URL", raising=False)
    path = tmp_path / "g.toml"
    path.write_text('[sandbox]\ncell_timout = 3\n')
    with pytest.raises(ConfigError, match="sandbox.'cell_timout'"):
        load_config(path)
    path.write_text('[late]\nmethod = "sometimes"\n')
    with pytest.raises(ConfigError, match="late.method"):
        load_config(path)
    path.write_text('[assignments.ps1]\ndeadline = "2026-12-01T18:00:00"\n')
    with pytest.raises(ConfigError, match="time zone"):
        load_config(path)
    with pytest.raises(ConfigError, match="WORKSHOP_GRADEBOOK_URL"):
        load_config(None).require_db_url()


def test_deadline_thresholds_and_overrides(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKSHOP_NOTEBOOK_IMAGE", "some/image:tag")
    path = tmp_path / "g.toml"
    path.write_text('[assignments.ps1]\ndeadline = "2026-12-01T18:00:00+01:00"\nmin_percent = 50\n'
                    '[ects]\nmin_percent = 60\n')
    cfg = load_config(path, workers=3, course_dir="/x")
    assert cfg.deadline("ps1").isoformat() == "2026-12-01T17:00:00+00:00"
    assert cfg.min_percent("ps1") == 50 and cfg.min_percent("other") == 60
    assert cfg.sandbox.resolved_workers() == 3 and str(cfg.course_dir) == "/x"
    assert cfg.sandbox.resolved_image() == "some/image:tag"
