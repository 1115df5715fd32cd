"""Print how long each instructor solution notebook takes to run, on the CPU and (when torch sees one) on the GPU.

    GLACIER_DATA_DIR=/srv/data python bench/assignments.py [a1_pandas ...]

Each notebook of assignments/source runs top to bottom in a fresh kernel (`jupyter nbconvert --execute`, the same
machinery nbgrader uses), once with CUDA hidden (CUDA_VISIBLE_DEVICES="") and once with it visible if a GPU exists.
A figure, not a test: it prints seconds per notebook and the total, and fails only if a notebook raises.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCE = REPO / "assignments" / "source"


def gpu_available() -> bool:
    proc = subprocess.run([sys.executable, "-c", "import torch; print(torch.cuda.is_available())"],
                          capture_output=True, text=True)
    return proc.stdout.strip() == "True"


def run_notebook(nb: Path, env: dict) -> float:
    with tempfile.TemporaryDirectory() as out:
        t0 = time.perf_counter()
        proc = subprocess.run([sys.executable, "-m", "jupyter", "nbconvert", "--to", "notebook", "--execute",
                               "--ExecutePreprocessor.timeout=600", "--output-dir", out, str(nb)],
                              cwd=nb.parent, env=env, capture_output=True, text=True)
        seconds = time.perf_counter() - t0
    if proc.returncode != 0:
        raise SystemExit(f"{nb.name} failed:\n{proc.stderr[-3000:]}")
    return seconds


def main(names: list[str]) -> None:
    notebooks = sorted(p for p in SOURCE.glob("*/*.ipynb") if not names or p.parent.name in names)
    env = dict(os.environ, MPLBACKEND="Agg")
    env.setdefault("GLACIER_DATA_DIR", "/srv/data")
    autograders = str(REPO / "autograders")  # harmless when workshop-autograders is installed
    env["PYTHONPATH"] = os.pathsep.join(p for p in (autograders, env.get("PYTHONPATH", "")) if p)
    env["PATH"] = os.pathsep.join((str(Path(sys.executable).parent), env.get("PATH", "")))
    devices = {"cpu": dict(env, CUDA_VISIBLE_DEVICES="")}
    if gpu_available():
        devices["gpu"] = env
    print(f"{os.cpu_count()} CPU cores; devices: {', '.join(devices)}; data: {env['GLACIER_DATA_DIR']}")
    print(f"{'notebook':<32}" + "".join(f"{d + ' (s)':>10}" for d in devices))
    totals = dict.fromkeys(devices, 0.0)
    for nb in notebooks:
        row = f"{nb.parent.name:<32}"
        for device, denv in devices.items():
            seconds = run_notebook(nb, denv)
            totals[device] += seconds
            row += f"{seconds:>10.1f}"
        print(row, flush=True)
    print(f"{'total':<32}" + "".join(f"{totals[d]:>10.1f}" for d in devices))


if __name__ == "__main__":
    main(sys.argv[1:])
