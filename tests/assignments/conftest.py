"""Set-up of the assignment suite: the notebook stack, the autograders on sys.path, and where the glacier data is.

The suite needs the notebook image's Python stack (pandas, scikit-learn, nbgrader, torch for a6). Inside the
notebook image, or with `.venv-notebook`, it runs directly. From the hub/test venv of `tests/run-all`, which lacks
that stack, only `test_in_notebook_python.py` is collected: it runs this same suite with a notebook Python
(WORKSHOP_NOTEBOOK_PYTHON, else `.venv-notebook`) and fails, naming both, when none is there.
"""

import importlib.util
import sys

import pytest

from tests.assignments.suite import AUTOGRADERS, DATA_DIR

NOTEBOOK_STACK = ("pandas", "sklearn", "nbgrader", "nbformat")
HAS_NOTEBOOK_STACK = all(importlib.util.find_spec(m) is not None for m in NOTEBOOK_STACK)

if HAS_NOTEBOOK_STACK:
    collect_ignore = ["test_in_notebook_python.py"]
    if importlib.util.find_spec("workshop_data") is None:  # not pip-installed here: use the checkout
        sys.path.insert(0, str(AUTOGRADERS))
else:
    collect_ignore = ["test_assignments.py", "test_workshop_checks.py", "test_workshop_data.py"]


@pytest.fixture(scope="session")
def data_dir():
    if not DATA_DIR.is_dir():
        pytest.fail(f"glacier data not found at {DATA_DIR} (set GLACIER_DATA_DIR)")
    return DATA_DIR
