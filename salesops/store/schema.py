"""Canonical model as SQLAlchemy Core tables (docs/architecture.md "Canonical model"); every row belongs to a workspace.

Record tables (reps, accounts, leads, deals, activities) are keyed by (workspace_id, id) where ``id`` is the
CRM's own id, so a re-import upserts. ``batch_id`` is the import batch that last wrote the row and
``created_batch_id`` the one that first inserted it; together with ``record_history`` they make undo exact.
Columns an export carries beyond the canonical ones are kept as JSON text in ``extra``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


def _ws(*, primary_key: bool = False) -> Column[int]:
    """The workspace key every table carries (part of the primary key on record tables)."""
    return Column(
        "workspace_id",
        Integer,
        ForeignKey("workspaces.id", ondelete="CASCADE"),
        nullable=False,
        primary_key=primary_key,
    )


def _record_columns() -> list[Column[Any]]:
    """Bookkeeping columns shared by every imported record table."""
    return [
        Column("extra", Text),  # JSON object of the export's non-canonical columns
        Column("batch_id", Integer, nullable=False),
        Column("created_batch_id", Integer, nullable=False),
    ]


workspaces = Table(
    "workspaces",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(200), nullable=False, unique=True),
    Column("created_at", DateTime, nullable=False),
    # Bumped by every import and undo; UI caches key on it.
    Column("data_version", Integer, nullable=False, default=0),
)

import_batches = Table(
    "import_batches",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ws(),
    Column("file_name", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("source_format", String(50), nullable=False),
    Column("entity", String(20), nullable=False),
    Column("mapping", Text, nullable=False),  # JSON {source column: canonical field}
    Column("rows_read", Integer, nullable=False, default=0),
    Column("rows_loaded", Integer, nullable=False, default=0),  # newly inserted
    Column("rows_updated", Integer, nullable=False, default=0),
    Column("rows_unchanged", Integer, nullable=False, default=0),
    Column("rows_rejected", Integer, nullable=False, default=0),
    Column("rows_skipped", Integer, nullable=False, default=0),  # report footers, blank lines
    Column("status", String(20), nullable=False, default="loaded"),  # loaded | undone
    Column("notes", Text),  # JSON list of messages shown to the user (e.g. "ids derived, no id column")
    Column("created_at", DateTime, nullable=False),
    Column("undone_at", DateTime),
    Index("ix_import_batches_ws", "workspace_id", "entity"),
)

rejected_rows = Table(
    "rejected_rows",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ws(),
    Column("batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False),
    Column("row_number", Integer, nullable=False),  # 1-based data row in the file (header excluded)
    Column("raw", Text, nullable=False),  # JSON object of the row as read
    Column("reason", Text, nullable=False),
    Index("ix_rejected_rows_batch", "batch_id"),
)

# Previous state of every record a batch updated, so undo can restore it (inserted records are found by
# created_batch_id and simply deleted).
record_history = Table(
    "record_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ws(),
    Column("batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False),
    Column("entity", String(20), nullable=False),
    Column("record_id", String(255), nullable=False),
    Column("previous", Text, nullable=False),  # JSON of the full previous row
    Index("ix_record_history_batch", "batch_id"),
)

# Saved column mappings, per workspace: one workspace never sees or overwrites another's.
mapping_presets = Table(
    "mapping_presets",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ws(),
    Column("name", String(200), nullable=False),
    Column("entity", String(20), nullable=False),
    Column("mapping", Text, nullable=False),  # JSON {source column: canonical field}
    Column("created_at", DateTime, nullable=False),
    UniqueConstraint("workspace_id", "name", name="uq_mapping_presets_ws_name"),
)

# The order of a workspace's open deal stages as the user set it in the mapping editor (salesops.kpi.stages).
stage_orders = Table(
    "stage_orders",
    metadata,
    _ws(primary_key=True),
    Column("stage", String(255), primary_key=True),
    Column("position", Integer, nullable=False),
)

reps = Table(
    "reps",
    metadata,
    _ws(primary_key=True),
    Column("id", String(255), primary_key=True),
    Column("name", String(255)),
    Column("email", String(255)),
    Column("team", String(255)),
    Column("region", String(255)),
    Column("role", String(100)),
    Column("manager", String(255)),
    Column("hire_date", Date),
    Column("quota", Float),  # annual quota in the workspace currency
    Column("active", Boolean),
    *_record_columns(),
    Index("ix_reps_ws_name", "workspace_id", "name"),
)

# Former names of reps (as normalised name keys, salesops.ingest.reps.name_keys): an older export that names a rep
# as they were called before a rename in the CRM still lands on the same rep. ``batch_id`` is the import that
# learnt the alias; undoing it forgets the alias.
rep_aliases = Table(
    "rep_aliases",
    metadata,
    _ws(primary_key=True),
    Column("alias", String(255), primary_key=True),
    Column("rep_id", String(255), nullable=False),
    Column("batch_id", Integer, nullable=False),
)

accounts = Table(
    "accounts",
    metadata,
    _ws(primary_key=True),
    Column("id", String(255), primary_key=True),
    Column("name", String(500)),
    Column("industry", String(255)),
    Column("employees", Integer),
    Column("annual_revenue", Float),
    Column("region", String(255)),
    Column("country", String(255)),
    Column("tier", String(100)),
    Column("owner", String(255)),
    *_record_columns(),
    Index("ix_accounts_ws_name", "workspace_id", "name"),
)

leads = Table(
    "leads",
    metadata,
    _ws(primary_key=True),
    Column("id", String(255), primary_key=True),
    Column("name", String(500)),
    Column("company", String(500)),
    Column("email", String(255)),
    Column("source", String(255)),
    Column("status", String(255)),
    Column("industry", String(255)),
    Column("employees", Integer),
    Column("region", String(255)),
    Column("country", String(255)),
    Column("created_date", Date),
    Column("converted", Boolean),
    Column("converted_date", Date),
    Column("owner", String(255)),
    Column("score", Float),  # 0-100, written by salesops.scoring
    *_record_columns(),
    Index("ix_leads_ws_created", "workspace_id", "created_date"),
)

deals = Table(
    "deals",
    metadata,
    _ws(primary_key=True),
    Column("id", String(255), primary_key=True),
    Column("name", String(500)),
    Column("account", String(500)),  # account name (or CRM account id when the export only has that)
    Column("owner", String(255)),  # rep name (or CRM user id when the export only has that)
    Column("stage", String(255)),  # the stage exactly as the CRM wrote it
    Column("status", String(10), nullable=False),  # open | won | lost
    Column("is_closed", Boolean, nullable=False),
    Column("is_won", Boolean, nullable=False),
    Column("amount", Float),
    Column("currency", String(10)),
    Column("created_date", Date),
    Column("close_date", Date),
    Column("probability", Float),  # 0-100 as the CRM gives it
    Column("lead_source", String(255)),
    Column("product", String(255)),
    Column("segment", String(255)),
    Column("region", String(255)),
    Column("deal_type", String(255)),
    Column("forecast_category", String(100)),
    Column("expected_revenue", Float),
    Column("score", Float),  # 0-100, written by salesops.scoring
    *_record_columns(),
    # Covering indexes: the period KPIs read only index pages, never the table (see README "Performance"). Their
    # column order lets the common GROUP BYs stream in index order instead of sorting a million rows: per day
    # (close), per rep (owner), per status and stage (funnel, open pipeline).
    Index("ix_deals_ws_close_cover", "workspace_id", "close_date", "status", "amount", "created_date", "owner"),
    Index("ix_deals_ws_created", "workspace_id", "created_date", "status", "stage", "amount", "probability"),
    Index("ix_deals_ws_owner_cover", "workspace_id", "owner", "close_date", "status", "amount", "created_date"),
    Index(
        "ix_deals_ws_status_cover",
        *("workspace_id", "status", "stage", "created_date", "amount", "probability"),
        *("segment", "lead_source", "product", "region"),  # the sidebar's filter choices, read without the table
    ),
)

activities = Table(
    "activities",
    metadata,
    _ws(primary_key=True),
    Column("id", String(255), primary_key=True),
    Column("type", String(20), nullable=False),  # email | call | meeting | demo | proposal | task
    Column("subject", String(1000)),
    Column("owner", String(255)),
    Column("deal_id", String(255)),
    Column("lead_id", String(255)),
    Column("account", String(500)),
    Column("occurred_at", DateTime),
    Column("duration_minutes", Float),
    Column("outcome", String(255)),
    *_record_columns(),
    # Activity KPIs read the activity_daily rollup; raw activities are read per deal (first touch, counts).
    Index("ix_activities_ws_deal", "workspace_id", "deal_id", "occurred_at"),
)

# Per workspace, rep, activity type and day: written by the import in the same transaction as the activities,
# so activity KPIs read thousands of rollup rows instead of millions of raw rows.
activity_daily = Table(
    "activity_daily",
    metadata,
    _ws(primary_key=True),
    Column("owner", String(255), primary_key=True),
    Column("type", String(20), primary_key=True),
    Column("day", Date, primary_key=True),
    Column("n", Integer, nullable=False),
    Column("minutes", Float, nullable=False),
    # Per type and day in index order, covering: activity mix and totals stream without reading the table.
    Index("ix_activity_daily_ws_type", "workspace_id", "type", "day", "n", "minutes"),
    # On SQLite the rows live in primary-key order (one B-tree instead of a rowid table plus its key index), so
    # per-rep scans read rows in (owner, type, day) order without a lookup per row.
    sqlite_with_rowid=False,
)

plans = Table(
    "plans",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ws(),
    Column("version", Integer, nullable=False),
    Column("name", String(200), nullable=False),
    Column("status", String(20), nullable=False),  # draft | proposed | approved | archived
    Column("assumptions", Text, nullable=False),  # JSON
    Column("created_at", DateTime, nullable=False),
    Column("approved_by", String(255)),
    Column("approved_at", DateTime),
    Column("saved_at", DateTime),  # when a draft was saved as a named version (frozen from then on)
    Column("based_on", Integer),  # the version a draft was started from, None for a fresh one
    UniqueConstraint("workspace_id", "version", name="uq_plans_ws_version"),
)

plan_lines = Table(
    "plan_lines",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ws(),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(30), nullable=False),  # e.g. demand, pipeline, leads, service_hours, capacity
    Column("metric", String(50), nullable=False),  # revenue | deals | hours | heads ...
    Column("segment", String(255), nullable=False, default=""),  # "" for the total
    Column("period", String(10), nullable=False),  # YYYY-MM
    Column("value", Float, nullable=False),
    Column("lower", Float),
    Column("upper", Float),
    Index("ix_plan_lines_plan", "plan_id"),
)

action_items = Table(
    "action_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ws(),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("area", String(50), nullable=False),  # technology | sales_process | people | communication
    Column("text", Text, nullable=False),
    Column("owner", String(255)),
    Column("due", Date),
    Column("status", String(20), nullable=False, default="open"),  # open | in_progress | done
    Column("needs_signoff", Boolean, nullable=False, default=False),
    Column("signed_off_by", String(255)),
    Index("ix_action_items_plan", "plan_id"),
)

plan_signoffs = Table(
    "plan_signoffs",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ws(),
    Column("plan_id", Integer, ForeignKey("plans.id", ondelete="CASCADE"), nullable=False),
    Column("name", String(255), nullable=False),
    Column("role", String(255), nullable=False),
    Column("signed_at", DateTime, nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Index("ix_plan_signoffs_plan", "plan_id"),
)

lead_posts = Table(
    "lead_posts",
    metadata,
    _ws(primary_key=True),
    Column("lead_id", String(255), primary_key=True),
    Column("posted_at", DateTime, nullable=False),
)

# The weighted open pipeline per expected close month as each deals import left it: a forecast made before the month,
# which exports never hold (their probabilities and expected revenue are today's). Undone batches are ignored.
pipeline_snapshots = Table(
    "pipeline_snapshots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    _ws(),
    Column("batch_id", Integer, ForeignKey("import_batches.id", ondelete="CASCADE"), nullable=False),
    Column("as_of", Date, nullable=False),  # the data's as-of date when the batch was imported
    Column("month", String(7), nullable=False),  # expected close month, YYYY-MM
    Column("owner", String(255)),
    Column("region", String(255)),
    Column("segment", String(255)),
    Column("lead_source", String(255)),
    Column("product", String(255)),
    Column("deals", Integer, nullable=False),
    Column("amount", Float, nullable=False),
    Column("weighted", Float, nullable=False),
    Column("commit_amount", Float, nullable=False),
    Index("ix_pipeline_snapshots_ws", "workspace_id", "as_of"),
)

RECORD_TABLES: dict[str, Table] = {
    "reps": reps,
    "accounts": accounts,
    "leads": leads,
    "deals": deals,
    "activities": activities,
}
