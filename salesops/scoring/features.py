"""Deterministic feature builder for lead and deal scoring: raw columns in, a numeric design matrix out.

Rules (learned once on the training rows, then applied unchanged to every row scored):
- A column is *numeric* when its dtype is numeric or at least 90 % of its non-empty values parse as numbers;
  otherwise *categorical*. Booleans are categorical ("True"/"False").
- Skipped: constant columns, columns empty in over 99 % of rows, id-like columns (categorical with more than half
  of the values distinct, or integer numerics with over 90 % distinct values, e.g. X Education's "Lead Number").
- Numeric: ``sign(x) * log1p(|x|)``, standardised with the training mean and standard deviation; a missing value
  becomes 0 (the mean) plus a ``<name> missing`` indicator when the training rows had any missing value.
- Categorical: the ``top_k`` most frequent levels (ties broken alphabetically) that cover at least ``min_share`` of
  the training rows are kept, the rest become "other", a missing value becomes "(missing)". The most frequent level
  is the reference (no column), so each coefficient reads "compared with <reference>".
- Group: a column whose name speaks of activity (visits, time on site, page views, emails, opens, clicks, calls,
  meetings, activities...) is *engagement*, everything else is *fit*. ``groups`` overrides it per column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

MISSING = "(missing)"
OTHER = "other"
_ENGAGEMENT = re.compile(
    r"activit|visit|time spent|on site|website|page ?view|views|session|email|open|click|call|meeting|demo"
    r"|download|webinar|form submi|engag|touch|repl",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class NumericFeature:
    """A numeric source column: log1p + standardise, with an optional missing indicator."""

    name: str
    group: str
    mean: float
    std: float
    has_missing: bool


@dataclass(frozen=True)
class CategoricalFeature:
    """A categorical source column: one column per kept level, the reference level has none."""

    name: str
    group: str
    reference: str
    levels: tuple[str, ...]  # kept non-reference levels, each a design column; "other"/"(missing)" included if seen


@dataclass(frozen=True)
class FeatureSpec:
    """What the builder learned from the training rows; ``design`` applies it to any frame."""

    numeric: tuple[NumericFeature, ...]
    categorical: tuple[CategoricalFeature, ...]
    skipped: tuple[str, ...]

    @property
    def terms(self) -> pd.DataFrame:
        """One row per design column: term, source feature, group, kind, level and reference level."""
        rows = []
        for num in self.numeric:
            rows.append((num.name, num.name, num.group, "numeric", "", ""))
            if num.has_missing:
                rows.append((f"{num.name} missing", num.name, num.group, "missing", "", ""))
        for cat in self.categorical:
            rows.extend(
                (f"{cat.name} = {level}", cat.name, cat.group, "level", level, cat.reference) for level in cat.levels
            )
        return pd.DataFrame(rows, columns=["term", "feature", "group", "kind", "level", "reference"])

    @property
    def features(self) -> tuple[str, ...]:
        """Source column names used, numeric first then categorical."""
        return tuple(f.name for f in self.numeric) + tuple(f.name for f in self.categorical)

    def without(self, names: Iterable[str]) -> FeatureSpec:
        """The same spec minus some source columns (they join ``skipped``)."""
        drop = set(names)
        return FeatureSpec(
            tuple(f for f in self.numeric if f.name not in drop),
            tuple(f for f in self.categorical if f.name not in drop),
            self.skipped + tuple(sorted(drop & set(self.features))),
        )

    def design(self, frame: pd.DataFrame) -> pd.DataFrame:
        """The design matrix (float columns named as in ``terms``) for ``frame``'s rows, index preserved."""
        cols: dict[str, np.ndarray] = {}
        for num in self.numeric:
            values = _numbers(frame[num.name]) if num.name in frame else pd.Series(np.nan, index=frame.index)
            scaled = ((_log1p(values) - num.mean) / num.std).fillna(0.0)
            cols[num.name] = scaled.to_numpy(dtype=float)
            if num.has_missing:
                cols[f"{num.name} missing"] = values.isna().to_numpy(dtype=float)
        for cat in self.categorical:
            raw = frame[cat.name] if cat.name in frame else pd.Series(pd.NA, index=frame.index, dtype=object)
            labels = _labels(raw)
            kept = set(cat.levels) | {cat.reference}
            labels = labels.where(labels.isin(kept), OTHER)
            for level in cat.levels:
                cols[f"{cat.name} = {level}"] = (labels == level).to_numpy(dtype=float)
        return pd.DataFrame(cols, index=frame.index, columns=list(self.terms["term"]), dtype=float)


