"""Lead and deal scoring on page 1: learn the weights, explain them, check calibration, re-weight, download.

Training writes the scores to the store, which bumps the data version; the fitted model is therefore cached on the
version *before* scoring (remembered in the session), so later reruns, slider moves included, never refit.
"""

from __future__ import annotations

from typing import Literal

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import streamlit as st

from salesops.filters import Filters
from salesops.scoring.model import ScoringModel, adjusted_weights, score
from salesops.scoring.store import feature_frame, load_deals, load_leads, score_workspace, write_scores
from salesops.ui import charts
from salesops.ui.common import csv_download, data_version, engine, plain, t, workspace_id
from salesops.ui.home import freshness
from salesops.ui.tables import show_table

Entity = Literal["leads", "deals"]
ENTITIES: tuple[Entity, ...] = ("leads", "deals")
FITS_KEY = "score_fits"  # {entity: (workspace, version before scoring)}
OWN_VERSION_KEY = "score_own_version"  # {workspace: data version right after this session's last score write}
SHOWN_KEY = "score_shown"  # the entity whose model is on screen


@st.cache_resource(max_entries=8, show_spinner=False)
def fitted(workspace: int, version_before: int, entity: Entity) -> tuple[ScoringModel, pd.DataFrame]:
    """Train on the workspace as it is at ``version_before``, store every score; returns (model, id/score/label)."""
    return score_workspace(engine(), workspace, entity)


@st.cache_data(max_entries=16, show_spinner=False)
def cached_features(workspace: int, version: int, entity: Entity) -> pd.DataFrame:
    """The feature columns of every lead/deal (rows in the order :func:`fitted` scores them)."""
    with engine().connect() as conn:
        frame = load_leads(conn, workspace) if entity == "leads" else load_deals(conn, workspace)
    return feature_frame(frame)


def cached_counts(workspace: int) -> dict[str, int]:
    """Record counts per entity of a workspace (cached per data version by the home page's helper)."""
    return dict(freshness(workspace).counts)


@st.cache_data(max_entries=32, show_spinner=False)
def rescored(
    workspace: int,
    version_before: int,
    entity: Entity,
    version: int,
    weights: tuple[float, float],
    _model: ScoringModel,
) -> pd.Series:
    """Scores under fit/engagement multipliers, without refitting (``_model`` is identified by the other keys)."""
    features = cached_features(workspace, version, entity)
    return score(_model, features, {"fit": weights[0], "engagement": weights[1]})


def calibration_chart(calibration: pd.DataFrame) -> go.Figure:
    """Observed rate against mean predicted probability per decile of the holdout, with the perfect diagonal."""
    fig = go.Figure()
    fig.add_scatter(x=[0, 1], y=[0, 1], mode="lines", name=t("Perfect calibration"), line={"dash": "dash"})
    fig.add_scatter(
        x=calibration["predicted"],
        y=calibration["observed"],
        mode="lines+markers",
        name=t("Deciles"),
        customdata=calibration[["decile", "n"]],
        hovertemplate=t("Decile %{customdata[0]} (%{customdata[1]} rows): predicted %{x:.0%}, observed %{y:.0%}")
        + "<extra></extra>",
    )
    top = float(max(calibration["predicted"].max(), calibration["observed"].max(), 0.1))
    fig.update_layout(
        xaxis={"title": t("Predicted probability"), "tickformat": ".0%", "range": [0, top * 1.05]},
        yaxis={"title": t("Observed rate"), "tickformat": ".0%", "range": [0, top * 1.05]},
        legend_title_text="",
        margin={"t": 30},
    )
    return fig


def _outcome(label: object, entity: Entity) -> str:
    if label is None or pd.isna(label):
        return t("open")
    if entity == "leads":
        return t("converted") if label else t("not converted")
    return t("won") if label else t("lost")


def _run(entity: Entity) -> None:
    """Fit and store scores for ``entity`` with a progress status; remember the fit's cache key in the session."""
    ws, before = workspace_id(), data_version()
    what = t("leads") if entity == "leads" else t("deals")
    with st.status(t("Scoring {what}…", what=what), expanded=False) as status:
        scored = fitted(ws, before, entity)[1]
        status.update(label=t("{n} {what} scored and stored.", n=f"{len(scored):,}", what=what), state="complete")
    st.session_state[FITS_KEY] = {**st.session_state.get(FITS_KEY, {}), entity: (ws, before)}
    st.session_state[OWN_VERSION_KEY] = {**st.session_state.get(OWN_VERSION_KEY, {}), ws: data_version()}
    st.session_state[SHOWN_KEY] = entity


