#!/usr/bin/env bash
# Make `.venv-notebook`: the notebook image's exact Python stack (requirements.lock + the CPU
# accelerator lock) on the host, for the grading pipeline (it starts one sandbox container per
# notebook, so it runs where Docker runs) and for the assignment tests.
# Usage: tools/notebook-venv.sh [WHEELHOUSE]   (default /opt/wheels: the CPU torch wheel)
set -euo pipefail
REPO=$(cd "$(dirname "$0")/.." && pwd)
VENV="$REPO/.venv-notebook"
WHEELHOUSE=${1:-/opt/wheels}
LOCKS=("$REPO/images/notebook/requirements.lock" "$REPO/images/notebook/accelerator/cpu.lock")

stamp="$VENV/.stamp"
if [ -x "$VENV/bin/python" ] && [ -f "$stamp" ] && ! find "${LOCKS[@]}" "$REPO/autograders/pyproject.toml" -newer "$stamp" | grep -q .; then
  exit 0
fi
"$REPO/tools/ensure-uv.sh"   # uv: fast, lock-exact installs (run as `python3 -m uv`)
python3 -m uv venv -q --allow-existing -p "$(python3 -c 'import sys; print(sys.executable)')" "$VENV"
# The CPU torch wheel lies in WHEELHOUSE; everything else comes from PyPI at the locked versions.
python3 -m uv pip install -q --python "$VENV/bin/python" --find-links "$WHEELHOUSE" \
  -r "${LOCKS[0]}" -r "${LOCKS[1]}" -e "$REPO/autograders"
touch "$stamp"
