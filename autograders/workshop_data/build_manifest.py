"""Regenerate ``manifest.toml`` from the data mirror's ``SOURCE.md`` files (maintainers only).

    python -m workshop_data.build_manifest /work/shared/data

Each dataset folder's ``SOURCE.md`` ends with a ``| file | bytes | rows | sha256 |`` table; that table is
the single source of the checksums. The upstream location of each file (repository, commit, path) and the
dataset's license and citation are written down once, below, from the same ``SOURCE.md`` texts. Files that
were derived for the workshop (melted, filtered, converted) have no upstream URL: they come from the mirror.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

RAW = "https://raw.githubusercontent.com/{repo}/{commit}/{path}"

# dataset -> license, citation, and a function mapping a stored path to (repo, commit, upstream path) or None (derived)
_MBR = "Machine-Learning-in-Glaciology-Workshop/Project_MB_Regression"
_MBR_FILES = {
    "df_all.csv": ("6b499a63e926b396ece394cfe5b564a4dd1ecaae", "Data/df_all.csv"),
    "df_test.csv": ("91664b702690893f7a2ccc18e2132ff8e4aa84e3", "Data/df_test.csv"),
    "topo_df.csv": ("064c02f7d09b27fd9dcbd29eba2d8a1fe03baf80", "Data/topo_df.csv"),
    "xgboost_branch/df_all.csv": ("5a473deb2bda85ee13a69e0d014ac892f2a8ac94", "Data/df_all.csv"),
    "xgboost_branch/df_train_all.csv": ("03094ca9e18e5e8af53dc6fb41da73fa408d08f2", "Data/df_train_all.csv"),
    "xgboost_branch/df_test.csv": ("4c46b9cb393ba6240c6add30a84defd098511bdf", "Data/df_test.csv"),
    "early/training_df_2022-06-20.csv": ("8f1013eea6af20e73bbfcbb5d1107f6a38d0b417", "training_df.csv"),
}


def _mbr(p):
    commit, up = _MBR_FILES[p]
    return _MBR, commit, up


def _rgi60(p):
    if p in ("08_rgi60_Scandinavia.dbf", "08_rgi60_Scandinavia_hypso.csv"):
        return ("ODINN-SciML/MassBalanceMachine", "d257738b24ef84532ecfc046f9117d196b079ff7",
                "notebooks/example_data/norway/glacier_outlines/" + p)
    return None  # attributes csv (dbf -> csv) and Farinotti csv (h5 -> csv) are derived


def _rgi70(p):
    ups = {
        "RGI2000-v7.0-G-08_scandinavia_lakeflag.csv": "dataset/csv/RGI2000-v7.0-G-08_scandinavia_lakeflag.csv",
        "RGI2000-v7.0-G-08_scandinavia_laketerminating_outlines.gpkg":
            "dataset/outlines/RGI2000-v7.0-G-08_scandinavia_laketerminating.gpkg",
        "regional_summary.csv": "dataset/regional_summary.csv",
    }
    if p not in ups:
        return None
    return "GLIMS-RGI/lake_terminating", "b6177c3a39d5b474501b78659ef00cc917a9791c", ups[p]


def _oggm_stats(p):
    n = "07" if "_07_" in p else "08"
    return ("sarah-hanus/pipeline_oggm_cwatm", "cc701bdbaae7dc817376a8020dc6227f601abaf4",
            f"Data/glacier_statistics/glacier_statistics_{n}.csv")


def _projections(p):
    if p.startswith("derived_"):
        return None
    return "OGGM/oggm-standard-projections-csv-files", "c666d3aaaed3dde329c0e4616236756fc87af8d6", "1.6.1/" + p


def _nve_mb(p):
    folder, name = p.split("/", 1)
    up = {"point_stake_mb": "src/Data/", "glacier_wide_mb": "src/Data/NVE_gw_mb/",
          "model_comparison_oggm_glogem_pygem": "src/Data/data_model_comparison/"}[folder]
    return "khsjursen/ML_MB_Norway", "c3c2220a7a23211f149c53d1fc1ba2f071bf123f", up + name


def _nve_outlines(p):
    if p == "shp_overview_annual_area_table.csv":
        return "khsjursen/BI_glacier_mb_model", "8cd8a95e7bbf013912aef70a758bb54784e166cb", "glacier_outlines/shp_overview.csv"
    return None


def _wgms(p):
    head = "99651428d84b68735c87001da70983fa369abd59"
    if p.startswith("oggm_mbdata_per_glacier/"):
        return "OGGM/oggm-sample-data", head, "wgms/mbdata/" + p.split("/", 1)[1]
    if p.startswith("oggm_mb_profiles_per_glacier/"):
        return "OGGM/oggm-sample-data", head, "wgms/mb_profiles/" + p.split("/", 1)[1]
    if p == "00_rgi60_links.csv":
        return "OGGM/oggm-sample-data", head, "wgms/00_rgi60_links.csv"
    return None  # FoG subsets and the overview are filtered; derived_* are built here


RGI6 = "RGI Consortium (2017): Randolph Glacier Inventory 6.0, GLIMS, doi:10.7265/N5-RGI-60"
OGGM = "Maussion, F. et al. (2019): The Open Global Glacier Model (OGGM) v1.1, GMD 12, 909-931, doi:10.5194/gmd-12-909-2019"

DATASETS = {
    "mb_regression_workshop": dict(
        title="Scandinavian glacier mass-balance regression table (ML in Glaciology Workshop, Finse 2022)",
        license="MIT (workshop repository); target Hugonnet et al. 2021 (presumed CC BY 4.0); RGI 6.0 CC BY 4.0",
        citation=("Bolibar, J., Sapienza, F. et al.: Project_MB_Regression, Machine Learning in Glaciology Workshop, GitHub. "
                  "Hugonnet, R. et al. (2021): Accelerated global glacier mass loss in the early twenty-first century, "
                  "Nature 592, 726-731, doi:10.1038/s41586-021-03436-z. " + RGI6 + ". " + OGGM + "."),
        upstream=_mbr),
    "rgi60_region08_scandinavia": dict(
        title="RGI 6.0 region 08 (Scandinavia): attributes, hypsometry, Farinotti 2019 consensus volume",
        license="CC BY 4.0 (RGI 6.0); Farinotti 2019 presumed CC BY 4.0",
        citation=(RGI6 + ". Farinotti, D. et al. (2019): A consensus estimate for the ice thickness distribution of all "
                  "glaciers on Earth, Nat. Geosci. 12, 168-173, doi:10.1038/s41561-019-0300-3."),
        upstream=_rgi60),
    "rgi70_region08_lake_terminating": dict(
        title="RGI 7.0 region 08 lake-terminating glacier flags",
        license="UNCERTAIN: no LICENSE upstream (intended for RGI 7.0, CC BY 4.0); do not republish",
        citation=("Armstrong, W., Bolch, T. et al.: Global lake-terminating glacier classification (GLIMS-RGI/lake_terminating, GitHub). "
                  "RGI 7.0 Consortium (2023), doi:10.5067/f6jmovy5navz."),
        upstream=_rgi70),
    "oggm_glacier_statistics_rgi07_rgi08": dict(
        title="OGGM v1.4 per-glacier statistics, RGI regions 07 (Svalbard) and 08 (Scandinavia)",
        license="BSD-3-Clause (repository); RGI-derived fields CC BY 4.0",
        citation=(OGGM + ". Hanus, S. et al.: pipeline_oggm_cwatm, doi:10.5281/zenodo.10048089. " + RGI6 + "."),
        upstream=_oggm_stats),
    "oggm_standard_projections_v161": dict(
        title="OGGM v1.6.1 standard glacier projections (volume, area) for RGI08, RGI07 and global",
        license="not stated upstream; Zenodo record presumed CC BY 4.0 (confirm before republishing)",
        citation=("Schuster, L., Schmitt, P., Vlug, A. & Maussion, F. (2023): OGGM/oggm-standard-projections-csv-files v1.0, "
                  "Zenodo, doi:10.5281/zenodo.8286065. " + OGGM + "."),
        upstream=_projections),
    "nve_norway_mass_balance": dict(
        title="NVE stake, glacier-wide and geodetic mass balance; OGGM, GloGEM, PyGEM output (Sjursen et al.)",
        license="MIT (repository); NVE data presumed NLOD/CC BY 4.0; GloGEM/PyGEM output workshop use only",
        citation=("NVE, point mass-balance dataset, doi:10.58059/sjse-6w92. Sjursen, K. H. et al.: Machine learning improves "
                  "seasonal mass balance prediction for unmonitored glaciers, code doi:10.5281/zenodo.15021795."),
        upstream=_nve_mb),
    "nve_multitemporal_outlines_7_glaciers": dict(
        title="NVE multi-temporal outlines of 7 Norwegian monitoring glaciers, 1951-2020",
        license="MIT (repository); NVE data presumed NLOD/CC BY 4.0, attribute NVE",
        citation=("NVE glacier database (glacier.nve.no); Andreassen et al., NVE glacier inventories. Sjursen, K. H. et al. (2023): "
                  "Bayesian parameter estimation in glacier mass-balance modelling using observations with distinct temporal "
                  "resolutions and uncertainties, Journal of Glaciology."),
        upstream=_nve_outlines),
    "wgms_fog_scandinavia_svalbard": dict(
        title="WGMS Fluctuations of Glaciers 2021-05: Scandinavia and Svalbard mass balance, profiles, surge labels",
        license="WGMS: free use with citation; OGGM sample data BSD-3-Clause",
        citation=("WGMS (2021): Fluctuations of Glaciers Database, World Glacier Monitoring Service, Zurich, "
                  "doi:10.5904/wgms-fog-2021-05. For Norway also cite NVE. Surge records mostly Sevestre, H. & Benn, D. I. (2015), "
                  "J. Glaciol. 61(228), 646-662."),
        upstream=_wgms),
    "natural_earth_nordic": dict(
        title="Natural Earth Admin-0 countries, Nordic region (1:50m) and Norway (1:10m)",
        license="public domain (Natural Earth); world-atlas packaging ISC",
        citation="Made with Natural Earth. Free vector and raster map data @ naturalearthdata.com (v4.1.0, via world-atlas 2.0.2).",
        upstream=lambda p: None),
}

_ROW = re.compile(r"^\| `(?P<path>[^`]+)` \| (?P<bytes>\d+) \|.*`(?P<sha>[0-9a-f]{64})` \|\s*$")


def _q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def build(mirror: Path) -> str:
    out = ["# Workshop data manifest: generated by `python -m workshop_data.build_manifest <mirror>` from each",
           "# dataset's SOURCE.md. Edit build_manifest.py (upstream rules, citations), not this file.",
           "# A file without `url` was derived for the workshop and is only available from a mirror.", ""]
    files = []
    for name, meta in DATASETS.items():
        out += [f"[datasets.{name}]", f"title = {_q(meta['title'])}", f"license = {_q(meta['license'])}",
                f"citation = {_q(meta['citation'])}", ""]
        for line in (mirror / name / "SOURCE.md").read_text(encoding="utf-8").splitlines():
            m = _ROW.match(line)
            if m:
                files.append((name, m["path"], int(m["bytes"]), m["sha"], meta["upstream"](m["path"])))
    for name, path, size, sha, up in files:
        out += ["[[files]]", f"dataset = {_q(name)}", f"path = {_q(path)}", f"bytes = {size}", f"sha256 = {_q(sha)}"]
        if up:
            out.append(f"url = {_q(RAW.format(repo=up[0], commit=up[1], path=up[2]))}")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    text = build(Path(sys.argv[1]))
    (Path(__file__).with_name("manifest.toml")).write_text(text, encoding="utf-8")
    print(f"wrote manifest.toml ({text.count('[[files]]')} files)")