def _actions(counts: dict[str, int]) -> None:
    cols = st.columns(2)
    for col, entity in zip(cols, ENTITIES, strict=True):
        label = t("Score leads") if entity == "leads" else t("Score deals")
        missing = not counts.get(entity, 0)
        hint = t("No {what} in this workspace.", what=t(entity)) if missing else None
        if col.button(label, key=f"score_run_{entity}", disabled=missing, help=hint, type="primary"):
            _run(entity)


def render(filters: Filters | None = None) -> None:
    """Draw the scoring section (whole workspace: scores are learned from all history, not the filtered part)."""
    ws = workspace_id()
    counts = cached_counts(ws)
    if not counts.get("leads") and not counts.get("deals"):
        st.info(t("Import leads (or deals with won/lost outcomes) to score them by fit and engagement."))
        return
    if not counts.get("leads"):
        st.info(t("No leads in this workspace: import a leads export to score leads; deals can be scored now."))
    st.caption(t("Scores learn from the whole workspace's history: the sidebar filters do not apply here."))
    _actions(counts)
    entity: Entity | None = st.session_state.get(SHOWN_KEY)
    fit = st.session_state.get(FITS_KEY, {}).get(entity)
    if entity is None or fit is None or fit[0] != ws:
        st.info(
            t(
                "Press a button to learn scoring weights from won/lost history (a logistic regression, or transparent "
                "rules when history is thin) and store a 0-100 score on every record."
            )
        )
        return
    _results(ws, entity, fit[1])


def _results(ws: int, entity: Entity, version_before: int) -> None:
    model, scored = fitted(ws, version_before, entity)
    version = data_version()
    if st.session_state.get(OWN_VERSION_KEY, {}).get(ws) != version:
        st.warning(t("The data changed since these weights were learned: score again to refit."))
    what = t("Leads") if entity == "leads" else t("Deals")
    st.subheader(t("{what}: likelihood of {target}", what=what, target=t(model.target)))
    cols = st.columns(3)
    cols[0].metric(t("Method"), t("Logistic regression") if model.method == "logistic" else t("Rules"))
    auc_label = t("Holdout AUC") if model.method == "logistic" else t("AUC (all labelled rows)")
    cols[1].metric(auc_label, "—" if model.auc is None else f"{model.auc:.3f}", help=t("0.5 = chance, 1 = perfect"))
    cols[2].metric(t("Scored"), f"{len(scored):,}")
    st.markdown("\n".join(f"- {plain(t(line))}" for line in model.explanation))
    st.subheader(t("Adjust the weights"))
    st.caption(
        t(
            "Multiply the learned weights of fit attributes (who they are) and engagement (what they did). 1 = as "
            "learned; other values re-rank without refitting, so scores are then a ranking, not a probability."
        )
    )
    left, right = st.columns(2)
    fit_weight = left.slider(t("Fit weight"), 0.0, 2.0, 1.0, 0.1, key="score_fit_weight")
    engagement_weight = right.slider(t("Engagement weight"), 0.0, 2.0, 1.0, 0.1, key="score_engagement_weight")
    weights = (float(fit_weight), float(engagement_weight))
    scores = (
        scored["score"]
        if weights == (1.0, 1.0)
        else rescored(ws, version_before, entity, version, weights, _model=model).set_axis(scored.index)
    )
    download = pd.DataFrame(
        {
            "id": scored["id"],
            "name": scored["name"],
            "company": scored["company"],
            "score": scores,
            "label": [_outcome(v, entity) for v in scored["label"]],
        }
    )
    fig = px.histogram(download, x="score", nbins=20, range_x=[0, 100])
    fig.update_layout(xaxis_title=t("Score"), yaxis_title=t("Records"), margin={"t": 30}, bargap=0.05)
    charts.show(fig, "score_histogram")
    csv_download(
        download.sort_values("score", ascending=False),
        t("Download the scores (CSV)"),
        f"{entity}_scores.csv",
        "score_download",
    )
    if weights != (1.0, 1.0) and st.button(t("Store these adjusted scores"), key="score_store_adjusted"):
        with engine().begin() as conn:
            write_scores(conn, ws, entity, download)
        st.session_state[OWN_VERSION_KEY] = {**st.session_state.get(OWN_VERSION_KEY, {}), ws: data_version()}
        st.success(t("Adjusted scores stored."))
    st.subheader(t("Calibration"))
    if model.calibration.empty:
        st.caption(t("No calibration: the history has a single outcome."))
    else:
        charts.show(calibration_chart(model.calibration), "score_calibration_chart")
        st.caption(t("Points on the diagonal mean a score of 30 converts about 30 % of the time."))
    with st.expander(t("Weights (coefficients)")):
        table = adjusted_weights(model, {"fit": weights[0], "engagement": weights[1]})
        table = table.sort_values("coefficient", key=lambda c: c.abs(), ascending=False)
        show_table(table, key="score_coefficients_table")
        csv_download(table, t("Download the weights (CSV)"), f"{entity}_score_weights.csv", "score_weights_download")
