"""Money carries its currency: the same customer billed in US dollars instead of yuan, at the FX
sheet's rate, is the same risk — every base-currency figure about it is unchanged, and its
documents speak dollars."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from credit_register.adapters.xlsx import FileWorkbook
from credit_register.app.pipeline import Loaded, compute, load_register
from credit_register.documents.contract import contract_context
from credit_register.documents.letters import letters_due
from credit_register.documents.report import report_context
from credit_register.engines.results import Results
from credit_register.tools.demo import DEMO_AS_OF
from support.frames import one_row

#: a CNY customer of the demo with a bit of everything: statements, a bureau limit, an approved
#: and an insured limit, bank bills, open orders, overdue invoices
CUSTOMER = "C00029"
CURRENCY = "USD"
#: the money columns of each sheet that are in the row's (the customer's) currency
MONEY: dict[str, tuple[str, ...]] = {
    "customers": ("expected_monthly_sales", "approved_limit", "insured_limit"),
    "invoices": ("amount", "paid_amount"),
    "payments": ("amount",),
    "orders": ("amount",),
    "bureau": ("recommended_limit",),
    "financials": (
        "revenue",
        "cost_of_sales",
        "profit_before_tax",
        "interest_expense",
        "ebit",
        "net_profit",
        "cash",
        "receivables",
        "inventory",
        "current_assets",
        "intangible_assets",
        "total_assets",
        "current_liabilities",
        "total_liabilities",
        "equity",
        "retained_earnings",
        "operating_cash_flow",
    ),
}
WHEN = dt.datetime(2026, 11, 1)


def _load(path: Path) -> Loaded:
    book = FileWorkbook(path)
    return load_register(book.read(), book.label, today=DEMO_AS_OF)


def _redenominate(loaded: Loaded, rate: float) -> None:
    """Every amount of the customer's rows divided by ``rate`` and its currency set to USD."""
    for key, columns in MONEY.items():
        table = loaded.register.tables[key]
        frame = table.frame.copy()
        mine = frame["customer_id"] == CUSTOMER
        for column in columns:
            frame.loc[mine, column] = frame.loc[mine, column].astype("float64") / rate
        if "currency" in frame:
            frame.loc[mine, "currency"] = CURRENCY
        table.frame = frame


@pytest.fixture(scope="module")
def both(demo_master: dict[str, Path]) -> tuple[Results, Results]:
    before = compute(_load(demo_master["zh"]), WHEN)
    loaded = _load(demo_master["zh"])
    fx = loaded.register.frame("fx")
    rate = float(fx.loc[fx["currency"] == CURRENCY, "rate_to_base"].iloc[0])
    _redenominate(loaded, rate)
    return before, compute(loaded, WHEN)


def _row(results: Results) -> pd.Series[Any]:
    return one_row(results.ratings.set_index("customer_id"), CUSTOMER)


def test_the_rating_and_limit_in_base_currency_do_not_move(both: tuple[Results, Results]) -> None:
    before, after = (_row(r) for r in both)
    assert after["grade"] == before["grade"]
    assert after["total_score"] == pytest.approx(before["total_score"], abs=0.05)
    for column in ("exposure", "approved_limit", "expected_loss", "excess_over_limit"):
        assert after[column] == pytest.approx(before[column], abs=0.05), column
    assert after["utilization"] == pytest.approx(before["utilization"], abs=1e-6)
    # the proposal is rounded down to a 10,000 step: a cent's difference cannot move it
    assert after["proposed_limit"] == before["proposed_limit"]


def test_ageing_interest_and_alerts_do_not_move(both: tuple[Results, Results]) -> None:
    before, after = both
    aged = [one_row(r.ageing.set_index("customer_id"), CUSTOMER) for r in both]
    for column in ("total", "overdue", "late_interest", "max_days_overdue", "dso"):
        assert aged[1][column] == pytest.approx(aged[0][column], abs=0.05), column

    def alerts(results: Results) -> set[tuple[str, str]]:
        mine = results.alerts.loc[results.alerts["customer_id"] == CUSTOMER]
        return set(zip(mine["alert_id"], mine["severity"], strict=True))

    assert alerts(after) == alerts(before)
    assert alerts(before)  # the customer has findings: the comparison means something
    interest = [
        r.open_items.loc[r.open_items["customer_id"] == CUSTOMER, "late_interest"] for r in both
    ]
    rates = [
        r.open_items.loc[r.open_items["customer_id"] == CUSTOMER, "interest_rate"] for r in both
    ]
    fx = both[1].register.frame("fx")
    usd = float(fx.loc[fx["currency"] == CURRENCY, "rate_to_base"].to_numpy(dtype=float)[0])
    assert np.allclose(interest[1].to_numpy() * usd, interest[0].to_numpy(), atol=0.05)
    assert np.allclose(rates[1].to_numpy(), rates[0].to_numpy())


def test_its_documents_speak_dollars(both: tuple[Results, Results]) -> None:
    _, after = both
    contract = contract_context(after, CUSTOMER)
    assert contract["currency"] == CURRENCY
    assert contract["credit_limit_upper"].startswith("美元")
    letter = next(x for x in letters_due(after, DEMO_AS_OF) if x.customer_id == CUSTOMER)
    rows = [*letter.context["overdue"], *letter.context["falling_due"]]
    assert {row["currency"] for row in rows} == {CURRENCY}
    assert [t["currency"] for t in letter.context["totals"]] == [CURRENCY]
    assert f"张发票，{CURRENCY} " in letter.summary
    report = report_context(after, CUSTOMER, with_charts=False)
    assert f"（{CURRENCY} " in report["limit"]["approved"]
    assert (
        report["limit"]["utilization"]
        == report_context(both[0], CUSTOMER, with_charts=False)["limit"]["utilization"]
    )
