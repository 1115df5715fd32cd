"""Grading configuration: one TOML file, every key optional, defaults from docs/architecture.md.

Example (all keys shown with their defaults unless marked)::

    course_id = "glaciers-ml"
    course_dir = "/srv/course"                      # host path of the course directory
    exchange_dir = "/srv/nbgrader/exchange"         # host path of the exchange root
    db_url_file = "/etc/workshop/secrets/gradebook-url"   # or env WORKSHOP_GRADEBOOK_URL (no default)
    passwd_file = "/etc/workshop/passwd"            # hub's passwd map (file or folder): owner check ("" = off)
    output_dir = ""                                 # default: <course_dir>/grading

    [sandbox]
    image = ""            # default: env WORKSHOP_NOTEBOOK_IMAGE, else glacier-workshop/notebook:<version>
    workers = 0           # parallel submissions; 0 = number of cores
    memory = "2g"
    cpus = 1.0
    pids = 256
    user = "65534:65534"
    cell_timeout = 300    # seconds per cell (the course config says c.Execute.timeout = 300)
    notebook_timeout = 1800 # seconds per notebook (the container is killed 60 s later)
    max_output_chars = 200000   # per cell, while executing
    max_result_bytes = 67108864 # the executed notebook sent back
    data_dir = ""         # host folder mounted read-only at /srv/data (GLACIER_DATA_DIR)

    [late]
    method = "none"       # "none" | "zero" | "per_hour"
    percent_per_hour = 10 # per started hour after the grace period, of the notebook's score
    grace_minutes = 0

    [assignments.ps1]     # one table per assignment (optional)
    deadline = "2026-12-01T18:00:00+01:00"
    min_percent = 60      # ECTS threshold for this assignment (default: [ects].min_percent)

    [ects]
    min_percent = 60
    required = []         # assignments that count; [] = every assignment in the gradebook
    require_hand_grading = true   # an ungraded written answer makes the verdict "pending"
"""
from __future__ import annotations

import datetime as dt
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

LATE_METHODS = ("none", "zero", "per_hour")


class ConfigError(ValueError):
    """A setting is missing or wrong; the message names the key and the fix."""


@dataclass
class SandboxConfig:
    image: str = ""
    workers: int = 0
    memory: str = "2g"
    cpus: float = 1.0
    pids: int = 256
    user: str = "65534:65534"
    cell_timeout: int = 300
    notebook_timeout: int = 1800
    max_output_chars: int = 200_000
    max_result_bytes: int = 64 * 1024 * 1024
    data_dir: str = ""

    def resolved_image(self) -> str:
        return os.environ.get("WORKSHOP_NOTEBOOK_IMAGE") or self.image or f"glacier-workshop/notebook:{_version()}"

    def resolved_workers(self) -> int:
        return self.workers if self.workers > 0 else (os.cpu_count() or 1)


