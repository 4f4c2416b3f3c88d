"""Chinese dates, amounts, stages, activity types and checkboxes parse like their English spellings."""

from __future__ import annotations

import pandas as pd
import pytest

from salesops.ingest.detect import detect
from salesops.ingest.values import normalize_activity_type, normalize_stage, parse_amounts, parse_bools, parse_dates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024/3/14", "2024-03-14 00:00"),
        ("2024年3月14日", "2024-03-14 00:00"),
        ("2024/3/14 下午 03:25:00", "2024-03-14 15:25"),
        ("2024/3/14 上午 09:05", "2024-03-14 09:05"),
        ("民國113/3/14", "2024-03-14 00:00"),
        ("民國113年3月14日", "2024-03-14 00:00"),
        ("２０２４/３/１４", "2024-03-14 00:00"),
    ],
)
def test_chinese_dates(text: str, expected: str) -> None:
    assert parse_dates(pd.Series([text])).iloc[0] == pd.Timestamp(expected)


def test_bare_roc_years_only_where_the_whole_column_has_them() -> None:
    roc = parse_dates(pd.Series(["113/03/14", "112/12/01", None]))
    assert list(roc.iloc[:2]) == [pd.Timestamp("2024-03-14"), pd.Timestamp("2023-12-01")]
    mixed = parse_dates(pd.Series(["113/03/14", "2024/03/15"]))
    assert mixed.iloc[1] == pd.Timestamp("2024-03-15")
    assert mixed.iloc[0] != pd.Timestamp("2024-03-14")  # ambiguous in this column: not guessed as ROC


@pytest.mark.parametrize(
    ("text", "expected"),
    [("NT$1,234", 1234.0), ("１，２３４", 1234.0), ("NT$ 2,000.50", 2000.5), ("3,000元", 3000.0), ("1.5萬", 15000.0)],
)
def test_chinese_amounts(text: str, expected: float) -> None:
    assert parse_amounts(pd.Series([text])).iloc[0] == expected


def test_chinese_stage_names_of_the_vendors_default_pipelines() -> None:
    stages = [
        "成交",
        "已成交",
        "贏得",
        "已贏得",
        "結案成交",
        "未成交",
        "失去",
        "輸單",
        "已失敗",
        "已安排約會",
        "合約已寄出",
    ]
    assert list(normalize_stage(pd.Series(stages))) == ["won"] * 5 + ["lost"] * 4 + ["open"] * 2


def test_chinese_activity_types_and_checkboxes() -> None:
    kinds = normalize_activity_type(pd.Series(["電話", "電子郵件", "會議", "示範", "報價", "待辦"]))
    assert list(kinds) == ["call", "email", "meeting", "demo", "proposal", "task"]
    assert list(parse_bools(pd.Series(["是", "否"]))) == [True, False]


def test_chinese_deal_headers_map_without_a_hand_edit() -> None:
    headers = ["商機名稱", "客戶名稱", "商機擁有者", "階段", "金額", "結束日期", "建立日期", "潛在客戶來源"]
    found = detect(headers, file_name="商機.csv")
    assert found.entity == "deals"
    assert found.mapping() == dict(
        zip(
            headers,
            ["name", "account", "owner", "stage", "amount", "close_date", "created_date", "lead_source"],
            strict=True,
        )
    )
