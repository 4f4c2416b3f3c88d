"""The import part of step 1: upload, detected source and entity, editable mapping, preview, load, history, undo."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from sqlalchemy import Engine

from salesops.export.safe import csv_bytes
from salesops.formatting import percent
from salesops.ingest import batches as batch_history
from salesops.ingest.builtin_presets import builtin_names, builtin_preset
from salesops.ingest.fields import ENTITIES, FIELDS
from salesops.ingest.load import BatchResult, UndoError, undo_batch
from salesops.ingest.pipeline import Prepared, UnreadableFileError, check, load, prepare
from salesops.ingest.presets import get_preset, list_presets, save_preset
from salesops.ingest.readers import check_upload_size, display_name
from salesops.ingest.validate import Validated
from salesops.store.transactions import StoreError, run_write
from salesops.ui.common import engine as shared_engine
from salesops.ui.common import plain, t, workspace_id
from salesops.ui.stage_order import stage_order_editor
from salesops.ui.tables import show_table

_PREPARED_KEY = "data_prepared"  # {file_id: list[Prepared] | error text}
_RESULTS_KEY = "data_last_results"
_LOADED_KEY = "data_loaded_signature"  # what the last Load wrote, so the button waits for a change
SURE = 0.8  # detection confidence from which a file's panel starts collapsed


def _prepared_for(uploaded, sheet: str | None = None) -> list[Prepared] | str:  # type: ignore[no-untyped-def]
    """Read and detect an uploaded file once per upload and sheet (kept in session state), or why it can't be read."""
    cache: dict = st.session_state.setdefault(_PREPARED_KEY, {})
    key = (uploaded.file_id, sheet)
    if key not in cache:
        name = display_name(uploaded.name)
        try:
            check_upload_size(uploaded.size, name)  # before the bytes are parsed (the browser's cap can be bypassed)
            cache[key] = prepare(uploaded.getvalue(), uploaded.name, sheet=sheet)
        except UnreadableFileError as exc:
            cache[key] = t("{name} cannot be read: {reason}", name=name, reason=str(exc))
        except Exception as exc:  # noqa: BLE001 - any reader failure is shown as a message, never a traceback
            cache[key] = t("{name} cannot be read: {reason}", name=name, reason=repr(exc)[:200])
    return cache[key]


def _mapping_editor(prepared: Prepared, key: str) -> dict[str, str]:
    """Editable mapping table: source column → canonical field, with detection confidence."""
    entity = prepared.entity or "deals"
    confidence = {m.source: m.confidence for m in prepared.detection.columns}
    confidence |= {p.source: p.confidence for p in prepared.proposals if prepared.mapping.get(p.source) == p.field}
    _suggestions(prepared)
    frame = pd.DataFrame(
        {
            t("Column in file"): list(prepared.table.frame.columns),
            t("Maps to"): [prepared.mapping.get(c, "") for c in prepared.table.frame.columns],
            t("Confidence"): [round(confidence.get(c, 0.0) * 100) for c in prepared.table.frame.columns],
            t("Example"): [
                str(prepared.table.frame[c].dropna().iloc[0])[:40] if prepared.table.frame[c].notna().any() else ""
                for c in prepared.table.frame.columns
            ],
        }
    )
    edited = st.data_editor(
        frame,
        key=key,
        hide_index=True,
        width="stretch",
        disabled=[t("Column in file"), t("Confidence"), t("Example")],
        column_config={
            t("Maps to"): st.column_config.SelectboxColumn(
                options=["", *FIELDS[entity]], help=t("Blank keeps the column as a custom field")
            ),
            t("Confidence"): st.column_config.ProgressColumn(min_value=0, max_value=100, format="%d%%"),
        },
    )
    return {row[t("Column in file")]: row[t("Maps to")] for _, row in edited.iterrows() if row[t("Maps to")]}


