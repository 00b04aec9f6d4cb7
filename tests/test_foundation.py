"""The foundation issue's acceptance, as a credit manager meets it: build the demo register,
validate it, break cells on purpose, and check the file survives every write."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from credit_register.adapters.addin_json import JsonWorkbook
from credit_register.adapters.services import document_services
from credit_register.adapters.xlsx import FileWorkbook
from credit_register.app import actions, usecases
from credit_register.cli import main
from credit_register.core import dashboard
from credit_register.core.port import CellValue, Changes
from credit_register.core.reader import load
from credit_register.tools.demo.cast import DEFAULTED_CUSTOMER
from support.zipparts import sheet_parts, zip_members

TODAY = dt.date.today()


def run_cli(*args: str | Path) -> int:
    return main([str(a) for a in args])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_init_demo_then_validate_exits_0(
    tmp_path: Path, lang: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "r.xlsm"
    assert run_cli("init", path, "--demo", "--lang", lang) == 0
    assert run_cli("validate", path) == 0
    out = capsys.readouterr().out
    assert ("0 个错误" if lang == "zh" else "0 errors") in out
    # whatever its name, no Python module is written beside the workbook for its macros
    assert not list(tmp_path.glob("*.py"))


def _set_error_cell(path: Path, tab: str, cell: str, error: str = "#N/A") -> None:
    """Turn one cell into a real Excel error value (``t="e"``), as Excel saves ``=NA()``'s
    result, by editing that sheet's XML in the package."""
    part = sheet_parts(path)[tab]
    members = zip_members(path)
    xml = members[part].decode()
    pattern = re.compile(rf'<c r="{cell}"[^>]*?(?:/>|>.*?</c>)', re.S)
    assert pattern.search(xml), cell
    members[part] = pattern.sub(f'<c r="{cell}" t="e"><v>{error}</v></c>', xml, count=1).encode()
    with zipfile.ZipFile(path) as src:
        infos = src.infolist()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in infos:
            out.writestr(info, members[info.filename])


def _break_cells(path: Path) -> dict[str, str]:
    """One broken cell of each kind the validator knows; returns place → kind."""
    book = FileWorkbook(path)
    register = load(book.read(), path.name, today=TODAY)
    cust = register.tables["customers"]
    inv = register.tables["invoices"]
    pay = register.tables["payments"]
    fin = register.tables["financials"]
    pol = register.tables["policy"]
    invoices = inv.frame
    payments = pay.frame
    per_invoice = payments.groupby("invoice_no").size()
    single_paid = invoices[
        invoices["invoice_no"].isin(per_invoice[per_invoice == 1].index) & (invoices["amount"] > 0)
    ]
    unpaid = invoices[
        ~invoices["invoice_no"].isin(payments["invoice_no"].dropna()) & (invoices["amount"] > 0)
    ]
    # invoices without payments, so that breaking one shows no knock-on finding elsewhere
    cny = unpaid[unpaid["currency"] == "CNY"]

    cells: dict[str, dict[str, CellValue]] = {}
    broken: dict[str, str] = {}

    def put(table_key: str, key: str, row: int, value: CellValue, kind: str) -> None:
        table = register.tables[table_key]
        cell = table.cell(key, row)
        cells.setdefault(table_key, {})[cell] = value
        broken[f"{path.name}:{table.name}!{cell}"] = kind

    put("customers", "name", int(cust.frame["_row"].iloc[1]), None, "missing required value")
    put(
        "customers",
        "uscc",
        int(cust.frame["_row"].iloc[2]),
        _wrong_check_digit(str(cust.frame["uscc"].iloc[2])),
        "USCC check digit",
    )
    rows = iter(cny["_row"].astype(int).tolist()[5:])
    put("invoices", "amount", next(rows), "abc", "text in a number column")
    put("invoices", "invoice_date", next(rows), "2026-02-30", "impossible date")
    dup_row = next(rows)
    put("invoices", "invoice_no", dup_row, str(cny["invoice_no"].iloc[0]), "duplicate key")
    put("invoices", "customer_id", next(rows), "C99999", "unknown customer")
    put("invoices", "currency", next(rows), "XYZ", "unknown currency")
    row = next(rows)
    invoice_date = invoices.loc[invoices["_row"] == row, "invoice_date"].iloc[0]
    put(
        "invoices",
        "due_date",
        row,
        (invoice_date - pd.Timedelta(days=1)).date(),
        "due date before invoice date",
    )
    row = int(cny["_row"].iloc[1])
    amount = float(cny["amount"].iloc[1])
    put("invoices", "paid_amount", row, amount + 100, "paid above amount")
    # a payment that takes its invoice over the amount: the invoice's own paid_amount is
    # cleared (a blank is allowed) so the only finding is the payment's
    target = single_paid.iloc[3]
    put("invoices", "paid_amount", int(target["_row"]), None, "setup")
    broken.pop(f"{path.name}:{inv.name}!{inv.cell('paid_amount', int(target['_row']))}")
    pay_row = int(payments.loc[payments["invoice_no"] == target["invoice_no"], "_row"].iloc[0])
    put("payments", "amount", pay_row, float(target["amount"]) + 1000, "payments above the invoice")
    other = single_paid.iloc[6]
    pay_row = int(payments.loc[payments["invoice_no"] == other["invoice_no"], "_row"].iloc[0])
    put("payments", "invoice_no", pay_row, "FP000000000", "unknown invoice")
    pay_row = int(
        payments.loc[payments["invoice_no"] == single_paid.iloc[9]["invoice_no"], "_row"].iloc[0]
    )
    put("payments", "payment_date", pay_row, dt.date(TODAY.year + 3, 1, 1), "date in the future")
    row = int(fin.frame["_row"].iloc[4])
    total_assets = float(fin.frame["total_assets"].iloc[4])
    put(
        "financials",
        "equity",
        row,
        float(fin.frame["equity"].iloc[4]) + 0.1 * total_assets,
        "balance-sheet identity",
    )
    weight_rows = pol.frame.loc[pol.frame["parameter"].str.startswith("weight."), "_row"]
    cells.setdefault("policy", {})[pol.cell("value", int(weight_rows.iloc[0]))] = 50
    first, last = (
        pol.cell("value", int(weight_rows.iloc[0])),
        pol.cell("value", int(weight_rows.iloc[-1])),
    )
    broken[f"{path.name}:{pol.name}!{first}:{last}"] = "policy weights not summing to 100 %"
    book.apply(Changes(cells=cells))

    row = int(cny["_row"].iloc[20])
    _set_error_cell(path, inv.name, inv.cell("amount", row))
    broken[f"{path.name}:{inv.name}!{inv.cell('amount', row)}"] = "Excel error value"
    return broken


