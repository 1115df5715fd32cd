"""The ECTS result sheet: per student each assignment's score, the rule's verdict and why.

The rule is configuration ([ects] and [assignments.<name>] in the grading TOML): a student
passes when every required assignment reaches its minimum percentage of the autograded plus
hand-graded points (after late penalties). A written answer not yet hand-graded makes the
verdict "pending" instead of a fail, so no one fails for the instructors' backlog.
"""
from __future__ import annotations

import csv
import html
from dataclasses import dataclass, field
from pathlib import Path

from .config import GradingConfig
from .gradebook import read_scores, refresh_late_penalties
from .util import chown_like

PASS, FAIL, PENDING = "pass", "fail", "pending"


@dataclass
class AssignmentResult:
    assignment: str
    score: float
    max_score: float
    percent: float
    threshold: float
    submitted: bool
    needs_manual_grade: bool
    late_penalty: float


@dataclass
class StudentVerdict:
    student: str
    verdict: str
    reasons: list[str] = field(default_factory=list)
    results: list[AssignmentResult] = field(default_factory=list)


def evaluate(cfg: GradingConfig) -> tuple[list[str], list[StudentVerdict]]:
    """(the assignments the rule counts, one verdict per student)."""
    refresh_late_penalties(cfg)
    students, assignments, scores, max_scores = read_scores(cfg)
    required = cfg.ects.required or assignments
    verdicts = []
    for student in students:
        verdict = StudentVerdict(student, PASS)
        pending = False
        for assignment in required:
            threshold = cfg.min_percent(assignment)
            sub = scores.get((student, assignment))
            max_score = max_scores.get(assignment, 0.0)
            if sub is None:
                verdict.results.append(AssignmentResult(assignment, 0.0, max_score, 0.0, threshold, False, False, 0.0))
                verdict.verdict = FAIL
                verdict.reasons.append(f"{assignment}: not submitted")
                continue
            percent = 100.0 * sub.score / sub.max_score if sub.max_score else 0.0
            verdict.results.append(AssignmentResult(assignment, sub.score, sub.max_score, percent, threshold, True,
                                                    sub.needs_manual_grade, sub.penalty))
            late = f" after a late penalty of {sub.penalty:g}" if sub.penalty else ""
            if percent + 1e-9 >= threshold:
                verdict.reasons.append(f"{assignment}: {sub.score:g}/{sub.max_score:g} = {percent:.1f} % >= {threshold:g} %{late}")
            elif (sub.needs_manual_grade and cfg.ects.require_hand_grading
                  and _best_possible(sub) + 1e-9 >= threshold * sub.max_score / 100.0):
                pending = True
                verdict.reasons.append(f"{assignment}: {sub.score:g}/{sub.max_score:g} = {percent:.1f} % so far; "
                                       f"hand grading pending")
            else:
                verdict.verdict = FAIL
                verdict.reasons.append(f"{assignment}: {sub.score:g}/{sub.max_score:g} = {percent:.1f} % < {threshold:g} %{late}")
        if verdict.verdict == PASS and pending:
            verdict.verdict = PENDING
        verdicts.append(verdict)
    return required, verdicts


def _best_possible(sub) -> float:
    """The score if every answer still waiting for hand grading got full marks."""
    return sub.score + sum(c.max_score for c in sub.cells if not c.graded)


def write_sheet(cfg: GradingConfig) -> tuple[Path, Path]:
    """Write ``ects.csv`` and ``ects.html`` to the grading folder; returns both paths."""
    required, verdicts = evaluate(cfg)
    out = cfg.grading_dir
    out.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = out / "ects.csv", out / "ects.html"
    with csv_path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        header = ["student_id"]
        for assignment in required:
            header += [f"{assignment}_score", f"{assignment}_max", f"{assignment}_percent"]
        writer.writerow(header + ["verdict", "reasons"])
        for v in verdicts:
            row = [v.student]
            for r in v.results:
                row += [f"{r.score:.2f}", f"{r.max_score:.2f}", f"{r.percent:.2f}"]
            writer.writerow(row + [v.verdict, "; ".join(v.reasons)])
    html_path.write_text(_html(cfg, required, verdicts))
    chown_like(cfg.course_dir, out)
    return csv_path, html_path


def _html(cfg: GradingConfig, required: list[str], verdicts: list[StudentVerdict]) -> str:
    e = html.escape
    rule = ", ".join(f"{a} >= {cfg.min_percent(a):g} %" for a in required)
    head = "".join(f"<th>{e(a)}</th>" for a in required)
    rows = []
    for v in verdicts:
        cells = "".join(
            f"<td class='{'ok' if r.percent + 1e-9 >= r.threshold else 'low'}'>"
            f"{r.score:g}/{r.max_score:g}<br><small>{r.percent:.1f} %</small></td>" if r.submitted
            else "<td class='low'>not submitted</td>" for r in v.results)
        reasons = "<br>".join(e(x) for x in v.reasons)
        rows.append(f"<tr><th>{e(v.student)}</th>{cells}<td class='{v.verdict}'>{v.verdict}</td><td>{reasons}</td></tr>")
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ECTS sheet: {e(cfg.course_id)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left;vertical-align:top}}
.pass{{background:#d9f2d9}}.fail{{background:#f8d7d7}}.pending{{background:#fff3cd}}.low{{color:#a00}}</style></head>
<body><h1>ECTS sheet: {e(cfg.course_id)}</h1>
<p>Rule: every required assignment reaches its minimum share of autograded and hand-graded points
(after late penalties): {e(rule)}. Written answers not yet graded make the verdict <em>pending</em>.</p>
<table><tr><th>student</th>{head}<th>verdict</th><th>why</th></tr>
{''.join(rows)}
</table></body></html>
"""