def _suggestions(prepared: Prepared) -> None:
    """Say which columns were mapped, or could be, from what their values look like (header matching missed them)."""
    for p in prepared.proposals:
        values = {
            "column": plain(p.source),
            "field": p.field,
            "confidence": f"{p.confidence:.0%}",
            "reason": ", ".join(t(r) for r in p.reasons),
        }
        if prepared.mapping.get(p.source) == p.field:
            st.caption(t("Mapped from its values: **{column}** → {field} ({confidence}: {reason}).", **values))
        else:
            st.caption(
                t(
                    "Suggested from its values: **{column}** → {field} ({confidence}: {reason}); pick it below to "
                    "use it.",
                    **values,
                )
            )


def _summary(validated: Validated, prepared: Prepared) -> None:
    read = len(prepared.table.frame)
    cols = st.columns(4)
    cols[0].metric(t("Rows read"), f"{read:,}")
    cols[1].metric(t("Ready to load"), f"{len(validated.records):,}")
    cols[2].metric(t("Will be rejected"), f"{len(validated.rejected):,}")
    cols[3].metric(t("Footer/blank rows skipped"), f"{prepared.table.skipped_rows:,}")
    for note in validated.notes:
        st.warning(plain(note))
    if not validated.rejected.empty:
        reasons = validated.rejected["reason"].str.replace(r" '.*'$", "", regex=True).value_counts()
        st.dataframe(reasons.rename_axis(t("Reason")).reset_index(name=t("Rows")), hide_index=True, width="content")
    st.caption(t("Preview of the parsed records"))
    show_table(validated.records.head(20))


def _table_panel(prepared: Prepared, key: str) -> Prepared | None:
    """One table's detection, entity choice, mapping and validation summary; the user's choice or None to skip."""
    det = prepared.detection
    title = t(
        "{name} — {source} export, {entity} ({rows} rows, {confidence} sure)",
        name=plain(prepared.name),
        source=det.source_format.capitalize(),
        entity=prepared.entity or t("unrecognised"),
        rows=f"{len(prepared.table.frame):,}",
        confidence=percent(det.confidence),
    )
    # Open only when the user has something to decide: an unknown entity or an unsure guess.
    needs_user = prepared.entity is None or det.confidence < SURE
    with st.expander(title, expanded=needs_user):
        options = ["", *ENTITIES]
        entity = st.selectbox(
            t("This file holds"),
            options,
            index=options.index(prepared.entity or ""),
            format_func=lambda e: e or t("— skip this file —"),
            key=f"{key}_entity",
        )
        if not entity:
            st.info(t("Not recognised as a CRM entity: choose what it holds, or it is skipped."))
            return None
        presets = [*builtin_names(), *list_presets_cached(workspace_id())]
        preset = st.selectbox(t("Apply a saved or built-in mapping"), ["", *presets], key=f"{key}_preset")
        chosen = prepared.with_choice(entity) if entity != prepared.entity else prepared
        if preset:
            found = builtin_preset(preset)
            if found is None:
                with shared_engine().connect() as conn:
                    found = get_preset(conn, workspace_id(), preset)
            if found:
                chosen = chosen.with_choice(found[0], found[1])
        mapping = _mapping_editor(chosen, key=f"{key}_mapping_{entity}_{preset}")
        chosen = chosen.with_choice(entity, mapping)
        with st.popover(t("Save this mapping as a preset")):
            name = st.text_input(t("Preset name"), key=f"{key}_preset_name")
            if name.strip() in presets:
                st.caption(t("This workspace already has a preset named {name}: saving replaces it.", name=plain(name)))
            if st.button(t("Save preset"), key=f"{key}_preset_save") and name.strip():
                try:
                    replaced = run_write(
                        shared_engine(), lambda conn: save_preset(conn, workspace_id(), name, entity, mapping)
                    )
                except (ValueError, StoreError) as exc:
                    st.error(plain(exc))
                else:
                    list_presets_cached.clear()
                    done = t("Replaced preset {name} of this workspace.", name=plain(name)) if replaced else None
                    st.success(done or t("Saved preset {name}.", name=plain(name)))
        try:
            validated = check(chosen)
        except (ValueError, UnreadableFileError) as exc:
            st.error(plain(exc))
            return None
        _summary(validated, chosen)
        if entity == "deals":
            stage_order_editor(validated, key)
        return chosen


