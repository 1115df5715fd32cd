"""Scenario submissions: typical mistakes, each made by replacing the source of ONE solution cell.

``SCENARIOS[name] = dict(assignment=..., cell=<solution grade_id>, source=<replacement>, loses=[<test grade_ids>])``.
``loses`` lists every autograded cell that must drop to 0 points; every other autograded cell of the assignment must
keep its full points (the mistake must not leak into cells that do not depend on it). Each autograded cell of every
assignment appears in at least one ``loses`` list (checked by the suite).
"""

SCENARIOS: dict[str, dict] = {}


def scenario(name: str, assignment: str, cell: str, loses: list[str], source: str,
             loses_without_gpu: list[str] = (), tampered_tests: dict[str, str] | None = None) -> None:
    """``loses_without_gpu``: cells that also fail when torch sees no GPU (a hard-coded "cuda" only breaks there).
    ``tampered_tests``: test cells the student overwrote (a cheat attempt; nbgrader must restore them)."""
    assert name.startswith(assignment.split("_")[0] + "_"), name
    SCENARIOS[name] = dict(assignment=assignment, cell=cell, loses=loses, source=source.strip("\n"),
                           loses_without_gpu=list(loses_without_gpu), tampered_tests=dict(tampered_tests or {}))


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
scenario("a1_cheat_emptied_the_test_cell", "a1_pandas", "volume_merge", ["volume_in_km3"], """
far = wd.load("rgi60_region08_scandinavia", "farinotti2019_consensus_volume_rgi08.csv", index_col="RGIId")
glaciers = rgi_clean.join(far["vol_itmix_m3"])
glaciers["volume_km3"] = glaciers.pop("vol_itmix_m3") / 1e9
glaciers["thickness_m"] = glaciers["volume_km3"] * 1e9 / (glaciers["Area"] * 1e6)
total_volume_km3 = float(far["vol_itmix_m3"].loc[glaciers.index].sum())
""", tampered_tests={"volume_in_km3": '"""Check the total ice volume."""\npass'})
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

# --- a4_explanation_prediction --------------------------------------------------------------------------------------
A4 = "a4_explanation_prediction"
_A4_PLOT = """
import matplotlib.pyplot as plt
fig, ax = plt.subplots(figsize=(5, 4))
ax.loglog(va["Area"], va["volume_km3"], ".", ms=2)
"""
scenario("a4_regressed_area_on_volume", A4, "va_fit", ["va_scaling_exponent", "va_scaling_coefficient"], """
gamma, intercept = np.polyfit(va["log_volume"], va["log_area"], 1)
c_km = 10 ** intercept
""" + _A4_PLOT)
scenario("a4_coefficient_left_in_log", A4, "va_fit", ["va_scaling_coefficient"], """
gamma, intercept = np.polyfit(va["log_area"], va["log_volume"], 1)
c_km = intercept
""" + _A4_PLOT)
_A4_CV_HEAD = """
FOREST_FEATURES = ["log_area", "Slope", "Zmin", "Zmed", "Zmax", "Lmax", "Aspect", "CenLat", "CenLon"]
cv = KFold(n_splits=5, shuffle=True, random_state=0)
forest = RandomForestRegressor(n_estimators=50, min_samples_leaf=3, random_state=0, n_jobs=2)
"""
scenario("a4_scaling_fit_in_linear_space", A4, "cv_skill", ["cv_skill_scaling_law"], _A4_CV_HEAD + """
r2_scaling_cv = cross_val_score(LinearRegression(), va[["Area"]], va["volume_km3"], cv=cv, scoring="r2").mean()
r2_forest_cv = cross_val_score(forest, va[FOREST_FEATURES], va["log_volume"], cv=cv, scoring="r2").mean()
r2_forest_train = forest.fit(va[FOREST_FEATURES], va["log_volume"]).score(va[FOREST_FEATURES], va["log_volume"])
""")
scenario("a4_forest_scored_on_training_data", A4, "cv_skill", ["cv_skill_forest"], _A4_CV_HEAD + """
r2_scaling_cv = cross_val_score(LinearRegression(), va[["log_area"]], va["log_volume"], cv=cv, scoring="r2").mean()
r2_forest_train = forest.fit(va[FOREST_FEATURES], va["log_volume"]).score(va[FOREST_FEATURES], va["log_volume"])
r2_forest_cv = r2_forest_train
""")
_A4_LEAK_HEAD = """
svalbard = wd.load("oggm_glacier_statistics_rgi07_rgi08", "glacier_statistics_07_svalbard.csv", index_col="rgi_id")
svalbard["is_tidewater"] = svalbard["is_tidewater"].astype(int)
LEAK_FEATURES = ["rgi_area_km2", "dem_mean_elev", "dem_max_elev", "dem_min_elev", "flowline_avg_slope",
                 "main_flowline_length", "flowline_avg_width"]
sv_train, sv_test = train_test_split(svalbard, test_size=0.3, random_state=0, stratify=svalbard["is_tidewater"])


def auc_for(features):
    model = RandomForestClassifier(n_estimators=100, class_weight="balanced", random_state=0, n_jobs=2)
    model.fit(sv_train[features], sv_train["is_tidewater"])
    return roc_auc_score(sv_test["is_tidewater"], model.predict_proba(sv_test[features])[:, 1])


auc_with_min_elev = auc_for(LEAK_FEATURES)
"""
scenario("a4_dropped_the_wrong_feature", A4, "leakage_auc", ["leakage_auc_with_and_without"], _A4_LEAK_HEAD + """
auc_without_min_elev = auc_for([f for f in LEAK_FEATURES if f != "dem_max_elev"])
auc_min_elev_alone = roc_auc_score(sv_test["is_tidewater"], -sv_test["dem_min_elev"])
""")
scenario("a4_min_elev_score_wrong_sign", A4, "leakage_auc", ["min_elev_alone_auc"], _A4_LEAK_HEAD + """
auc_without_min_elev = auc_for([f for f in LEAK_FEATURES if f != "dem_min_elev"])
auc_min_elev_alone = roc_auc_score(sv_test["is_tidewater"], sv_test["dem_min_elev"])
""")