@dataclass
class LatePolicy:
    method: str = "none"
    percent_per_hour: float = 10.0
    grace_minutes: float = 0.0

    def penalty(self, score: float, seconds_late: float) -> float:
        """Points taken off a notebook that scored ``score`` and came ``seconds_late`` after its deadline."""
        if seconds_late is None or seconds_late <= self.grace_minutes * 60 or score <= 0:
            return 0.0
        if self.method == "zero":
            return float(score)
        if self.method == "per_hour":
            started_hours = -(-(seconds_late - self.grace_minutes * 60) // 3600)  # ceil
            return float(min(score, score * self.percent_per_hour / 100.0 * started_hours))
        return 0.0


@dataclass
class AssignmentRule:
    deadline: dt.datetime | None = None
    min_percent: float | None = None


@dataclass
class EctsRule:
    min_percent: float = 60.0
    required: list[str] = field(default_factory=list)
    require_hand_grading: bool = True


@dataclass
class GradingConfig:
    course_id: str = "glaciers-ml"
    course_dir: Path = Path("/srv/course")
    exchange_dir: Path = Path("/srv/nbgrader/exchange")
    db_url: str = ""
    passwd_file: str = "/etc/workshop/passwd"
    output_dir: Path | None = None
    sandbox: SandboxConfig = field(default_factory=SandboxConfig)
    late: LatePolicy = field(default_factory=LatePolicy)
    assignments: dict[str, AssignmentRule] = field(default_factory=dict)
    ects: EctsRule = field(default_factory=EctsRule)

    @property
    def grading_dir(self) -> Path:
        return self.output_dir or (self.course_dir / "grading")

    def deadline(self, assignment: str) -> dt.datetime | None:
        rule = self.assignments.get(assignment)
        return rule.deadline if rule else None

    def min_percent(self, assignment: str) -> float:
        rule = self.assignments.get(assignment)
        if rule and rule.min_percent is not None:
            return rule.min_percent
        return self.ects.min_percent

    def require_db_url(self) -> str:
        if not self.db_url:
            raise ConfigError(
                "no gradebook URL: set db_url_file in the grading config, or WORKSHOP_GRADEBOOK_URL "
                "(e.g. postgresql+psycopg2://nbgrader:PASSWORD@HOST/nbgrader)")
        return self.db_url


def _version() -> str:
    try:
        from importlib.metadata import version
        return version("workshop-autograders")
    except Exception:  # noqa: BLE001 - running from a checkout without installing
        version_file = Path(__file__).resolve().parents[2] / "images" / "VERSION"
        return version_file.read_text().strip() if version_file.exists() else "latest"


_TOP_KEYS = {"course_id", "course_dir", "exchange_dir", "db_url_file", "passwd_file", "output_dir",
             "sandbox", "late", "assignments", "ects"}


def _check_keys(table: dict, allowed: set[str], where: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ConfigError(f"unknown key {where}{unknown[0]!r}; allowed: {', '.join(sorted(allowed))}")


def _parse_time(value, key: str) -> dt.datetime:
    if isinstance(value, dt.datetime):
        parsed = value
    else:
        try:
            parsed = dt.datetime.fromisoformat(str(value))
        except ValueError as exc:
            raise ConfigError(f"{key}: not an ISO 8601 time ({value!r}), e.g. 2026-12-01T18:00:00+01:00") from exc
    if parsed.tzinfo is None:
        raise ConfigError(f"{key}: give a time zone offset ({value!r}), e.g. 2026-12-01T18:00:00+01:00")
    return parsed.astimezone(dt.timezone.utc)


def load_config(path: str | os.PathLike | None = None, **overrides) -> GradingConfig:
    """Read the TOML file (if any), then the environment, then keyword overrides (CLI flags)."""
    data: dict = {}
    if path:
        with open(path, "rb") as fh:
            try:
                data = tomllib.load(fh)
            except tomllib.TOMLDecodeError as exc:
                raise ConfigError(f"{path}: {exc}") from exc
    _check_keys(data, _TOP_KEYS, "")
    cfg = GradingConfig()
    for key in ("course_id", "passwd_file"):
        if key in data:
            setattr(cfg, key, str(data[key]))
    for key in ("course_dir", "exchange_dir"):
        if key in data:
            setattr(cfg, key, Path(data[key]))
    if data.get("output_dir"):
        cfg.output_dir = Path(data["output_dir"])
    if data.get("db_url_file"):
        cfg.db_url = Path(data["db_url_file"]).read_text().strip()

    sandbox = data.get("sandbox", {})
    _check_keys(sandbox, set(SandboxConfig.__dataclass_fields__), "sandbox.")
    for key, value in sandbox.items():
        setattr(cfg.sandbox, key, type(getattr(SandboxConfig(), key))(value))

    late = data.get("late", {})
    _check_keys(late, set(LatePolicy.__dataclass_fields__), "late.")
    for key, value in late.items():
        setattr(cfg.late, key, type(getattr(LatePolicy(), key))(value))
    if cfg.late.method not in LATE_METHODS:
        raise ConfigError(f"late.method: {cfg.late.method!r} is not one of {', '.join(LATE_METHODS)}")

    for name, table in data.get("assignments", {}).items():
        _check_keys(table, {"deadline", "min_percent"}, f"assignments.{name}.")
        rule = AssignmentRule()
        if "deadline" in table:
            rule.deadline = _parse_time(table["deadline"], f"assignments.{name}.deadline")
        if "min_percent" in table:
            rule.min_percent = float(table["min_percent"])
        cfg.assignments[name] = rule

    ects = data.get("ects", {})
    _check_keys(ects, set(EctsRule.__dataclass_fields__), "ects.")
    if "min_percent" in ects:
        cfg.ects.min_percent = float(ects["min_percent"])
    if "required" in ects:
        cfg.ects.required = [str(x) for x in ects["required"]]
    if "require_hand_grading" in ects:
        cfg.ects.require_hand_grading = bool(ects["require_hand_grading"])

    if not cfg.db_url:
        cfg.db_url = os.environ.get("WORKSHOP_GRADEBOOK_URL", "")
    for key, value in overrides.items():
        if value is None:
            continue
        if key in ("course_dir", "exchange_dir", "output_dir"):
            value = Path(value)
        if key in ("workers", "image"):
            setattr(cfg.sandbox, key, value)
        else:
            setattr(cfg, key, value)
    return cfg
