"""HTML report for instructors: score distributions per assignment and per grade cell.

Charts are inline SVG (no plotting library, no files beside the page). A grade cell that almost
nobody passes, or that everybody passes, is highlighted: often a broken question or test.
"""
from __future__ import annotations

import html
from collections import defaultdict
from pathlib import Path

from .autograde import status_path
from .config import GradingConfig
from .gradebook import read_scores, refresh_late_penalties
from .util import chown_like, read_json

BAR_W, BAR_H = 28, 120


def _histogram(percents: list[float], title: str) -> str:
    bins = [0] * 10
    for p in percents:
        bins[min(int(p // 10), 9)] += 1
    top = max(bins) or 1
    bars = []
    for i, count in enumerate(bins):
        h = BAR_H * count / top
        x = 30 + i * (BAR_W + 4)
        bars.append(f"<rect x='{x}' y='{10 + BAR_H - h:.1f}' width='{BAR_W}' height='{h:.1f}' fill='#4a7ab5'>"
                    f"<title>{i * 10}-{i * 10 + 10} %: {count}</title></rect>"
                    f"<text x='{x + BAR_W / 2}' y='{BAR_H + 24}' font-size='9' text-anchor='middle'>{i * 10}</text>"
                    + (f"<text x='{x + BAR_W / 2}' y='{6 + BAR_H - h:.1f}' font-size='9' text-anchor='middle'>{count}</text>" if count else ""))
    width = 30 + 10 * (BAR_W + 4) + 10
    return (f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{BAR_H + 40}' role='img' "
            f"aria-label='{html.escape(title)}'><line x1='28' y1='{BAR_H + 10}' x2='{width}' y2='{BAR_H + 10}' stroke='#333'/>"
            + "".join(bars) + f"<text x='{width / 2}' y='{BAR_H + 38}' font-size='10' text-anchor='middle'>% of points</text></svg>")


def _cell_bar(full: int, partial: int, zero: int) -> str:
    total = max(full + partial + zero, 1)
    w = 240
    parts, x = [], 0.0
    for count, colour, label in ((full, "#3c9a5f", "full"), (partial, "#e0b040", "partial"), (zero, "#c84646", "zero")):
        width = w * count / total
        if count:
            parts.append(f"<rect x='{x:.1f}' y='0' width='{width:.1f}' height='16' fill='{colour}'><title>{label}: {count}</title></rect>")
        x += width
    return f"<svg xmlns='http://www.w3.org/2000/svg' width='{w}' height='16'>{''.join(parts)}</svg>"


def write_report(cfg: GradingConfig) -> Path:
    refresh_late_penalties(cfg)
    students, assignments, scores, max_scores = read_scores(cfg)
    e = html.escape
    sections = []
    for assignment in assignments:
        subs = [s for (student, a), s in scores.items() if a == assignment]
        percents = [100.0 * s.score / s.max_score for s in subs if s.max_score]
        mean = sum(percents) / len(percents) if percents else 0.0
        cells: dict[str, list] = defaultdict(list)
        for s in subs:
            for c in s.cells:
                cells[c.name].append(c)
        rows = []
        for name, grades in sorted(cells.items()):
            graded = [g for g in grades if g.graded]
            full = sum(1 for g in graded if g.score >= g.max_score)
            zero = sum(1 for g in graded if g.score <= 0)
            partial = len(graded) - full - zero
            mean_cell = sum(g.score for g in graded) / len(graded) if graded else 0.0
            max_cell = grades[0].max_score
            warn = ""
            if len(graded) >= 3 and full == 0:
                warn = "nobody got full marks: check the question and its test"
            elif len(graded) >= 3 and zero == 0 and grades[0].auto and full == len(graded):
                warn = "everybody passed: is the test strict enough?"
            rows.append(f"<tr class='{'warn' if warn else ''}'><td>{e(name)}</td><td>{'auto' if grades[0].auto else 'hand'}</td>"
                        f"<td>{mean_cell:.2f} / {max_cell:g}</td><td>{len(graded)}/{len(grades)}</td>"
                        f"<td>{_cell_bar(full, partial, zero)}</td><td>{e(warn)}</td></tr>")
        flagged = []
        for s in sorted(subs, key=lambda s: s.student):
            flags = read_json(status_path(cfg, assignment, s.student), {}).get("flags", [])
            if flags or s.penalty:
                items = [e(f) for f in flags] + ([f"late by {s.seconds_late / 3600:.1f} h, penalty {s.penalty:g}"] if s.penalty else [])
                flagged.append(f"<li><b>{e(s.student)}</b>: {'; '.join(items)}</li>")
        sections.append(
            f"<section><h2>{e(assignment)}</h2><p>{len(subs)} of {len(students)} students submitted; "
            f"mean {mean:.1f} % of {max_scores.get(assignment, 0):g} points.</p>"
            f"{_histogram(percents, assignment)}"
            f"<h3>Per grade cell</h3><table><tr><th>cell</th><th>graded by</th><th>mean</th><th>graded</th>"
            f"<th>full / partial / zero</th><th>note</th></tr>{''.join(rows)}</table>"
            + (f"<h3>Flags</h3><ul>{''.join(flagged)}</ul>" if flagged else "") + "</section>")
    page = f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Grading report: {e(cfg.course_id)}</title>
<style>body{{font-family:sans-serif;margin:2em}}table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.3em .6em;text-align:left}}
tr.warn td{{background:#fff3cd}}section{{margin-bottom:3em}}</style></head>
<body><h1>Grading report: {e(cfg.course_id)}</h1>
{''.join(sections) or '<p>No assignments in the gradebook.</p>'}
</body></html>
"""
    out = cfg.grading_dir / "report.html"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(page)
    chown_like(cfg.course_dir, out)
    return out