# --- a5_validation --------------------------------------------------------------------------------------------------
A5 = "a5_validation"
_A5_FN = """
def shared_glaciers(cv, data, groups=None):
    counts = []
    for train_rows, test_rows in cv.split(data, groups=groups):
        counts.append(len(set(data.iloc[train_rows]["rgi_id"]) & set(data.iloc[test_rows]["rgi_id"])))
    return counts
"""
scenario("a5_compared_row_labels_not_glaciers", A5, "fold_overlap", ["random_folds_share_glaciers",
                                                                      "grouped_folds_share_none"], """
cv_random = KFold(n_splits=5, shuffle=True, random_state=0)
cv_grouped = GroupKFold(n_splits=5)


def shared_glaciers(cv, data, groups=None):
    counts = []
    for train_rows, test_rows in cv.split(data, groups=groups):
        counts.append(len(set(data.index[train_rows]) & set(data.index[test_rows])))   # row labels are unique
    return counts


shared_random = shared_glaciers(cv_random, mb)
shared_grouped = shared_glaciers(cv_grouped, mb, groups=mb["rgi_id"])
""")
scenario("a5_grouped_by_target_id", A5, "fold_overlap", ["grouped_folds_share_none"], """
cv_random = KFold(n_splits=5, shuffle=True, random_state=0)
cv_grouped = GroupKFold(n_splits=5)
""" + _A5_FN + """
shared_random = shared_glaciers(cv_random, mb)
shared_grouped = shared_glaciers(cv_grouped, mb, groups=mb["target_id"])   # one group per row
""")
scenario("a5_default_cv_is_not_shuffled", A5, "cv_scores", ["kfold_r2"], """
r2_random = cross_val_score(MODEL, X, y, cv=5, scoring="r2").mean()
r2_grouped = cross_val_score(MODEL, X, y, cv=cv_grouped, groups=mb["rgi_id"], scoring="r2").mean()
""")
scenario("a5_forgot_groups_argument", A5, "cv_scores", ["groupkfold_r2"], """
r2_random = cross_val_score(MODEL, X, y, cv=cv_random, scoring="r2").mean()
r2_grouped = cross_val_score(MODEL, X, y, cv=cv_grouped, scoring="r2").mean()
""")
_A5_TS_HEAD = """
wgms = wd.load("wgms_fog_scandinavia_svalbard", "derived_glacier_wide_mb_rgi07_rgi08_long.csv")
ts = (wgms.pivot_table(index="YEAR", columns="NAME", values="ANNUAL_BALANCE")
      [["STORBREEN", "HELLSTUGUBREEN", "GRAASUBREEN", "NIGARDSBREEN"]].dropna().reset_index())
X_ts, y_ts = ts[["YEAR", "HELLSTUGUBREEN", "GRAASUBREEN", "NIGARDSBREEN"]], ts["STORBREEN"]
"""
scenario("a5_shuffled_kfold_for_timeseries", A5, "timeseries_cv", ["timeseries_folds_respect_time",
                                                                   "timeseries_r2"], _A5_TS_HEAD + """
tss = KFold(n_splits=5, shuffle=True, random_state=0)
r2_tss = cross_val_score(LinearRegression(), X_ts, y_ts, cv=tss, scoring="r2").mean()
r2_ts_random = cross_val_score(LinearRegression(), X_ts, y_ts, cv=KFold(n_splits=5, shuffle=True, random_state=0),
                               scoring="r2").mean()
""")
scenario("a5_timeseries_scores_swapped", A5, "timeseries_cv", ["timeseries_r2"], _A5_TS_HEAD + """
tss = TimeSeriesSplit(n_splits=5)
r2_ts_random = cross_val_score(LinearRegression(), X_ts, y_ts, cv=tss, scoring="r2").mean()
r2_tss = cross_val_score(LinearRegression(), X_ts, y_ts, cv=KFold(n_splits=5, shuffle=True, random_state=0)).mean()
""")