def _wrong_check_digit(uscc: str) -> str:
    last = "0" if uscc[-1] != "0" else "1"
    return uscc[:-1] + last


def test_broken_cells_get_one_located_message_each(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    broken = _break_cells(path)
    assert len(broken) == 15
    before = zip_members(path)

    assert run_cli("validate", path, "--json") == 1
    report = json.loads(capsys.readouterr().out)
    places = [i["place"] for i in report["issues"]]
    assert sorted(places) == sorted(broken), {p: broken.get(p) for p in places}
    assert all(i["message"].endswith(")") for i in report["issues"])  # Chinese with English gloss

    after = zip_members(path)
    issues_part = sheet_parts(path)["问题"]
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed == {issues_part}
    assert set(after) == set(before)


def test_validate_prints_located_lines(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    _break_cells(path)
    assert run_cli("validate", path) == 1
    lines = capsys.readouterr().out.splitlines()
    assert any(
        re.fullmatch(r"credit_register\.xlsm:应收发票![A-Z]+\d+: .+ \(.+\)", line) for line in lines
    )


def test_two_hundred_bad_cells_give_two_hundred_messages(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    book = FileWorkbook(path)
    invoices = load(book.read(), path.name, today=TODAY).tables["invoices"]
    rows = invoices.frame["_row"].astype(int).tolist()[:200]
    book.apply(Changes(cells={"invoices": {invoices.cell("amount", r): f"金额{r}" for r in rows}}))
    assert run_cli("validate", path, "--json") == 1
    report = json.loads(capsys.readouterr().out)
    assert report["errors"] == 200
    assert {i["place"] for i in report["issues"]} == {
        f"credit_register.xlsm:应收发票!{invoices.cell('amount', r)}" for r in rows
    }


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "空"), (b"this is not a workbook", "不是"), (None, "找不到")],
)
def test_not_a_workbook_gets_a_message_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes | None, expected: str
) -> None:
    path = tmp_path / "credit_register.xlsm"
    if content is not None:
        path.write_bytes(content)
    assert run_cli("validate", path) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out
    assert expected in captured.err


