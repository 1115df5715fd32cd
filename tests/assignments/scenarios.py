"""Scenario submissions: typical mistakes, each made by replacing the source of ONE solution cell.

``SCENARIOS[name] = dict(assignment=..., cell=<solution grade_id>, source=<replacement>, loses=[<test grade_ids>])``.
``loses`` lists every autograded cell that must drop to 0 points; every other autograded cell of the assignment must
keep its full points (the mistake must not leak into cells that do not depend on it). Each autograded cell of every
assignment appears in at least one ``loses`` list (checked by the suite).
"""

SCENARIOS: dict[str, dict] = {}


def scenario(name: str, assignment: str, cell: str, loses: list[str], source: str) -> None:
    assert name.startswith(assignment.split("_")[0] + "_"), name
    SCENARIOS[name] = dict(assignment=assignment, cell=cell, loses=loses, source=source.strip("\n"))


# --- a1_pandas -----------------------------------------------------------------------------------------------------
scenario("a1_kept_nominal_glaciers", "a1_pandas", "rgi_load_and_filter",
         ["rgi_nominal_glaciers_removed", "volume_in_km3", "mean_thickness_in_m", "volume_by_subregion_sums"], """
rgi = wd.load("rgi60_region08_scandinavia", "08_rgi60_Scandinavia_attributes.csv", index_col="RGIId")
rgi_clean = rgi[rgi["Connect"] != 2]   # filtered on the wrong column
""")
scenario("a1_band_labels_left_as_text", "a1_pandas", "hypso_reshape", ["hypso_is_tidy", "zmean_area_weighted"], """
raw = wd.load("rgi60_region08_scandinavia", "08_rgi60_Scandinavia_hypso.csv", skipinitialspace=True)
raw.columns = raw.columns.str.strip()
bands = [c for c in raw.columns if c not in ("RGIId", "GLIMSId", "Area")]
hypso = raw.melt(id_vars="RGIId", value_vars=bands, var_name="band_m", value_name="share")
hypso["share"] = hypso["share"].replace(-9, np.nan) / 1000
hypso = hypso.dropna(subset=["share"])
hypso = hypso[hypso["share"] > 0].sort_values(["RGIId", "band_m"]).reset_index(drop=True)
""")
scenario("a1_forgot_per_mille_conversion", "a1_pandas", "hypso_reshape",
         ["hypso_shares_are_fractions", "zmean_area_weighted"], """
raw = wd.load("rgi60_region08_scandinavia", "08_rgi60_Scandinavia_hypso.csv", skipinitialspace=True)
raw.columns = raw.columns.str.strip()
bands = [c for c in raw.columns if c not in ("RGIId", "GLIMSId", "Area")]
hypso = raw.melt(id_vars="RGIId", value_vars=bands, var_name="band_m", value_name="share")
hypso["band_m"] = hypso["band_m"].astype(int)
hypso["share"] = hypso["share"].replace(-9, np.nan)
hypso = hypso.dropna(subset=["share"])
hypso = hypso[hypso["share"] > 0].sort_values(["RGIId", "band_m"]).reset_index(drop=True)
""")
scenario("a1_unweighted_mean_elevation", "a1_pandas", "zmean_compute", ["zmean_area_weighted"], """
zmean = hypso.groupby("RGIId")["band_m"].mean()
""")
scenario("a1_forgot_km3_conversion", "a1_pandas", "volume_merge", ["volume_in_km3"], """
far = wd.load("rgi60_region08_scandinavia", "farinotti2019_consensus_volume_rgi08.csv", index_col="RGIId")
glaciers = rgi_clean.join(far["vol_itmix_m3"])
glaciers["volume_km3"] = glaciers.pop("vol_itmix_m3") / 1e9
glaciers["thickness_m"] = glaciers["volume_km3"] * 1e9 / (glaciers["Area"] * 1e6)
total_volume_km3 = float(far["vol_itmix_m3"].loc[glaciers.index].sum())   # summed the m³ column
""")
scenario("a1_thickness_area_left_in_km2", "a1_pandas", "volume_merge", ["mean_thickness_in_m"], """
far = wd.load("rgi60_region08_scandinavia", "farinotti2019_consensus_volume_rgi08.csv", index_col="RGIId")
glaciers = rgi_clean.join(far["vol_itmix_m3"])
glaciers["volume_km3"] = glaciers.pop("vol_itmix_m3") / 1e9
glaciers["thickness_m"] = glaciers["volume_km3"] * 1e9 / glaciers["Area"]
total_volume_km3 = float(glaciers["volume_km3"].sum())
""")
scenario("a1_mean_instead_of_sum", "a1_pandas", "subregion_groupby", ["volume_by_subregion_sums"], """
volume_by_subregion = glaciers.groupby("O2Region")["volume_km3"].mean()
""")
scenario("a1_only_last_scenario_file", "a1_pandas", "projections_tidy_build",
         ["projections_tidy", "relative_volume_2100"], """
for f in wd.files("oggm_standard_projections_v161", "common_running_2100/volume/CMIP6/2100/RGI08/"):
    wide = wd.load("oggm_standard_projections_v161", f)
    long = wide.melt(id_vars="time", var_name="gcm", value_name="volume_m3")
    long["scenario"] = f.rsplit("/", 1)[-1].removesuffix(".csv")
    frames = [long]                       # the list is re-created in every iteration
proj = pd.concat(frames, ignore_index=True).dropna(subset=["volume_m3"])
proj["year"] = proj["time"].astype(int)
proj["volume_km3"] = proj["volume_m3"] / 1e9
proj = proj[["scenario", "gcm", "year", "volume_km3"]]
""")
scenario("a1_relative_to_2000_not_2020", "a1_pandas", "relative_volume_compute", ["relative_volume_2100"], """
wide = proj.pivot_table(index=["scenario", "gcm"], columns="year", values="volume_km3")
rel_2100 = (wide[2100] / wide[2000]).groupby("scenario").median()
""")
