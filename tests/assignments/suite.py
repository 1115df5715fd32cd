"""Paths shared by the assignment suite (no third-party imports: also read from the plain test venv)."""

import os
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
AUTOGRADERS = REPO / "autograders"
# The runner passes GLACIER_DATA_DIR; on the development host the mirror is the default.
DATA_DIR = Path(os.environ.get("GLACIER_DATA_DIR", "/work/shared/data"))
