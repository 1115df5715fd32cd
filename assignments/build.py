"""Build the nbgrader source notebooks from their plain-text specs.

    python assignments/build.py            # write source/<assignment>/<assignment>.ipynb from specs/<assignment>.cells
    python assignments/build.py --check    # exit 1 if a committed notebook differs from its spec (the tests run this)

The specs are the reviewed, diffable truth; the notebooks are what nbgrader reads. A spec is a sequence of cells,
each opened by a header line:

    ##[markdown]                          instructions (no nbgrader metadata)
    ##[written id=NAME points=N]          manually graded markdown answer (model answer between BEGIN/END SOLUTION)
    ##[solution id=NAME]                  student code cell (solution between ### BEGIN/END SOLUTION)
    ##[tests id=NAME points=N]            autograded, locked test cell (hidden part between ### BEGIN/END HIDDEN TESTS)
    ##[setup id=NAME]                     locked code cell the student runs but does not edit (imports, data loading)

Everything up to the next header is the cell's source (surrounding blank lines dropped). Notebooks are written
without outputs or execution counts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SPECS = HERE / "specs"
SOURCE = HERE / "source"
HEADER = re.compile(r"^##\[(?P<kind>markdown|written|solution|tests|setup)(?P<attrs>(?: \w+=\S+)*)\]\s*$")
KERNEL = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _nbgrader(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution}
    if grade:
        meta["points"] = points
    return meta


def parse(text: str, origin: str) -> list[dict]:
    cells: list[dict] = []
    current = None
    for n, line in enumerate(text.splitlines(), 1):
        m = HEADER.match(line)
        if m:
            current = {"kind": m["kind"], "attrs": dict(a.split("=", 1) for a in m["attrs"].split()), "lines": [], "at": n}
            cells.append(current)
        elif current is None:
            if line.strip():
                raise SystemExit(f"{origin}:{n}: text before the first cell header")
        else:
            current["lines"].append(line)
    return cells


def to_notebook(cells: list[dict], origin: str) -> dict:
    nb_cells, seen = [], set()
    for c in cells:
        src = "\n".join(c["lines"]).strip("\n")
        kind, attrs = c["kind"], c["attrs"]
        gid = attrs.get("id")
        if kind != "markdown":
            if not gid:
                raise SystemExit(f"{origin}:{c['at']}: {kind} cell needs id=")
            if gid in seen:
                raise SystemExit(f"{origin}:{c['at']}: duplicate id {gid}")
            seen.add(gid)
        points = float(attrs["points"]) if "points" in attrs else None
        if kind in ("written", "tests") and not points:
            raise SystemExit(f"{origin}:{c['at']}: {kind} cell {gid} needs points=")
        if kind == "tests" and not src.startswith('"""'):
            raise SystemExit(f"{origin}:{c['at']}: test cell {gid} must start with a docstring saying what it checks")
        meta: dict = {}
        if kind == "written":
            meta["nbgrader"] = _nbgrader(gid, grade=True, solution=True, locked=False, points=points)
        elif kind == "solution":
            meta["nbgrader"] = _nbgrader(gid, grade=False, solution=True, locked=False)
        elif kind == "tests":
            meta["nbgrader"] = _nbgrader(gid, grade=True, solution=False, locked=True, points=points)
        elif kind == "setup":
            meta["nbgrader"] = _nbgrader(gid, grade=False, solution=False, locked=True)
        cell_type = "markdown" if kind in ("markdown", "written") else "code"
        cell = {"cell_type": cell_type, "id": gid or f"md-{len(nb_cells):02d}", "metadata": meta,
                "source": src.splitlines(keepends=True)}
        if cell_type == "code":
            cell.update(execution_count=None, outputs=[])
        nb_cells.append(cell)
    return {"cells": nb_cells, "metadata": {"kernelspec": KERNEL, "language_info": {"name": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def render(spec: Path) -> str:
    nb = to_notebook(parse(spec.read_text(encoding="utf-8"), str(spec)), str(spec))
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def targets() -> dict[Path, Path]:
    """spec -> notebook: ``header.cells`` is nbgrader's header notebook, every other spec is one assignment."""
    return {spec: SOURCE / "header.ipynb" if spec.stem == "header" else SOURCE / spec.stem / f"{spec.stem}.ipynb"
            for spec in sorted(SPECS.glob("*.cells"))}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--check", action="store_true", help="only compare; exit 1 if a notebook is stale")
    args = ap.parse_args()
    stale = []
    for spec, nb_path in targets().items():
        text = render(spec)
        if args.check:
            if not nb_path.is_file() or nb_path.read_text(encoding="utf-8") != text:
                stale.append(str(nb_path.relative_to(HERE)))
            continue
        nb_path.parent.mkdir(parents=True, exist_ok=True)
        nb_path.write_text(text, encoding="utf-8")
        print(f"wrote {nb_path.relative_to(HERE)}")
    if stale:
        print("stale notebooks (run python assignments/build.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
