"""Importing exports into a real register file, through the command line, as a finance user
does it: a Kingdee list with its title rows and subtotals, a Yonyou ledger in GB18030 with 万元,
an SAP FBL5N list, a dry run, a re-import that changes nothing, a saved mapping reused next
month, an open-items report closing what it no longer lists, and the demo register's own sheets
exported to CSV and imported back into an empty register.

The exports are small anonymised tables made from each system's documented column names.
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import xlsxwriter

from credit_register.adapters.pdf import find_soffice
from credit_register.adapters.xlsx import FileWorkbook
from credit_register.cli import main
from credit_register.core.reader import load
from credit_register.core.register import Register

TODAY = dt.date(2026, 11, 29)

# 金蝶 K/3 Cloud 应收单列表: a report title, a unit line, a group row above the real header, a
# subtotal per customer and a grand total. 上海华东精密机械有限公司 is the register's C00001
# (上海华东精密机械股份有限公司) under another legal form; 杭州新客户贸易 is not in the register.
KINGDEE: list[list[Any]] = [
    ["应收单列表", None, None, None, None, None, None],
    ["金额单位：元", None, None, None, None, None, None],
    ["系统信息", None, "台账信息", None, None, None, None],
    ["单据编号", "业务日期", "客户", "币别", "价税合计", "到期日", "备注"],
    ["AR2610001", "2026-10-08", "上海华东精密机械有限公司", "人民币", "113,000.00", "2026-11-07",
     None],
    ["AR2610002", "2026-10-09", "上海华东精密机械有限公司", "美元", "5,000.00", "2026-12-08", None],
    [None, None, "上海华东精密机械有限公司 小计", None, "118,000.00", None, None],
    ["AR2610003", "2026-10-12", "杭州新客户贸易有限公司", "人民币", "20,000.00", "2026-11-11",
     None],
    [None, None, None, None, None, None, None],
    ["合计", None, None, None, "138,000.00", None, None],
]  # fmt: skip

# 用友 U8 应收明细账 saved as CSV on a Chinese Windows (GB18030): the customer's own code, a name
# variant of the register's C00002, 原币含税金额 in 万元
YONYOU_CSV = (
    "客户编码,客户名称,单据号,单据日期,币种,原币含税金额(万元),到期日期\n"
    "0102,北京中科恒信电子科技有限责任公司,YS2026-0001,2026/10/01,人民币,12.5,2026/12/30\n"
)

# SAP FBL5N customer line items: selection lines above the list, the register's own customer
# numbers, euros, an accounting negative, and a month-first date SAP printed for a US user
SAP_FBL5N: list[list[Any]] = [
    ["Customer Line Item Display", None, None, None, None, None],
    ["Company Code 1000", None, None, None, None, None],
    [None, None, None, None, None, None],
    ["Customer", "Document Number", "Document Date", "Net due date", "Amount in doc. curr.",
     "Document currency"],
    ["C00003", "1800000456", "10/15/2026", None, "2,340.00", "EUR"],
    ["C00003", "1800000457", "2026-10-20", "2026-11-19", "(100.00)", "EUR"],
]  # fmt: skip


def write_xlsx(path: Path, rows: list[list[Any]], sheet: str = "Sheet1") -> Path:
    book = xlsxwriter.Workbook(str(path))
    page = book.add_worksheet(sheet)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                page.write(r, c, value)
    book.close()
    return path


def register_of(path: Path) -> Register:
    return load(FileWorkbook(path).read(), path.name, today=TODAY)


def invoices(path: Path) -> pd.DataFrame:
    return register_of(path).frame("invoices").set_index("invoice_no")


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = main(["import", *map(str, args), "--as-of", TODAY.isoformat()])
    return code, capsys.readouterr().out


@pytest.fixture
def register(demo_copy: Callable[..., Path]) -> Path:
    return demo_copy()


def test_a_kingdee_list_adds_its_invoices_and_its_new_customer(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_xlsx(tmp_path / "应收单列表.xlsx", KINGDEE)
    code, out = run(capsys, register, export)
    assert code == 0, out
    assert "新增 3 行" in out and "跳过空行/合计行 3 行" in out
    assert "新建客户 1 个，请补充其资料：C00061 杭州新客户贸易有限公司" in out
    assert "以下列未导入（登记表没有对应列）：备注" in out  # said once, at the header row
    added = invoices(register).loc[["AR2610001", "AR2610002", "AR2610003"]]
    # a name variant of C00001 is C00001; 人民币/美元 are CNY/USD; the amounts are read as typed
    assert added["customer_id"].tolist() == ["C00001", "C00001", "C00061"]
    assert added["currency"].tolist() == ["CNY", "USD", "CNY"]
    assert added["amount"].tolist() == [113000.0, 5000.0, 20000.0]
    history = register_of(register).frame("history")
    assert history["action"].iloc[-1] == "导入"
    assert history["reason"].iloc[-1] == "应收单列表.xlsx（3 行）"


def test_a_dry_run_shows_the_counts_and_writes_nothing(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = register.read_bytes()
    code, out = run(capsys, register, write_xlsx(tmp_path / "k.xlsx", KINGDEE), "--dry-run")
    assert code == 0
    assert "试运行（未写入）" in out and "新增 3 行，更新 0 行，未变 0 行，拒绝 0 行" in out
    assert register.read_bytes() == before


def test_importing_the_same_file_again_changes_no_input_sheet(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_xlsx(tmp_path / "k.xlsx", KINGDEE)
    assert run(capsys, register, export)[0] == 0
    before = parts(register)
    code, out = run(capsys, register, export)
    assert code == 0 and "新增 0 行，更新 0 行，未变 3 行" in out
    after = parts(register)
    changed = {name for name in before if before[name] != after[name]}
    # only History (one row for the import) and nothing else
    assert len(changed) == 1
    assert "导入" in after[changed.pop()].decode()


def test_a_changed_amount_updates_the_invoice_in_place(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(capsys, register, write_xlsx(tmp_path / "k.xlsx", KINGDEE))[0] == 0
    rows_before = len(invoices(register))
    corrected = [list(r) for r in KINGDEE]
    corrected[4][4] = "113,500.00"
    code, out = run(capsys, register, write_xlsx(tmp_path / "k2.xlsx", corrected))
    assert code == 0 and "新增 0 行，更新 1 行，未变 2 行" in out
    after = invoices(register)
    assert len(after) == rows_before and after.loc["AR2610001", "amount"] == 113500.0


def test_a_yonyou_csv_in_gb18030_with_wan_yuan_matches_a_name_variant(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "应收明细账.csv"
    export.write_bytes(YONYOU_CSV.encode("gb18030"))
    code, out = run(capsys, register, export)
    assert code == 0, out
    assert "新客户" not in out
    row = invoices(register).loc["YS2026-0001"]
    assert (row["customer_id"], row["amount"], row["currency"]) == ("C00002", 125000.0, "CNY")
    assert row["due_date"] == pd.Timestamp("2026-12-30")


def test_an_sap_list_reads_a_month_first_date_as_its_file_shows_and_says_so(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = run(capsys, register, write_xlsx(tmp_path / "fbl5n.xlsx", SAP_FBL5N))
    assert code == 0, out
    assert "fbl5n.xlsx:Sheet1!C5: 日期按月/日/年读取（C5 10/15/2026 只能这样读）" in out
    assert "新增 2 行" in out and "拒绝 0 行" in out
    got = invoices(register)
    assert got.loc["1800000456", "invoice_date"] == pd.Timestamp("2026-10-15")
    credit_note = got.loc["1800000457"]
    assert (credit_note["customer_id"], credit_note["amount"]) == ("C00003", -100.0)


# An accounts-receivable set as US systems export it (the layout of a public sample workbook,
# anonymised): month-first dates, no currency column, the customer's code only, and the date each
# invoice was settled
US_AR_CSV = (
    "countryCode,customerID,PaperlessDate,invoiceNumber,InvoiceDate,DueDate,InvoiceAmount,"
    "Disputed,SettledDate,PaperlessBill,DaysToSettle,DaysLate\n"
    "391,0379-NEVHP,4/6/2013,0000611365,1/2/2026,2/1/2026,55.94,No,1/15/2026,Paper,13,0\n"
    "406,8976-AMJEO,3/3/2012,0007900770,1/26/2026,2/25/2026,61.74,Yes,3/3/2026,Electronic,36,6\n"
    "406,8976-AMJEO,3/3/2012,0007900771,10/2/2026,11/1/2026,80.00,No,,Electronic,,\n"
)


def test_a_us_export_with_settled_invoices_becomes_invoices_and_their_payments(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "ar.csv"
    export.write_text(US_AR_CSV, encoding="utf-8")
    code, out = run(capsys, register, export, "--currency", "美元")
    assert code == 0, out
    assert "日期按月/日/年读取（E3 1/26/2026 只能这样读）" in out
    assert "没有币种列" not in out  # the currency was given
    assert "新增 3 行" in out and "已结清发票 2 张记入回款" in out
    got = invoices(register)
    first = got.loc["0000611365"]
    assert (first["invoice_date"], first["due_date"]) == (
        pd.Timestamp("2026-01-02"),
        pd.Timestamp("2026-02-01"),
    )
    assert (first["customer_id"], first["currency"], first["amount"]) == (
        "0379-NEVHP",
        "USD",
        55.94,
    )
    assert bool(got.loc["0007900770", "disputed"]) is True
    payments = register_of(register).frame("payments").set_index("payment_id")
    settled = payments.loc["SETTLED-0007900770"]
    assert (settled["invoice_no"], settled["amount"]) == ("0007900770", 61.74)
    assert settled["payment_date"] == pd.Timestamp("2026-03-03")
    assert "SETTLED-0007900771" not in payments.index  # still open
    customers = register_of(register).frame("customers").set_index("customer_id")
    assert customers.loc["8976-AMJEO", "currency"] == "USD"
    saved = register_of(register).frame("import_mappings")
    assert set(saved["date_order"]) == {"mdy"} and set(saved["currency"]) == {"USD"}

    # next month's file of the same layout: every date could be either way round, yet the saved
    # mapping knows; nothing is said about dates, currency or columns
    december = US_AR_CSV.replace("0000611365,1/2/2026,2/1/2026", "0000611399,12/1/2026,1/2/2027")
    december = "\n".join(december.splitlines()[:2]) + "\n"
    export.write_text(december, encoding="utf-8")
    code, out = run(capsys, register, export, "--mapping", "ar")
    assert code == 0, out
    assert out.strip().splitlines() == [
        "ar.csv（映射“ar”）→ 应收发票：读取 1 行，新增 1 行，更新 0 行，未变 0 行，拒绝 0 行；"
        "已结清发票 1 张记入回款"
    ]
    assert invoices(register).loc["0000611399", "invoice_date"] == pd.Timestamp("2026-12-01")


def test_dates_that_could_be_either_way_round_are_not_guessed(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "ar.csv"
    export.write_text(
        "Invoice Number,Customer,Invoice Date,Due Date,Amount,Currency\n"
        "INV-9001,C00001,3/4/2026,5/6/2026,100.00,CNY\n",
        encoding="utf-8",
    )
    before = parts(register)
    code, out = run(capsys, register, export)
    assert code == 2
    assert "无法判断 ar.csv 中日期的日、月先后（如 C2 3/4/2026" in out
    assert "--date-order" in out
    assert parts(register) == before
    code, out = run(capsys, register, export, "--date-order", "dmy")
    assert code == 0, out
    assert invoices(register).loc["INV-9001", "invoice_date"] == pd.Timestamp("2026-04-03")


def test_a_file_whose_dates_contradict_each_other_is_refused_naming_both(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "mixed.csv"
    export.write_text(
        "Invoice Number,Customer,Invoice Date,Amount,Currency\n"
        "INV-9001,C00001,25/1/2026,100.00,CNY\n"
        "INV-9002,C00001,1/25/2026,100.00,CNY\n",
        encoding="utf-8",
    )
    code, out = run(capsys, register, export)
    assert code == 2
    assert "既有日在前（C2 25/1/2026）又有月在前（C3 1/25/2026）" in out
    # told the order, the date that contradicts it is a bad cell of its own row
    code, out = run(capsys, register, export, "--date-order", "dmy")
    assert code == 1
    assert "mixed.csv:mixed!C3: 开票日期" in out and "新增 1 行" in out


def test_an_order_to_cash_export_finds_each_invoices_customer_through_its_order(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = tmp_path / "o2c.csv"
    export.write_text(
        "Invoice Number,Sales Order,Invoice Date,Amount,Currency\n"
        "INV-7001,SO260900002,2026-11-02,155400.00,CNY\n"  # C00016's order, now invoiced
        "INV-7002,SO-UNKNOWN,2026-11-03,10.00,CNY\n",
        encoding="utf-8",
    )
    code, out = run(capsys, register, export)
    assert code == 1, out  # one row to fix
    assert invoices(register).loc["INV-7001", "customer_id"] == "C00016"
    assert "INV-7002" not in invoices(register).index
    assert (
        "o2c.csv:o2c!3: 本行没有客户（编号、信用代码或名称均为空，订单号也不在“在途订单”表中）"
        in out
    )
    # the order is still on the Orders sheet (an import deletes nothing): counted twice until
    # the user takes it off, so the user is told
    assert "在途订单!3: 订单 SO260900002 已由发票 INV-7001 开票" in out


def test_a_wall_of_rejected_rows_is_summed_up_by_column(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = ["Invoice Number,Customer,Invoice Date,Amount,Currency"]
    lines += [f"INV-{n},C00001,2026-11-01,abc,CNY" for n in range(45)]
    export = tmp_path / "bad.csv"
    export.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, out = run(capsys, register, export, "--dry-run")
    assert code == 1
    assert out.count("金额") >= 30
    assert "… 另有 15 条（按列：D 15）；加 --json 列出全部" in out
    assert "拒绝 45 行" in out


def test_a_saved_mapping_imports_next_months_file_without_a_word_about_columns(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    october = write_xlsx(tmp_path / "应收单_2026-10.xlsx", KINGDEE)
    code, _ = run(capsys, register, october, "--save-mapping", "金蝶应收单")
    assert code == 0
    saved = register_of(register).frame("import_mappings")
    assert set(saved["mapping"]) == {"金蝶应收单"}
    assert dict(zip(saved["source_column"], saved["column"], strict=True))["价税合计"] == "amount"

    # November: another title line on top, the columns in another order, new documents
    november = [[None] * 7, *[[r[0], r[2], r[1], r[4], r[3], r[5], r[6]] for r in KINGDEE]]
    for row in november[5:]:
        if row[0] and str(row[0]).startswith("AR"):
            row[0] = str(row[0]).replace("AR2610", "AR2611")
    november[0][0] = "应收单列表（2026年11月）"
    export = write_xlsx(tmp_path / "应收单_2026-11.xlsx", november)
    code, out = run(capsys, register, export, "--mapping", "金蝶应收单")
    assert code == 0, out
    assert "新增 3 行" in out
    assert "未导入" not in out and "没有" not in out  # no column warning, no question
    assert invoices(register).loc["AR2611002", "currency"] == "USD"


def test_an_unknown_mapping_is_refused_with_the_saved_names(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    export = write_xlsx(tmp_path / "k.xlsx", KINGDEE)
    assert run(capsys, register, export, "--save-mapping", "金蝶")[0] == 0
    code = main(["import", str(register), str(export), "--mapping", "用友"])
    assert code == 2
    assert "已保存：金蝶" in capsys.readouterr().out


def test_an_open_items_report_closes_what_it_no_longer_lists(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    register = tmp_path / "credit_register.xlsm"
    assert main(["init", str(register)]) == 0
    header = ["单据编号", "客户编码", "客户名称", "业务日期", "价税合计"]
    october: list[list[Any]] = [
        header,
        ["AR-1", "K1", "甲公司", "2026-09-01", 100.0],
        ["AR-2", "K1", "甲公司", "2026-09-02", 200.0],
        ["AR-3", "K1", "甲公司", "2026-09-03", 300.0],
        ["AR-9", "K2", "乙公司", "2026-09-04", 900.0],
    ]
    assert run(capsys, register, write_xlsx(tmp_path / "open_10.xlsx", october))[0] == 0
    # November's open items for 甲公司 only: AR-1 and AR-3 were paid in the ERP
    november: list[list[Any]] = [header, ["AR-2", "K1", "甲公司", "2026-09-02", 200.0]]
    code, out = run(
        capsys, register, write_xlsx(tmp_path / "open_11.xlsx", november), "--replace-open-items"
    )
    assert code == 0 and "按已收清关闭 2 张发票" in out
    after = invoices(register)
    assert after.loc[["AR-1", "AR-3"], "paid_amount"].tolist() == [100.0, 300.0]
    assert after.loc[["AR-2", "AR-9"], "paid_amount"].isna().all()
    history = register_of(register).frame("history")
    closed = history.loc[history["field"] == "已收金额"]
    assert closed["customer_id"].tolist() == ["K1", "K1"]
    assert closed["new"].astype(float).tolist() == [100.0, 300.0]


def test_the_approved_limit_is_never_imported(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = register_of(register).frame("customers").set_index("customer_id")
    export = tmp_path / "customers.csv"
    export.write_text(
        "客户编号,客户名称,核定额度,联系电话\nC00001,上海华东精密机械股份有限公司,99999999,021-1234\n",
        encoding="utf-8",
    )
    assert run(capsys, register, export)[0] == 0
    after = register_of(register).frame("customers").set_index("customer_id")
    assert after.loc["C00001", "phone"] == "021-1234"
    assert after["approved_limit"].equals(before["approved_limit"])


# --------------------------------------------------------------------------- a round trip

#: the sheets an import can bring in, in the order their references need
KINDS = ("customers", "financials", "bureau", "invoices", "payments", "orders")


def test_the_demo_registers_own_sheets_exported_to_csv_come_back_the_same(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    demo = register_of(register)
    raw = FileWorkbook(register).read()
    empty = tmp_path / "new.xlsm"
    assert main(["init", str(empty)]) == 0
    for kind in KINDS:
        table = demo.tables[kind]
        export = tmp_path / f"{kind}.csv"
        with export.open("w", encoding="utf-8-sig", newline="") as handle:
            csv.writer(handle).writerows(_shown(row) for row in raw[table.name].rows)
        code, out = run(capsys, empty, export, "--kind", kind)
        assert code == 0, out
        assert re.search(r"新增 \d+ 行，更新 0 行，未变 0 行，拒绝 0 行", out), out
    again = register_of(empty)
    for kind in KINDS:
        keep = [
            c
            for c in demo.frame(kind).columns
            if c not in ("_row", "_error", "approved_limit", "limit_valid_until")
        ]
        pd.testing.assert_frame_equal(
            again.frame(kind)[keep].reset_index(drop=True),
            demo.frame(kind)[keep].reset_index(drop=True),
            check_dtype=False,
        )


def _shown(row: list[Any]) -> list[Any]:
    """A row as Excel's "Save as CSV" writes it: dates as ISO text, whole numbers plain."""
    shown: list[Any] = []
    for value in row:
        if isinstance(value, dt.datetime | dt.date):
            shown.append(value.isoformat())
        elif isinstance(value, float) and value.is_integer():
            shown.append(int(value))
        else:
            shown.append(value)
    return shown


