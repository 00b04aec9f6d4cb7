"""`credit-register init`: the workbook a finance user receives, checked as they would use it."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any, cast

import openpyxl
import pandas as pd
import pytest

from credit_register.core import dashboard
from credit_register.core.cells import column_letter
from credit_register.core.schema import (
    AGEING,
    ALERTS,
    ALL_SHEETS,
    CUSTOMERS,
    FX,
    INVOICES,
    POLICY,
    RATINGS,
    Language,
    Sheet,
)
from credit_register.tools.build import build_workbook
from credit_register.tools.build import workbook as builder
from credit_register.tools.build.values import cell_index
from credit_register.tools.vba import macro_name, sheet_codenames
from credit_register.tools.vba import shipped as shipped_vba_project
from support.workbook import workbook_contents

AS_OF = dt.date(2026, 10, 31)
#: kept before the fixture below swaps it for a stand-in
_real_policy_rows = builder._policy_rows


def stand_in_policy_rows(lang: str = "zh") -> list[tuple[str, object, str, str]]:
    """The contract of ``policy.default_policy_rows``: (parameter, value, unit, note)."""
    name = "财务权重" if lang == "zh" else "Financial weight"
    return [(name, 40, "%", "四大支柱权重合计 100%"), ("limit_step", 10_000.0, "CNY", "")]


@pytest.fixture(scope="module", autouse=True)
def policy_rows() -> Any:
    """The builder's own tests do not depend on the policy module's state; one test below checks
    the real default policy lands on the Policy sheet."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builder, "_policy_rows", stand_in_policy_rows)
        yield


def small_register() -> dict[str, pd.DataFrame]:
    """Two customers and three invoices, in the demo module's contract (code keys, real dates)."""
    customers = pd.DataFrame(
        {
            "customer_id": ["C001", "C002"],
            "name": ["上海华东精密机械有限公司", '=HYPERLINK("http://x")'],
            "uscc": ["91310000MA1FL0XXXX", None],
            "ownership": ["soe", "private"],
            "since": [dt.date(2019, 3, 5), None],
            "key_account": [True, False],
            "payment_terms_days": [60, 30],
            "approved_limit": [1_500_000.0, None],
            "status": ["active", "hold"],
        }
    )
    invoices = pd.DataFrame(
        {
            "invoice_no": ["INV-001", "INV-002", "-INV-3"],
            "customer_id": ["C001", "C001", "C002"],
            "invoice_date": [dt.date(2026, 7, 1), dt.date(2026, 8, 15), dt.date(2026, 9, 30)],
            "due_date": [dt.date(2026, 8, 30), None, dt.date(2026, 10, 30)],
            "currency": ["CNY", "CNY", "USD"],
            "amount": [123_456.78, -2_000.0, 9_999.99],
            "paid_amount": [23_456.78, 0.0, None],
            "disputed": [False, False, True],
        }
    )
    payments = pd.DataFrame(
        {
            "payment_id": ["P1"],
            "customer_id": ["C001"],
            "invoice_no": ["INV-001"],
            "payment_date": [dt.date(2026, 9, 1)],
            "amount": [23_456.78],
            "method": ["bill"],
            "bill_maturity": [dt.date(2027, 3, 1)],
        }
    )
    fx = pd.DataFrame(
        {"currency": ["CNY", "USD"], "rate_to_base": [1.0, 7.1234], "as_of": [AS_OF] * 2}
    )
    return {"customers": customers, "invoices": invoices, "payments": payments, "fx": fx}


@pytest.fixture(scope="module")
def zh_book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("zh")
    return build_workbook(folder / "credit_register.xlsm", tables=small_register(), as_of=AS_OF)


@pytest.fixture(scope="module")
def zh(zh_book: Path) -> dict[str, Any]:
    return workbook_contents(zh_book)


