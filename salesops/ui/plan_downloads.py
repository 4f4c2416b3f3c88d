"""Step 4 downloads (XLSX, PDF, PPTX, Markdown, JSON; built on click) and restoring a scenario from its JSON."""

from __future__ import annotations

import streamlit as st

from salesops.export.plan import MIME, export_plan
from salesops.export.scenario import read_scenario, restore_scenario
from salesops.plan.report import PlanReport
from salesops.ui.common import engine, language, plain, t, workspace_id
from salesops.ui.plan_review import seed_step2
from salesops.ui.plan_versions import flash, select_version

LABELS = {
    "xlsx": "Workbook (XLSX)",
    "pdf": "Report (PDF)",
    "pptx": "Deck (PPTX)",
    "md": "Summary (Markdown)",
    "json": "Assumptions (JSON)",
}


def _file_name(report: PlanReport, kind: str) -> str:
    version = f"v{report.plan.version}" if report.plan is not None else "none"
    return f"sales_plan_{version}.{kind}"


def render(report: PlanReport) -> None:
    """One download button per file type; the bytes are produced when the button is clicked."""
    cols = st.columns(len(LABELS))
    lang = language()
    for col, (kind, label) in zip(cols, LABELS.items(), strict=True):
        col.download_button(
            t(label),
            data=lambda kind=kind: export_plan(report, kind, lang),
            file_name=_file_name(report, kind),
            mime=MIME[kind],
            on_click="ignore",
            key=f"plan_download_{kind}",
        )
    st.caption(t("The PDF and the deck render their charts in a headless browser: allow a few seconds."))


def render_restore() -> None:
    """Upload a plan's JSON to restore its scenario as a new draft (and as page 2's starting values)."""
    upload = st.file_uploader(t("Restore a scenario from its JSON"), type=["json"], key="plan_restore_file")
    if upload is None:
        return
    data = upload.getvalue()
    try:
        payload = read_scenario(data)
    except ValueError as exc:
        st.error(t(str(exc)))
        return
    if st.button(t("Restore as a new draft"), key="plan_restore"):
        with engine().begin() as conn:
            restore_scenario(conn, workspace_id(), data)
        seed_step2(payload["assumptions"])
        select_version(None)
        flash(t("Scenario “{name}” restored as a new draft.", name=plain(payload.get("plan_name") or "")))
        st.rerun()
