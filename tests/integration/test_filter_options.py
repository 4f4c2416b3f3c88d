"""The sidebar's filter choices: every distinct non-blank value once, sorted, regions from reps and deals."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Engine, insert

from salesops.kpi.options import filter_options
from salesops.store.schema import deals, reps
from salesops.store.workspaces import get_or_create


def _deal(deal_id: str, owner: str | None, **values: object) -> dict:
    row = {"id": deal_id, "owner": owner, "status": "won", "is_closed": True, "is_won": True, "batch_id": 0}
    row |= {
        "created_batch_id": 0,
        "close_date": None,
        "region": None,
        "segment": None,
        "lead_source": None,
        "product": None,
    }
    return row | values


def test_choices_are_distinct_sorted_and_skip_blanks(engine: Engine) -> None:
    with engine.begin() as conn:
        workspace = get_or_create(conn, "Options")
        other = get_or_create(conn, "Other")
        conn.execute(
            insert(deals).values(workspace_id=workspace),
            [
                _deal(
                    "D1",
                    "Bo",
                    region="West",
                    segment="SMB",
                    lead_source="Web",
                    product="Core",
                    close_date=date(2025, 3, 1),
                ),
                _deal(
                    "D2",
                    "Al",
                    region="East",
                    segment="SMB",
                    lead_source=" ",
                    product="Add-on",
                    close_date=date(2025, 1, 5),
                ),
                _deal("D3", None, segment="Enterprise", product="Core"),
            ],
        )
        conn.execute(insert(deals).values(workspace_id=other), [_deal("X1", "Zed", region="Mars", product="Rocket")])
        conn.execute(
            insert(reps),
            [
                {
                    "workspace_id": workspace,
                    "id": "R1",
                    "name": "Al",
                    "team": "North",
                    "region": "Central",
                    "batch_id": 0,
                    "created_batch_id": 0,
                }
            ],
        )
    with engine.connect() as conn:
        options = filter_options(conn, workspace)
    assert options.reps == ("Al", "Bo")
    assert options.teams == ("North",)
    assert options.regions == ("Central", "East", "West")
    assert options.segments == ("Enterprise", "SMB")
    assert options.sources == ("Web",)
    assert options.products == ("Add-on", "Core")
    assert (options.first_close, options.last_close) == (date(2025, 1, 5), date(2025, 3, 1))
