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

# --- a2_eda ---------------------------------------------------------------------------------------------------------
scenario("a2_swapped_lon_lat", "a2_eda", "map_plot", ["map_centroids_coloured_by_zmed"], """
fig_map, ax_map = plt.subplots(figsize=(7, 8))
norway.boundary.plot(ax=ax_map, color="k", linewidth=0.5)
sc_map = ax_map.scatter(rgi["CenLat"], rgi["CenLon"], c=rgi["Zmed"], s=4)
fig_map.colorbar(sc_map, ax=ax_map, label="Zmed (m)")
""")
scenario("a2_linear_area_bins", "a2_eda", "area_histogram", ["area_histogram_log_bins"], """
fig_hist, ax_hist = plt.subplots(figsize=(6, 4))
area_bins = np.linspace(0.01, 1000, 26)
area_counts, _, _ = ax_hist.hist(rgi["Area"], bins=area_bins)
threshold = rgi["Area"].quantile(0.95)
area_share_largest_5pct = rgi.loc[rgi["Area"] >= threshold, "Area"].sum() / rgi["Area"].sum()
""")
scenario("a2_share_of_count_not_area", "a2_eda", "area_histogram", ["area_share_of_largest_glaciers"], """
fig_hist, ax_hist = plt.subplots(figsize=(6, 4))
area_bins = np.logspace(-2, 3, 26)
area_counts, _, _ = ax_hist.hist(rgi["Area"], bins=area_bins)
ax_hist.set_xscale("log")
threshold = rgi["Area"].quantile(0.95)
area_share_largest_5pct = (rgi["Area"] >= threshold).sum() / len(rgi)
""")
scenario("a2_pearson_instead_of_spearman", "a2_eda", "zmed_latitude", ["zmed_latitude_rank_correlation"], """
fig_sc, ax_scatter = plt.subplots(figsize=(6, 4))
ax_scatter.scatter(rgi["CenLat"], rgi["Zmed"], s=3)
rho_zmed_lat = stats.pearsonr(rgi["CenLat"], rgi["Zmed"]).statistic
zmed_per_degree = np.polyfit(rgi["CenLat"], rgi["Zmed"], 1)[0]
""")
scenario("a2_fit_latitude_on_zmed", "a2_eda", "zmed_latitude", ["zmed_gradient_per_degree"], """
fig_sc, ax_scatter = plt.subplots(figsize=(6, 4))
ax_scatter.scatter(rgi["CenLat"], rgi["Zmed"], s=3)
rho_zmed_lat = stats.spearmanr(rgi["CenLat"], rgi["Zmed"]).statistic
zmed_per_degree = np.polyfit(rgi["Zmed"], rgi["CenLat"], 1)[0]
""")
scenario("a2_change_relative_to_last_outline", "a2_eda", "outline_area_change", ["outline_area_change_pct"], """
outlines = wd.load("nve_multitemporal_outlines_7_glaciers", "nve_multitemporal_outlines_7glaciers.geojson")
ordered = outlines.sort_values(["glacier", "outline_year"])
first = ordered.groupby("glacier").first()
last = ordered.groupby("glacier").last()
area_change = pd.DataFrame({
    "first_year": first["outline_year"], "last_year": last["outline_year"],
    "area_first_km2": first["area_km2"], "area_last_km2": last["area_km2"],
})
area_change["change_pct"] = 100 * (area_change["area_last_km2"] - area_change["area_first_km2"]) / area_change["area_last_km2"]
""")

# --- a3_classification_regression -----------------------------------------------------------------------------------
A3 = "a3_classification_regression"
scenario("a3_fraction_as_count", A3, "class_balance", ["tidewater_class_fraction"], """
tidewater_fraction = float(y_cls.sum())
""")
scenario("a3_split_not_stratified", A3, "stratified_split", ["split_is_stratified", "majority_baseline_accuracy",
                                                             "roc_auc_from_probabilities", "balanced_accuracy_of_labels"], """
X_train, X_test, y_train, y_test = train_test_split(X_cls, y_cls, test_size=0.3, random_state=0)
""")
scenario("a3_baseline_on_training_labels", A3, "classifier_metrics", ["majority_baseline_accuracy"], """
majority_accuracy = accuracy_score(y_train, np.zeros(len(y_train), dtype=int))
clf = RandomForestClassifier(n_estimators=200, class_weight="balanced", random_state=0, n_jobs=2)
clf.fit(X_train, y_train)
roc_auc = roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])
balanced_acc = balanced_accuracy_score(y_test, clf.predict(X_test))
""")
scenario("a3_auc_from_hard_labels", A3, "classifier_metrics", ["roc_auc_from_probabilities"], """
majority_accuracy = accuracy_score(y_test, np.zeros(len(y_test), dtype=int))
clf = RandomForestClassifier(n_estimators=200, class_weight="balanced", random_state=0, n_jobs=2)
clf.fit(X_train, y_train)
roc_auc = roc_auc_score(y_test, clf.predict(X_test))
balanced_acc = balanced_accuracy_score(y_test, clf.predict(X_test))
""")
scenario("a3_plain_accuracy_as_balanced", A3, "classifier_metrics", ["balanced_accuracy_of_labels"], """
majority_accuracy = accuracy_score(y_test, np.zeros(len(y_test), dtype=int))
clf = RandomForestClassifier(n_estimators=200, class_weight="balanced", random_state=0, n_jobs=2)
clf.fit(X_train, y_train)
roc_auc = roc_auc_score(y_test, clf.predict_proba(X_test)[:, 1])
balanced_acc = accuracy_score(y_test, clf.predict(X_test))
""")
scenario("a3_random_row_split", A3, "regression_split", ["regression_split_by_glacier", "regression_rmse",
                                                          "regression_r2_on_test"], """
mb_train, mb_test = train_test_split(mb, test_size=len(mb_test_split), random_state=0)
""")
scenario("a3_mse_instead_of_rmse", A3, "regression_metrics", ["regression_rmse"], """
reg = LinearRegression().fit(mb_train[MB_FEATURES], mb_train["dmdtda"])
pred = reg.predict(mb_test[MB_FEATURES])
rmse_lin = float(mean_squared_error(mb_test["dmdtda"], pred))
r2_lin = float(r2_score(mb_test["dmdtda"], pred))
""")
scenario("a3_r2_on_training_rows", A3, "regression_metrics", ["regression_r2_on_test"], """
reg = LinearRegression().fit(mb_train[MB_FEATURES], mb_train["dmdtda"])
pred = reg.predict(mb_test[MB_FEATURES])
rmse_lin = float(np.sqrt(mean_squared_error(mb_test["dmdtda"], pred)))
r2_lin = float(reg.score(mb_train[MB_FEATURES], mb_train["dmdtda"]))
""")
