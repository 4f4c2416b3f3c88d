"""One demand number: the statistical, pipeline and lead-based forecasts for the same months, why they differ in
plain words, and the planner's pick or blend of them (the demand that goes into the draft plan).

The three answer different questions. The statistical forecast extends won revenue's own history (it also counts
deals not created yet). The weighted pipeline counts only deals already open, at their expected close months, times
their win probability, so it fades after a few months. Lead-based demand assumes today's lead flow converts at the
historical rate after the usual lead-to-close lag, so its first months only hold leads that already exist. A blend is
the weighted mean, month by month, of the sources the planner gives weight to (weights are normalised over the
sources that exist; a missing source cannot be blended).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection

from salesops.demand.leads import lead_demand
from salesops.demand.pipeline import pipeline_forecast
from salesops.formatting import money, percent
from salesops.i18n import DEFAULT_LANGUAGE, translate

SOURCES = ("statistical", "pipeline", "leads")
LABELS = {"statistical": "Statistical", "pipeline": "Weighted pipeline", "leads": "Lead-based"}
FADED_SHARE = 0.2  # a source "has faded" from the first month it falls below this share of the statistical forecast
NEAR_MONTHS = 3


@dataclass(frozen=True)
class Consensus:
    """The sources side by side, the chosen weights (in %, normalised) and the blended demand per month."""

    frame: pd.DataFrame  # index period; one column per available source, then "consensus"
    weights: dict[str, float]  # source -> % of the blend, over the available sources, summing to 100
    choice: str  # "statistical", "pipeline", "leads" (one source at 100 %) or "blend"


@dataclass(frozen=True)
class LeadBasis:
    """What the lead-based forecast assumes, to say it in words."""

    lag_months: int
    qualified_conversion: float  # qualified lead -> won deal
    avg_deal_size: float


def side_by_side(
    statistical: pd.Series, pipeline: pd.Series | None = None, leads: pd.Series | None = None
) -> pd.DataFrame:
    """The sources on the statistical forecast's months: a month a source does not reach counts 0 (nothing open or
    expected then); a source that is None (no open deals, no leads) has no column."""
    months = pd.DatetimeIndex(statistical.index, name="period")
    frame = pd.DataFrame({"statistical": statistical.to_numpy(dtype=float)}, index=months)
    for name, values in (("pipeline", pipeline), ("leads", leads)):
        if values is not None:
            frame[name] = values.astype(float).reindex(months, fill_value=0.0).to_numpy()
    return frame


def normalise(weights: dict[str, float], available: list[str]) -> dict[str, float]:
    """``weights`` restricted to the available sources and scaled to sum to 100 (ValueError when they sum to 0)."""
    kept = {name: max(float(weights.get(name, 0.0)), 0.0) for name in available}
    total = sum(kept.values())
    if total <= 0:
        raise ValueError("Give at least one available forecast a weight above 0.")
    return {name: value / total * 100 for name, value in kept.items()}


def blend(sources: pd.DataFrame, weights: dict[str, float]) -> Consensus:
    """The demand per month as the weighted mean of the sources (weights in any unit, normalised here)."""
    available = [name for name in SOURCES if name in sources.columns]
    shares = normalise(weights, available)
    consensus = sum(sources[name] * (shares[name] / 100) for name in available if shares[name] > 0)
    frame = sources[available].assign(consensus=consensus)
    single = [name for name, share in shares.items() if math.isclose(share, 100.0)]
    return Consensus(frame, shares, single[0] if single else "blend")


def explain(sources: pd.DataFrame, lead_basis: LeadBasis | None = None, lang: str = DEFAULT_LANGUAGE) -> list[str]:
    """One plain-words sentence per difference between the statistical forecast and each other source."""
    lines = []
    stat = sources["statistical"]
    if "pipeline" in sources:
        lines.append(_pipeline_sentence(stat, sources["pipeline"], lang))
    else:
        lines.append(translate("No open deals in this selection, so there is no pipeline forecast to compare.", lang))
    if "leads" in sources and lead_basis is not None:
        lines.append(_leads_sentence(stat, sources["leads"], lead_basis, lang))
    else:
        lines.append(translate("No leads with a known outcome yet, so there is no lead-based forecast.", lang))
    return lines


def _faded_from(stat: pd.Series, other: pd.Series) -> pd.Timestamp | None:
    """The first month from which ``other`` stays under FADED_SHARE of the statistical forecast, or None."""
    low = (other < FADED_SHARE * stat).to_numpy()
    for i in range(len(low)):
        if low[i:].all():
            return pd.Timestamp(stat.index[i])
    return None


def _pipeline_sentence(stat: pd.Series, pipe: pd.Series, lang: str) -> str:
    """Why the weighted pipeline differs from the statistical forecast."""
    near_stat, near_pipe = float(stat.iloc[:NEAR_MONTHS].sum()), float(pipe.iloc[:NEAR_MONTHS].sum())
    text = translate(
        "Weighted pipeline {pipe} vs statistical {stat} over the next {n} months ({share} of it): the pipeline "
        "counts only deals already open, at their expected close dates and win probabilities, while the statistical "
        "forecast also counts deals that are not created yet.",
        lang,
        pipe=money(near_pipe),
        stat=money(near_stat),
        n=min(NEAR_MONTHS, len(stat)),
        share=percent(near_pipe / near_stat) if near_stat > 0 else "—",
    )
    faded = _faded_from(stat, pipe)
    if faded is not None:
        text += " " + translate(
            "From {month} the open pipeline holds under a fifth of the statistical forecast: few deals closing "
            "then exist yet.",
            lang,
            month=faded.strftime("%b %Y"),
        )
    if near_pipe > near_stat:
        text += " " + translate(
            "The pipeline is above the statistical forecast: open deals would close faster or win more often "
            "than history says; check stale close dates and probabilities.",
            lang,
        )
    return text


def _leads_sentence(stat: pd.Series, leads: pd.Series, basis: LeadBasis, lang: str) -> str:
    """Why lead-based demand differs from the statistical forecast."""
    total_stat, total_leads = float(stat.sum()), float(leads.sum())
    return translate(
        "Lead-based {leads} vs statistical {stat} over {n} months ({share} of it): it assumes today's lead flow "
        "continues and a qualified lead becomes a won deal {conversion} of the time, {lag} month(s) later, at the "
        "average deal size {size}; those conversion rates are history's, and revenue from customers who never "
        "came in as leads (renewals, expansions, direct deals) is not in it.",
        lang,
        leads=money(total_leads),
        stat=money(total_stat),
        n=len(stat),
        share=percent(total_leads / total_stat) if total_stat > 0 else "—",
        conversion=percent(basis.qualified_conversion, 1),
        lag=basis.lag_months,
        size=money(basis.avg_deal_size),
    )


def plan_demand(adjusted: pd.DataFrame, result: Consensus | None) -> tuple[pd.DataFrame, pd.Series]:
    """The demand the plan takes per month (mean, lower, upper) and its ratio to the statistical forecast.

    The statistical choice keeps its interval; a pick of another source or a blend has no interval of its own, so
    its bounds are NaN (no number is better than a wrong one). The ratio rescales the segment split to the new total.
    """
    ones = pd.Series(1.0, index=adjusted.index)
    if result is None or result.choice == "statistical":
        return adjusted[["mean", "lower", "upper"]], ones
    mean = result.frame["consensus"].reindex(adjusted.index).astype(float)
    stat = adjusted["mean"].astype(float)
    ratio = (mean / stat.where(stat > 0)).fillna(1.0)
    frame = pd.DataFrame({"mean": mean, "lower": float("nan"), "upper": float("nan")}, index=adjusted.index)
    return frame, ratio


def record(result: Consensus | None) -> dict[str, object]:
    """The choice as saved with the plan: which source or blend, the weights and each source's total."""
    if result is None:
        return {"choice": "statistical", "weights": {"statistical": 100.0}, "totals": {}}
    totals = {name: float(result.frame[name].sum()) for name in result.frame.columns}
    return {"choice": result.choice, "weights": result.weights, "totals": totals}