# --- a6_xgboost_pytorch ---------------------------------------------------------------------------------------------
A6 = "a6_xgboost_pytorch"
_A6_MLP_CLASS = """
class MLP(torch.nn.Module):
    def __init__(self, n_features):
        super().__init__()
        self.net = torch.nn.Sequential(torch.nn.Linear(n_features, 64), torch.nn.ReLU(),
                                       torch.nn.Linear(64, 32), torch.nn.ReLU(), torch.nn.Linear(32, 1))

    def forward(self, x):
        return self.net(x)


def predict_mlp(model, X):
    with torch.no_grad():
        xt = torch.as_tensor(np.asarray(X), dtype=torch.float32, device=DEVICE)
        return model(xt).squeeze(1).cpu().numpy()

"""
_A6_TRAIN = """
def train_mlp(X, y, epochs=300, lr=1e-3, seed=0):
    {seed_line}
    model = MLP(X.shape[1]).to(DEVICE)
    xt = torch.as_tensor(np.asarray(X), dtype=torch.float32, device=DEVICE)
    yt = torch.as_tensor(np.asarray(y), dtype=torch.float32, device=DEVICE).reshape(-1, 1)
    opt = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-4)
    for _ in range(epochs):
        opt.zero_grad()
        loss = torch.nn.functional.mse_loss(model(xt), yt)
        loss.backward()
        opt.step()
    return model

"""
scenario("a6_hardcoded_cuda", A6, "device_choice", ["device_falls_back_to_cpu"], """
def pick_device(cuda_available):
    return "cuda"


DEVICE = pick_device(torch.cuda.is_available())
""", loses_without_gpu=["mlp_test_r2", "comparison_table"])
scenario("a6_scaler_fit_on_all_rows", A6, "scale_features", ["scaler_fit_on_training_rows_only"], """
scaler = StandardScaler().fit(mb[MB_FEATURES])
X_train_s = scaler.transform(mb_train[MB_FEATURES])
X_test_s = scaler.transform(mb_test[MB_FEATURES])
""")
scenario("a6_xgb_scored_on_training_rows", A6, "xgboost_fit", ["xgboost_test_r2"], """
xgb_model = xgboost.XGBRegressor(n_estimators=300, max_depth=4, learning_rate=0.05, subsample=0.8,
                                 colsample_bytree=0.8, random_state=0, n_jobs=1, device=DEVICE)
xgb_model.fit(X_train_s, y_train)
r2_xgb = r2_score(y_train, xgb_model.predict(X_train_s))
""")
scenario("a6_mlp_on_unscaled_features", A6, "mlp_train", ["mlp_test_r2"], _A6_MLP_CLASS
         + _A6_TRAIN.format(seed_line="torch.manual_seed(seed)") + """
mlp = train_mlp(mb_train[MB_FEATURES].to_numpy(), y_train)
r2_mlp = r2_score(y_test, predict_mlp(mlp, mb_test[MB_FEATURES].to_numpy()))
""")
scenario("a6_mlp_seed_not_fixed", A6, "mlp_train", ["mlp_test_r2"], _A6_MLP_CLASS
         + _A6_TRAIN.format(seed_line="pass  # no torch.manual_seed") + """
mlp = train_mlp(X_train_s, y_train)
r2_mlp = r2_score(y_test, predict_mlp(mlp, X_test_s))
""")
scenario("a6_linear_scored_on_training_rows", A6, "comparison_build", ["comparison_table"], """
linear = LinearRegression().fit(X_train_s, y_train)
comparison = pd.DataFrame({"r2_test": [r2_score(y_train, linear.predict(X_train_s)), r2_xgb, r2_mlp]},
                          index=["linear", "xgboost", "mlp"])
""")

# --- a7_project -----------------------------------------------------------------------------------------------------
A7 = "a7_project"
scenario("a7_target_column_misspelled", A7, "project_declaration", ["project_data_declared",
                                                                        "baseline_from_training_mean"], """
PROJECT = {"dataset": "mb_regression_workshop", "file": "df_all.csv", "target": "dmdt", "group": "rgi_id"}
data = wd.load(PROJECT["dataset"], PROJECT["file"])
data_clean = data.dropna(subset=["dmdtda"]).reset_index(drop=True)
""")
scenario("a7_split_ignores_groups", A7, "project_split", ["project_split_by_group"], """
from sklearn.model_selection import ShuffleSplit
splitter = ShuffleSplit(n_splits=1, test_size=0.25, random_state=0)
train_rows, test_rows = next(splitter.split(data_clean))
""")
scenario("a7_baseline_uses_test_mean", A7, "project_baseline", ["baseline_from_training_mean"], """
y_all = data_clean[PROJECT["target"]].to_numpy(dtype=float)
baseline_rmse = float(np.sqrt(np.mean((y_all[test_rows] - y_all[test_rows].mean()) ** 2)))
""")