@st.cache_data(ttl=60, show_spinner=False)
def list_presets_cached(workspace: int) -> list[str]:
    """The workspace's saved mapping preset names (cached briefly; cleared when a preset is saved)."""
    with shared_engine().connect() as conn:
        return list_presets(conn, workspace)


def _already_imported(chosen: list[Prepared], workspace: int) -> None:
    """One line for every file of this upload that was imported before, instead of a notice in each panel."""
    with shared_engine().connect() as conn:
        earlier = [(p.name, batch_history.previous_import(conn, workspace, p.sha256)) for p in chosen]
    seen = [f"{plain(name)} (#{found[0]})" for name, found in earlier if found is not None]
    if seen:
        st.caption(
            t(
                "Imported before: {files}. Loading again only changes records that differ; nothing is duplicated.",
                files=", ".join(seen),
            )
        )


def _signature(chosen: list[Prepared]) -> str:
    """What a load would write: the files, their entities and mappings (the Load button waits for a change)."""
    return repr(sorted((p.sha256, p.name, p.entity or "", sorted(p.mapping.items())) for p in chosen))


def upload_section(engine: Engine, workspace_id: int) -> list[BatchResult]:
    """The uploader, one panel per table, and the load button; returns the batches loaded in this run."""
    uploads = st.file_uploader(
        t("Upload CRM exports (CSV, TSV, TXT, XLSX or a ZIP of them)"),
        type=["csv", "tsv", "txt", "xlsx", "zip"],
        accept_multiple_files=True,
        key="data_upload_files",
        help=t(
            "Deals, activities, leads, accounts and reps from Salesforce, HubSpot, Pipedrive, Zoho or spreadsheets."
        ),
    )
    if not uploads:
        st.info(t("Drop one or more exports here. Nothing is written until you press Load."))
        return []
    chosen: list[Prepared] = []
    for upload in uploads:
        prepared = _prepared_for(upload)
        if isinstance(prepared, str):
            st.error(plain(prepared))
            continue
        sheets = prepared[0].table.sheets if len(prepared) == 1 else ()
        if len(sheets) > 1:
            shown = prepared[0].name.rsplit("[", 1)[-1].rstrip("]")
            sheet = st.selectbox(
                t("Sheet of {name}", name=plain(display_name(upload.name))),
                sheets,
                index=sheets.index(shown) if shown in sheets else 0,
                key=f"data_sheet_{upload.file_id}",
            )
            prepared = _prepared_for(upload, sheet)
            if isinstance(prepared, str):
                st.error(plain(prepared))
                continue
        for i, table in enumerate(prepared):
            picked = _table_panel(table, key=f"data_{upload.file_id}_{i}")
            if picked is not None:
                chosen.append(picked)
    if not chosen:
        return []
    _already_imported(chosen, workspace_id)
    loaded = st.session_state.get(_LOADED_KEY) == _signature(chosen)
    label = t("Load {n} table(s) into the workspace", n=len(chosen))
    if not st.button(label, type="primary", key="data_load", disabled=loaded):
        if loaded:
            st.caption(t("Loaded. Change a file, what it holds or its mapping to load again."))
        return []
    st.session_state[_LOADED_KEY] = _signature(chosen)
    results = []
    bar = st.progress(0.0, text=t("Starting…"))
    for i, prepared in enumerate(chosen):

        def progress(fraction: float, message: str, i: int = i, name: str = prepared.name) -> None:
            bar.progress(min(1.0, (i + fraction) / len(chosen)), text=f"{name}: {message}")

        try:
            results.append(load(engine, workspace_id, prepared, progress))
        except Exception as exc:  # noqa: BLE001 - the transaction rolled back; say so, keep going with the others
            reason = plain(str(exc)[:300])
            name = plain(prepared.name)
            st.error(t("{name} was not loaded, nothing was changed: {reason}", name=name, reason=reason))
    bar.progress(1.0, text=t("Done"))
    st.session_state[_RESULTS_KEY] = [r.as_dict() for r in results]
    st.session_state.pop(_PREPARED_KEY, None)
    return results


