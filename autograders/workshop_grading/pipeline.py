"""All steps in order, for every assignment (or the ones named)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .autograde import AutogradeSummary, autograde
from .collect import CollectResult, collect
from .config import GradingConfig
from .ects import write_sheet
from .export import export
from .feedback import feedback
from .gradebook import open_gradebook
from .report import write_report


def list_assignments(cfg: GradingConfig) -> list[str]:
    """Assignments in the gradebook (those ``nbgrader generate_assignment`` has seen)."""
    with open_gradebook(cfg) as gb:
        return sorted(a.name for a in gb.assignments)


@dataclass
class RunResult:
    collected: dict[str, CollectResult] = field(default_factory=dict)
    autograded: dict[str, AutogradeSummary] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)

    @property
    def failed(self) -> list[str]:
        return [f"{s.assignment}/{s.student}" for summary in self.autograded.values()
                for s in summary.statuses if s.state == "failed"]


def run_all(cfg: GradingConfig, assignments: list[str] | None = None, force: bool = False,
            release_feedback: bool = True) -> RunResult:
    result = RunResult()
    for assignment in assignments or list_assignments(cfg):
        result.collected[assignment] = collect(cfg, assignment)
        result.autograded[assignment] = autograde(cfg, assignment, force=force)
        if release_feedback:
            feedback(cfg, assignment)
    result.outputs += [str(p) for p in export(cfg)]
    result.outputs += [str(p) for p in write_sheet(cfg)]
    result.outputs.append(str(write_report(cfg)))
    return result