@pytest.fixture(scope="module")
def en(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("en")
    return workbook_contents(build_workbook(folder / "credit_register.xlsm", lang="en"))


def cells(contents: dict[str, Any], sheet_name: str) -> list[list[Any]]:
    result: list[list[Any]] = contents["sheets"][sheet_name]["cells"]
    return result


def layout(contents: dict[str, Any], sheet_name: str, part: str) -> list[dict[str, Any]]:
    """The children of a layout part (e.g. each ``dataValidation``) of one sheet."""
    found: list[dict[str, Any]] = []
    for element in contents["sheets"][sheet_name]["layout"][part]:
        found.extend(element["children"] if part == "dataValidations" else [element])
    return found


# --------------------------------------------------------------------------- reproducible


def test_building_twice_gives_the_same_workbook(tmp_path: Path) -> None:
    first = build_workbook(tmp_path / "a" / "credit_register.xlsm", tables=small_register())
    second = build_workbook(tmp_path / "b" / "credit_register.xlsm", tables=small_register())
    assert workbook_contents(first) == workbook_contents(second)
    assert first.read_bytes() == second.read_bytes()


# --------------------------------------------------------------------------- the buttons


def test_every_button_runs_its_own_actions_macro_and_says_which_action_it_is(
    zh: dict[str, Any],
) -> None:
    buttons = zh["sheets"]["控制台"]["buttons"]
    assert [b["caption"] for b in buttons] == [a.zh for a in dashboard.ACTIONS]
    assert [b["macro"] for b in buttons] == [
        f"[0]!CreditRegister.{macro_name(a.key)}" for a in dashboard.ACTIONS
    ]
    assert [b["alt_text"] for b in buttons] == [a.alt_text for a in dashboard.ACTIONS]
    # VML anchor: left column, offset, top row, ...: column E, rows 3, 5, 7, ...
    anchors = [b["anchor"].split(",") for b in buttons]
    assert {a[0] for a in anchors} == {str(dashboard.BUTTON_COLUMN)}
    assert [int(a[2]) for a in anchors] == [
        dashboard.BUTTON_FIRST_ROW + 2 * i for i in range(len(dashboard.ACTIONS))
    ]


def test_each_buttons_macro_is_in_the_workbooks_vba_and_names_its_action(
    zh: dict[str, Any],
) -> None:
    modules = zh["vba_modules"]
    ours = modules["CreditRegister.bas"]
    buttons = [button for sheet in zh["sheets"].values() for button in sheet["buttons"]]
    assert len(buttons) > len(dashboard.ACTIONS)  # the Customers and Ratings buttons too
    for button in buttons:
        macro = button["macro"].removeprefix("[0]!CreditRegister.")
        action = button["alt_text"].removeprefix("credit-register:")
        assert (
            f"Public Sub {macro}()\n"
            f"    RunPython \"import credit_register.excel as cr; cr.button('{action}')\"\n"
            "End Sub"
        ) in ours
    # xlwings' own VBA travels inside the workbook (no add-in needed), and the shipped project
    assert "xlwings.bas" in modules
    assert zh["vba_sha256"] == hashlib.sha256(shipped_vba_project()).hexdigest()
    assert zh["workbook_codename"] == "ThisWorkbook"
    # each sheet has the code name of its module in the project
    codenames = [sheet["codename"] for sheet in zh["sheets"].values()]
    assert codenames == list(sheet_codenames())
    assert all(f"{name}.cls" in modules for name in codenames)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_customer_buttons_stand_over_the_header_of_customers_and_ratings(
    lang: str, zh: dict[str, Any], en: dict[str, Any]
) -> None:
    """Where a user selects customers, the buttons acting on them are at hand: in the header
    row, which stays in view (frozen) however far down the user scrolls."""
    book = zh if lang == "zh" else en
    wanted = [a for a in dashboard.ACTIONS if a.key in dashboard.SELECTION_ACTIONS]
    assert [a.key for a in wanted] == ["contract", "report", "approve"]
    for sheet in (CUSTOMERS, RATINGS):
        found = book["sheets"][sheet.name(cast(Language, lang))]
        buttons = found["buttons"]
        assert [b["caption"] for b in buttons] == [a.caption(cast(Language, lang)) for a in wanted]
        assert [b["macro"] for b in buttons] == [
            f"[0]!CreditRegister.{macro_name(a.key)}" for a in wanted
        ]
        # VML anchor: left column, offset, top row, offset, right column, ..., bottom row
        anchors = [[int(x) for x in b["anchor"].split(",")] for b in buttons]
        assert {(a[2], a[6]) for a in anchors} == {(0, 0)}  # inside row 1
        assert all(a[4] <= 6 for a in anchors)  # over the first columns, not off to the right
        pane = found["layout"]["sheetViews"][0]["children"][0]["children"][0]
        assert pane["tag"] == "pane" and pane["attrs"]["ySplit"] == "1"
    assert not [
        name
        for name, sheet in zh["sheets"].items()
        if sheet["buttons"] and name not in ("控制台", "客户", "评级")
    ]


def test_any_file_name_works_and_nothing_is_written_beside_the_workbook(tmp_path: Path) -> None:
    for name in ("Credit Register (1).xlsm", "客户资信 2026.xlsm", "import.xlsm", "json.xlsm"):
        assert build_workbook(tmp_path / name).exists()
    assert sorted(p.suffix for p in tmp_path.iterdir()) == [".xlsm"] * 4


# --------------------------------------------------------------------------- sheets and headers


def test_sheets_in_order_with_schema_headers(zh: dict[str, Any]) -> None:
    assert zh["sheet_order"] == [s.zh for s in ALL_SHEETS]
    for sheet in ALL_SHEETS[1:]:
        assert cells(zh, sheet.zh)[0] == sheet.headers("zh"), sheet.key


def test_an_english_workbook_speaks_english(en: dict[str, Any]) -> None:
    assert en["sheet_order"] == [s.en for s in ALL_SHEETS]
    assert cells(en, "Invoices")[0] == INVOICES.headers("en")
    assert [b["caption"] for b in en["sheets"]["Dashboard"]["buttons"]] == [
        a.en for a in dashboard.ACTIONS
    ]
    drop_downs = layout(en, "Customers", "dataValidations")
    ownership = next(d for d in drop_downs if d["attrs"]["sqref"].startswith("J2"))
    assert ownership["children"][0]["text"] == '"SOE,private,foreign,listed,other"'


def test_header_row_frozen_and_filtered_on_every_table_sheet(zh: dict[str, Any]) -> None:
    for sheet in ALL_SHEETS[1:]:
        views = zh["sheets"][sheet.zh]["layout"]["sheetViews"][0]
        pane = views["children"][0]["children"][0]
        assert pane["attrs"]["ySplit"] == "1" and pane["attrs"]["state"] == "frozen", sheet.key
        assert zh["sheets"][sheet.zh]["layout"]["autoFilter"], sheet.key


# --------------------------------------------------------------------------- data round trip


def test_register_data_round_trips_with_its_types(zh: dict[str, Any]) -> None:
    customers = cells(zh, CUSTOMERS.zh)
    header = customers[0]
    first = dict(zip(header, customers[1], strict=True))
    second = dict(zip(header, customers[2], strict=True))
    assert first["客户名称"] == "上海华东精密机械有限公司"
    assert first["合作起始日"] == dt.date(2019, 3, 5)
    assert first["核定额度"] == 1_500_000.0
    assert first["企业性质"] == "国企" and second["企业性质"] == "民企"
    assert first["重点客户"] == "是" and second["重点客户"] == "否"
    assert second["状态"] == "冻结"
    # text that looks like a formula stays the text the user typed
    assert second["客户名称"] == '=HYPERLINK("http://x")'

    invoices = cells(zh, INVOICES.zh)
    by_no = {row[0]: dict(zip(invoices[0], row, strict=True)) for row in invoices[1:]}
    assert by_no["INV-001"]["金额"] == 123_456.78
    assert by_no["INV-001"]["到期日"] == dt.date(2026, 8, 30)
    assert by_no["INV-002"]["金额"] == -2_000.0
    assert by_no["INV-002"]["到期日"] == ""
    assert by_no["-INV-3"]["争议"] == "是"

    payment = dict(zip(*cells(zh, "回款")[:2], strict=True))
    assert payment["方式"] == "承兑汇票"
    assert payment["汇票到期日"] == dt.date(2027, 3, 1)


def test_no_cell_is_a_formula(zh_book: Path) -> None:
    book = openpyxl.load_workbook(zh_book)
    formulas = [
        f"{ws.title}!{c.coordinate}"
        for ws in book.worksheets
        for row in ws.iter_rows()
        for c in row
        if c.data_type == "f"
    ]
    assert formulas == []


def test_number_formats_on_columns_and_written_cells(zh_book: Path) -> None:
    book = openpyxl.load_workbook(zh_book)
    customers = book[CUSTOMERS.zh]
    assert customers["N2"].number_format == "yyyy-mm-dd"  # 合作起始日
    assert customers["S2"].number_format == "#,##0.00"  # 核定额度
    assert customers["Q2"].number_format == "0"  # 账期(天)
    # a cell the user will type into later takes the column's format
    assert customers.column_dimensions["N"].number_format == "yyyy-mm-dd"
    utilization = column_letter([c.key for c in RATINGS.columns].index("utilization"))
    assert book[RATINGS.zh].column_dimensions[utilization].number_format == "0.0%"  # 额度使用率
    assert book[FX.zh]["B3"].number_format == "0.0000"
    assert book[FX.zh]["B3"].value == 7.1234


# --------------------------------------------------------------------------- drop-downs


def test_drop_downs_for_codes_and_yes_no_in_the_workbook_language(zh: dict[str, Any]) -> None:
    drop_downs = {d["attrs"]["sqref"]: d for d in layout(zh, CUSTOMERS.zh, "dataValidations")}
    ownership = drop_downs["J2:J10000"]
    assert ownership["children"][0]["text"] == '"国企,民企,外资,上市,其他"'
    assert ownership["attrs"]["errorStyle"] == "warning"  # pasted English labels stay allowed
    assert ownership["attrs"]["showInputMessage"] == "1"
    assert drop_downs["O2:O10000"]["children"][0]["text"] == '"是,否"'  # 重点客户
    # ownership, key account, status, enterprise size, defaulted, and a contract's language,
    # law, forum and CISG
    assert len(drop_downs) == 9


def test_alerts_user_columns_stand_out_and_status_has_a_drop_down(zh: dict[str, Any]) -> None:
    drop_downs = layout(zh, ALERTS.zh, "dataValidations")
    assert [d["attrs"]["sqref"] for d in drop_downs] == ["J2:J10000"]  # 处理状态 only
    assert drop_downs[0]["children"][0]["text"] == '"待处理,处理中,已关闭,已解除"'


def test_alerts_user_headers_have_their_own_fill(zh_book: Path) -> None:
    alerts = openpyxl.load_workbook(zh_book)[ALERTS.zh]
    fills = {c.value: c.fill.fgColor.rgb for c in alerts[1]}
    assert fills["处理状态"] == fills["负责人"] == fills["处理意见"] == "FFFCE4D6"
    assert fills["级别"] == "FFDDEBF7"


def test_highlights_on_ageing_alerts_and_ratings(zh: dict[str, Any]) -> None:
    def rules(sheet_name: str) -> dict[str, list[str]]:
        found = layout(zh, sheet_name, "conditionalFormatting")
        return {
            cf["attrs"]["sqref"]: [f["text"] for rule in cf["children"] for f in rule["children"]]
            for cf in found
        }

    assert rules(AGEING.zh)["M2:M20000"] == ["0.2"]  # 逾期占比 > 20 %
    assert rules(AGEING.zh)["J2:J20000"] == ["0"]  # 365天以上
    assert rules(ALERTS.zh)["H2:H20000"] == ['"禁止"', '"预警"']  # 级别
    # 当前值 and 阈值: a share as a percentage, money with separators, by the row's 指标
    assert rules(ALERTS.zh)["F2:G20000"] == [
        'OR($E2="额度使用率",$E2="逾期占比",$E2="征信评分下降")',
        'OR($E2="逾期金额")',
    ]
    ratings = rules(RATINGS.zh)

    def column(sheet: Sheet, key: str) -> str:
        return column_letter(sheet.headers("zh").index(sheet.column(key).zh))

    assert ratings[f"{column(RATINGS, 'grade')}2:{column(RATINGS, 'grade')}20000"] == ['"C"']
    used = column(RATINGS, "utilization")
    assert ratings[f"{used}2:{used}20000"] == ["1"]  # 额度使用率 above 100 %
    # the approved limit: past (red) or within 30 days of (amber) the customer's 额度有效期 on 客户
    limit = column(RATINGS, "approved_limit")
    expired, expiring = ratings[f"{limit}2:{limit}20000"]
    valid_until = f"'客户'!${column(CUSTOMERS, 'limit_valid_until')}:"
    as_of = f"${column(RATINGS, 'as_of')}2"
    assert valid_until in expired and f"<{as_of})" in expired
    assert valid_until in expiring and f"<={as_of}+30)" in expiring
    review = column(RATINGS, "next_review")
    assert ratings[f"{review}2:{review}20000"] == [
        f'AND(${review}2<>"",{as_of}<>"",${review}2<{as_of})'
    ]


def test_long_reasons_on_ratings_are_wrapped_not_cut(zh_book: Path) -> None:
    sheet = openpyxl.load_workbook(zh_book)[RATINGS.zh]
    for key in ("knock_out", "security"):
        letter = column_letter(RATINGS.headers("zh").index(RATINGS.column(key).zh))
        # the column's own style: the cells the engine writes there take it
        assert sheet.column_dimensions[letter].width >= 30
        assert sheet.column_dimensions[letter].alignment.wrap_text, key


# --------------------------------------------------------------------------- Policy, FX, Dashboard


def test_policy_sheet_holds_the_policy_rows(zh: dict[str, Any]) -> None:
    assert cells(zh, POLICY.zh) == [
        POLICY.headers("zh"),
        ["财务权重", 40.0, "%", "四大支柱权重合计 100%"],
        ["limit_step", 10_000.0, "CNY", ""],
    ]


def test_policy_sheet_holds_the_real_default_policy(tmp_path: Path) -> None:
    policy = pytest.importorskip("credit_register.policy")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(builder, "_policy_rows", _real_policy_rows)
        contents = workbook_contents(build_workbook(tmp_path / "credit_register.xlsm", lang="en"))
    expected = policy.default_policy_rows("en")
    rows = cells(contents, POLICY.en)[1:]
    assert len(rows) == len(expected)
    assert [r[0] for r in rows] == [e[0] for e in expected]


def test_a_blank_register_has_the_base_currency_on_fx(en: dict[str, Any]) -> None:
    assert cells(en, "FX")[1][:2] == ["CNY", 1.0]


def test_dashboard_fields_headlines_and_how_to(zh: dict[str, Any], zh_book: Path) -> None:
    sheet = openpyxl.load_workbook(zh_book)["控制台"]
    assert sheet[dashboard.TITLE_CELL].value == "客户资信管理"
    assert sheet[dashboard.AS_OF.cell].value == dt.datetime(2026, 10, 31)
    assert sheet[dashboard.AS_OF.cell].number_format == "yyyy-mm-dd"
    assert sheet[dashboard.ORDER_AMOUNT.cell].number_format == "#,##0.00"
    for field in (*dashboard.USER_FIELDS, *dashboard.HEADLINES):
        assert sheet[field.label_cell].value == field.zh
    assert sheet[dashboard.HEADLINE_BY_KEY["overdue_pct"].cell].number_format == "0.0%"
    assert sheet[dashboard.HEADLINE_BY_KEY["total_exposure"].cell].number_format == "#,##0.00"

    action = layout(zh, "控制台", "dataValidations")
    assert action[0]["attrs"]["sqref"] == dashboard.ACTION.cell
    assert (
        action[0]["children"][0]["text"] == '"' + ",".join(a.key for a in dashboard.ACTIONS) + '"'
    )

    text = "\n".join(str(v) for row in cells(zh, "控制台") for v in row)
    assert "使用说明" in text and "应收发票" in text
    assert all(a.zh in text for a in dashboard.ACTIONS)


# --------------------------------------------------------------------------- refusing


def test_refuses_a_workbook_without_macros_or_over_an_existing_file(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match=r"\.xlsm"):
        build_workbook(tmp_path / "register.xlsx")
    target = build_workbook(tmp_path / "credit_register.xlsm")
    with pytest.raises(FileExistsError):
        build_workbook(target)
    assert build_workbook(target, overwrite=True, lang="en") == target


def test_demo_register(tmp_path: Path) -> None:
    demo = pytest.importorskip("credit_register.tools.demo")
    contents = workbook_contents(build_workbook(tmp_path / "credit_register.xlsm", demo=True))
    tables = demo.demo_tables()
    customers = cells(contents, CUSTOMERS.zh)
    assert len(customers) - 1 == len(tables["customers"])
    assert customers[1][1] == tables["customers"]["name"].iloc[0]
    invoices = cells(contents, INVOICES.zh)
    first = dict(zip(invoices[0], invoices[1], strict=True))
    expected = tables["invoices"].iloc[0]
    assert first["发票号"] == expected["invoice_no"]
    assert first["开票日期"] == expected["invoice_date"]  # a real Excel date, read back as a date
    assert first["金额"] == pytest.approx(expected["amount"], abs=0.005)
    assert len(invoices) - 1 == len(tables["invoices"])
    dashboard_cells = cells(contents, "控制台")
    row, col = cell_index(dashboard.AS_OF.cell)
    assert dashboard_cells[row][col] == demo.DEMO_AS_OF