def last_results(engine: Engine) -> None:
    """What the last load did, with the rejected rows of each batch as a download."""
    results = st.session_state.get(_RESULTS_KEY)
    if not results:
        return
    st.success(t("Import finished."))
    for r in results:
        st.markdown(
            t(
                "**{name}** ({entity}, {source}): {loaded} loaded, {updated} updated, {unchanged} unchanged, "
                "{rejected} rejected of {read} rows read",
                name=plain(r["file_name"]),
                entity=r["entity"],
                source=r["source_format"],
                loaded=f"{r['rows_loaded']:,}",
                updated=f"{r['rows_updated']:,}",
                unchanged=f"{r['rows_unchanged']:,}",
                rejected=f"{r['rows_rejected']:,}",
                read=f"{r['rows_read']:,}",
            )
        )
    for r in results:
        for note in r["notes"]:
            st.warning(f"{plain(r['file_name'])}: {note}")
        if r["rows_rejected"]:
            batch_id = r["batch_id"]
            st.download_button(
                t("Download the {n} rejected rows of {name}", n=r["rows_rejected"], name=plain(r["file_name"])),
                data=lambda batch_id=batch_id: _rejected_csv(engine, batch_id),
                file_name=f"rejected_batch_{batch_id}.csv",
                mime="text/csv",
                on_click="ignore",
                key=f"data_rejected_{batch_id}",
            )


def _rejected_csv(engine: Engine, batch_id: int) -> bytes:
    with engine.connect() as conn:
        return csv_bytes(batch_history.rejected_frame(conn, workspace_id(), batch_id))


def history_section(engine: Engine, workspace_id: int) -> None:
    """Import history of the workspace with undo and rejected-row downloads."""
    with engine.connect() as conn:
        frame = batch_history.list_batches(conn, workspace_id)
    if frame.empty:
        st.info(t("No imports in this workspace yet."))
        return
    show_table(frame, key="data_history_table", column_config={"id": st.column_config.NumberColumn(t("Batch"))})
    loaded = frame[frame["status"] == "loaded"]
    if loaded.empty:
        return
    cols = st.columns([3, 1, 2])
    batch_id = cols[0].selectbox(
        t("Batch"),
        loaded["id"].tolist(),
        format_func=lambda i: f"#{i} {loaded.set_index('id').loc[i, 'file_name']}",
        key="data_undo_batch",
    )
    name = plain(loaded.set_index("id").loc[batch_id, "file_name"])
    confirm = cols[1].popover(t("Undo…"))
    confirm.markdown(
        t(
            "Undo batch #{id} ({file})? The records it added are removed and the ones it changed get their "
            "previous values back.",
            id=batch_id,
            file=name,
        )
    )
    if confirm.button(t("Yes, undo it"), key="data_undo", type="primary"):
        try:
            run_write(engine, lambda conn: undo_batch(conn, workspace_id, int(batch_id)), workspace_id=workspace_id)
            st.session_state.pop(_RESULTS_KEY, None)
            st.cache_data.clear()
            st.toast(t("Batch {id} undone.", id=batch_id))
            st.rerun()
        except (UndoError, StoreError) as exc:
            st.error(plain(exc))
    rejected = int(loaded.set_index("id").loc[batch_id, "rows_rejected"])
    if rejected:
        cols[2].download_button(
            t("Rejected rows ({n})", n=rejected),
            data=lambda: _rejected_csv(engine, int(batch_id)),
            file_name=f"rejected_batch_{batch_id}.csv",
            mime="text/csv",
            on_click="ignore",
            key="data_history_rejected",
        )
