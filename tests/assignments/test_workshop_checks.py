"""Do the test-cell helpers pass right answers, fail wrong ones, and explain without giving the answer away?"""

import numpy as np
import pandas as pd
import pytest

from workshop_checks import (check_array, check_columns, check_frame, check_in_range, check_number, check_series,
                             check_set, check_type)


@pytest.fixture
def areas():
    idx = pd.Index([f"RGI60-08.{i:05d}" for i in range(1, 3028)], name="RGIId")
    return pd.DataFrame({"area_km2": np.linspace(0.01, 50, 3027), "name": ["x"] * 3027}, index=idx)


def fails(fn, *a, **kw) -> str:
    with pytest.raises(AssertionError) as exc:
        fn(*a, **kw)
    return str(exc.value)


def test_number_within_tolerance_passes_and_unit_slip_is_named():
    """Is a km³-vs-m³ slip reported as a factor of 1e9, without the expected number?"""
    check_number(298.5000001, 298.5, "total_volume_km3")
    msg = fails(check_number, 298.5e9, 298.5, "total_volume_km3")
    assert "factor of about 1e9" in msg and "298.5" not in msg


def test_number_rejects_nan_bool_and_text():
    """Are NaN, bool and text answers told apart from merely wrong numbers?"""
    assert "NaN" in fails(check_number, float("nan"), 1.0, "x")
    assert "bool" in fails(check_number, True, 1.0, "x")
    assert "str" in fails(check_number, "1.0", 1.0, "x")


def test_in_range():
    """Is a score outside its plausible band reported with the band?"""
    check_in_range(0.27, 0.2, 0.35, "r2")
    assert "[0.2, 0.35]" in fails(check_in_range, 0.9, 0.2, 0.35, "r2")


def test_array_shape_and_count():
    """Does an array comparison say the shape or the number of differing elements?"""
    check_array([1.0, 2.0], np.array([1.0, 2.0 + 1e-9]), "a")
    assert "shape (3,)" in fails(check_array, [1, 2, 3], [1, 2], "a")
    assert "differs in 1 of 2 elements" in fails(check_array, [1, 5], [1, 2], "a")


def test_frame_column_count_and_hint(areas):
    """Does a frame comparison name the column, count rows that differ, and show the column's hint?"""
    got = areas.copy()
    got.iloc[:12, 0] *= 1e6
    msg = fails(check_frame, got, areas, "rgi", hints={"area_km2": "check units"})
    assert "column 'area_km2' of rgi differs in 12 of 3,027 rows" in msg
    assert "factor of about 1e6" in msg and "check units" in msg
    check_frame(areas.copy(), areas, "rgi")


def test_frame_missing_extra_columns_and_rows(areas):
    """Are missing columns, extra columns and missing rows each reported by name or count?"""
    assert "missing column(s) ['name']" in fails(check_frame, areas[["area_km2"]], areas, "rgi")
    assert "unexpected column(s) ['z']" in fails(check_frame, areas.assign(z=1), areas, "rgi")
    check_frame(areas.assign(z=1), areas, "rgi", allow_extra_columns=True)
    msg = fails(check_frame, areas.iloc[4:], areas, "rgi")
    assert "4 expected label(s) missing" in msg and "RGI60-08.00001" not in msg


def test_frame_index_order_and_dtype(areas):
    """Are the order of rows (when asked) and the dtype family checked?"""
    shuffled = areas.iloc[::-1]
    check_frame(shuffled, areas, "rgi")
    assert "different order" in fails(check_frame, shuffled, areas, "rgi", check_order=True)
    as_text = areas.assign(area_km2=areas["area_km2"].astype(str))
    assert "dtype" in fails(check_frame, as_text, areas, "rgi")
    check_frame(areas.assign(area_km2=areas["area_km2"].astype("float32")), areas, "rgi", rtol=1e-5)


def test_frame_missing_values(areas):
    """Is an unfilled NaN reported as a missing value, not just a difference?"""
    got = areas.copy()
    got.iloc[3, 0] = np.nan
    assert "1 missing value(s)" in fails(check_frame, got, areas, "rgi")


def test_series_index_and_values():
    """Does a Series comparison align on labels and count differing values?"""
    exp = pd.Series([1.0, 2.0, 3.0], index=["a", "b", "c"])
    check_series(exp[::-1], exp, "s")
    assert "should not be there (e.g. 'd')" in fails(check_series, pd.Series([1.0, 2.0, 3.0], index=list("abd")), exp, "s")
    assert "differs in 1 of 3 rows" in fails(check_series, pd.Series([1.0, 2.0, 4.0], index=list("abc")), exp, "s")
    assert "DataFrame" in fails(check_series, exp.to_frame(), exp, "s")


def test_columns_set_and_type():
    """Do the small helpers name what is missing or extra?"""
    check_columns(pd.DataFrame(columns=["a", "b"]), ["a"], "df", allow_extra=True)
    assert "2 expected item(s) missing" in fails(check_set, {"a"}, {"a", "b", "c"}, "ids")
    assert "should be a DataFrame" in fails(check_type, [1], pd.DataFrame, "df")
