"""Does every library the workshop uses import and work in the notebook image with no network?

All checks run in one container started the hub's way (root + NB_USER/NB_UID, a fresh empty
home volume, `--network none`) through the image's start script with a command override, so
they see what a student's kernel sees on a server that lost its uplink. Each library is
reported as its own test.
"""
from __future__ import annotations

import json

import pytest

from .conftest import REPO, describe, run_hub_style

CHECKS = r'''
import io, json, os, sys, traceback, warnings

results = {}

def check(name):
    def register(fn):
        try:
            fn()
            results[name] = "ok"
        except BaseException:
            results[name] = traceback.format_exc()
        return fn
    return register

home = os.path.expanduser("~")

@check("pandas")
def _():
    import pandas as pd
    assert pd.DataFrame({"a": [1, 2]}).a.sum() == 3

@check("sklearn")
def _():
    from sklearn.linear_model import LinearRegression
    assert LinearRegression().fit([[0], [1]], [0, 1]).predict([[2]])[0] > 1.9

@check("xgboost")
def _():
    import numpy as np, xgboost
    x = np.arange(20.0).reshape(-1, 1)
    xgboost.XGBRegressor(n_estimators=3, tree_method="hist", device="cpu").fit(x, x.ravel())

@check("torch")
def _():
    import torch
    assert float(torch.ones(3).sum()) == 3.0

@check("oggm")
def _():
    import oggm
    from oggm import cfg
    cfg.initialize_minimal()

@check("salem")
def _():
    import salem
    salem.Grid(nxny=(3, 3), dxdy=(1, 1), x0y0=(0, 0), proj=salem.wgs84)

@check("geopandas")
def _():
    import geopandas as gpd
    from shapely.geometry import Point
    path = os.path.join(home, "points.gpkg")
    gpd.GeoDataFrame({"id": [1]}, geometry=[Point(7.0, 61.0)], crs="EPSG:4326").to_file(path)
    assert len(gpd.read_file(path)) == 1

@check("pyogrio")
def _():
    import pyogrio
    assert pyogrio.__gdal_version__ >= (3, 0, 0)

@check("xarray+netCDF4")
def _():
    import numpy as np, xarray as xr, netCDF4  # noqa: F401
    path = os.path.join(home, "thickness.nc")
    xr.Dataset({"thk": ("x", np.arange(3.0))}).to_netcdf(path, engine="netcdf4")
    with xr.open_dataset(path, engine="netcdf4") as ds:
        assert float(ds.thk.sum()) == 3.0

@check("matplotlib")
def _():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots()
    ax.plot([0, 1])
    fig.savefig(io.BytesIO(), format="png")

@check("nbgrader")
def _():
    import nbgrader.apps  # noqa: F401

@check("jupyterlab")
def _():
    import jupyterlab, jupyterhub  # noqa: F401

for name in sys.argv[1:]:
    @check(name)
    def _(name=name):
        __import__(name)

print("RESULTS=" + json.dumps(results))
'''

LIBRARIES = ["pandas", "sklearn", "xgboost", "torch", "oggm", "salem", "geopandas", "pyogrio",
             "xarray+netCDF4", "matplotlib", "nbgrader", "jupyterlab"]
# The course's own packages, each once it exists in autograders/.
WORKSHOP_PACKAGES = [name for name in ("workshop_data", "workshop_checks", "workshop_grading")
                     if (REPO / "autograders" / name / "__init__.py").exists()]


# The hub passes its user name as NB_USER, home /home/<name>: an ASCII one and one that
# needs escaping everywhere else (OGGM's config writer once choked on it).
@pytest.fixture(scope="module", params=["anna.lund", "ünïcode.dotted"])
def import_report(request, session_docker, notebook_image):
    proc, _ = run_hub_style(session_docker, notebook_image,
                            ["python", "-c", CHECKS, *WORKSHOP_PACKAGES], user=request.param)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULTS=")]
    assert proc.returncode == 0 and lines, f"the import checks did not run:\n{describe(proc)}"
    return json.loads(lines[-1][len("RESULTS="):]), proc


@pytest.mark.parametrize("library", LIBRARIES + WORKSHOP_PACKAGES)
def test_library_works_offline(import_report, library):
    """Does LIBRARY import and do a small job offline, as a fresh unprivileged user?"""
    results, proc = import_report
    assert results.get(library) == "ok", (
        f"{library} failed in a --network none container:\n{results.get(library)}\n{describe(proc)}")


def test_salem_and_oggm_do_not_try_to_download(import_report):
    """Do salem and OGGM stay quiet offline (no 'Downloading' attempt, thanks to the seeded cache)?"""
    _, proc = import_report
    assert "Downloading" not in proc.stdout + proc.stderr, describe(proc)


def test_torch_reports_no_gpu_cleanly(session_docker, notebook_image):
    """On a machine without a GPU, does torch say so cleanly and pick the CPU?"""
    script = ("import torch\n"
              "available = torch.cuda.is_available()\n"
              "print('cuda available:', available)\n"
              "device = torch.device('cuda' if available else 'cpu')\n"
              "print('device:', device, float(torch.ones(2, device=device).sum()))\n")
    proc, _ = run_hub_style(session_docker, notebook_image, ["python", "-W", "always", "-c", script])
    assert proc.returncode == 0, describe(proc)
    assert "cuda available: False" in proc.stdout.splitlines(), describe(proc)
    assert "device: cpu 2.0" in proc.stdout.splitlines(), describe(proc)
    noise = [line for line in proc.stderr.splitlines()
             if "warning" in line.lower() or "error" in line.lower() or "traceback" in line.lower()]
    assert not noise, f"torch complained on a CPU-only machine:\n{describe(proc)}"
