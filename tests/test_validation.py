"""The business rules, one story each: a clean register, one broken cell, one issue at that cell."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pandas as pd
import pytest

from credit_register.app.pipeline import load_register
from credit_register.core import schema
from credit_register.core.cells import column_letter
from credit_register.core.issues import Issue
from credit_register.core.port import RawSheet
from credit_register.core.register import Register, Table
from credit_register.core.schema import Language, Sheet
from credit_register.validation import validate

#: the default date's column on the Customers sheet (it moves as the sheet gains columns)
DEFAULT_DATE = column_letter([c.key for c in schema.CUSTOMERS.columns].index("default_date"))

TODAY = dt.date(2026, 3, 31)
Rows = dict[str, list[dict[str, Any]]]

_DTYPES: dict[str, Any] = {
    "text": object,
    "code": object,
    "number": "float64",
    "int": "Int64",
    "bool": "boolean",
    "date": "datetime64[us]",
}


def table(
    sheet: Sheet, rows: list[dict[str, Any]], lang: Language = "zh", text: Any = "str"
) -> Table:
    """A typed table as the reader delivers it: every schema column, in schema column order.
    Text is pandas' ``str`` (as ``reader`` makes it) or ``object``: the rules work on either."""
    dtypes = {**_DTYPES, "text": text, "code": text}
    frame = pd.DataFrame(
        {
            col.key: pd.Series([row.get(col.key) for row in rows], dtype=dtypes[col.type])
            for col in sheet.columns
        }
    )
    frame["_row"] = range(2, len(rows) + 2)
    frame["_error"] = False
    positions = {col.key: n for n, col in enumerate(sheet.columns)}
    return Table(sheet=sheet, name=sheet.name(lang), frame=frame, positions=positions)


def register(rows: Rows, lang: Language = "zh", text: Any = "str") -> Register:
    tables = {key: table(schema.SHEETS[key], records, lang, text) for key, records in rows.items()}
    return Register(label="r.xlsm", lang=lang, tables=tables, as_of=TODAY)


def check(
    rows: Rows, lang: Language = "zh", text: Any = "str", **settings: Any
) -> tuple[list[Issue], Register]:
    reg = register(rows, lang, text)
    return validate(reg, base_currency="CNY", today=TODAY, **settings), reg


def places(issues: list[Issue]) -> list[str]:
    return [issue.place for issue in issues]


D = pd.Timestamp


def clean_rows() -> Rows:
    """Two customers (one in China, one in the US billing in USD) and their paperwork."""
    return {
        "customers": [
            {
                "customer_id": "C1",
                "name": "华东机电",
                "uscc": "91110000600037341L",
                "country": "CN",
                "email": "ar@huadong.com.cn",
                "since": D("2019-05-01"),
                "currency": "CNY",
                "payment_terms_days": 60,
                "expected_monthly_sales": 500_000.0,
                "approved_limit": 1_000_000.0,
                "insured_limit": 800_000.0,
                "insurance_cover_pct": 90.0,
                "defaulted": False,
            },
            {
                "customer_id": "C2",
                "name": "Acme Inc",
                "country": "US",
                "currency": "USD",
                "manager_email": "li.wei@example.com",
                "payment_terms_days": 30,
                "defaulted": True,
                "default_date": D("2025-11-30"),
            },
        ],
        "financials": [
            {
                "customer_id": "C1",
                "period_end": D("2025-12-31"),
                "revenue": 9e6,
                "net_profit": 4e5,
                "current_assets": 3e6,
                "total_assets": 5e6,
                "current_liabilities": 2e6,
                "total_liabilities": 3e6,
                "equity": 2e6,
            },
            {
                "customer_id": "C1",
                "period_end": D("2024-12-31"),
                "revenue": 8e6,
                "net_profit": 3e5,
                "current_assets": 2.5e6,
                "total_assets": 4.5e6,
                "current_liabilities": 2e6,
                "total_liabilities": 3e6,
            },
        ],
        "bureau": [
            {
                "customer_id": "C1",
                "agency": "企查查",
                "report_date": D("2026-01-15"),
                "score": 82.0,
                "overdue_records": 0,
                "lawsuits": 1,
            },
        ],
        "invoices": [
            {
                "invoice_no": "INV1",
                "customer_id": "C1",
                "invoice_date": D("2026-01-05"),
                "due_date": D("2026-03-06"),
                "currency": "CNY",
                "amount": 1000.0,
                "paid_amount": 600.0,
            },
            {
                "invoice_no": "INV2",
                "customer_id": "C2",
                "invoice_date": D("2026-02-01"),
                "currency": "USD",
                "amount": 250.0,
            },
            {
                "invoice_no": "CN1",
                "customer_id": "C1",
                "invoice_date": D("2026-02-10"),
                "amount": -200.0,
                "paid_amount": -50.0,
            },
        ],
        "payments": [
            {
                "payment_id": "P1",
                "customer_id": "C1",
                "invoice_no": "INV1",
                "payment_date": D("2026-02-01"),
                "amount": 400.0,
                "method": "transfer",
            },
            {
                "payment_id": "P2",
                "customer_id": "C1",
                "invoice_no": "INV1",
                "payment_date": D("2026-03-01"),
                "amount": 200.0,
                "method": "bill",
                "bill_maturity": D("2026-09-01"),
            },
            {
                "payment_id": "P3",
                "customer_id": "C2",
                "payment_date": D("2026-03-02"),
                "amount": 50.0,
            },
        ],
        "orders": [
            {
                "order_no": "SO1",
                "customer_id": "C1",
                "order_date": D("2026-03-20"),
                "amount": 30_000.0,
                "currency": "CNY",
                "status": "open",
            },
        ],
        "activities": [
            {
                "date": D("2026-03-10"),
                "customer_id": "C1",
                "type": "promise",
                "promise_date": D("2026-04-15"),
                "promise_amount": 400.0,
            },
        ],
        "fx": [{"currency": "USD", "rate_to_base": 7.1, "as_of": D("2026-03-31")}],
    }


