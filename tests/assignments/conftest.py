"""Shared settings for the assignment suite: where the glacier data is, and the autograders on sys.path."""

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
AUTOGRADERS = REPO / "autograders"
if str(AUTOGRADERS) not in sys.path:  # inside the notebook image the package is installed; here it is not
    sys.path.insert(0, str(AUTOGRADERS))

# The runner passes GLACIER_DATA_DIR; on the development host the mirror is the default.
DATA_DIR = Path(os.environ.get("GLACIER_DATA_DIR", "/work/shared/data"))


@pytest.fixture(scope="session")
def data_dir() -> Path:
    if not DATA_DIR.is_dir():
        pytest.fail(f"glacier data not found at {DATA_DIR} (set GLACIER_DATA_DIR)")
    return DATA_DIR
