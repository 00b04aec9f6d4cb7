"""Importing exports: the layouts of Kingdee, Yonyou and SAP FBL5N, a GB18030 CSV, a two-row
header, subtotal rows, a customer matched by a name variant, a saved mapping reapplied.

The exports here are small anonymised tables made from each system's documented column names.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from credit_register.adapters.export_file import read_csv
from credit_register.core.schema import INVOICES
from credit_register.importing import customers, layout, mappings, upsert
from credit_register.importing.extract import extract

KINGDEE: list[
    list[Any]
] = [  # 金蝶 K/3 Cloud 应收单列表, exported with its report title and group header row
    ["应收单列表", None, None, None, None, None, None],
    ["金额单位：元", None, None, None, None, None, None],
    ["系统信息", None, "台账信息", None, None, None, None],
    ["单据编号", "业务日期", "客户", "币别", "价税合计", "到期日", "备注"],
    [
        "AR00000101",
        "2026-10-08",
        "上海甲乙贸易有限责任公司",
        "人民币",
        "113,000.00",
        "2026-11-07",
        "",
    ],
    ["AR00000102", "2026-10-09", "ACME Trading Co., Ltd.", "美元", "5,000.00", "2026-12-08", None],
    [None, None, "上海甲乙贸易有限责任公司 小计", None, "113,000.00", None, None],
    [None, None, None, None, None, None, None],
    ["合计", None, None, None, "118,000.00", None, None],
]

YONYOU: list[list[Any]] = [  # 用友 U8 应收明细账: customer code and name, 原币含税金额 in 万元
    ["客户编码", "客户名称", "单据号", "单据日期", "币种", "原币含税金额(万元)", "到期日期"],
    ["0101", "北京丙丁科技有限公司", "YS2026-0001", "2026/10/01", "人民币", "12.5", "2026/12/30"],
]

# SAP FBL5N customer line items, with its selection lines above the list
SAP_FBL5N: list[list[Any]] = [
    ["Customer Line Item Display", None, None, None, None, None, None],
    ["Company Code 1000", None, None, None, None, None, None],
    [None, None, None, None, None, None, None],
    ["Customer", "Document Number", "Document Date", "Net due date", "Amount in doc. curr.",
     "Document currency", "Text"],
    ["100234", "1800000456", "10/15/2026", None, "2,340.00", "EUR", "goods"],
    ["100234", "1800000457", "2026-10-20", "2026-11-19", "(100.00)", "EUR", "credit note"],
]  # fmt: skip

REGISTER_CUSTOMERS = pd.DataFrame(
    {
        "customer_id": ["C00001", "C00002", "C00003"],
        "name": [
            "上海甲乙贸易有限公司",
            "北京丙丁科技股份有限公司",
            "Acme Trading Company Limited",
        ],
        "uscc": ["91310000MA1FL4TD1Q", None, None],
    }
)


def _read(rows: list[list[Any]], kind: str | None = None) -> tuple[layout.Layout, pd.DataFrame]:
    found = layout.detect(rows, kind)
    assert found is not None
    kept, _, _ = layout.data_rows(rows, found)
    return found, extract(rows, found, kept, file="x.xlsx", sheet="Sheet1").frame


def test_kingdee_two_row_header_below_a_title_is_found_and_subtotals_are_skipped() -> None:
    found = layout.detect(KINGDEE)
    assert found is not None and found.kind == "invoices"
    assert found.header_rows == (3,)
    kept, blanks, totals = layout.data_rows(KINGDEE, found)
    assert (len(kept), blanks, totals) == (2, 1, 2)
    frame = extract(KINGDEE, found, kept, file="k.xlsx", sheet="Sheet1").frame
    assert frame["invoice_no"].tolist() == ["AR00000101", "AR00000102"]
    assert frame["currency"].tolist() == ["CNY", "USD"]
    assert frame["amount"].tolist() == [113000.0, 5000.0]
    assert frame["customer_name"].tolist()[1] == "ACME Trading Co., Ltd."


def test_a_group_header_row_above_the_real_one_is_not_taken_for_the_header() -> None:
    rows: list[list[Any]] = [
        ["系统信息", None, "台账信息", None],
        ["编号", "日期", "客户", "金额"],
        ["AR-1", "2026-10-01", "甲公司", 10.0],
    ]
    found = layout.detect(rows, "invoices")
    assert found is not None
    assert found.header_rows == (1,)  # 编号/日期/金额 alone: the register's own 金额 header
    assert found.columns["amount"] == 3


def test_yonyou_amounts_in_wan_yuan_are_multiplied_out() -> None:
    found, frame = _read(YONYOU)
    assert found.kind == "invoices"
    assert found.scale == {"amount": 10000.0}
    assert frame.loc[0, "amount"] == 125000.0
    assert frame.loc[0, "customer_id"] == "0101"
    assert frame.loc[0, "due_date"] == pd.Timestamp("2026-12-30")


def test_sap_fbl5n_selection_lines_are_skipped_and_accounting_negatives_read() -> None:
    found = layout.detect(SAP_FBL5N)
    assert found is not None and found.kind == "invoices" and found.header_rows == (3,)
    kept, _, _ = layout.data_rows(SAP_FBL5N, found)
    got = extract(SAP_FBL5N, found, kept, file="fbl5n.xlsx", sheet="Sheet1")
    # 10/15/2026 is month-first: refused at its cell rather than guessed
    assert [i.place for i in got.issues] == ["fbl5n.xlsx:Sheet1!C5"]
    assert got.frame["amount"].tolist() == [-100.0]
    assert got.frame["currency"].tolist() == ["EUR"]


def test_a_gb18030_csv_reads_like_the_same_table_in_utf8() -> None:
    text = (
        "客户编码,客户名称,单据号,单据日期,币种,原币含税金额,到期日期\n"
        "0101,北京丙丁科技,YS-1,2026-10-01,人民币,100,2026-12-30\n"
    )
    gb = read_csv(text.encode("gb18030"))
    utf8 = read_csv(("\ufeff" + text).encode("utf-8"))
    assert gb.rows == utf8.rows
    found, frame = _read(gb.rows)
    assert found.kind == "invoices" and frame.loc[0, "currency"] == "CNY"


def test_customers_are_matched_by_name_variant_and_ambiguity_is_refused() -> None:
    matched = customers.match(
        ["上海甲乙贸易有限责任公司", "ACME Trading Co., Ltd.", "北京丙丁科技", "新客户有限公司"],
        pd.concat(
            [
                REGISTER_CUSTOMERS,
                pd.DataFrame({"customer_id": ["C00004"], "name": ["北京丙丁科技有限公司"]}),
            ]
        ),
    )
    assert matched.found == {
        "上海甲乙贸易有限责任公司": "C00001",
        "ACME Trading Co., Ltd.": "C00003",
    }
    assert matched.ambiguous == {"北京丙丁科技": ["C00002", "C00004"]}
    assert matched.unknown == ["新客户有限公司"]
    assert customers.next_ids(REGISTER_CUSTOMERS["customer_id"].tolist(), 1) == ["C00004"]


def test_reimporting_the_same_rows_changes_nothing() -> None:
    _, frame = _read(YONYOU)
    existing = frame.drop(columns=["customer_name"]).assign(_row=[2])
    again = upsert.plan(INVOICES, existing, frame)
    assert again.new.empty and again.changes == [] and again.unchanged == 1


def test_a_saved_mapping_reimports_next_months_layout_without_detection() -> None:
    found = layout.detect(KINGDEE)
    assert found is not None
    saved = mappings.to_rows("金蝶应收单", found, "Sheet1", dt.date(2026, 11, 1))
    next_month = [row[:] for row in KINGDEE]
    next_month.insert(0, ["应收单列表（2026年11月）", None, None, None, None, None, None])
    applied = mappings.apply(saved, "金蝶应收单", next_month)
    assert isinstance(applied, layout.Layout)
    assert applied.columns == found.columns and applied.header_rows == (4,)
    unknown = mappings.apply(saved, "用友", next_month)
    assert isinstance(unknown, str) and "金蝶应收单" in unknown


def test_a_new_customer_keeps_the_exports_code_but_a_name_in_the_code_column_gets_an_id() -> None:
    from credit_register.importing.assign import assign

    rows: list[list[Any]] = [
        ["Customer", "Num", "Date", "Amount"],
        ["Acme Inc", "1001", "2026-10-01", "100"],  # QuickBooks: the customer column holds names
        ["CUST-0101", "1002", "2026-10-02", "200"],  # an ERP code
        ["Acme Inc", "1003", "2026-10-03", "300"],
    ]
    found, frame = _read(rows, "invoices")
    got = assign(frame, pd.Series([2, 3, 4]), found, REGISTER_CUSTOMERS, file="qb.csv", sheet="qb")
    assert got.customer_id.tolist() == ["C00004", "CUST-0101", "C00004"]
    assert got.new_customers["name"].tolist() == ["Acme Inc", "CUST-0101"]


def test_a_name_that_could_be_two_customers_is_rejected_with_both_listed() -> None:
    from credit_register.importing.assign import assign

    book = pd.concat(
        [
            REGISTER_CUSTOMERS,
            pd.DataFrame({"customer_id": ["C00004"], "name": ["北京丙丁科技有限公司"]}),
        ]
    )
    found, frame = _read(
        [["单据编号", "客户", "业务日期", "价税合计"], ["AR-1", "北京丙丁科技", "2026-10-01", 1.0]]
    )
    got = assign(frame, pd.Series([2]), found, book, file="k.xlsx", sheet="Sheet1")
    assert got.rejected.tolist() == [True] and got.new_customers.empty
    assert got.issues[0].place == "k.xlsx:Sheet1!B2"
    assert "C00002" in got.issues[0].zh and "C00004" in got.issues[0].zh