def broken(sheet: str, row: int, **values: Any) -> Rows:
    """The clean register with some cells of one row (Excel row number) changed."""
    rows = copy.deepcopy(clean_rows())
    rows[sheet][row - 2].update(values)
    return rows


def only(rows: Rows, lang: Language = "zh", **settings: Any) -> Issue:
    issues, _ = check(rows, lang, **settings)
    assert len(issues) == 1, [i.format("zh") for i in issues]
    return issues[0]


# --------------------------------------------------------------------------- clean


def test_a_clean_register_has_no_issue_and_no_error_row() -> None:
    issues, reg = check(clean_rows())
    assert issues == []
    assert not any(t.frame["_error"].any() for t in reg.tables.values())


# --------------------------------------------------------------------------- keys and references


def test_a_repeated_invoice_number_is_an_error_naming_the_first_row() -> None:
    rows = clean_rows()
    rows["invoices"].append({**rows["invoices"][0], "amount": 10.0, "paid_amount": None})
    issues, reg = check(rows)
    assert places(issues) == ["r.xlsm:应收发票!A5"]
    assert issues[0].severity == "error"
    assert issues[0].zh == "发票号 INV1 重复，首次出现在第 2 行"
    assert issues[0].en == "duplicate invoice no INV1, first in row 2"
    # the first stays in use, the repeat is left out
    assert reg.tables["invoices"].frame["_error"].tolist() == [False, False, False, True]


def test_a_customer_entered_twice() -> None:
    rows = clean_rows()
    rows["customers"].append({**rows["customers"][0], "name": "华东机电（重复）"})
    issues, reg = check(rows)
    assert [(i.place, i.zh) for i in issues] == [
        ("r.xlsm:客户!A4", "客户编号 C1 重复，首次出现在第 2 行")
    ]
    assert reg.tables["customers"].frame["_error"].tolist() == [False, False, True]


def test_a_repeated_statement_is_reported_at_its_period_end() -> None:
    rows = broken("financials", 3, period_end=D("2025-12-31"), equity=None)
    issue = only(rows)
    assert issue.place == "r.xlsm:财务报表!B3"
    assert issue.zh == "客户编号+报表截止日 C1 / 2025-12-31 重复，首次出现在第 2 行"


def test_a_customer_missing_from_the_customers_sheet() -> None:
    issue = only(broken("orders", 2, customer_id="C9"))
    assert issue.place == "r.xlsm:在途订单!B2"
    assert issue.message("zh") == (
        "客户编号 C9 不在「客户」表中 (customer ID C9 is not on the Customers sheet)"
    )


def test_a_payment_applied_to_an_unknown_invoice() -> None:
    issue = only(broken("payments", 4, invoice_no="INV404"))
    assert issue.place == "r.xlsm:回款!C4"
    assert issue.en == "invoice no INV404 is not on the Invoices sheet"


