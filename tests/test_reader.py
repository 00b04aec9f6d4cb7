"""Reading a register: tabs and headers in either language, bad cells named where they are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from credit_register.adapters.xlsx import FileWorkbook
from credit_register.core.cells import column_letter
from credit_register.core.port import CellValue, RawSheet
from credit_register.core.reader import load
from credit_register.core.register import Register
from credit_register.core.schema import CUSTOMERS, INPUT_SHEETS, INVOICES
from support.tampering import rename_tab, set_cell_value

Rows = list[list[CellValue]]
TODAY = dt.date(2026, 3, 31)
FILE = "credit_register.xlsm"


def workbook(**tabs: list[list[Any]]) -> dict[str, RawSheet]:
    return {name: RawSheet(name, rows) for name, rows in tabs.items()}


CUSTOMERS_ZH: Rows = [
    ["客户编号", "客户名称", "状态", "重点客户"],
    [1001.0, "华东机电有限公司", "正常", "是"],
    ["1002", "Acme Trading", "冻结", "否"],
]
INVOICES_ZH: Rows = [
    ["发票号", "客户编号", "开票日期", "到期日", "金额"],
    ["INV-1", 1001.0, dt.date(2026, 1, 5), dt.date(2026, 2, 4), 11300.0],
    ["INV-2", "1002", "2026/2/1", "", "¥5,000.00"],
]


def places(register: Register) -> list[str]:
    return [i.place for i in register.issues]


def test_a_clean_chinese_workbook() -> None:
    register = load(workbook(客户=CUSTOMERS_ZH, 应收发票=INVOICES_ZH), FILE, today=TODAY)
    assert register.lang == "zh"
    assert register.as_of == TODAY
    invoices = register.tables["invoices"].frame
    assert invoices["customer_id"].tolist() == ["1001", "1002"]
    assert invoices["amount"].tolist() == [11300.0, 5000.0]
    assert invoices["invoice_date"].dt.date.tolist() == [dt.date(2026, 1, 5), dt.date(2026, 2, 1)]
    assert invoices["_row"].tolist() == [2, 3]
    assert not invoices["_error"].any()
    assert pd.isna(invoices["due_date"].iloc[1])
    customers = register.frame("customers")
    assert customers["status"].tolist() == ["active", "hold"]
    assert customers["key_account"].tolist() == [True, False]
    # every schema column is there, typed, even the ones the sheet lacks
    assert list(invoices.columns) == [c.key for c in INVOICES.columns] + ["_row", "_error"]
    assert str(invoices["paid_amount"].dtype) == "float64"
    # only the optional sheets are missing: warnings, no errors
    assert {i.severity for i in register.issues} == {"warning"}
    assert not [i for i in register.issues if i.sheet in ("客户", "应收发票")]


def test_english_tabs_and_headers_with_full_width_and_line_breaks() -> None:
    customers = [["customer id", "Customer\nname", "STATUS"], ["C1", "ACME", "active"]]
    invoices = [
        ["Invoice No", "Customer ID", "Invoice date", "Amount"],
        ["I-1", "C1", "2026-03-05", "1,000"],
    ]
    terms = [["客户编号", "客户名称", "账期（天）"], ["C2", "乙公司", "30"]]
    register = load(
        workbook(Customers=customers, Invoices=invoices, Payments=[["Payment ID"]]),
        FILE,
        today=TODAY,
    )
    assert register.lang == "en"
    assert register.tables["customers"].name == "Customers"
    assert register.frame("customers")["name"].tolist() == ["ACME"]
    assert register.frame("invoices")["amount"].tolist() == [1000.0]
    # a header with full-width parentheses still matches 账期(天)
    other = load(workbook(客户=terms), FILE, today=TODAY)
    assert other.frame("customers")["payment_terms_days"].tolist() == [30]


def test_language_ties_go_to_chinese_and_can_be_forced() -> None:
    tabs = workbook(客户=CUSTOMERS_ZH, Invoices=INVOICES_ZH)
    assert load(tabs, FILE, today=TODAY).lang == "zh"
    assert load(tabs, FILE, today=TODAY, lang="en").lang == "en"


def test_unknown_columns_are_kept_and_never_reported() -> None:
    rows: Rows = [
        ["内部备注", "发票号", "客户编号", "开票日期", "金额", None, "Region"],
        ["跟进中", "INV-1", "1001", "2026-01-05", 100.0, "x", "华东"],
        [None, "INV-2", "1001", "2026-01-06", 200.0, None, 7.0],
    ]
    register = load(workbook(客户=CUSTOMERS_ZH, 应收发票=rows), FILE, today=TODAY)
    table = register.tables["invoices"]
    assert list(table.extra.columns) == ["内部备注", "F", "Region"]
    assert table.extra["内部备注"].tolist() == ["跟进中", None]
    assert table.extra["Region"].tolist() == ["华东", 7.0]
    assert not [i for i in register.issues if i.sheet == "应收发票"]
    assert table.positions["invoice_no"] == 1


def test_blank_rows_are_skipped() -> None:
    rows: Rows = [
        INVOICES_ZH[0],
        INVOICES_ZH[1],
        [None, "", "  ", None, None],
        [],
        INVOICES_ZH[2],
    ]
    register = load(workbook(客户=CUSTOMERS_ZH, 应收发票=rows), FILE, today=TODAY)
    frame = register.tables["invoices"].frame
    assert frame["_row"].tolist() == [2, 5]
    assert frame["invoice_no"].tolist() == ["INV-1", "INV-2"]
    assert not [i for i in register.issues if i.sheet == "应收发票"]


def test_bad_values_are_named_at_their_cell_when_columns_are_reordered() -> None:
    rows: Rows = [
        ["金额", "客户编号", "备注", "发票号", "开票日期", "争议"],
        [100.0, "1001", "", "INV-1", "2026-01-05", "否"],
        ["abc", "1001", "", "INV-2", "2026-02-30", "否"],
        [300.0, "1001", "", "INV-3", "2026-01-07", "也许"],
        [400.0, None, "", "INV-4", "#N/A", None],
    ]
    register = load(workbook(客户=CUSTOMERS_ZH, 应收发票=rows), FILE, today=TODAY)
    found = [(i.cell, i.severity, i.zh, i.en) for i in register.issues if i.sheet == "应收发票"]
    assert found == [
        ("A3", "error", "金额不是数字：'abc'", "Amount is not a number: 'abc'"),
        (
            "E3",
            "error",
            "开票日期不是有效日期（该日不存在）：'2026-02-30'",
            "Invoice date is not a real date: '2026-02-30'",
        ),
        ("F4", "error", "争议应填“是”或“否”：'也许'", "Disputed must be yes or no: '也许'"),
        ("B5", "error", "客户编号为必填项，不能为空", "Customer ID is required"),
        (
            "E5",
            "error",
            "开票日期是Excel错误值：'#N/A'",
            "Invoice date is an Excel error value: '#N/A'",
        ),
    ]
    frame = register.tables["invoices"].frame
    assert frame["_error"].tolist() == [False, True, True, True]
    assert frame["amount"].isna().tolist() == [False, True, False, False]
    assert len(register.frame("invoices")) == 1
    assert "credit_register.xlsm:应收发票!E5" in places(register)


def test_two_hundred_bad_cells_give_two_hundred_issues() -> None:
    rows: Rows = [["发票号", "客户编号", "开票日期", "金额"]]
    rows += [[f"INV-{i}", "1001", "2026-01-05", f"bad{i}"] for i in range(200)]
    rows += [["INV-OK", "1001", "2026-01-05", 1.0]]
    register = load(workbook(客户=CUSTOMERS_ZH, 应收发票=rows), FILE, today=TODAY)
    bad = [i for i in register.issues if i.sheet == "应收发票"]
    assert len(bad) == 200
    assert [i.cell for i in bad[:3]] == ["D2", "D3", "D4"]
    assert bad[-1].cell == "D201"
    assert register.tables["invoices"].frame["_error"].sum() == 200


def test_missing_required_column_is_one_error_at_the_header() -> None:
    rows: Rows = [["发票号", "客户编号", "开票日期"], ["INV-1", "1001", "2026-01-05"]]
    register = load(workbook(客户=CUSTOMERS_ZH, 应收发票=rows), FILE, today=TODAY)
    found = [i for i in register.issues if i.sheet == "应收发票"]
    assert len(found) == 1
    assert found[0].cell == "1" and found[0].severity == "error"
    assert "金额" in found[0].zh and "Amount" in found[0].zh
    assert "Amount" in found[0].en and "金额" in found[0].en
    assert register.tables["invoices"].frame["_error"].all()


def test_duplicate_header_is_an_error() -> None:
    rows: Rows = [
        ["发票号", "客户编号", "开票日期", "金额", "Amount"],
        ["I", "1", "2026-1-5", 1.0, 2.0],
    ]
    register = load(workbook(客户=CUSTOMERS_ZH, 应收发票=rows), FILE, today=TODAY)
    found = [i for i in register.issues if i.sheet == "应收发票"]
    assert [(i.cell, i.severity) for i in found] == [("E1", "error")]
    assert register.frame("invoices")["amount"].tolist() == [1.0]


def test_missing_sheets() -> None:
    register = load(workbook(客户=CUSTOMERS_ZH), FILE, today=TODAY)
    by_sheet = {i.sheet: i for i in register.issues}
    assert by_sheet["应收发票"].severity == "error"
    assert by_sheet["应收发票"].cell == ""
    assert "Invoices" in by_sheet["应收发票"].zh
    for optional in ("回款", "征信记录", "在途订单", "沟通记录", "财务报表", "汇率", "信用政策"):
        assert by_sheet[optional].severity == "warning"
    assert "ratings" not in register  # output sheets are only read when present
    payments = register.tables["payments"]
    assert not payments.present and payments.frame.empty
    assert str(payments.frame["payment_date"].dtype) == "datetime64[us]"


def test_empty_workbook() -> None:
    register = load({}, FILE, today=TODAY)
    assert register.lang == "zh"
    assert register.as_of == TODAY
    assert sorted(i.sheet for i in register.issues if i.severity == "error") == ["客户", "应收发票"]
    assert set(register.tables) == {s.key for s in INPUT_SHEETS}
    assert all(t.frame.empty for t in register.tables.values())


def test_sheets_with_only_headers_or_nothing() -> None:
    register = load(
        workbook(客户=[CUSTOMERS.headers("zh")], 应收发票=[], 回款=[[None, ""]]),
        FILE,
        today=TODAY,
    )
    assert register.frame("customers").empty
    assert not [i for i in register.issues if i.sheet == "客户"]
    by_sheet = {i.sheet: i for i in register.issues}
    assert by_sheet["应收发票"].severity == "error" and "表头" in by_sheet["应收发票"].zh
    assert by_sheet["回款"].severity == "warning"


def test_output_sheets_are_read_leniently() -> None:
    ratings: Rows = [["客户编号", "信用等级", "总分", "评估日"], ["1001", "AA", "n/a", "garbage"]]
    alerts: Rows = [
        ["预警编号", "处理状态", "负责人", "处理意见"],
        ["1001|overdue|", "处理中", "王芳", "已催"],
    ]
    history: Rows = [["时间", "操作", "客户编号"], ["2026-03-01 09:15", "grade", "1001"]]
    register = load(
        workbook(
            客户=CUSTOMERS_ZH, 应收发票=INVOICES_ZH, 评级=ratings, 预警=alerts, 变更日志=history
        ),
        FILE,
        today=TODAY,
    )
    assert not [i for i in register.issues if i.sheet in ("评级", "预警", "变更日志")]
    assert register.frame("ratings")["grade"].tolist() == ["AA"]
    assert pd.isna(register.frame("ratings")["total_score"].iloc[0])
    assert register.frame("alerts")["status"].tolist() == ["in_progress"]
    assert register.frame("alerts")["owner"].tolist() == ["王芳"]
    assert str(register.frame("history")["timestamp"].iloc[0]) == "2026-03-01 09:15:00"


def test_policy_values_stay_raw() -> None:
    policy: Rows = [
        ["参数", "取值", "单位"],
        ["base_currency", "CNY", ""],
        ["weight.financial", 0.4, "%"],
        ["grace_days", "15", "天"],
    ]
    register = load(
        workbook(客户=CUSTOMERS_ZH, 应收发票=INVOICES_ZH, 信用政策=policy), FILE, today=TODAY
    )
    frame = register.frame("policy")
    assert frame["value"].tolist() == ["CNY", 0.4, "15"]
    assert frame["parameter"].tolist() == ["base_currency", "weight.financial", "grace_days"]


def test_as_of_from_the_dashboard() -> None:
    board: Rows = [
        [None, "客户资信管理"],
        [None],
        [None, "评估日（空=今天）", dt.date(2026, 2, 28)],
    ]
    register = load(workbook(控制台=board, 客户=CUSTOMERS_ZH), FILE, today=TODAY)
    assert register.as_of == dt.date(2026, 2, 28)
    assert register.dashboard is not None and register.dashboard.rows is board

    blank: Rows = [[None], [None], [None, "评估日", None]]
    assert load(workbook(控制台=blank), FILE, today=TODAY).as_of == TODAY

    wrong: Rows = [[None], [None], [None, "评估日", "2026-02-30"]]
    register = load(workbook(控制台=wrong, 客户=CUSTOMERS_ZH), FILE, today=TODAY)
    assert register.as_of == TODAY
    assert [(i.place, i.severity) for i in register.issues if i.sheet == "控制台"] == [
        ("credit_register.xlsm:控制台!C3", "warning"),
    ]


def test_a_second_tab_for_the_same_sheet_is_ignored_with_a_warning() -> None:
    register = load(
        workbook(客户=CUSTOMERS_ZH, Customers=[["Customer ID"], ["X"]]), FILE, today=TODAY
    )
    assert register.frame("customers")["customer_id"].tolist() == ["1001", "1002"]
    assert [i.severity for i in register.issues if i.sheet == "Customers"] == ["warning"]


def test_ragged_rows_from_a_door_that_trims_blanks() -> None:
    rows: Rows = [INVOICES_ZH[0], ["INV-1", "1001", "2026-01-05", None, 10.0], ["INV-2", "1001"]]
    register = load(workbook(客户=CUSTOMERS_ZH, 应收发票=rows), FILE, today=TODAY)
    found = [i.cell for i in register.issues if i.sheet == "应收发票"]
    assert found == ["C3", "E3"]  # the short row lacks its required date and amount


def test_currency_names_are_read_as_their_iso_codes_on_every_sheet() -> None:
    register = load(
        workbook(
            客户=[
                ["客户编号", "客户名称", "币种"],
                ["1001", "甲", "人民币"],
                ["1002", "乙", "US$"],
            ],
            应收发票=[
                ["发票号", "客户编号", "开票日期", "币种", "金额"],
                ["INV-1", "1001", "2026-01-05", "人民币", 100.0],
                ["INV-2", "1002", "2026-01-06", "美元", 100.0],
                ["INV-3", "1002", "2026-01-07", "金币", 100.0],
            ],
            汇率=[["币种", "折算汇率"], ["美元", 7.1], ["欧元", 7.8]],
        ),
        FILE,
        today=TODAY,
    )
    assert register.frame("customers")["currency"].tolist() == ["CNY", "USD"]
    # an unknown name stays as typed, for validation to name at its cell
    assert register.frame("invoices")["currency"].tolist() == ["CNY", "USD", "金币"]
    assert register.frame("fx")["currency"].tolist() == ["USD", "EUR"]


def test_a_register_streamed_sheet_by_sheet_reads_exactly_as_one_read_whole(
    demo_copy: Callable[..., Path],
) -> None:
    """The file door hands each sheet over as soon as it is parsed, in whatever order the
    threads finish, and the reader types it at once: the register and its issues, in their
    order, are those of a whole read (a bad cell and a duplicate tab included)."""
    path = demo_copy()
    amount = column_letter(INVOICES.columns.index(INVOICES.column("amount")))
    set_cell_value(path, INVOICES.zh, f"{amount}2", "<v>inf</v>")
    rename_tab(path, "问题", "Customers")  # a second tab for 客户: ignored, and said
    whole = load(FileWorkbook(path).read(), path.name, today=TODAY)
    streamed = load(FileWorkbook(path).read_each(), path.name, today=TODAY)
    assert [i.format("en") for i in streamed.issues] == [i.format("en") for i in whole.issues]
    said = " ".join(i.format("zh") for i in whole.issues)
    assert f"应收发票!{amount}2" in said and "Customers" in said
    assert list(streamed.tables) == list(whole.tables)
    for key, table in whole.tables.items():
        pd.testing.assert_frame_equal(streamed.tables[key].frame, table.frame)
