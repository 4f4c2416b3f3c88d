"""A HubSpot-style deals export with Chinese headers, stage names, dates and digits, saved in Big5 by Excel.

It must map without a hand edit and give the same KPIs as its English twin (the bundled sample's deals file).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from salesops.cli import main

REPO = Path(__file__).resolve().parents[2]
HEADERS_ZH = {
    "Deal ID": "交易 ID",
    "Deal Name": "交易名稱",
    "Account": "公司",
    "Owner": "交易擁有者",
    "Stage": "交易階段",
    "Amount": "金額",
    "Currency": "幣別",
    "Created Date": "建立日期",
    "Close Date": "成交日期",
    "Probability (%)": "機率 (%)",
    "Lead Source": "潛在客戶來源",
    "Product": "產品",
    "Segment": "客群",
    "Region": "地區",
    "Deal Type": "交易類型",
    "Forecast Category": "預測類別",
}
STAGES_ZH = {
    "Closed Won": "成交",
    "Closed Lost": "未成交",
    "Prospecting": "已安排約會",
    "Qualification": "符合購買資格",
    "Proposal": "合約已寄出",
    "Negotiation": "決策者已認可",
}
FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")


def chinese_twin(english: pd.DataFrame) -> pd.DataFrame:
    """The same deals as a Chinese Windows user's export: labels, stages, 2024年3月14日 dates, full-width digits."""
    twin = english.copy()
    twin["Stage"] = twin["Stage"].map(STAGES_ZH)
    for column in ("Created Date", "Close Date"):
        dates = pd.to_datetime(twin[column], format="%Y-%m-%d", errors="coerce")
        twin[column] = dates.map(lambda d: f"{d.year}年{d.month}月{d.day}日" if pd.notna(d) else "")
    amounts = pd.to_numeric(twin["Amount"])
    twin["Amount"] = amounts.map(lambda a: f"{a:,.0f}".translate(FULL_WIDTH) if pd.notna(a) else "")
    return twin.rename(columns=HEADERS_ZH)


def _clean_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows whose dates and amount are blank or valid (the twin rewrites them, so a broken one has no twin)."""
    ok = pd.to_numeric(frame["Amount"], errors="coerce").notna() | (frame["Amount"] == "")
    for column in ("Created Date", "Close Date"):
        ok &= pd.to_datetime(frame[column], errors="coerce", format="%Y-%m-%d").notna() | (frame[column] == "")
    return ok


def _kpis(capsys: pytest.CaptureFixture[str], workspace: str) -> dict[str, float]:
    capsys.readouterr()
    assert main(["kpis", "--workspace", workspace, "--json"]) == 0
    return dict(json.loads(capsys.readouterr().out))


def test_big5_chinese_export_gives_the_english_twins_kpis(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'zh.db'}")
    english = pd.read_csv(REPO / "data" / "sample" / "deals.csv", dtype=str, keep_default_na=False)
    english = english[english["Stage"].isin(list(STAGES_ZH)) & _clean_rows(english)]  # the sample plants bad rows
    english_csv, chinese_csv = tmp_path / "deals.csv", tmp_path / "交易.csv"
    english.to_csv(english_csv, index=False)
    chinese_csv.write_bytes(chinese_twin(english).to_csv(index=False).encode("cp950"))

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