def test_a_payment_from_another_customer_than_the_invoices() -> None:
    issue = only(broken("payments", 3, customer_id="C2"))
    assert issue.place == "r.xlsm:回款!B3"
    assert issue.zh == "客户编号 C2 与发票 INV1 的客户 C1 不一致"


# --------------------------------------------------------------------------- customers


@pytest.mark.parametrize(
    ("uscc", "country", "severity", "zh"),
    [
        (None, "CN", "warning", "中国客户未填写统一社会信用代码，无法进行征信核查"),
        # blank country is China
        (None, None, "warning", "中国客户未填写统一社会信用代码，无法进行征信核查"),
        (
            "91110000600037341",
            "CN",
            "error",
            "统一社会信用代码 91110000600037341 应为18位，现为17位",
        ),
        ("91110000600037341X", "CN", "error", "统一社会信用代码 91110000600037341X 校验位错误"),
        ("9111000060003734IL", "CN", "error", "统一社会信用代码 9111000060003734IL 含有无效字符"),
        ("91110000600037341X", "HK", "warning", "统一社会信用代码 91110000600037341X 校验位错误"),
    ],
)
def test_uscc(uscc: str | None, country: str | None, severity: str, zh: str) -> None:
    issue = only(broken("customers", 2, uscc=uscc, country=country))
    assert (issue.place, issue.severity, issue.zh) == ("r.xlsm:客户!C2", severity, zh)


def test_a_chinese_customer_without_a_uscc_is_still_rated_with_a_warning() -> None:
    issues, reg = check(broken("customers", 2, uscc=None))
    assert [(i.severity, i.en) for i in issues] == [
        ("warning", "no USCC for a customer in China: bureau checks unavailable")
    ]
    assert not reg.tables["customers"].frame["_error"].any()


def test_a_uscc_typed_full_width_lower_case_or_spaced_is_accepted() -> None:
    assert check(broken("customers", 2, uscc="９１１１ 0000-6000 37341l"))[0] == []


def test_a_foreign_customer_needs_no_uscc() -> None:
    assert check(broken("customers", 3, uscc=None, country="us"))[0] == []


def test_a_country_name_instead_of_its_code_suggests_the_code() -> None:
    issue = only(broken("customers", 3, country="China", uscc="91350100M000100Y43"))
    assert issue.place == "r.xlsm:客户!D3"
    assert issue.zh == "国家/地区 China 不是 ISO 3166 两位代码（应为 CN）"
    assert only(broken("customers", 3, country="EU")).place == "r.xlsm:客户!D3"


@pytest.mark.parametrize("address", ["ar@huadong", "ar huadong@x.cn", "ar@@x.cn", "ar.x.cn"])
def test_a_bad_email_is_a_warning_and_the_customer_stays_in_use(address: str) -> None:
    issues, reg = check(broken("customers", 3, manager_email=address))
    assert [(i.place, i.severity) for i in issues] == [("r.xlsm:客户!M3", "warning")]
    assert issues[0].en == f"manager email {address} is not a valid e-mail address"
    assert not reg.tables["customers"].frame["_error"].any()


def test_good_emails_pass() -> None:
    rows = broken("customers", 2, email="zhang.san+ar@华东.中国")
    rows["customers"][1]["manager_email"] = "O'Brien@mail.example.co.uk"
    assert check(rows)[0] == []


@pytest.mark.parametrize(
    ("key", "value", "cell", "zh"),
    [
        ("payment_terms_days", 400, "Q2", "账期(天) 400 应在 0 到 365 之间"),
        ("payment_terms_days", -1, "Q2", "账期(天) -1 应在 0 到 365 之间"),
        ("expected_monthly_sales", -5.0, "R2", "预计月销售额 -5 不能小于 0"),
        ("approved_limit", -0.5, "S2", "核定额度 -0.50 不能小于 0"),
        ("insured_limit", -1.0, "U2", "保险限额 -1 不能小于 0"),
        ("insurance_cover_pct", 120.0, "W2", "保险赔付比例 120 应在 0 到 100 之间"),
    ],
)
def test_customer_figures_outside_their_range(key: str, value: Any, cell: str, zh: str) -> None:
    issue = only(broken("customers", 2, **{key: value}))
    assert (issue.place, issue.severity, issue.zh) == (f"r.xlsm:客户!{cell}", "error", zh)


