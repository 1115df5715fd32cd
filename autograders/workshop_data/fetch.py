"""Fill a data directory with every file in the manifest and verify each sha256.

    python -m workshop_data.fetch --dest /srv/workshop/data --mirror /work/shared/data
    python -m workshop_data.fetch --dest /srv/workshop/data --upstream
    python -m workshop_data.fetch --dest /srv/workshop/data --check       # verify only, fetch nothing

Sources are tried in order: the mirror folder (same ``<dataset>/<file>`` layout), then, with ``--upstream``,
the file's URL at a fixed commit. Every file is written to a temporary name beside its target, hashed while
written, and renamed into place only when its sha256 matches, so an interrupted or corrupted fetch never
leaves a file that looks complete. Files already present and verified are skipped, so a second run does nothing.
Exit status 0 when every file is present and verified, 1 otherwise (each problem is printed, naming the file).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import sys
import tempfile
import urllib.request
from pathlib import Path

from . import manifest, sha256_of


class FetchError(Exception):
    """A file could not be put in place; the message names the dataset, the file and where it looked."""


class ChecksumError(FetchError):
    """A file's bytes do not match the manifest's sha256."""


def _copy_verified(src_open, target: Path, rec: dict, origin: str) -> None:
    """Stream ``src_open()`` into a temp file beside ``target``; rename it into place only if the sha256 matches."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    h = hashlib.sha256()
    try:
        with os.fdopen(fd, "wb") as out, src_open() as src:
            while block := src.read(1 << 20):
                h.update(block)
                out.write(block)
        if h.hexdigest() != rec["sha256"]:
            raise ChecksumError(
                f"checksum mismatch for {rec['dataset']}/{rec['path']} from {origin}: expected sha256 {rec['sha256']}, "
                f"got {h.hexdigest()}; the file was changed or corrupted and was not installed")
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def fetch_one(rec: dict, dest: Path, mirror: Path | None, upstream: bool, timeout: float = 60) -> str:
    """Put one manifest file in place under ``dest``. Returns 'verified' (already there) or the source used."""
    target = dest / rec["dataset"] / rec["path"]
    if target.is_file() and sha256_of(target) == rec["sha256"]:
        return "verified"
    looked = []
    if mirror is not None:
        src = mirror / rec["dataset"] / rec["path"]
        if src.is_file():
            _copy_verified(lambda: open(src, "rb"), target, rec, str(src))
            return "mirror"
        looked.append(str(src))
    if upstream and rec.get("url"):
        _copy_verified(lambda: urllib.request.urlopen(rec["url"], timeout=timeout), target, rec, rec["url"])
        return "upstream"
    if upstream:
        looked.append("upstream (none: this file was derived for the workshop and exists only in a mirror)")
    if not looked:
        looked.append("nowhere: give --mirror DIR and/or --upstream")
    raise FetchError(f"missing file {rec['path']!r} of dataset {rec['dataset']!r}: looked in {'; '.join(looked)}")


def check_one(rec: dict, dest: Path) -> str:
    target = dest / rec["dataset"] / rec["path"]
    if not target.is_file():
        raise FetchError(f"missing file {rec['path']!r} of dataset {rec['dataset']!r}: looked for {target}")
    got = sha256_of(target)
    if got != rec["sha256"]:
        raise ChecksumError(f"checksum mismatch for {rec['dataset']}/{rec['path']} at {target}: "
                            f"expected sha256 {rec['sha256']}, got {got}")
    return "verified"


def run(dest: Path, mirror: Path | None = None, upstream: bool = False, check: bool = False,
        only: list[str] | None = None, out=None) -> int:
    """Fetch (or, with ``check``, only verify) every manifest file; print one line per problem and a summary."""
    out = out or sys.stdout
    recs = [r for r in manifest()["files"] if not only or r["dataset"] in only]
    counts: dict[str, int] = {}
    errors: list[str] = []
    for rec in recs:
        try:
            how = check_one(rec, dest) if check else fetch_one(rec, dest, mirror, upstream)
        except FetchError as exc:
            errors.append(str(exc))
            print(f"ERROR: {exc}", file=out)
            continue
        counts[how] = counts.get(how, 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "nothing"
    print(f"{len(recs)} files in manifest: {summary}; {len(errors)} errors (dest {dest})", file=out)
    return 1 if errors else 0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m workshop_data.fetch", description=__doc__.split("\n\n")[0])
    ap.add_argument("--dest", required=True, type=Path, help="data directory to fill (the hub mounts it at /srv/data)")
    ap.add_argument("--mirror", type=Path, help="folder with the same <dataset>/<file> layout to copy from")
    ap.add_argument("--upstream", action="store_true", help="download files missing from the mirror from their pinned URL")
    ap.add_argument("--check", action="store_true", help="only verify what is in --dest; fetch nothing")
    ap.add_argument("--dataset", action="append", help="limit to this dataset (repeatable)")
    args = ap.parse_args(argv)
    if not (args.check or args.mirror or args.upstream):
        ap.error("give --mirror DIR, --upstream, or --check")
    if args.mirror is not None and not args.mirror.is_dir():
        ap.error(f"--mirror {args.mirror} is not a directory")
    return run(args.dest, args.mirror, args.upstream, args.check, args.dataset)


if __name__ == "__main__":
    sys.exit(main())
