"""Every value form of spec/register.md "Types", typed by hand the way a finance user types it."""

from __future__ import annotations

import datetime as dt
import decimal
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from credit_register.core import values
from credit_register.core.schema import CUSTOMERS, PAYMENTS, Column

AMOUNT = Column("amount", "金额", "Amount", "number")


def dates(parsed: values.Parsed) -> list[str | None]:
    return [None if pd.isna(v) else str(v.date()) for v in parsed.values]


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        (1234.5, 1234.5),
        (1234, 1234.0),
        ("1,234.50", 1234.5),
        ("¥1,234.50", 1234.5),
        ("￥1,234.50", 1234.5),
        ("1234.5元", 1234.5),
        ("-1,234", -1234.0),
        ("−1,234", -1234.0),  # Unicode minus
        ("(1,234)", -1234.0),
        ("（1,234.5）", -1234.5),  # full-width parentheses
        ("１２３４．５", 1234.5),  # full-width digits
        ("12.5万", 125000.0),
        ("1.2亿", 120_000_000.0),
        (" 42 ", 42.0),
        ("1e3", 1000.0),
        ("RMB 1,000", 1000.0),
        (decimal.Decimal("10.25"), 10.25),
        (np.float64(3.5), 3.5),
    ],
)
def test_number_forms(typed: object, expected: float) -> None:
    parsed = values.number([typed])
    assert parsed.values.tolist() == [expected]
    assert parsed.problems.empty


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("abc", "not_number"),
        ("12%", "percent"),
        ("1,5", "not_number"),  # a decimal comma is not guessed
        ("1,23,456", "not_number"),
        ("(12", "not_number"),
        ("--5", "not_number"),
        (True, "not_number"),
        (False, "not_number"),
        (dt.date(2026, 3, 5), "not_number"),
        ("#N/A", "excel_error"),
        ("inf", "not_number"),
    ],
)
def test_number_refusals(typed: object, problem: str) -> None:
    parsed = values.number([1.0, typed])
    assert parsed.problems.to_dict() == {1: problem}
    assert parsed.values.tolist()[0] == 1.0
    assert np.isnan(parsed.values.iloc[1])
    assert parsed.invalid.tolist() == [False, True]


def test_blank_cells_are_missing_not_invalid() -> None:
    parsed = values.number([None, "", "  ", float("nan"), 5.0])
    assert parsed.problems.empty
    assert parsed.missing.tolist() == [True, True, True, True, False]


def test_integer() -> None:
    parsed = values.integer([30, 30.0, "45", "1.5", 2.5, None, "60天"])
    assert parsed.values.tolist()[:3] == [30, 30, 45]
    assert str(parsed.values.dtype) == "Int64"
    assert parsed.problems.to_dict() == {3: "not_integer", 4: "not_integer", 6: "not_number"}


@pytest.mark.parametrize(
    "typed",
    [
        dt.date(2026, 3, 5),
        dt.datetime(2026, 3, 5, 14, 30),
        pd.Timestamp("2026-03-05"),
        46086.0,  # Excel serial
        46086.6,  # serial with a time of day
        46086,
        20260305,  # yyyymmdd typed, stored by Excel as a number
        "2026-03-05",
        "2026/3/5",
        "2026年3月5日",
        "2026 年 3 月 5 日",
        "20260305",
        "2026.3.5",
        "２０２６－０３－０５",  # full-width
        "2026-03-05 10:30",
        "2026-03-05T10:30:00",
    ],
)
def test_date_forms(typed: object) -> None:
    parsed = values.date([typed])
    assert parsed.problems.empty
    assert dates(parsed) == ["2026-03-05"]
    assert str(parsed.values.dtype) == "datetime64[us]"


def test_excel_serial_edges() -> None:
    # 1 = 1900-01-01, 59 = 1900-02-28, 60 = Excel's phantom 1900-02-29, 61 = 1900-03-01
    parsed = values.date([1, 59, 60, 61, 2958465, 0, -3, 2958466])
    assert dates(parsed) == [
        "1900-01-01",
        "1900-02-28",
        None,
        "1900-03-01",
        "9999-12-31",
        None,
        None,
        None,
    ]
    assert sorted(parsed.problems.index) == [2, 5, 6, 7]


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("2026-02-30", "impossible_date"),
        ("2026/13/1", "impossible_date"),
        ("2026年2月29日", "impossible_date"),  # 2026 is not a leap year
        ("20261332", "impossible_date"),
        (20260230, "impossible_date"),
        ("3/5/2026", "not_date"),  # month or day first: ambiguous
        ("next week", "not_date"),
        ("#REF!", "excel_error"),
        (True, "not_date"),
        (dt.time(10, 30), "not_date"),
    ],
)
def test_date_refusals(typed: object, problem: str) -> None:
    assert values.date([typed]).problems.to_dict() == {0: problem}