def test_a_defaulted_customer_needs_its_default_date() -> None:
    issue = only(broken("customers", 3, default_date=None))
    assert issue.place == f"r.xlsm:客户!{DEFAULT_DATE}3"
    assert issue.zh == "已违约客户必须填写违约日期"


# --------------------------------------------------------------------------- currencies


def test_rmb_is_not_a_currency_code_and_the_fix_is_suggested() -> None:
    issue = only(broken("invoices", 2, currency="RMB"))
    assert issue.place == "r.xlsm:应收发票!E2"
    assert issue.zh == "币种 RMB 不是 ISO 4217 货币代码（应为 CNY）"


def test_a_foreign_currency_without_a_rate() -> None:
    rows = broken("orders", 2, currency="EUR")
    issue = only(rows)
    assert issue.place == "r.xlsm:在途订单!E2"
    assert issue.en == "currency EUR is not the base currency CNY and has no rate on the FX sheet"
    rows["fx"].append({"currency": "eur", "rate_to_base": 7.8})
    assert check(rows)[0] == []


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("sheet", "row", "key", "place"),
    [
        ("customers", 2, "since", "客户!N2"),
        ("customers", 3, "default_date", f"客户!{DEFAULT_DATE}3"),
        ("financials", 2, "period_end", "财务报表!B2"),
        ("financials", 2, "received_on", "财务报表!W2"),
        ("bureau", 2, "report_date", "征信记录!C2"),
        ("invoices", 3, "invoice_date", "应收发票!C3"),
        ("payments", 2, "payment_date", "回款!D2"),
        ("orders", 2, "order_date", "在途订单!C2"),
        ("activities", 2, "date", "沟通记录!A2"),
    ],
)
def test_a_past_event_dated_in_the_future(sheet: str, row: int, key: str, place: str) -> None:
    issue = only(broken(sheet, row, **{key: D("2062-03-05")}))
    assert issue.place == f"r.xlsm:{place}"
    assert issue.zh.endswith(" 2062-03-05 晚于今天 2026-03-31")


def test_dates_that_lie_ahead_by_nature_may_be_in_the_future() -> None:
    rows = broken("activities", 2, promise_date=D("2027-01-01"))
    rows["customers"][0]["limit_valid_until"] = D("2027-06-30")
    rows["invoices"][1]["due_date"] = D("2026-05-01")
    assert check(rows)[0] == []


# --------------------------------------------------------------------------- invoices


def test_an_invoice_due_before_it_was_issued() -> None:
    issues, reg = check(broken("invoices", 2, due_date=D("2025-12-31")))
    assert places(issues) == ["r.xlsm:应收发票!D2"]
    assert issues[0].message("zh") == (
        "到期日 2025-12-31 早于开票日期 2026-01-05"
        " (due date 2025-12-31 before invoice date 2026-01-05)"
    )
    assert reg.tables["invoices"].frame["_error"].tolist() == [True, False, False]


def test_an_invoice_of_zero() -> None:
    issue = only(broken("invoices", 3, amount=0.0))
    assert (issue.place, issue.zh) == ("r.xlsm:应收发票!F3", "金额不能为 0")


@pytest.mark.parametrize(
    ("row", "paid", "zh"),
    [
        (3, -10.0, "已收金额 -10 与金额 250 正负号不一致"),
        (3, 250.01, "已收金额 250.01 超过金额 250"),
        (4, 30.0, "已收金额 30 与金额 -200 正负号不一致"),  # credit note
        (4, -210.0, "已收金额 -210 超过金额 -200"),
    ],
)
def test_a_paid_amount_beyond_the_invoice(row: int, paid: float, zh: str) -> None:
    issue = only(broken("invoices", row, paid_amount=paid))
    assert (issue.place, issue.severity, issue.zh) == (f"r.xlsm:应收发票!G{row}", "error", zh)


def test_a_paid_amount_disagreeing_with_the_payments_is_a_warning() -> None:
    issues, reg = check(broken("invoices", 2, paid_amount=500.0))
    assert [(i.place, i.severity) for i in issues] == [("r.xlsm:应收发票!G2", "warning")]
    assert issues[0].zh == "已收金额 500 与「回款」表合计 600 不符，以回款记录为准"
    assert not reg.tables["invoices"].frame["_error"].any()


