"""The demo register: reproducible, valid by the spec's rules, and telling the cast's story."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pandas as pd
import pytest
from stdnum.cn import uscc

from credit_register.core import schema
from credit_register.tools.demo import DEMO_AS_OF, DemoSize, cast, demo_tables

AS_OF = DEMO_AS_OF
EMAIL = re.compile(r"^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    return demo_tables()


def _by_id(frame: pd.DataFrame, key: str = "customer_id") -> pd.DataFrame:
    return frame.set_index(key, drop=False)


def _org_code_valid(code: str) -> bool:
    """GB 11714: weights 3 7 9 10 5 8 4 2, check = 11 − sum mod 11 (10 → X, 11 → 0)."""
    values = [int(c, 36) for c in code[:8]]
    check = 11 - sum(v * w for v, w in zip(values, (3, 7, 9, 10, 5, 8, 4, 2), strict=True)) % 11
    return code[8] == {10: "X", 11: "0"}.get(check, str(check))


# --------------------------------------------------------------------------- shape and determinism


def test_two_calls_give_equal_tables(tables: dict[str, pd.DataFrame]) -> None:
    again = demo_tables()
    assert again.keys() == tables.keys()
    for key in tables:
        pd.testing.assert_frame_equal(again[key], tables[key])


def test_another_seed_gives_another_register(tables: dict[str, pd.DataFrame]) -> None:
    other = demo_tables(DemoSize(seed=7))
    assert not other["invoices"]["amount"].equals(tables["invoices"]["amount"])
    # the cast's hand-made rows do not depend on the seed
    assert cast.DISPUTED_INVOICE in set(other["invoices"]["invoice_no"])


def test_tables_have_every_schema_column_in_order(tables: dict[str, pd.DataFrame]) -> None:
    assert set(tables) == {
        "customers",
        "financials",
        "bureau",
        "invoices",
        "payments",
        "orders",
        "activities",
        "fx",
        "history",  # last month's rating run: the first review pack's migration matrix
    }
    for key, frame in tables.items():
        assert list(frame.columns) == [c.key for c in schema.SHEETS[key].columns], key


def test_counts(tables: dict[str, pd.DataFrame]) -> None:
    assert len(tables["customers"]) == 60
    assert len(tables["invoices"]) == 3200
    assert len(tables["orders"]) == 40
    # three years for most, one for a few thin files (C00008 among them), none for C00009
    years = tables["financials"].groupby("customer_id").size()
    assert set(years) == {1, 3} and len(years) == 59
    assert (years == 3).sum() >= 54 and len(tables["financials"]) >= 165
    bureau_counts = tables["bureau"].groupby("customer_id").size()
    assert bureau_counts.between(1, 2).all() and len(bureau_counts) == 60
    assert sorted(tables["fx"]["currency"]) == ["EUR", "JPY", "SGD", "USD"]


def test_values_have_the_agreed_python_types(tables: dict[str, pd.DataFrame]) -> None:
    for key, frame in tables.items():
        for column in schema.SHEETS[key].columns:
            values = [v for v in frame[column.key].tolist() if v is not None]
            expected: type | tuple[type, ...] = {
                "text": str,
                "code": str,
                "date": dt.date,
                "datetime": dt.datetime,
                "number": float,
                "int": int,
                "bool": bool,
            }[column.type]
            assert all(isinstance(v, expected) for v in values), (key, column.key)
            if column.type == "code":
                keys = {c.key for c in column.codes}
                assert set(values) <= keys, (key, column.key, set(values) - keys)
            if column.type == "number" and column.fmt != "rate":
                assert all(round(v, 2) == v for v in values), (key, column.key)


def test_large_size_parameters() -> None:
    large = DemoSize.large()
    assert (
        large.customers,
        large.statements,
        large.invoices,
        large.payments,
        large.orders,
        large.bureau_reports,
    ) == (10_000, 30_000, 500_000, 400_000, 20_000, 10_000)


def test_counts_asked_for_are_met_exactly() -> None:
    size = DemoSize(
        customers=250,
        invoices=12_000,
        statements=760,
        payments=9_000,
        orders=300,
        bureau_reports=400,
        defaulted_share=0.02,
        seed=11,
    )
    tables = demo_tables(size)
    assert len(tables["customers"]) == 250
    assert len(tables["invoices"]) == 12_000
    assert len(tables["financials"]) == 760
    assert len(tables["payments"]) == 9_000
    assert len(tables["orders"]) == 300
    assert len(tables["bureau"]) == 400
    assert tables["customers"]["group"].notna().sum() >= 2 + 3 + 2
    _check_spec_rules(tables)


# --------------------------------------------------------------------------- the spec's rules


def _check_spec_rules(tables: dict[str, pd.DataFrame]) -> None:
    customers, invoices, payments = tables["customers"], tables["invoices"], tables["payments"]
    assert customers["customer_id"].is_unique
    for key, sheet in schema.SHEETS.items():
        if key in tables and sheet.primary_key:
            assert not tables[key].duplicated(list(sheet.primary_key)).any(), key
        if key in tables:
            for column in sheet.required:
                assert tables[key][column.key].notna().all(), (key, column.key)
    known = set(customers["customer_id"])
    for key in ("financials", "bureau", "invoices", "payments", "orders", "activities"):
        assert set(tables[key]["customer_id"]) <= known, key
    assert customers["payment_terms_days"].between(0, 365).all()
    cover = customers["insurance_cover_pct"].dropna().astype(float)
    assert cover.between(0, 100).all()
    for address in ("email", "manager_email"):
        assert all(EMAIL.match(e) for e in customers[address].dropna()), address
    assert set(customers["currency"]) - {"CNY"} <= set(tables["fx"]["currency"])

    # invoices: due after issue, 0 ≤ paid ≤ amount, credit notes negative with no paid amount
    dated = invoices[invoices["due_date"].notna()]
    assert (dated["due_date"] >= dated["invoice_date"]).all()
    assert (invoices["amount"] != 0).all()
    positive = invoices[invoices["amount"] > 0]
    paid = positive["paid_amount"].astype(float)
    assert ((paid >= 0) & (paid <= positive["amount"])).all()
    assert invoices.loc[invoices["amount"] < 0, "paid_amount"].isna().all()

    # payments: positive, applied to an invoice of the same customer, after it was issued,
    # and summing to the invoice's paid amount
    assert (payments["amount"] > 0).all()
    applied = payments[payments["invoice_no"].notna()].merge(
        invoices, on="invoice_no", suffixes=("", "_invoice")
    )
    assert len(applied) == payments["invoice_no"].notna().sum()
    assert (applied["customer_id"] == applied["customer_id_invoice"]).all()
    assert (applied["payment_date"] >= applied["invoice_date"]).all()
    per_invoice = applied.groupby("invoice_no")["amount"].sum().round(2)
    on_invoice = invoices.set_index("invoice_no").loc[per_invoice.index, "paid_amount"]
    assert np.allclose(per_invoice.to_numpy(), on_invoice.astype(float).to_numpy(), atol=0.005)
    bills = payments["method"] == "bill"
    assert payments.loc[bills, "bill_maturity"].notna().all()
    assert payments.loc[~bills, "bill_maturity"].isna().all()

    # financial statements: the balance sheet balances to the cent
    fin = tables["financials"]
    assert (fin["total_liabilities"] + fin["equity"]).round(2).eq(fin["total_assets"]).all()
    assert (fin["current_assets"] <= fin["total_assets"]).all()
    assert (fin["cash"] + fin["receivables"] + fin["inventory"] <= fin["current_assets"]).all()
    assert (fin["current_liabilities"] <= fin["total_liabilities"]).all()
    assert (
        (fin["intangible_assets"] >= 0)
        & (fin["intangible_assets"] <= fin["total_assets"] - fin["current_assets"])
    ).all()
    with_ebit = fin[fin["ebit"].notna()]
    assert np.allclose(
        with_ebit["ebit"].astype(float),
        with_ebit["profit_before_tax"] + with_ebit["interest_expense"],
        atol=0.011,
    )
    assert (fin["net_profit"] <= fin["profit_before_tax"].clip(lower=0) + 0.005).all()

    bureau = tables["bureau"]
    assert (bureau["score"] <= bureau["score_max"]).all() and (bureau["score"] >= 0).all()


def test_every_row_passes_the_spec_rules(tables: dict[str, pd.DataFrame]) -> None:
    _check_spec_rules(tables)


def test_every_chinese_customer_has_a_valid_uscc(tables: dict[str, pd.DataFrame]) -> None:
    customers = tables["customers"]
    chinese = customers[customers["country"] == "CN"]
    assert len(chinese) >= 50
    for code in chinese["uscc"]:
        assert uscc.is_valid(code), code
        assert code[:2] == "91"  # market regulator, enterprise
        assert _org_code_valid(code[8:17]), code
    assert customers["uscc"].dropna().is_unique
    foreign = customers[customers["country"] != "CN"]
    assert foreign["uscc"].isna().all()
    assert set(foreign["currency"]) == {"EUR", "USD", "SGD", "JPY"}
    assert {"DE", "US", "SG", "JP"} <= set(foreign["country"])


def test_organisation_code_check_matches_a_published_uscc() -> None:
    # 91110000600037341L is python-stdnum's own example; its organisation code is 60003734-1
    assert _org_code_valid("600037341")
    assert not _org_code_valid("600037342")


def test_nothing_happens_after_the_as_of_date(tables: dict[str, pd.DataFrame]) -> None:
    event_columns = {
        "customers": ("since", "default_date"),
        "financials": ("period_end", "received_on"),
        "bureau": ("report_date",),
        "invoices": ("invoice_date",),
        "payments": ("payment_date",),
        "orders": ("order_date",),
        "activities": ("date",),
        "fx": ("as_of",),
    }
    for key, columns in event_columns.items():
        for column in columns:
            dates = tables[key][column].dropna()
            assert (dates <= AS_OF).all(), (key, column, dates.max())
    # …but bills mature and limits expire in the future, as they do
    assert (tables["payments"]["bill_maturity"].dropna() > AS_OF).any()
    assert (tables["customers"]["limit_valid_until"].dropna() > AS_OF).any()
    assert (tables["customers"]["limit_valid_until"].dropna() < AS_OF).any()


def test_invoices_cover_eighteen_months_with_the_awkward_cases(
    tables: dict[str, pd.DataFrame],
) -> None:
    invoices = tables["invoices"]
    assert invoices["invoice_date"].min() >= dt.date(2025, 5, 1)
    assert invoices["invoice_date"].max() <= AS_OF
    assert (invoices["amount"] < 0).sum() >= 10  # credit notes
    assert invoices["due_date"].isna().sum() >= 5  # the default due date gets exercised
    assert invoices["contract_no"].notna().mean() > 0.9
    assert invoices["disputed"].sum() == 1
    assert {30, 45, 60, 90} == set(tables["customers"]["payment_terms_days"])
    payments = tables["payments"]
    assert payments["invoice_no"].isna().sum() >= 3  # unapplied cash
    assert {"transfer", "bill", "cash"} <= set(payments["method"])
    partial = invoices[
        (invoices["amount"] > 0)
        & (invoices["paid_amount"].astype(float) > 0)
        & (invoices["paid_amount"].astype(float) < invoices["amount"])
    ]
    assert len(partial) >= 3  # short-paid, the rest still open
    assert (payments.groupby("invoice_no").size() == 2).sum() >= 20  # paid in two parts


def test_expected_monthly_sales_matches_invoicing(tables: dict[str, pd.DataFrame]) -> None:
    customers = _by_id(tables["customers"])
    invoiced = tables["invoices"].query("amount > 0").groupby("customer_id")["amount"].sum()
    # C00001 trades over all 18 months: expected sales within 15 % of invoiced / 18
    monthly = invoiced["C00001"] / 18
    assert abs(customers.loc["C00001", "expected_monthly_sales"] / monthly - 1) < 0.15


def test_open_orders_are_recent(tables: dict[str, pd.DataFrame]) -> None:
    orders = tables["orders"]
    assert (orders["order_date"] >= AS_OF - dt.timedelta(days=61)).all()
    assert set(orders["status"]) == {"open", "shipped"}
    assert cast.DEFAULTED_CUSTOMER not in set(orders["customer_id"])


# --------------------------------------------------------------------------- the cast


def _days_late(tables: dict[str, pd.DataFrame], customer: str) -> pd.Series:
    """Days between due date and payment, per applied payment of ``customer``."""
    payments = tables["payments"].merge(tables["invoices"], on="invoice_no", suffixes=("", "_i"))
    mine = payments[(payments["customer_id"] == customer) & payments["due_date"].notna()]
    return (pd.to_datetime(mine["payment_date"]) - pd.to_datetime(mine["due_date"])).dt.days


def _open_overdue(tables: dict[str, pd.DataFrame], customer: str) -> pd.DataFrame:
    invoices = tables["invoices"]
    mine = invoices[(invoices["customer_id"] == customer) & (invoices["amount"] > 0)]
    return mine[
        (mine["paid_amount"].astype(float) < mine["amount"])
        & (mine["due_date"].notna())
        & (mine["due_date"] < AS_OF)
    ]


def test_good_payers_pay_around_the_due_date(tables: dict[str, pd.DataFrame]) -> None:
    for customer in cast.GOOD_PAYERS:
        late = _days_late(tables, customer)
        assert len(late) >= 5, customer
        assert abs(late.median()) <= 3, (customer, late.median())
        assert late.quantile(0.9) <= 12, customer


def test_slow_payers_are_late_and_owe_overdue_money(tables: dict[str, pd.DataFrame]) -> None:
    for customer in cast.SLOW_PAYERS:
        late = _days_late(tables, customer)
        assert late.median() >= 30, (customer, late.median())
        assert len(_open_overdue(tables, customer)) >= 1, customer


def test_the_defaulted_customer(tables: dict[str, pd.DataFrame]) -> None:
    who = cast.DEFAULTED_CUSTOMER
    customer = _by_id(tables["customers"]).loc[who]
    assert customer["defaulted"] is True or customer["defaulted"]
    assert customer["status"] == "legal"
    assert customer["default_date"] == dt.date(2026, 5, 14)
    # stopped paying at the end of February 2026
    payments = tables["payments"]
    assert payments.loc[payments["customer_id"] == who, "payment_date"].max() < dt.date(2026, 2, 28)
    overdue = _open_overdue(tables, who)
    days_overdue = (pd.Timestamp(AS_OF) - pd.to_datetime(overdue["due_date"])).dt.days
    assert (days_overdue > 180).any()
    bureau = tables["bureau"]
    latest = bureau[bureau["customer_id"] == who].sort_values("report_date").iloc[-1]
    assert latest["enforcement"] and latest["lawsuits"] >= 2
    activities = tables["activities"]
    assert "legal" in set(activities.loc[activities["customer_id"] == who, "type"])
    # the others are not in default
    assert tables["customers"]["defaulted"].sum() == 1


def test_the_disputed_invoice(tables: dict[str, pd.DataFrame]) -> None:
    invoice = _by_id(tables["invoices"], "invoice_no").loc[cast.DISPUTED_INVOICE]
    assert invoice["customer_id"] == cast.DISPUTED_CUSTOMER in cast.GOOD_PAYERS
    assert invoice["disputed"]
    assert invoice["invoice_date"] == dt.date(2026, 8, 12)
    assert invoice["due_date"] == dt.date(2026, 9, 26)  # 45 days' terms
    assert invoice["amount"] == 86_420.00 and invoice["paid_amount"] == 0.0


def test_a_promise_kept(tables: dict[str, pd.DataFrame]) -> None:
    activities = tables["activities"]
    promise = activities[
        (activities["customer_id"] == cast.KEPT_PROMISE_CUSTOMER)
        & (activities["type"] == "promise")
        & (activities["promise_amount"] == 168_350.00)
    ].iloc[0]
    assert promise["promise_date"] == dt.date(2026, 9, 15)
    payments = tables["payments"]
    paid = payments[payments["invoice_no"] == cast.KEPT_PROMISE_INVOICE]
    assert paid["amount"].sum() == 168_350.00
    assert (paid["payment_date"] <= promise["promise_date"]).all()


def test_a_promise_broken(tables: dict[str, pd.DataFrame]) -> None:
    activities = tables["activities"]
    promises = activities[
        (activities["customer_id"] == cast.BROKEN_PROMISE_CUSTOMER)
        & (activities["type"] == "promise")
        & (activities["promise_date"] == dt.date(2026, 10, 21))
    ]
    assert len(promises) == 1
    assert promises.iloc[0]["promise_amount"] == cast.BROKEN_PROMISE_AMOUNT
    invoice = _by_id(tables["invoices"], "invoice_no").loc[cast.BROKEN_PROMISE_INVOICE]
    assert invoice["customer_id"] == cast.BROKEN_PROMISE_CUSTOMER
    assert invoice["paid_amount"] == 0.0
    payments = tables["payments"]
    assert (payments["invoice_no"] == cast.BROKEN_PROMISE_INVOICE).sum() == 0


def test_the_rest_of_the_cast(tables: dict[str, pd.DataFrame]) -> None:
    customers = _by_id(tables["customers"])
    assert customers.loc[cast.HOLD_CUSTOMER, "status"] == "hold"
    assert customers["limit_valid_until"][cast.HOLD_CUSTOMER] < AS_OF
    assert (customers["status"] == "active").mean() > 0.9
    for group, members in cast.GROUPS.items():
        assert set(customers.index[customers["group"] == group]) == set(members)
    assert customers["group"].nunique() == 2
    statements = tables["financials"].groupby("customer_id").size()
    assert statements.get("C00008") == 1
    assert "C00009" not in statements.index
    assert customers.loc[cast.NEW_CUSTOMER, "approved_limit"] is None
    assert customers["since"][cast.NEW_CUSTOMER] > dt.date(2026, 1, 1)
    assert set(tables["financials"]["period_end"]) == {
        dt.date(2023, 12, 31),
        dt.date(2024, 12, 31),
        dt.date(2025, 12, 31),
    }
    for who in cast.FOREIGN_CUSTOMERS:
        assert customers.loc[who, "uscc"] is None and customers.loc[who, "currency"] != "CNY"
    assert customers.loc["C00015", "insurer"] == "中国出口信用保险公司"
    # key accounts get site visits
    visits = tables["activities"].query("type == 'site_visit'")["customer_id"]
    assert set(customers.index[customers["key_account"]]) <= set(visits)
    assert set(cast.KEY_ACCOUNTS_IN_CAST) <= set(customers.index[customers["key_account"]])
    assert customers["approved_limit"].notna().mean() > 0.85
    assert customers["insured_limit"].notna().sum() >= 5


def test_financials_range_from_strong_to_distressed(tables: dict[str, pd.DataFrame]) -> None:
    fin = _by_id(tables["financials"])
    latest = fin[fin["period_end"] == dt.date(2025, 12, 31)]
    leverage = latest["total_liabilities"] / latest["total_assets"]
    assert leverage["C00001"] < 0.5  # the strong listed key account
    assert leverage[cast.DEFAULTED_CUSTOMER] > 0.9  # the defaulter
    assert latest["net_profit"][cast.DEFAULTED_CUSTOMER] < 0
    assert latest["retained_earnings"][cast.DEFAULTED_CUSTOMER] < 0
    defaulter = fin.loc[[cast.DEFAULTED_CUSTOMER]].sort_values("period_end")
    assert defaulter["revenue"].is_monotonic_decreasing  # a business in decline
