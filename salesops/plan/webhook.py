"""Hand-off of new high-score leads to a chat channel through an incoming webhook.

Slack, Mattermost, Rocket.Chat, Microsoft Teams (workflow webhooks) and Google Chat all accept a JSON POST with a
``text`` field, so that is the one payload. Each lead is posted once (the store remembers which were posted). One
attempt per lead with a short timeout; the first failure stops the run, so a server that is down costs one timeout,
never a retry storm.
"""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlparse

import pandas as pd
from sqlalchemy import Connection, insert, select

from salesops.i18n import DEFAULT_LANGUAGE, translate
from salesops.store.schema import lead_posts
from salesops.store.workspaces import now

TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class PostResult:
    """How many leads were posted, how many were already posted before, and the error that stopped the run."""

    posted: int
    skipped: int
    error: str | None


def lead_message(lead: pd.Series, lang: str = DEFAULT_LANGUAGE) -> dict[str, str]:
    """The incoming-webhook payload of one routed lead (plain text: chat tools render no markup from it)."""
    text = translate(
        "New high-score lead: {name} ({company}, {segment}), score {score:.0f}, routed to {rep}: {reason}.",
        lang,
        name=lead["name"] or "",
        company=lead["company"] or "",
        segment=lead["segment"],
        score=float(lead["score"]),
        rep=lead["routed_to"] or translate("nobody yet", lang),
        reason=lead["reason"],
    )
    return {"text": text}


def check_url(url: str) -> str:
    """``url`` when it is an http(s) URL; raises ValueError otherwise (no file: or other schemes)."""
    parts = urlparse(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("The webhook URL must start with http:// or https://.")
    return url.strip()


def post_json(url: str, payload: dict[str, str], timeout: float = TIMEOUT_SECONDS) -> None:
    """One POST of ``payload`` as JSON; raises OSError (urllib's errors) on failure or a non-2xx answer."""
    request = urllib.request.Request(
        check_url(url),
        data=json.dumps(payload).encode("utf-8"),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=timeout) as answer:  # the scheme is checked above
        answer.read()


def posted_ids(conn: Connection, workspace_id: int) -> set[str]:
    """Ids of the leads of the workspace already posted."""
    query = select(lead_posts.c.lead_id).where(lead_posts.c.workspace_id == workspace_id)
    return {str(row[0]) for row in conn.execute(query)}


def post_new_leads(
    conn: Connection,
    workspace_id: int,
    routed: pd.DataFrame,
    url: str,
    *,
    timeout: float = TIMEOUT_SECONDS,
    lang: str = DEFAULT_LANGUAGE,
) -> PostResult:
    """Post every routed lead not posted before, one message each; stop at the first failure.

    Each lead is recorded as posted right after its POST succeeds (so a later run resumes where this one stopped).
    """
    check_url(url)
    done = posted_ids(conn, workspace_id)
    fresh = routed[~routed["lead_id"].astype(str).isin(done)]
    posted = 0
    for _, lead in fresh.iterrows():
        try:
            post_json(url, lead_message(lead, lang), timeout)
        except (OSError, urllib.error.URLError) as exc:
            return PostResult(posted, len(routed) - len(fresh), f"{type(exc).__name__}: {exc}")
        with conn.begin_nested() if conn.in_transaction() else conn.begin():
            conn.execute(
                insert(lead_posts).values(workspace_id=workspace_id, lead_id=str(lead["lead_id"]), posted_at=now())
            )
        posted += 1
    return PostResult(posted, len(routed) - len(fresh), None)