def test_far_future_date_is_kept() -> None:
    assert dates(values.date(["9999-12-31"])) == ["9999-12-31"]


def test_timestamp_keeps_the_time() -> None:
    parsed = values.timestamp(["2026-03-05 10:30", dt.datetime(2026, 3, 5, 8, 0), 46086.5])
    assert [str(v) for v in parsed.values] == [
        "2026-03-05 10:30:00",
        "2026-03-05 08:00:00",
        "2026-03-05 12:00:00",
    ]


def test_boolean_forms() -> None:
    typed = [
        "是",
        "否",
        "Y",
        "n",
        "yes",
        "NO",
        "true",
        "False",
        "1",
        "0",
        1.0,
        0,
        True,
        False,
        "√",
        "×",
        "✓",
        " 是 ",
        None,
        "",
    ]
    parsed = values.boolean(typed)
    assert parsed.values.tolist() == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        True,
        pd.NA,
        pd.NA,
    ]
    assert parsed.problems.empty


def test_boolean_refusals() -> None:
    assert values.boolean(["maybe", 2, "#N/A"]).problems.tolist() == [
        "not_bool",
        "not_bool",
        "excel_error",
    ]


def test_code_by_key_or_label_in_either_language() -> None:
    status = CUSTOMERS.column("status")
    parsed = values.code(["正常", "hold", "Legal", " 关闭 ", "closed", None, "暂停"], status)
    assert parsed.values.tolist()[:5] == ["active", "hold", "legal", "closed", "closed"]
    assert parsed.missing.tolist()[5]
    assert parsed.problems.to_dict() == {6: "unknown_code"}


def test_code_full_width_label() -> None:
    method = PAYMENTS.column("method")
    assert values.code(["ＴＲＡＮＳＦＥＲ", "承兑汇票"], method).values.tolist() == [
        "transfer",
        "bill",
    ]


def test_text() -> None:
    parsed = values.text([" ACME Ltd ", 1001.0, 1001, 12.5, True, dt.date(2026, 3, 5), None, ""])
    assert parsed.values.tolist()[:6] == ["ACME Ltd", "1001", "1001", "12.5", "TRUE", "2026-03-05"]
    assert parsed.missing.tolist() == [False] * 6 + [True, True]
    assert str(parsed.values.dtype) == "str"


@pytest.mark.parametrize(
    "error",
    [
        "#N/A",
        "#REF!",
        "#VALUE!",
        "#DIV/0!",
        "#NAME?",
        "#NULL!",
        "#NUM!",
        "#GETTING_DATA",
        "#SPILL!",
        "#CALC!",
    ],
)
def test_excel_errors_are_invalid_in_every_type(error: str) -> None:
    for column in CUSTOMERS.columns:
        parsed = values.parse(["x" if column.type == "text" else None, error], column)
        assert parsed.problems.to_dict() == {1: "excel_error"}, column.key


def test_messages_show_the_value_in_both_languages() -> None:
    assert values.message("not_number", AMOUNT, "abc") == (
        "金额不是数字：'abc'",
        "Amount is not a number: 'abc'",
    )
    zh, en = values.message("unknown_code", CUSTOMERS.column("status"), "暂停")
    assert "正常、冻结、诉讼、关闭" in zh and "active, hold, legal, closed" in en
    zh, _ = values.message("not_number", AMOUNT, "x" * 100)
    assert zh.endswith("…'") and len(zh) < 60


def test_mixed_column_keeps_positions() -> None:
    parsed = values.number([1.0, "2", None, "x", True, "#DIV/0!", "(3)"])
    assert parsed.values.tolist()[:2] == [1.0, 2.0]
    assert parsed.values.tolist()[6] == -3.0
    assert parsed.problems.to_dict() == {3: "not_number", 4: "not_number", 5: "excel_error"}


def test_what_calamine_returns_for_error_cells(tmp_path: Path) -> None:
    """python-calamine 0.9 reads an error cell as "" (dimastbk/python-calamine#105): through the
    file door an error cell is indistinguishable from a blank one. This test pins that fact, so
    the day calamine returns the error's name the reader will be checked against it."""
    path = tmp_path / "errors.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["金额"])
    sheet["A2"] = "#N/A"
    sheet["A2"].data_type = "e"  # openpyxl writes t="e": a true error cell
    sheet["A3"] = 12.5
    book.save(path)
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet.title).to_python()
    cell = rows[1][0]
    assert cell in ("", "#N/A")
    parsed = values.number([row[0] for row in rows[1:]])
    assert parsed.values.tolist()[1] == 12.5
    if cell == "#N/A":
        assert parsed.problems.to_dict() == {0: "excel_error"}
    else:
        assert parsed.missing.tolist()[0]