def fit_spec(
    frame: pd.DataFrame,
    *,
    top_k: int = 10,
    min_share: float = 0.01,
    groups: Mapping[str, str] | None = None,
) -> FeatureSpec:
    """Learn the feature rules (kinds, kept levels, means, standard deviations) from the training rows."""
    numeric: list[NumericFeature] = []
    categorical: list[CategoricalFeature] = []
    skipped: list[str] = []
    n = max(len(frame), 1)
    for name in frame.columns:
        col = frame[name]
        group = (groups or {}).get(name) or ("engagement" if _ENGAGEMENT.search(str(name)) else "fit")
        present = col.dropna()
        present = present[present.astype(str).str.strip() != ""]
        if len(present) < 0.01 * n or present.astype(str).nunique() < 2:
            skipped.append(str(name))
            continue
        values = _numbers(col)
        if _is_numeric(col, values):
            if _is_id_like_number(values):
                skipped.append(str(name))
                continue
            logged = _log1p(values)
            std = float(logged.std(ddof=0))
            if not std > 0:
                skipped.append(str(name))
                continue
            numeric.append(NumericFeature(str(name), group, float(logged.mean()), std, bool(values.isna().any())))
            continue
        labels = _labels(col)
        if labels.nunique() > 0.5 * n and labels.nunique() > top_k:
            skipped.append(str(name))
            continue
        counts = labels.value_counts()
        counts = counts.sort_index(kind="stable").sort_values(ascending=False, kind="stable")
        top = [lvl for lvl in counts.index[:top_k] if counts[lvl] >= min_share * n]
        reference = str(counts.index[0])
        present_levels = set(top) | ({OTHER} if set(counts.index) - set(top) else set())
        levels = tuple(lvl for lvl in [*top, OTHER] if lvl in present_levels and lvl != reference)
        categorical.append(CategoricalFeature(str(name), group, reference, levels))
    return FeatureSpec(tuple(numeric), tuple(categorical), tuple(skipped))


def _numbers(col: pd.Series) -> pd.Series:
    """Numeric view of a column (booleans and unparseable text become NaN)."""
    if pd.api.types.is_bool_dtype(col):
        return pd.Series(np.nan, index=col.index, dtype=float)
    if pd.api.types.is_numeric_dtype(col):
        return col.astype(float)
    return pd.to_numeric(col.astype("string").str.strip().str.replace(",", "", regex=False), errors="coerce").astype(
        float
    )


def _is_numeric(col: pd.Series, values: pd.Series) -> bool:
    if pd.api.types.is_bool_dtype(col):
        return False
    if pd.api.types.is_numeric_dtype(col):
        return True
    text = col.dropna().astype(str).str.strip()
    text = text[text != ""]
    return len(text) > 0 and values.notna().sum() >= 0.9 * len(text)


def _is_id_like_number(values: pd.Series) -> bool:
    present = values.dropna()
    return bool((present == present.round()).all() and present.nunique() > 0.9 * len(present) and len(present) > 20)


def _log1p(values: pd.Series) -> pd.Series:
    return pd.Series(np.sign(values) * np.log1p(values.abs()), index=values.index, name=values.name)


def _labels(col: pd.Series) -> pd.Series:
    """Categorical labels as plain strings, with empty and missing values as "(missing)"."""
    text = col.astype("string").str.strip()
    return text.where(text.notna() & (text != ""), MISSING).astype(object)
