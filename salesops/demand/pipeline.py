"""Pipeline-weighted forecast: open deals x the probability they are won, spread over the months they will close.

The store keeps only a deal's current stage, so a closed deal's last open stage is unknown and stage-to-win rates
cannot be counted directly. Each open deal's win probability therefore comes from the first rule that applies:

1. **Calibrated CRM probability**: when at least 30 closed deals still carry an in-between CRM probability
   (0 < p < 100, some CRMs keep the last open value on close), the realised win rate of closed deals in the open
   deal's 10-point probability bucket (buckets with at least 10 closed deals).
2. **CRM probability**: the deal's own probability / 100, when the workspace's open deals use probabilities at all
   (at least one is above 0).
3. **Segment win rate**: won / (won + lost) of closed deals in the deal's segment (at least 20 closed deals).
4. **Overall win rate** of closed deals (0 without any closed deal).

Months start at the first forecast month F, the one after the last complete month of data (see
:mod:`salesops.demand.calendar`), as the statistical forecast does. A deal expected to close in or after F stays in
its month. A stale deal (expected close before F, or no close date) aged a months (F - created month) closes d
months after F with the empirical distribution of d = c - a over won deals whose cycle c (close month - created
month) was at least a: "deals still open at this age closed this much later". With fewer than 5 such won deals
it uses the overrun c - median cycle of the won deals at or above the median; with no won deal, month F.

Per month: ``commit`` is the amount of deals in forecast category Commit/Closed or with win probability >= 70 %,
``best_case`` adds Best Case deals and those >= 40 %, both unweighted as CRM forecast categories are;
``pipeline_weighted`` is amount x win probability over all open deals, ``pipeline_unweighted`` their amount,
``deals`` the expected number of open deals closing (won or lost) and ``expected_wins`` the sum of win probabilities.
The filters' period narrows the history (closed deals by close date), never the open pipeline.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
from sqlalchemy import Connection, case, func, select

from salesops.asof import resolve_as_of
from salesops.demand.calendar import first_forecast_month
from salesops.filters import Filters
from salesops.i18n import DEFAULT_LANGUAGE, N_, translate
from salesops.ingest.fields import CLOSED_STATUSES
from salesops.kpi.sqlfilters import NO_FILTERS, deal_conditions, grouped
from salesops.store.schema import deals
from salesops.store.sqlfn import month_of

MIN_CALIBRATION_DEALS = 30
MIN_BUCKET_DEALS = 10
MIN_SEGMENT_DEALS = 20
MIN_AGE_DEALS = 5
COMMIT_PROBABILITY = 0.70
BEST_CASE_PROBABILITY = 0.40
COMMIT_CATEGORIES = frozenset({"commit", "closed"})
BEST_CASE_CATEGORIES = frozenset({"bestcase"})
FRAME_COLUMNS = ("period", "commit", "best_case", "pipeline_weighted", "pipeline_unweighted", "deals", "expected_wins")
STAGE_COLUMNS = ("stage", "open_deals", "amount", "win_probability", "weighted_amount", "source")

SOURCE_CALIBRATED = N_("calibrated CRM probability")
SOURCE_CRM = N_("CRM probability")
SOURCE_SEGMENT = N_("segment win rate")
SOURCE_OVERALL = N_("overall win rate")


@dataclass(frozen=True)
class WinHistory:
    """What closed deals teach about winning, the inputs of the win-probability rules."""

    overall: float  # won / closed, 0 without closed deals
    by_segment: dict[str, float]  # segments with at least MIN_SEGMENT_DEALS closed deals
    by_bucket: dict[int, float]  # 10-point CRM probability bucket (0..9) -> realised win rate, when calibrated
    won_cycles: pd.Series  # won deals per cycle length in whole months (index: months >= 0)


@dataclass(frozen=True)
class PipelineForecast:
    """Open pipeline by expected close month, how each stage's win probability was set, and the rule in words."""

    frame: (
        pd.DataFrame
    )  # FRAME_COLUMNS, one row per month from the first forecast month; period = month start Timestamp
    method_note: str
    stage_table: pd.DataFrame  # STAGE_COLUMNS, one row per open stage, lowest win probability first
    as_of: date | None  # the last day of data the months start from (None: empty workspace)
    beyond_horizon: float  # weighted amount expected to close after the horizon


