"""The routed lead list and its hand-off to a chat webhook, against a local HTTP server (up, failing and down)."""

from __future__ import annotations

import csv
import io
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pandas as pd
import pytest
from sqlalchemy import Connection, Engine

from salesops.export.safe import csv_bytes
from salesops.plan import webhook
from salesops.plan.routing import LEAD_COLUMNS, routed_leads, routing_plan
from salesops.plan.webhook import post_new_leads
from tests.plan_data import FORMULA, LINK, injection_workspace


class _Hook(BaseHTTPRequestHandler):
    """Records every POST body; answers with the server's ``status``."""

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.posts.append((self.headers["Content-Type"], json.loads(body)))  # type: ignore[attr-defined]
        self.send_response(self.server.status)  # type: ignore[attr-defined]
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def hook() -> Iterator[ThreadingHTTPServer]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.posts, server.status = [], 200  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _url(server: ThreadingHTTPServer) -> str:
    return f"http://127.0.0.1:{server.server_address[1]}/hook"


def test_routed_lead_list_sends_the_lead_to_the_rep_who_wins_its_segment(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn:
        workspace = injection_workspace(conn)
        plan = routing_plan(conn, workspace)
        routed = routed_leads(conn, workspace, plan)
    assert plan.dimension == "industry"
    assert list(routed["lead_id"]) == ["L1"]
    assert routed["routed_to"].iloc[0] == FORMULA  # 70 % won in the segment against Bob's 30 %
    assert routed["reason"].iloc[0] == f"win rate 70 % in {LINK} over 10 closed deals"
    row = next(csv.DictReader(io.StringIO(csv_bytes(routed).decode("utf-8-sig"))))
    assert row["company"] == "'" + FORMULA, "the CSV neutralises a formula-looking cell"
    assert row["routed_to"] == "'" + FORMULA
    assert plan.imbalance_after is not None
    assert plan.imbalance_today is not None
    assert plan.imbalance_after < plan.imbalance_today, "routing evens the open-deal load"


def test_each_new_lead_is_posted_once_in_the_incoming_webhook_format(
    sqlite_engine: Engine, hook: ThreadingHTTPServer
) -> None:
    with sqlite_engine.begin() as conn:
        workspace = injection_workspace(conn)
        routed = routed_leads(conn, workspace, routing_plan(conn, workspace))
        first = post_new_leads(conn, workspace, routed, _url(hook))
        again = post_new_leads(conn, workspace, routed, _url(hook))
    assert (first.posted, first.skipped, first.error) == (1, 0, None)
    assert (again.posted, again.skipped, again.error) == (0, 1, None)
    assert len(hook.posts) == 1  # type: ignore[attr-defined]
    content_type, payload = hook.posts[0]  # type: ignore[attr-defined]
    assert content_type == "application/json"
    assert set(payload) == {"text"}
    assert FORMULA in payload["text"]
    assert "score 90" in payload["text"]


def test_a_failing_server_stops_the_run_and_the_lead_stays_new(
    sqlite_engine: Engine, hook: ThreadingHTTPServer
) -> None:
    hook.status = 500  # type: ignore[attr-defined]
    with sqlite_engine.begin() as conn:
        workspace = injection_workspace(conn)
        routed = routed_leads(conn, workspace, routing_plan(conn, workspace))
        failed = post_new_leads(conn, workspace, routed, _url(hook))
        hook.status = 200  # type: ignore[attr-defined]
        retried = post_new_leads(conn, workspace, routed, _url(hook))
    assert failed.posted == 0
    assert failed.error is not None
    assert "500" in failed.error
    assert retried.posted == 1, "not recorded as posted, so the next run sends it"
    assert len(hook.posts) == 2  # type: ignore[attr-defined]


def _five_leads(conn: Connection, workspace: int) -> pd.DataFrame:
    routed = routed_leads(conn, workspace, routing_plan(conn, workspace))
    return routed.loc[routed.index.repeat(5)].assign(lead_id=[f"L{i}" for i in range(5)])


def test_a_server_that_is_down_costs_one_attempt(sqlite_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    attempts: list[str] = []
    real_post = webhook.post_json

    def counting(url: str, payload: dict[str, str], timeout: float = webhook.TIMEOUT_SECONDS) -> None:
        attempts.append(url)
        real_post(url, payload, timeout)

    monkeypatch.setattr(webhook, "post_json", counting)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens on it once closed
    with sqlite_engine.begin() as conn:
        workspace = injection_workspace(conn)
        result = post_new_leads(conn, workspace, _five_leads(conn, workspace), f"http://127.0.0.1:{port}/hook")
    assert result.posted == 0
    assert result.error is not None
    assert "refused" in result.error.lower()
    assert len(attempts) == 1, "five new leads, one attempt: no retry storm"


def test_a_server_that_never_answers_times_out_once(sqlite_engine: Engine) -> None:
    listener = socket.create_server(("127.0.0.1", 0))
    accepted: list[socket.socket] = []

    def accept() -> None:
        while True:
            try:
                accepted.append(listener.accept()[0])  # hold the connection open, never answer
            except OSError:
                return

    threading.Thread(target=accept, daemon=True).start()
    try:
        with sqlite_engine.begin() as conn:
            workspace = injection_workspace(conn)
            url = f"http://127.0.0.1:{listener.getsockname()[1]}/hook"
            result = post_new_leads(conn, workspace, _five_leads(conn, workspace), url, timeout=0.5)
    finally:
        listener.close()
        for connection in accepted:
            connection.close()
    assert result.posted == 0
    assert result.error is not None
    assert "timed out" in result.error
    assert len(accepted) == 1, "the run stops after the first timeout"


def test_webhook_url_must_be_http(sqlite_engine: Engine) -> None:
    with sqlite_engine.begin() as conn, pytest.raises(ValueError, match="http"):
        post_new_leads(conn, injection_workspace(conn), pd.DataFrame(columns=LEAD_COLUMNS), "file:///etc/passwd")
