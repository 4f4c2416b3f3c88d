"""Lead KPIs of a workspace without deals (issue 7, point 9): volume, source, owner, conversion, time to convert."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import Engine

from salesops.filters import Filters
from salesops.ingest.pipeline import ingest_paths
from salesops.kpi.leads import lead_kpis
from salesops.store.workspaces import find
from tests.conftest import SAMPLE


def _load(engine: Engine, name: str, path: Path) -> int:
    ingest_paths(engine, name, [path])
    with engine.connect() as conn:
        found = find(conn, name)
    assert found is not None
    return found


def test_sample_leads_give_volume_conversion_and_time_to_convert(engine: Engine) -> None:
    ws = _load(engine, "Leads", SAMPLE / "leads.csv")
    raw = pd.read_csv(SAMPLE / "leads.csv")
    created = pd.to_datetime(raw["Created Date"])
    converted = raw["Converted"].astype(str).str.lower() == "true"
    days = (pd.to_datetime(raw.loc[converted, "Converted Date"]) - created[converted]).dt.days
    with engine.connect() as conn:
        figures = lead_kpis(conn, ws)
        year = lead_kpis(
            conn, ws, Filters(start=pd.Timestamp("2024-01-01").date(), end=pd.Timestamp("2024-12-31").date())
        )
    assert figures.leads == len(raw)
    assert figures.converted == int(converted.sum())
    assert figures.conversion_rate == pytest.approx(converted.mean())
    assert figures.median_days_to_convert == pytest.approx(days[days >= 0].median())
    monthly = raw.groupby(created.dt.strftime("%Y-%m")).size()
    assert figures.monthly.set_index("month")["leads"].to_dict() == monthly.to_dict()
    by_source = figures.by_source.set_index("group")["leads"].to_dict()
    assert by_source == raw["Lead Source"].value_counts().to_dict()
    assert figures.by_owner["leads"].sum() == len(raw)
    assert figures.lead_to_opportunity is None  # no deals in this workspace
    assert any("needs deals" in note for note in figures.missing)
    assert year.leads == int((created.dt.year == 2024).sum())


def test_x_education_leads_show_what_they_support_and_say_what_they_cannot(engine: Engine, datasets: Path) -> None:
    path = datasets / "x-education-lead-scoring" / "Leads.csv"
    ws = _load(engine, "X Education", path)
    raw = pd.read_csv(path)
    with engine.connect() as conn:
        figures = lead_kpis(conn, ws)
    assert figures.leads == len(raw)
    assert figures.converted == int(raw["Converted"].sum())
    assert figures.conversion_rate == pytest.approx(raw["Converted"].mean())
    top_source = figures.by_source.iloc[0]
    assert top_source["group"] == raw["Lead Source"].value_counts().index[0]
    assert figures.monthly.empty
    assert any("no created date" in note for note in figures.missing)