def test_the_teams_own_column_and_the_other_parts_of_the_file_are_left_alone(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A team inserted 内部备注 between 开票日期 and 到期日 on its invoice sheet: imported rows go
    under their own headers, the team's notes stay where they were, and no part of the file but
    the sheets the import writes changes."""
    import openpyxl

    book = openpyxl.load_workbook(register, keep_vba=True)
    invoices_sheet = book["应收发票"]
    invoices_sheet.insert_cols(4)
    invoices_sheet.cell(1, 4, "内部备注")
    invoices_sheet.cell(2, 4, "老客户，月结")
    book.save(register)
    before = parts(register)

    code, out = run(capsys, register, write_xlsx(tmp_path / "k.xlsx", KINGDEE))
    assert code == 0, out
    after = parts(register)
    changed = {name for name in before if before[name] != after[name]}
    tabs = {"应收发票", "客户", "变更日志"}
    assert len(changed) == len(tabs) + 3  # + workbook.xml, its rels, [Content_Types].xml
    assert {"xl/workbook.xml", "[Content_Types].xml"} <= changed  # the new 导入映射 sheet
    table = register_of(register).tables["invoices"]
    frame = table.frame.set_index("invoice_no")
    assert frame.loc["AR2610003", "due_date"] == pd.Timestamp("2026-11-11")
    notes = table.extra["内部备注"]
    assert notes.iloc[0] == "老客户，月结" and notes.iloc[-3:].isna().all()


def test_an_xls_export_saved_as_excel_97_imports_like_its_xlsx(
    register: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Older ERPs still export .xls: the Kingdee list saved as Excel 97 by LibreOffice (for real,
    as a user's office suite would) imports as its .xlsx does."""
    soffice = find_soffice()
    if soffice is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice is missing in CI (scripts/system-deps.sh installs it)")
        pytest.skip("LibreOffice is not installed")
    source = write_xlsx(tmp_path / "应收单列表.xlsx", KINGDEE)
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "xls",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    code, out = run(capsys, register, tmp_path / "应收单列表.xls")
    assert code == 0, out
    assert "新增 3 行" in out and "跳过空行/合计行 3 行" in out
    got = invoices(register)
    assert (got.loc["AR2610002", "currency"], got.loc["AR2610002", "amount"]) == ("USD", 5000.0)
    assert got.loc["AR2610001", "due_date"] == pd.Timestamp("2026-11-07")