def test_every_dashboard_button_runs_a_use_case_and_an_unknown_action_is_refused() -> None:
    assert {a.key for a in dashboard.ACTIONS} <= set(actions.ACTION_HANDLERS)
    result = usecases.run_action(
        usecases.ActionRequest("forecast"), JsonWorkbook({}), services=document_services()
    )
    assert not result.ok and result.exit_code == usecases.EXIT_FAILED
    assert result.message.startswith("forecast：此功能尚未提供")


def test_a_workbook_missing_the_invoices_sheet_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import xlsxwriter

    path = tmp_path / "credit_register.xlsm"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("客户")
    sheet.write_row(0, 0, ["客户编号", "客户名称", "统一社会信用代码"])
    sheet.write_row(1, 0, ["C1", "上海测试有限公司", "91310000MA1FL8L972"])
    book.close()
    assert run_cli("validate", path) == 1
    out = capsys.readouterr().out
    assert "credit_register.xlsm:应收发票" in out


def test_every_write_keeps_every_other_part_byte_for_byte(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    before = zip_members(path)
    assert run_cli("run", path) == 0
    after = zip_members(path)
    parts = sheet_parts(path)
    engine_owned = {
        parts[tab] for tab in ("评级", "账龄", "未清明细", "预警", "变更日志", "问题", "控制台")
    }
    changed = {name for name in before if before[name] != after.get(name)}
    assert changed <= engine_owned
    assert after["xl/vbaProject.bin"] == before["xl/vbaProject.bin"]
    # the buttons (Dashboard, Customers, Ratings) are still bound to their macros
    vml = [after[n].decode() for n in after if n.startswith("xl/drawings/vmlDrawing")]
    on_sheets = sum(len(dashboard.buttons_on(key)) for key in dashboard.SELECTION_SHEETS)
    assert sum(v.count("[0]!CreditRegister.CR_") for v in vml) == len(dashboard.ACTIONS) + on_sheets
    # the Dashboard's four charts, and the Dashboard still shows them
    assert len([n for n in after if n.startswith("xl/charts/chart")]) == 4
    assert "<drawing r:id=" in after[parts["控制台"]].decode()
    # every sheet still prints landscape, one page wide, with its footer; tables repeat the header
    for tab, part in parts.items():
        xml = after[part].decode()
        assert 'orientation="landscape"' in xml and "<oddFooter>" in xml, tab
        assert 'fitToPage="1"' in xml, tab
    workbook_xml = after["xl/workbook.xml"].decode()
    assert workbook_xml.count("_xlnm.Print_Titles") == len(parts) - 1  # all but the Dashboard
    # a backup of the previous version is kept beside it
    backups = list(path.parent.glob("*.bak*"))
    assert backups


def test_a_formula_typed_as_a_customer_name_stays_text(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    from python_calamine import CalamineWorkbook

    path = demo_copy()
    book = FileWorkbook(path)
    customers = load(book.read(), path.name, today=TODAY).tables["customers"]
    formula = '=HYPERLINK("http://x","y")'
    # the defaulted customer appears on every output sheet: Ratings, Ageing and Alerts
    mine = customers.frame["customer_id"] == DEFAULTED_CUSTOMER
    row = int(customers.frame.loc[mine, "_row"].iloc[0])
    book.apply(Changes(cells={"customers": {customers.cell("name", row): formula}}))
    assert run_cli("run", path) in (0, 1)
    workbook = CalamineWorkbook.from_path(str(path))
    output_tabs = [t for t in ("评级", "账龄", "预警") if t in workbook.sheet_names]
    found_in = [
        t
        for t in output_tabs
        if any(formula in row for row in workbook.get_sheet_by_name(t).to_python())
    ]
    members = zip_members(path)
    parts = sheet_parts(path)
    for tab in found_in:
        assert "<f>" not in members[parts[tab]].decode()
    assert found_in == ["评级", "账龄", "预警"]


def test_a_run_is_refused_while_excel_has_the_file_open(
    demo_copy: Callable[..., Path], capsys: pytest.CaptureFixture[str]
) -> None:
    path = demo_copy()
    before = path.read_bytes()
    (path.parent / f"~${path.name}").write_bytes(b"")
    assert run_cli("run", path) == 2
    assert "Excel" in capsys.readouterr().err
    assert path.read_bytes() == before
