"""Helpers for nbgrader test cells: tolerant comparisons with feedback a student can act on.

Every ``check_*`` function returns ``None`` when the answer is right and raises ``AssertionError`` otherwise.
The message says *what* differs (which column, how many rows, the dtype, the shape, a factor of 1000 that
smells of a unit mistake) and never prints the expected values, so feedback helps without giving the answer
away. ``name`` is how the student's object is called in the message (usually the variable name).

    from workshop_checks import check_frame
    check_frame(tidy, expected, name="tidy", rtol=1e-6, hints={"volume_km3": "1 km³ = 1e9 m³"})
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

__all__ = ["check_type", "check_number", "check_in_range", "check_array", "check_series", "check_frame",
           "check_columns", "check_set"]

_UNIT_FACTORS = {1e3: "1e3", 1e6: "1e6", 1e9: "1e9", 1e-3: "1e-3", 1e-6: "1e-6", 1e-9: "1e-9",
                 100.0: "100", 0.01: "0.01"}


def _fmt_int(n: int) -> str:
    return f"{n:,}"


def _unit_hint(got: np.ndarray, exp: np.ndarray) -> str:
    """' (off by a factor of about 1e6: check units)' when got/expected is a constant power of ten."""
    got, exp = np.asarray(got, dtype=float), np.asarray(exp, dtype=float)
    ok = np.isfinite(got) & np.isfinite(exp) & (exp != 0) & (got != 0)
    if not ok.any():
        return ""
    ratio = float(np.median(got[ok] / exp[ok]))
    for factor, label in _UNIT_FACTORS.items():
        if math.isclose(ratio, factor, rel_tol=0.02):
            return f" (off by a factor of about {label}: check units)"
    return ""


def _fail(msg: str, hint: str | None) -> None:
    raise AssertionError(msg + (f". Hint: {hint}" if hint else ""))


def check_type(obj, types, name: str, hint: str | None = None) -> None:
    """Check ``isinstance(obj, types)``; the message names the type the student produced."""
    if not isinstance(obj, types):
        want = types.__name__ if isinstance(types, type) else " or ".join(t.__name__ for t in types)
        _fail(f"{name} should be a {want}, but it is a {type(obj).__name__}", hint)


def _as_number(got, name: str, hint: str | None) -> float:
    if isinstance(got, (bool, np.bool_, str, bytes)):
        _fail(f"{name} should be a number, but it is a {type(got).__name__}", hint)
    try:
        value = float(got)
    except (TypeError, ValueError):
        _fail(f"{name} should be a number, but it is a {type(got).__name__}", hint)
    if math.isnan(value):
        _fail(f"{name} is NaN: look for missing values that were not dropped or filled", hint)
    return value


def check_number(got, expected: float, name: str, rtol: float = 1e-6, atol: float = 0.0, hint: str | None = None) -> None:
    """Check one number within ``rtol``/``atol``; a wrong one is reported by its relative error, not the answer."""
    value = _as_number(got, name, hint)
    if not math.isclose(value, expected, rel_tol=rtol, abs_tol=atol):
        rel = abs(value - expected) / abs(expected) if expected else float("inf")
        rel_txt = "more than 1000%" if rel >= 10 else f"{rel:.0%}" if rel >= 0.01 else f"{rel:.1e}"
        _fail(f"{name} is not within the tolerance (relative difference {rel_txt})"
              f"{_unit_hint(np.array([value]), np.array([expected]))}", hint)


def check_in_range(got, low: float, high: float, name: str, hint: str | None = None) -> None:
    """Check ``low <= got <= high``: for scores whose exact value depends on the library version, not the student."""
    value = _as_number(got, name, hint)
    if not (low <= value <= high):
        _fail(f"{name} = {value:.4g} is outside the plausible range [{low:g}, {high:g}]", hint)


def _values_differ(got: np.ndarray, exp: np.ndarray, rtol: float, atol: float) -> np.ndarray:
    """Boolean mask of positions that differ (numbers with tolerance, NaN equal to NaN; anything else exactly)."""
    if got.dtype.kind in "biuf" and exp.dtype.kind in "biuf":
        return ~np.isclose(got.astype(float), exp.astype(float), rtol=rtol, atol=atol, equal_nan=True)
    if got.dtype.kind == "M" or exp.dtype.kind == "M":
        return ~(pd.Series(got).reset_index(drop=True) == pd.Series(exp).reset_index(drop=True)).to_numpy()
    g, e = pd.Series(got, dtype=object), pd.Series(exp, dtype=object)
    both_na = g.isna().to_numpy() & e.isna().to_numpy()
    return ~(both_na | (g.to_numpy() == e.to_numpy()))


def check_array(got, expected, name: str, rtol: float = 1e-6, atol: float = 0.0, hint: str | None = None) -> None:
    """Check an array-like: shape first, then how many elements differ."""
    g, e = np.asarray(got), np.asarray(expected)
    if g.shape != e.shape:
        _fail(f"{name} has shape {g.shape}, expected a different shape with {e.ndim} dimension(s) "
              f"and {_fmt_int(e.size)} elements", hint)
    bad = _values_differ(g.ravel(), e.ravel(), rtol, atol)
    if bad.any():
        extra = _unit_hint(g.ravel()[bad], e.ravel()[bad]) if g.dtype.kind in "biuf" else ""
        _fail(f"{name} differs in {_fmt_int(int(bad.sum()))} of {_fmt_int(bad.size)} elements{extra}", hint)


def _check_index(got: pd.Index, exp: pd.Index, name: str, what: str, check_order: bool, hint) -> None:
    if got.equals(exp):
        return
    if got.nlevels != exp.nlevels:
        _fail(f"{name}'s {what} has {got.nlevels} level(s), expected {exp.nlevels}", hint)
    if list(got.names) != list(exp.names) and any(n is not None for n in exp.names):
        _fail(f"{name}'s {what} is named {list(got.names)}, expected {list(exp.names)}", hint)
    extra, missing = got.difference(exp), exp.difference(got)
    if len(extra) or len(missing):
        parts = []
        if len(extra):
            parts.append(f"{_fmt_int(len(extra))} label(s) that should not be there (e.g. {extra[0]!r})")
        if len(missing):
            parts.append(f"{_fmt_int(len(missing))} expected label(s) missing")
        _fail(f"{name}'s {what} has " + " and ".join(parts), hint)
    if got.has_duplicates and not exp.has_duplicates:
        _fail(f"{name}'s {what} has duplicate labels ({_fmt_int(int(got.duplicated().sum()))})", hint)
    if len(got) != len(exp):
        _fail(f"{name} has {_fmt_int(len(got))} entries along its {what}, expected {_fmt_int(len(exp))}", hint)
    if check_order:
        _fail(f"{name}'s {what} has the right labels in a different order (sort it as the task says)", hint)


def _dtype_family(dt) -> str:
    kind = np.dtype(dt).kind if not isinstance(dt, pd.CategoricalDtype) else "category"
    return {"b": "bool", "i": "integer", "u": "integer", "f": "float", "M": "datetime", "m": "timedelta",
            "O": "text/object", "U": "text/object", "S": "text/object", "category": "category"}.get(kind, str(dt))


def _dtype_family_safe(dt) -> str:
    if pd.api.types.is_string_dtype(dt) and not pd.api.types.is_numeric_dtype(dt):
        return "text/object"
    if isinstance(dt, pd.CategoricalDtype):
        return "category"
    try:
        return _dtype_family(dt)
    except TypeError:
        return str(dt)


def _compare_column(g: pd.Series, e: pd.Series, label: str, n_rows: int, rtol, atol, check_dtype, hint) -> None:
    gf, ef = _dtype_family_safe(g.dtype), _dtype_family_safe(e.dtype)
    numeric = {"integer", "float", "bool"}
    if check_dtype and gf != ef and not (gf in numeric and ef in numeric and check_dtype == "kind"):
        _fail(f"{label} has dtype {g.dtype} ({gf}), expected {ef}", hint)
    if gf in numeric and ef in numeric:
        gv, ev = g.to_numpy(dtype=float, na_value=np.nan), e.to_numpy(dtype=float, na_value=np.nan)
        gnan, enan = np.isnan(gv), np.isnan(ev)
        if (gnan != enan).any():
            more = int((gnan & ~enan).sum())
            fewer = int((~gnan & enan).sum())
            what = (f"{_fmt_int(more)} missing value(s) where a value was expected" if more else
                    f"values in {_fmt_int(fewer)} row(s) that should be missing (NaN)")
            _fail(f"{label} has {what}", hint)
        bad = _values_differ(gv, ev, rtol, atol)
        extra = _unit_hint(gv[bad], ev[bad]) if bad.any() else ""
    else:
        bad = _values_differ(g.to_numpy(), e.to_numpy(), rtol, atol)
        extra = ""
    if bad.any():
        _fail(f"{label} differs in {_fmt_int(int(bad.sum()))} of {_fmt_int(n_rows)} rows{extra}", hint)


def check_series(got, expected: pd.Series, name: str, rtol: float = 1e-6, atol: float = 0.0, check_index: bool = True,
                 check_order: bool = False, check_dtype: bool | str = "kind", check_name: bool = False,
                 hint: str | None = None) -> None:
    """Check a Series: type, length, index labels, dtype family, values (aligned on the index unless ``check_index`` is False)."""
    check_type(got, pd.Series, name, hint)
    if check_name and got.name != expected.name:
        _fail(f"{name} is named {got.name!r}, expected {expected.name!r}", hint)
    if check_index:
        _check_index(got.index, expected.index, name, "index", check_order, hint)
        got = got.loc[expected.index] if not got.index.equals(expected.index) else got
    elif len(got) != len(expected):
        _fail(f"{name} has {_fmt_int(len(got))} rows, expected {_fmt_int(len(expected))}", hint)
    _compare_column(got.reset_index(drop=True), expected.reset_index(drop=True), name, len(expected), rtol, atol,
                    check_dtype, hint)


def check_columns(got: pd.DataFrame, expected: Iterable[str], name: str, allow_extra: bool = False,
                  hint: str | None = None) -> None:
    """Check that a DataFrame has exactly (or, with ``allow_extra``, at least) the named columns."""
    check_type(got, pd.DataFrame, name, hint)
    expected = list(expected)
    missing = [c for c in expected if c not in got.columns]
    if missing:
        _fail(f"{name} is missing column(s) {missing}; it has {list(got.columns)}", hint)
    extra = [c for c in got.columns if c not in expected]
    if extra and not allow_extra:
        _fail(f"{name} has unexpected column(s) {extra}", hint)


def check_frame(got, expected: pd.DataFrame, name: str, rtol: float = 1e-6, atol: float = 0.0, check_index: bool = True,
                check_order: bool = False, check_dtype: bool | str = "kind", allow_extra_columns: bool = False,
                hints: Mapping[str, str] | None = None, hint: str | None = None) -> None:
    """Check a DataFrame column by column: columns, row count, index, dtypes, values with a tolerance.

    ``check_dtype``: ``"kind"`` (default) treats integer/float/bool as one numeric family; ``True`` distinguishes
    them; ``False`` ignores dtypes. ``hints`` maps a column to a hint shown only when that column is wrong.
    """
    hints = hints or {}
    check_columns(got, expected.columns, name, allow_extra_columns, hint)
    if check_index:
        _check_index(got.index, expected.index, name, "index", check_order, hint)
        if not got.index.equals(expected.index):
            got = got.loc[expected.index]
    elif len(got) != len(expected):
        _fail(f"{name} has {_fmt_int(len(got))} rows, expected {_fmt_int(len(expected))}", hint)
    for col in expected.columns:
        _compare_column(got[col].reset_index(drop=True), expected[col].reset_index(drop=True), f"column {col!r} of {name}",
                        len(expected), rtol, atol, check_dtype, hints.get(col, hint))


def check_set(got: Iterable, expected: Iterable, name: str, hint: str | None = None) -> None:
    """Check that a collection holds exactly the expected distinct items, counting the extra and the missing ones."""
    try:
        g = set(got)
    except TypeError:
        _fail(f"{name} should be a collection of items, but it is a {type(got).__name__}", hint)
    e = set(expected)
    if g != e:
        extra, missing = g - e, e - g
        parts = []
        if extra:
            parts.append(f"{len(extra)} item(s) that should not be there (e.g. {sorted(map(str, extra))[0]!r})")
        if missing:
            parts.append(f"{len(missing)} expected item(s) missing")
        _fail(f"{name} has " + " and ".join(parts), hint)
