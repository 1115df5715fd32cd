"""The one way notebooks reach the workshop's glacier data.

    import workshop_data as wd
    rgi = wd.load("rgi60_region08_scandinavia", "08_rgi60_Scandinavia_attributes.csv")
    print(wd.cite("rgi60_region08_scandinavia"))

The data directory is ``$GLACIER_DATA_DIR`` (default ``/srv/data``, mounted read-only in the hub), laid out as
``<data_dir>/<dataset>/<file>`` exactly as listed in ``manifest.toml``. Nothing here hard-codes a host path.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tomllib
from pathlib import Path

__all__ = ["DataNotFoundError", "data_dir", "path", "files", "load", "cite", "license", "datasets", "manifest", "sha256_of"]

DEFAULT_DATA_DIR = "/srv/data"
ENV_VAR = "GLACIER_DATA_DIR"


class DataNotFoundError(FileNotFoundError):
    """A dataset file (or the data directory) is not where the manifest says it should be."""


@functools.cache
def manifest() -> dict:
    """The parsed ``manifest.toml``: ``{"datasets": {name: {...}}, "files": [{...}, ...]}``."""
    with open(Path(__file__).with_name("manifest.toml"), "rb") as fh:
        return tomllib.load(fh)


def datasets() -> list[str]:
    """Names of all datasets in the manifest."""
    return list(manifest()["datasets"])


def _dataset_meta(dataset: str) -> dict:
    try:
        return manifest()["datasets"][dataset]
    except KeyError:
        raise KeyError(f"unknown dataset {dataset!r}; known datasets: {', '.join(datasets())}") from None


def entry(dataset: str, file: str) -> dict:
    """The manifest record of one file, with its dataset's license and citation merged in."""
    meta = _dataset_meta(dataset)
    for rec in manifest()["files"]:
        if rec["dataset"] == dataset and rec["path"] == file:
            return {**rec, "license": meta["license"], "citation": meta["citation"]}
    near = [r["path"] for r in manifest()["files"] if r["dataset"] == dataset and Path(r["path"]).name == Path(file).name]
    hint = f" (did you mean {near[0]!r}?)" if near else f"; list them with workshop_data.files({dataset!r})"
    raise KeyError(f"dataset {dataset!r} has no file {file!r}{hint}")


def files(dataset: str, prefix: str = "") -> list[str]:
    """The manifest's file paths of ``dataset`` that start with ``prefix`` (a folder inside the dataset), sorted."""
    _dataset_meta(dataset)
    return sorted(r["path"] for r in manifest()["files"] if r["dataset"] == dataset and r["path"].startswith(prefix))


def data_dir() -> Path:
    """The data directory: ``$GLACIER_DATA_DIR`` if set, else ``/srv/data``. Raises if it does not exist."""
    raw = os.environ.get(ENV_VAR)
    where = Path(raw or DEFAULT_DATA_DIR)
    if not where.is_dir():
        how = f"from ${ENV_VAR}" if raw else f"the default; ${ENV_VAR} is not set"
        raise DataNotFoundError(
            f"glacier data directory {str(where)!r} ({how}) does not exist. In the hub it is mounted read-only at "
            f"{DEFAULT_DATA_DIR}; elsewhere set {ENV_VAR} or fill a folder with `python -m workshop_data.fetch --dest DIR`.")
    return where


def path(dataset: str, file: str) -> Path:
    """Absolute path of ``file`` (as named in the manifest) inside ``dataset``; raises if it is missing on disk."""
    entry(dataset, file)
    p = data_dir() / dataset / file
    if not p.is_file():
        raise DataNotFoundError(
            f"file {file!r} of dataset {dataset!r} is missing: looked for {str(p)!r}. The data directory is incomplete; "
            f"run `python -m workshop_data.fetch --dest {data_dir()}` (instructors) or tell your instructor.")
    return p


def load(dataset: str, file: str, **read_kwargs):
    """Read one data file with the reader its extension calls for and return it.

    ``.csv`` -> ``pandas.read_csv``; ``.geojson``/``.gpkg``/``.dbf`` -> ``geopandas.read_file``;
    ``.nc`` -> ``xarray.open_dataset(...).load()``. Extra keyword arguments go to the reader, for example
    ``load(..., sep=";", encoding="utf-8-sig")`` for NVE files.
    """
    p = path(dataset, file)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        import pandas as pd
        return pd.read_csv(p, **read_kwargs)
    if suffix in (".geojson", ".gpkg", ".dbf"):
        import geopandas as gpd
        return gpd.read_file(p, **read_kwargs)
    if suffix == ".nc":
        import xarray as xr
        with xr.open_dataset(p, **read_kwargs) as ds:
            return ds.load()
    raise ValueError(f"no reader for {suffix!r} files; use workshop_data.path({dataset!r}, {file!r}) and read it yourself")


def cite(dataset: str) -> str:
    """The citation to give whenever results from ``dataset`` are shown."""
    return _dataset_meta(dataset)["citation"]


def license(dataset: str) -> str:  # noqa: A001 - the natural name for it
    """The license (or what is known about it) of ``dataset``."""
    return _dataset_meta(dataset)["license"]


def sha256_of(p: Path, chunk: int = 1 << 20) -> str:
    """Hex sha256 of a file, read in chunks."""
    h = hashlib.sha256()
    with open(p, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()