def test_payments_beyond_the_invoice_are_flagged_from_the_one_that_pushes_it_over() -> None:
    rows = clean_rows()
    rows["payments"] += [
        {
            "payment_id": "P4",
            "customer_id": "C1",
            "invoice_no": "INV1",
            "payment_date": D("2026-03-20"),
            "amount": 400.0,
        },
        {
            "payment_id": "P5",
            "customer_id": "C1",
            "invoice_no": "INV1",
            "payment_date": D("2026-03-25"),
            "amount": 100.0,
        },
        # entered first on the sheet but paid first: the running total follows payment dates
        {
            "payment_id": "P0",
            "customer_id": "C1",
            "invoice_no": "INV1",
            "payment_date": D("2026-01-20"),
            "amount": 50.0,
        },
    ]
    rows["invoices"][0]["paid_amount"] = None
    issues, reg = check(rows)
    # by payment date: 50 (P0) + 400 + 200 = 650 fits 1,000; + 400 (P4) = 1,050; + 100 = 1,150
    assert places(issues) == ["r.xlsm:回款!E5", "r.xlsm:回款!E6"]
    assert issues[0].zh == "发票 INV1 累计回款 1,050 超过发票金额 1,000"
    assert issues[1].en == "payments to invoice INV1 reach 1,150, above its amount 1,000"
    assert reg.tables["payments"].frame["_error"].tolist() == [False] * 3 + [True, True, False]


# --------------------------------------------------------------------------- payments, orders, FX


@pytest.mark.parametrize(
    ("sheet", "key", "value", "place", "zh"),
    [
        ("payments", "amount", 0.0, "回款!E4", "金额 0 应大于 0"),
        ("orders", "amount", -1.0, "在途订单!D2", "金额 -1 应大于 0"),
        ("fx", "rate_to_base", 0.0, "汇率!B2", "折算汇率 0 应大于 0"),
    ],
)
def test_amounts_and_rates_must_be_positive(
    sheet: str, key: str, value: float, place: str, zh: str
) -> None:
    row = 4 if sheet == "payments" else 2
    issue = only(broken(sheet, row, **{key: value}))
    assert (issue.place, issue.zh) == (f"r.xlsm:{place}", zh)


# --------------------------------------------------------------------------- financials, bureau


def test_a_balance_sheet_that_does_not_balance_is_a_warning_at_equity() -> None:
    issue = only(broken("financials", 2, equity=1.9e6))  # 3.0m + 1.9m vs 5.0m: 2 % off
    assert (issue.place, issue.severity) == ("r.xlsm:财务报表!T2", "warning")
    assert issue.en == (
        "total assets 5,000,000 differ from total liabilities 3,000,000 + equity 1,900,000"
        " by more than 1%"
    )
    assert check(broken("financials", 2, equity=1.96e6))[0] == []  # 0.8 % off: rounding


def test_current_assets_above_total_assets() -> None:
    issue = only(broken("financials", 2, current_assets=5.5e6))
    assert (issue.place, issue.severity) == ("r.xlsm:财务报表!O2", "error")


def test_only_the_latest_statement_is_checked_for_staleness() -> None:
    rows = broken("financials", 2, period_end=D("2024-06-30"))
    rows["financials"][1]["period_end"] = D("2023-12-31")
    issue = only(rows)
    assert (issue.place, issue.severity) == ("r.xlsm:财务报表!B2", "warning")
    assert issue.zh == "客户 C1 最新报表截止于 2024-06-30，已超过 18 个月"
    assert check(rows, stale_months=24)[0] == []


def test_a_bureau_score_above_its_scale() -> None:
    issue = only(broken("bureau", 2, score=120.0))
    assert (issue.place, issue.zh) == ("r.xlsm:征信记录!D2", "评分 120 超过满分 100")
    assert check(broken("bureau", 2, score=120.0, score_max=1000.0))[0] == []
    assert only(broken("bureau", 2, lawsuits=-1)).place == "r.xlsm:征信记录!H2"


# --------------------------------------------------------------------------- whole register


@pytest.mark.parametrize("text", [object, "str"])
def test_one_issue_per_cell_sorted_by_sheet_row_and_column(text: Any) -> None:
    rows = broken("invoices", 3, customer_id="C9", amount=0.0, invoice_date=D("2062-01-01"))
    rows["customers"][0]["uscc"] = "91110000600037341X"  # a wrong check digit: an error
    # unknown customer AND a duplicate on one cell: one issue, the earlier rule's
    rows["payments"][2]["payment_id"] = "P1"
    rows["payments"][2]["customer_id"] = "C9"
    rows["customers"][1]["manager_email"] = "li.wei@example"
    rows["orders"][0]["currency"] = "ＵＳＤ"  # full-width, and on the FX sheet: fine
    issues, reg = check(rows, text=text)
    assert places(issues) == [
        "r.xlsm:客户!C2",
        "r.xlsm:客户!M3",
        "r.xlsm:应收发票!B3",
        "r.xlsm:应收发票!C3",
        "r.xlsm:应收发票!F3",
        "r.xlsm:回款!A4",
        "r.xlsm:回款!B4",
    ]
    assert [i.severity for i in issues] == ["error", "warning"] + ["error"] * 5
    assert reg.tables["customers"].frame["_error"].tolist() == [True, False]