def pipeline_forecast(
    conn: Connection,
    workspace_id: int,
    filters: Filters | None = None,
    horizon: int = 12,
    *,
    as_of: date | None = None,
    lang: str = DEFAULT_LANGUAGE,
) -> PipelineForecast:
    """Weighted open pipeline per month for ``horizon`` months after ``as_of`` (default: the last day of data);
    its method note in ``lang``."""
    if horizon < 1:
        raise ValueError("The horizon must be at least one month.")
    filters = filters or NO_FILTERS
    as_of = as_of or resolve_as_of(conn, workspace_id, filters.as_of)
    history = win_history(conn, workspace_id, filters)
    open_deals = _open_deals(conn, workspace_id, filters)
    if as_of is None or open_deals.empty:
        start = first_forecast_month(as_of or date.today())
        return PipelineForecast(
            frame=monthly_frame(pd.DataFrame(columns=["period"]), start, horizon),
            method_note=translate("No open deals: the pipeline forecast is empty.", lang),
            stage_table=pd.DataFrame(columns=list(STAGE_COLUMNS)),
            as_of=as_of,
            beyond_horizon=0.0,
        )
    priced = win_probabilities(open_deals, history)
    start = first_forecast_month(as_of)
    spread = spread_by_month(priced, history.won_cycles, start)
    frame = monthly_frame(spread, start, horizon)
    end = start + horizon - 1
    beyond = float(spread.loc[spread["period"] > end.to_timestamp(), "weighted"].sum())
    return PipelineForecast(frame, _note(priced, history, as_of, lang), stage_table(priced), as_of, beyond)


def win_history(conn: Connection, workspace_id: int, filters: Filters) -> WinHistory:
    """Win rates overall, by segment and by CRM probability bucket, and won cycle months, from SQL aggregates."""
    closed = [*deal_conditions(workspace_id, filters, deals.c.close_date), deals.c.status.in_(CLOSED_STATUSES)]
    won = case((deals.c.status == "won", 1), else_=0)
    by_segment = conn.execute(
        select(deals.c.segment, func.count(), func.sum(won)).where(*closed).group_by(deals.c.segment)
    ).all()
    total = sum(int(n) for _, n, _ in by_segment)
    overall = sum(int(w or 0) for _, _, w in by_segment) / total if total else 0.0
    segments = {str(s): int(w or 0) / int(n) for s, n, w in by_segment if s is not None and n >= MIN_SEGMENT_DEALS}
    between = (deals.c.probability > 0) & (deals.c.probability < 100)
    by_probability = conn.execute(
        select(deals.c.probability, func.count(), func.sum(won)).where(*closed, between).group_by(deals.c.probability)
    ).all()
    buckets: dict[int, float] = {}
    if sum(int(n) for _, n, _ in by_probability) >= MIN_CALIBRATION_DEALS:
        calib = pd.DataFrame(by_probability, columns=["p", "n", "won"]).astype(float)
        calib["bucket"] = bucket_of(calib["p"])
        sums = calib.groupby("bucket")[["n", "won"]].sum()
        buckets = {int(b): float(won / n) for b, n, won in sums.itertuples() if n >= MIN_BUCKET_DEALS}
    dialect = conn.dialect.name
    rows = (
        select(
            month_of(deals.c.created_date, dialect).label("created"),
            month_of(deals.c.close_date, dialect).label("closed"),
        )
        .where(*closed, deals.c.status == "won")
        .where(deals.c.created_date.is_not(None), deals.c.close_date.is_not(None))
    )
    cycles = pd.DataFrame(
        conn.execute(grouped(rows, ["created", "closed"], lambda c: [func.count().label("n")])).all(),
        columns=["created", "closed", "n"],
    )
    months = (_months(cycles["closed"]) - _months(cycles["created"])).clip(lower=0)
    won_cycles = cycles.assign(m=months).groupby("m")["n"].sum().astype(float) if len(cycles) else pd.Series()
    return WinHistory(overall, segments, buckets, won_cycles.astype(float))


