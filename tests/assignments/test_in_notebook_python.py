"""Does the assignment suite pass when run with the notebook stack (from a test venv that lacks it)?"""

import os
import subprocess
import sys
from pathlib import Path

from tests.assignments.suite import DATA_DIR, REPO

HERE = Path(__file__).resolve().parent


def _notebook_python() -> str | None:
    for candidate in (os.environ.get("WORKSHOP_NOTEBOOK_PYTHON", ""), str(REPO / ".venv-notebook" / "bin" / "python")):
        if candidate and Path(candidate).is_file():
            return candidate
    return None


def test_assignment_suite_in_notebook_python():
    """Run tests/assignments with the notebook image's Python stack and require it to pass."""
    python = _notebook_python()
    assert python, ("the assignment suite needs the notebook stack (pandas, scikit-learn, nbgrader, torch): set "
                    f"WORKSHOP_NOTEBOOK_PYTHON or create {REPO / '.venv-notebook'} (it is not in {sys.executable})")
    env = dict(os.environ, GLACIER_DATA_DIR=str(DATA_DIR))
    proc = subprocess.run([python, "-m", "pytest", "-p", "no:cacheprovider", "-s", "-ra", str(HERE)], cwd=REPO,
                          env=env, capture_output=True, text=True, timeout=3600)
    print(proc.stdout[-20000:])
    assert proc.returncode == 0, f"tests/assignments failed under {python}:\n{proc.stdout[-8000:]}\n{proc.stderr[-3000:]}"
