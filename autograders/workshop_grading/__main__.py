"""``python -m workshop_grading <step> [assignment ...]``: see README.md in this folder."""
from __future__ import annotations

import argparse
import sys

from .config import ConfigError, load_config

STEPS = ("collect", "autograde", "feedback", "export", "ects", "report", "all")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m workshop_grading",
                                description="The glaciers-ml grading pipeline (collect, sandboxed autograde, "
                                            "feedback, CSV export, ECTS sheet, HTML report).")
    p.add_argument("step", choices=STEPS)
    p.add_argument("assignments", nargs="*", help="assignments to work on (default: all in the gradebook)")
    p.add_argument("--config", help="grading TOML file (see docs/instructor-grading.md)")
    p.add_argument("--course-dir", help="course directory (host path); default /srv/course")
    p.add_argument("--exchange-dir", help="exchange root (host path); default /srv/nbgrader/exchange")
    p.add_argument("--course-id", help="default glaciers-ml")
    p.add_argument("--db-url", help="gradebook SQLAlchemy URL (better: WORKSHOP_GRADEBOOK_URL or db_url_file)")
    p.add_argument("--passwd-file", help="passwd map for the owner check of submissions ('' turns it off)")
    p.add_argument("--output-dir", help="where CSV/HTML go; default <course-dir>/grading")
    p.add_argument("--image", help="sandbox image (default: WORKSHOP_NOTEBOOK_IMAGE or glacier-workshop/notebook:<version>)")
    p.add_argument("--workers", type=int, help="submissions graded in parallel (default: number of cores)")
    p.add_argument("--force", action="store_true", help="autograde again even if the submission did not change")
    p.add_argument("--no-feedback", action="store_true", help="with 'all': do not generate/release feedback")
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        cfg = load_config(args.config, course_dir=args.course_dir, exchange_dir=args.exchange_dir,
                          course_id=args.course_id, db_url=args.db_url, passwd_file=args.passwd_file,
                          output_dir=args.output_dir, image=args.image, workers=args.workers)
        cfg.require_db_url()
    except ConfigError as exc:
        print(f"workshop_grading: {exc}", file=sys.stderr)
        return 2

    from . import pipeline
    from .autograde import autograde
    from .collect import collect
    from .ects import write_sheet
    from .export import export
    from .feedback import feedback
    from .report import write_report

    assignments = args.assignments or (pipeline.list_assignments(cfg) if args.step in ("collect", "autograde", "feedback") else [])
    failed = []
    if args.step == "all":
        result = pipeline.run_all(cfg, args.assignments or None, force=args.force, release_feedback=not args.no_feedback)
        for name, summary in result.autograded.items():
            _print_summary(summary)
        print("\n".join(result.outputs))
        failed = result.failed
    elif args.step == "collect":
        for a in assignments:
            r = collect(cfg, a)
            print(f"{a}: collected {len(r.collected)}, unchanged {len(r.unchanged)}, rejected {len(r.rejected)}")
            for folder, reasons in r.rejected.items():
                print(f"  rejected {folder}: {'; '.join(reasons)}")
    elif args.step == "autograde":
        for a in assignments:
            summary = autograde(cfg, a, force=args.force)
            _print_summary(summary)
            failed += [s.student for s in summary.statuses if s.state == "failed"]
    elif args.step == "feedback":
        for a in assignments:
            feedback(cfg, a)
            print(f"{a}: feedback generated and released")
    elif args.step == "export":
        print("\n".join(str(p) for p in export(cfg)))
    elif args.step == "ects":
        print("\n".join(str(p) for p in write_sheet(cfg)))
    elif args.step == "report":
        print(write_report(cfg))
    if failed:
        print(f"autograding failed for: {', '.join(failed)} (see the logs in the grading folder)", file=sys.stderr)
        return 1
    return 0


def _print_summary(summary) -> None:
    print(f"{summary.assignment}: {len(summary.statuses)} submissions in {summary.seconds:.1f} s")
    for s in summary.statuses:
        print(f"  {s.student}: {s.state}" + (f" ({'; '.join(s.flags)})" if s.flags else ""))


if __name__ == "__main__":
    sys.exit(main())
