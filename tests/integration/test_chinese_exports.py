"""A HubSpot-style deals export with Chinese headers, stage names, dates and digits, saved in Big5 by Excel.

It must map without a hand edit and give the same KPIs as its English twin (the bundled sample's deals file).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from salesops.cli import main
from tests.chinese_data import write_twins


def _kpis(capsys: pytest.CaptureFixture[str], workspace: str) -> dict[str, float]:
    capsys.readouterr()
    assert main(["kpis", "--workspace", workspace, "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_big5_chinese_export_gives_the_english_twins_kpis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'zh.db'}")
    english_csv, chinese_csv = write_twins(tmp_path)

    assert main(["ingest", str(english_csv), "--workspace", "English", "--json"]) == 0
    (english_result,) = json.loads(capsys.readouterr().out)
    assert main(["ingest", str(chinese_csv), "--workspace", "中文", "--json"]) == 0
    (result,) = json.loads(capsys.readouterr().out)
    assert result["entity"] == "deals"
    for count in ("rows_read", "rows_loaded", "rows_rejected"):  # the sample's planted negative amount included
        assert result[count] == english_result[count], count

    english_kpis, chinese_kpis = _kpis(capsys, "English"), _kpis(capsys, "中文")
    english_kpis.pop("workspace", None)
    chinese_kpis.pop("workspace", None)
    assert english_kpis["won_revenue"] > 0
    assert chinese_kpis == english_kpis
