"""Money that means what it says (issue 12, point 5): amounts in several currencies are noted at import, each deal
keeps its currency, and KPIs cover one currency at a time (never a sum across currencies)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from sqlalchemy import Engine, select

from salesops import kpi
from salesops.filters import Filters
from salesops.ingest.pipeline import ingest_paths
from salesops.kpi.options import filter_options
from salesops.store import workspaces as ws
from salesops.store.schema import deals


def test_mixed_currencies_are_noted_kept_and_never_summed(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(
        "Opportunity ID,Stage,Amount,Close Date\n"
        "D1,Closed Won,$100,2024-01-10\nD2,Closed Won,$300,2024-01-20\n"
        "D3,Closed Won,€200,2024-01-15\nD4,Closed Won,¥5000,2024-01-18\n",
        encoding="utf-8",
    )
    [result] = ingest_paths(engine, "Money", [path])
    assert any("3 currencies (EUR 1, JPY 1, USD 2)" in note for note in result.notes), result.notes
    with engine.connect() as conn:
        workspace_id = ws.find(conn, "Money") or 0
        stored = dict(conn.execute(select(deals.c.id, deals.c.currency)).all())
        options = filter_options(conn, workspace_id)
        january = Filters(start=date(2024, 1, 1), end=date(2024, 1, 31))  # the data end mid-month: name the period
        usd = kpi.summary(conn, workspace_id, replace(january, currency="USD"))
        eur = kpi.summary(conn, workspace_id, replace(january, currency="EUR"))
    assert stored == {"D1": "USD", "D2": "USD", "D3": "EUR", "D4": "JPY"}
    assert options.currencies == ("USD", "EUR", "JPY")  # the most used first: the default view
    assert usd["won_revenue"] == 400
    assert usd["deals_won"] == 2
    assert eur["won_revenue"] == 200


def test_a_currency_column_wins_over_the_symbol_and_one_currency_adds_no_note(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "deals.csv"
    path.write_text(
        "Opportunity ID,Stage,Amount,Currency\nD1,Closed Won,100,eur\nD2,Closed Won,200,EUR\n", encoding="utf-8"
    )
    [result] = ingest_paths(engine, "One", [path])
    assert not any("currencies" in note for note in result.notes)
    with engine.connect() as conn:
        assert set(conn.execute(select(deals.c.currency)).scalars()) == {"EUR"}
