"""The instructors' grading pipeline for the glaciers-ml workshop (issue #5).

Steps, each a function taking a :class:`GradingConfig` (and the CLI ``python -m workshop_grading``):

* :func:`collect`     exchange inbound -> ``submitted/``, submission time from the collector (ctime)
* :func:`autograde`   nbgrader autograde, each notebook executed in a locked-down container, in parallel
* :func:`feedback`    nbgrader generate_feedback + release_feedback
* :func:`export`      ``grades.csv`` and ``grade-cells.csv``
* :func:`write_sheet` ``ects.csv`` and ``ects.html`` (the configured ECTS rule, verdict and why)
* :func:`write_report` ``report.html`` (score distributions per assignment and grade cell)
* :func:`run_all`     all of the above

docs/instructor-grading.md explains the design and the configuration.
"""
from .config import ConfigError, GradingConfig, load_config

__all__ = ["ConfigError", "GradingConfig", "load_config", "collect", "autograde", "feedback", "export",
           "write_sheet", "evaluate", "write_report", "run_all", "list_assignments"]


try:
    # The step functions shadow their modules' names on purpose (``workshop_grading.collect(cfg, a)``).
    from .autograde import autograde
    from .collect import collect
    from .ects import evaluate, write_sheet
    from .export import export
    from .feedback import feedback
    from .pipeline import list_assignments, run_all
    from .report import write_report
except ImportError as exc:  # no nbgrader here (the hub, unit tests): only the configuration is usable
    _missing = exc

    def __getattr__(name):
        raise ImportError(f"workshop_grading.{name} needs nbgrader: {_missing}")
