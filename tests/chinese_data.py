"""A Chinese twin of the bundled sample's deals file: HubSpot's Chinese labels and stages, 年月日 dates, full-width
digits, as a Chinese Windows user's export would hold them (shared by the CLI and browser tests)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
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


def sample_deals() -> pd.DataFrame:
    """The sample's deals that have a Chinese twin (its planted broken dates and amounts left out)."""
    english = pd.read_csv(REPO / "data" / "sample" / "deals.csv", dtype=str, keep_default_na=False)
    return english[english["Stage"].isin(list(STAGES_ZH)) & clean_rows(english)]


def write_twins(folder: Path) -> tuple[Path, Path]:
    """The English deals as UTF-8 CSV and their Chinese twin as a Big5 (cp950) CSV, in ``folder``."""
    english = sample_deals()
    english_csv, chinese_csv = folder / "deals.csv", folder / "交易.csv"
    english.to_csv(english_csv, index=False)
    chinese_csv.write_bytes(chinese_twin(english).to_csv(index=False).encode("cp950"))
    return english_csv, chinese_csv


def clean_rows(frame: pd.DataFrame) -> pd.Series:
    """Rows whose dates and amount are blank or valid (the twin rewrites them, so a broken one has no twin)."""
    ok = pd.to_numeric(frame["Amount"], errors="coerce").notna() | (frame["Amount"] == "")
    for column in ("Created Date", "Close Date"):
        ok &= pd.to_datetime(frame[column], errors="coerce", format="%Y-%m-%d").notna() | (frame[column] == "")
    return ok