def test_an_english_workbook_gets_english_messages_alone() -> None:
    issues, _ = check(broken("invoices", 2, due_date=D("2025-12-31")), lang="en")
    assert [i.format("en") for i in issues] == [
        "r.xlsm:Invoices!D2: due date 2025-12-31 before invoice date 2026-01-05"
    ]


def test_missing_sheets_and_columns_are_left_to_the_reader() -> None:
    rows = clean_rows()
    del rows["fx"]
    reg = register(rows)
    reg.tables["invoices"].frame = reg.tables["invoices"].frame.drop(columns=["paid_amount"])
    # the reader's empty, typed table for a missing tab
    customers = table(schema.CUSTOMERS, [])
    customers.present = False
    reg.tables["customers"] = customers
    issues = validate(reg, base_currency="CNY", today=TODAY)
    # no "unknown customer" on every row; but without an FX sheet the USD invoice cannot be
    # converted: that stays an error, once
    assert places(issues) == ["r.xlsm:应收发票!E3"]


def test_a_register_without_a_uscc_or_default_date_column_keeps_its_customers() -> None:
    reg = register(broken("customers", 2, uscc=None))
    positions = reg.tables["customers"].positions
    del positions["uscc"], positions["default_date"]
    reg.tables["customers"].frame.loc[1, "default_date"] = pd.NaT
    assert validate(reg, base_currency="CNY", today=TODAY) == []


# --------------------------------------------------------------------------- pasted exports


def _loaded(sheets: dict[str, list[list[Any]]]) -> list[Issue]:
    """Raw sheets, as pasted from another system, read and validated like a workbook."""
    raw = {name: RawSheet(name, rows) for name, rows in sheets.items()}
    return load_register(raw, "r.xlsx", today=TODAY).issues


def test_payments_with_no_invoices_yet_are_unapplied_cash_not_a_crash() -> None:
    issues = _loaded(
        {
            "Customers": [["Customer ID", "Customer name", "Country"], ["C1", "Acme", "IN"]],
            "Invoices": [["Invoice no", "Customer ID", "Invoice date", "Amount"]],
            "Payments": [
                ["Payment ID", "Customer ID", "Invoice no", "Payment date", "Amount"],
                ["P1", "C1", None, "2026-01-02", 700.0],
            ],
        }
    )
    assert not [i for i in issues if i.sheet == "Payments"]


def test_rows_of_another_sheet_while_customers_is_empty_are_reported_not_a_crash() -> None:
    issues = _loaded(
        {
            "Customers": [["Customer name", "Country"]],
            "Invoices": [["Invoice no", "Amount"], ["I1", 5.0]],
        }
    )
    # every missing required column at once, sheet by sheet
    assert [i.format("en") for i in issues if i.cell == "1"] == [
        "r.xlsx:Customers!1: required column 'Customer ID' (客户编号) is missing",
        "r.xlsx:Invoices!1: required column 'Customer ID' (客户编号) is missing",
        "r.xlsx:Invoices!1: required column 'Invoice date' (开票日期) is missing",
        "r.xlsx:Invoices!1: no Currency column: amounts are read in each customer's currency, "
        "and in the base currency CNY for a customer without one",
    ]


def test_amounts_without_a_currency_column_are_read_as_the_base_currency_with_a_warning() -> None:
    issues = _loaded(
        {
            "Customers": [["Customer ID", "Customer name", "Country"], ["C1", "Tata", "IN"]],
            "Invoices": [
                ["Invoice no", "Customer ID", "Invoice date", "Amount"],
                ["I1", "C1", "2026-01-05", 125000.0],
            ],
        }
    )
    warned = [i for i in issues if i.sheet == "Invoices"]
    assert [(i.cell, i.severity) for i in warned] == [("1", "warning")]
    assert "CNY" in warned[0].zh and "CNY" in warned[0].en