def parse_weights(text: str) -> dict[str, float]:
    """``forecast --consensus`` input: one source name ("statistical", "pipeline", "leads") or three weights
    "S,P,L" in that order; ValueError otherwise."""
    text = text.strip().lower()
    if text in SOURCES:
        return {text: 100.0}
    parts = text.split(",")
    if len(parts) != len(SOURCES):
        raise ValueError("--consensus takes statistical, pipeline, leads or three weights like 50,25,25")
    try:
        return {name: float(part) for name, part in zip(SOURCES, parts, strict=True)}
    except ValueError as error:
        raise ValueError("--consensus weights must be numbers, like 50,25,25") from error


def store_sources(conn: Connection, workspace_id: int, statistical: pd.Series) -> tuple[pd.DataFrame, LeadBasis | None]:
    """The three sources for the whole workspace on the statistical forecast's months, read from the store, and the
    lead assumptions (None without leads that have an outcome)."""
    horizon = len(statistical)
    pipe = pipeline_forecast(conn, workspace_id, None, horizon)
    pipeline = pipe.frame.set_index("period")["pipeline_weighted"] if not pipe.stage_table.empty else None
    demand = lead_demand(conn, workspace_id, horizon)
    has_leads = not demand.bands.empty and float(demand.bands["leads_with_outcome"].sum()) > 0
    leads = demand.frame.set_index("period")["revenue"] if has_leads else None
    basis = LeadBasis(demand.lag_months, demand.qualified_conversion, demand.avg_deal_size) if has_leads else None
    return side_by_side(statistical, pipeline, leads), basis