def bucket_of(probability: pd.Series) -> pd.Series:
    """10-point bucket 0..9 of a 0-100 probability (100 falls in bucket 9)."""
    return (probability // 10).clip(0, 9).astype(int)


def _open_deals(conn: Connection, workspace_id: int, filters: Filters) -> pd.DataFrame:
    """Open deals grouped by everything the forecast needs (stage, segment, category, probability, months)."""
    dialect = conn.dialect.name
    rows = select(
        deals.c.stage.label("stage"),
        deals.c.segment.label("segment"),
        deals.c.forecast_category.label("category"),
        deals.c.probability.label("probability"),
        month_of(deals.c.close_date, dialect).label("close_month"),
        month_of(deals.c.created_date, dialect).label("created_month"),
        deals.c.amount.label("amount"),
    ).where(*deal_conditions(workspace_id, filters), deals.c.status == "open")
    keys = ["stage", "segment", "category", "probability", "close_month", "created_month"]
    query = grouped(
        rows, keys, lambda c: [func.count().label("n"), func.coalesce(func.sum(c.amount), 0.0).label("amt")]
    )
    frame = pd.DataFrame(conn.execute(query).all(), columns=[*keys, "n", "amount"])
    return frame.astype({"n": float, "amount": float, "probability": float})


def win_probabilities(open_deals: pd.DataFrame, history: WinHistory) -> pd.DataFrame:
    """``open_deals`` with ``p`` (win probability 0-1) and ``source`` by the module's rules 1-4."""
    frame = open_deals.copy()
    crm = frame["probability"].astype(float)
    use_crm = bool((crm > 0).any())
    segment_rate = frame["segment"].map(lambda s: history.by_segment.get(str(s)) if pd.notna(s) else None)
    calibrated = bucket_of(crm.fillna(0)).map(history.by_bucket).where(crm.notna())
    p = pd.Series(history.overall, index=frame.index, dtype=float)
    source = pd.Series(SOURCE_OVERALL, index=frame.index, dtype="string")
    has_segment = segment_rate.notna()
    p[has_segment] = segment_rate[has_segment].astype(float)
    source[has_segment] = SOURCE_SEGMENT
    if use_crm:
        has_crm = crm.notna()
        p[has_crm] = (crm[has_crm] / 100).clip(0, 1)
        source[has_crm] = SOURCE_CRM
    has_calibration = calibrated.notna()
    p[has_calibration] = calibrated[has_calibration].astype(float)
    source[has_calibration] = SOURCE_CALIBRATED
    category = frame["category"].astype("string").str.lower().str.replace(r"[\s_-]", "", regex=True).fillna("")
    frame["p"] = p
    frame["source"] = source
    frame["commit"] = category.isin(COMMIT_CATEGORIES) | (p >= COMMIT_PROBABILITY)
    frame["best_case"] = frame["commit"] | category.isin(BEST_CASE_CATEGORIES) | (p >= BEST_CASE_PROBABILITY)
    return frame


def slip_distribution(won_cycles: pd.Series, age: int | None) -> pd.Series:
    """When a stale deal ``age`` months old closes: weights summing to 1, indexed by months after month F."""
    if won_cycles.empty or won_cycles.sum() <= 0:
        return pd.Series([1.0], index=[0])
    cycles = won_cycles.sort_index()
    if age is not None:
        longer = cycles[cycles.index >= age]
        if longer.sum() >= MIN_AGE_DEALS:
            return _normalised(pd.Series(longer.to_numpy(), index=longer.index - age))
    cumulative = cycles.cumsum() / cycles.sum()
    median = int(cumulative[cumulative >= 0.5].index[0])
    overrun = cycles[cycles.index >= median]
    return _normalised(pd.Series(overrun.to_numpy(), index=overrun.index - median))


def spread_by_month(priced: pd.DataFrame, won_cycles: pd.Series, start: pd.Period) -> pd.DataFrame:
    """Measures per close month (``period``) after spreading stale deal groups by :func:`slip_distribution`."""
    close = _months(priced["close_month"])
    created = _months(priced["created_month"])
    on_time = close.notna() & (close >= start.ordinal)
    # Age -1 stands for "created date unknown" (slip_distribution's ``age=None``).
    age = (start.ordinal - created).clip(lower=0).fillna(-1).astype(int)
    frame = priced.assign(age=np.where(on_time, -2, age), own_offset=(close - start.ordinal).where(on_time))
    slips = {a: slip_distribution(won_cycles, None if a < 0 else a) for a in sorted(set(frame.loc[~on_time, "age"]))}
    shares = [
        pd.DataFrame({"age": a, "offset": dist.index.to_numpy(dtype=int), "share": dist.to_numpy()})
        for a, dist in slips.items()
    ]
    on_time_shares = pd.DataFrame({"age": [-2], "offset": [0], "share": [1.0]})
    table = pd.concat([on_time_shares, *shares], ignore_index=True)
    rows = frame.merge(table, on="age")
    rows["offset"] = np.where(rows["age"] == -2, rows["own_offset"], rows["offset"]).astype(int)
    w = rows["share"]
    measures = pd.DataFrame(
        {
            "offset": rows["offset"],
            "deals": rows["n"] * w,
            "unweighted": rows["amount"] * w,
            "weighted": rows["amount"] * rows["p"] * w,
            "wins": rows["n"] * rows["p"] * w,
            "commit": rows["amount"] * w * rows["commit"],
            "best_case": rows["amount"] * w * rows["best_case"],
        }
    )
    spread = measures.groupby("offset", as_index=False).sum()
    spread["period"] = [(start + int(k)).to_timestamp() for k in spread.pop("offset")]
    return spread


def monthly_frame(spread: pd.DataFrame, start: pd.Period, horizon: int) -> pd.DataFrame:
    """The FRAME_COLUMNS table on exactly ``horizon`` months from ``start`` (months without deals are 0)."""
    periods = pd.DatetimeIndex([(start + k).to_timestamp() for k in range(horizon)], name="period")
    columns = {
        "commit": "commit",
        "best_case": "best_case",
        "pipeline_weighted": "weighted",
        "pipeline_unweighted": "unweighted",
        "deals": "deals",
        "expected_wins": "wins",
    }
    indexed = spread.set_index("period") if len(spread) else pd.DataFrame(index=pd.DatetimeIndex([]))
    frame = pd.DataFrame({"period": periods})
    for name, source in columns.items():
        values = indexed[source] if source in indexed else pd.Series(dtype=float)
        frame[name] = values.reindex(periods, fill_value=0.0).to_numpy(dtype=float)
    return frame


def stage_table(priced: pd.DataFrame) -> pd.DataFrame:
    """Per open stage: deals, amount, amount-weighted win probability, weighted amount and the main source."""
    frame = priced.assign(
        stage=priced["stage"].fillna("(no stage)").astype(str),
        weighted=priced["amount"] * priced["p"],
        p_n=priced["p"] * priced["n"],
    )
    table = frame.groupby("stage", as_index=False).agg(
        open_deals=("n", "sum"), amount=("amount", "sum"), weighted_amount=("weighted", "sum"), p_n=("p_n", "sum")
    )
    by_amount = table["weighted_amount"] / table["amount"].where(table["amount"] > 0)
    table["win_probability"] = by_amount.fillna(table["p_n"] / table["open_deals"])
    main_source = frame.groupby(["stage", "source"])["n"].sum().reset_index().sort_values("n", ascending=False)
    table["source"] = table["stage"].map(main_source.drop_duplicates("stage").set_index("stage")["source"])
    table["open_deals"] = table["open_deals"].astype(int)
    return table.sort_values(["win_probability", "stage"]).reset_index(drop=True)[list(STAGE_COLUMNS)]


def _note(priced: pd.DataFrame, history: WinHistory, as_of: date, lang: str = DEFAULT_LANGUAGE) -> str:
    """The rules that actually applied, in words, with their shares of open deals."""
    shares = priced.groupby("source")["n"].sum() / priced["n"].sum()
    used = ", ".join(
        translate("{source} for {share}", lang, source=translate(str(name), lang), share=f"{share:.0%}")
        for name, share in shares.sort_values(ascending=False).items()
    )
    return translate(
        "Open deals as of {day} weighted by win probability ({used} of open deals; overall win rate {rate}). Deals "
        "whose close date has passed are spread over the next months the way won deals that were still open at the "
        "same age closed. Commit and best case are unweighted amounts.",
        lang,
        day=as_of.isoformat(),
        used=used,
        rate=f"{history.overall:.0%}",
    )


def _months(text: pd.Series) -> pd.Series:
    """``YYYY-MM`` strings as month ordinals (NaN where missing), for month arithmetic."""
    parsed = pd.PeriodIndex(pd.to_datetime(text.astype("string") + "-01", errors="coerce"), freq="M")
    return pd.Series(np.where(parsed.isna(), np.nan, parsed.asi8), index=text.index, dtype=float)


def _normalised(weights: pd.Series) -> pd.Series:
    return weights / weights.sum()
