"""Paths shared by the assignment suite (no third-party imports: also read from the plain test venv)."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AUTOGRADERS = REPO / "autograders"
# The runner passes GLACIER_DATA_DIR (or WORKSHOP_DATA_MIRROR, as tests/run-all does); otherwise the
# mirror beside the checkout (../shared/data), wherever the checkout is (CI clones elsewhere).
DATA_DIR = Path(os.environ.get("GLACIER_DATA_DIR") or os.environ.get("WORKSHOP_DATA_MIRROR")
                or REPO.parent / "shared" / "data")
