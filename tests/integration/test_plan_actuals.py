"""The latest saved plan against bookings: only months the data already covers are compared."""

from __future__ import annotations

from datetime import date

import pandas as pd
from sqlalchemy import Engine, insert

from salesops.plan import save_draft
from salesops.plan.actuals import latest_plan_vs_actual
from salesops.store.schema import deals
from salesops.store.workspaces import get_or_create


def _won(deal_id: str, amount: float, close: date) -> dict:
    return {"id": deal_id, "status": "won", "is_closed": True, "is_won": True, "amount": amount,
            "created_date": date(2024, 12, 1), "close_date": close, "batch_id": 0, "created_batch_id": 0}  # fmt: skip


def test_plan_vs_actual_covers_only_months_with_data(engine: Engine) -> None:
    with engine.begin() as conn:
        workspace = get_or_create(conn, "W")
        assert latest_plan_vs_actual(conn, workspace) is None  # no plan yet
        rows = [_won("a", 900.0, date(2025, 1, 10)), _won("b", 300.0, date(2025, 1, 20)),
                _won("c", 1500.0, date(2025, 2, 26))]  # fmt: skip
        conn.execute(insert(deals), [{**r, "workspace_id": workspace} for r in rows])
        lines = pd.DataFrame(
            {
                "kind": ["demand"] * 3 + ["demand"],
                "metric": ["revenue"] * 4,
                "segment": ["", "", "", "SMB"],
                "period": ["2025-01", "2025-02", "2025-03", "2025-01"],
                "value": [1000.0, 2000.0, 3000.0, 400.0],
                "lower": [None] * 4,
                "upper": [None] * 4,
            }
        )
        save_draft(conn, workspace, "Q1 plan", {"horizon": 3}, lines)
        result = latest_plan_vs_actual(conn, workspace)
    assert result is not None
    assert (result.version, result.name, result.metric) == (1, "Q1 plan", "revenue")
    assert (result.first_period, result.last_period) == ("2025-01", "2025-03")
    months = result.months.set_index("period")
    assert list(months.index) == ["2025-01", "2025-02"]  # March has no complete data yet; segment lines ignored
    assert months.loc["2025-01", "actual"] == 1200.0
    assert months.loc["2025-01", "variance_pct"] == 0.2
    assert months.loc["2025-02", "variance"] == -500.0
