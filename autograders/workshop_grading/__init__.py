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


def __getattr__(name):
    # Lazy imports: ``config`` works without nbgrader (unit tests, the hub), the steps need it.
    if name == "collect":
        from .collect import collect
        return collect
    if name == "autograde":
        from .autograde import autograde
        return autograde
    if name == "feedback":
        from .feedback import feedback
        return feedback
    if name == "export":
        from .export import export
        return export
    if name in ("write_sheet", "evaluate"):
        from . import ects
        return getattr(ects, name)
    if name == "write_report":
        from .report import write_report
        return write_report
    if name in ("run_all", "list_assignments"):
        from . import pipeline
        return getattr(pipeline, name)
    raise AttributeError(name)
