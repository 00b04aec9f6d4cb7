"""Expected loss per customer and the provision matrix, worked out by hand (policy §6a)."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from credit_register.adapters.xlsx import FileWorkbook
from credit_register.app.pipeline import compute, load_register
from credit_register.core.register import Register
from credit_register.engines import expected_loss, provisions
from credit_register.engines.receivables import ageing, open_items
from credit_register.engines.results import Results
from credit_register.policy import DEFAULT_POLICY
from credit_register.tools.demo import DEMO_AS_OF
from support.frames import one_row
from support.receivables_story import AS_OF, D, make_register


def test_expected_loss_is_pd_times_lgd_times_exposure_net_of_insurance() -> None:
    grade = pd.Series({"A": "A", "BB": "BB", "C": "C"})
    # BB: 800,000 owed, insured 500,000 at 90 %: net 800,000 − 450,000 = 350,000
    net = pd.Series({"A": 1_000_000.0, "BB": 350_000.0, "C": 200_000.0})
    got = expected_loss.expected_loss(grade, net, DEFAULT_POLICY)
    assert got.to_dict() == {
        "A": 2_250.0,  # 0.5 % × 45 % × 1,000,000
        "BB": 4_725.0,  # 3 % × 45 % × 350,000
        "C": 22_500.0,  # 25 % × 45 % × 200,000
    }


@pytest.fixture(scope="module")
def demo(demo_master: dict[str, Path]) -> Results:
    book = FileWorkbook(demo_master["zh"])
    loaded = load_register(book.read(), book.label, today=DEMO_AS_OF)
    return compute(loaded, dt.datetime(2026, 11, 1))


@pytest.mark.parametrize(
    ("customer", "pd_rate"),
    [("C00001", 0.001), ("C00015", 0.002), ("C00059", 0.08)],
)
def test_three_demo_customers_expected_loss_by_hand(
    demo: Results, customer: str, pd_rate: float
) -> None:
    # C00001: AAA, uninsured; C00015: AA, JPY, insured; C00059: B, insured
    row = one_row(demo.ratings.set_index("customer_id"), customer)
    facts = one_row(demo.register.frame("customers").set_index("customer_id"), customer)
    rate = {"CNY": 1.0, "JPY": 0.0468}[str(facts["currency"])]
    exposure = float(row["exposure"])
    insured = 0.0 if pd.isna(facts["insured_limit"]) else float(facts["insured_limit"]) * rate
    cover = 0.0 if pd.isna(facts["insurance_cover_pct"]) else float(facts["insurance_cover_pct"])
    net = exposure - cover / 100 * min(exposure, insured)
    assert row["grade"] == {"C00001": "AAA", "C00015": "AA", "C00059": "B"}[customer]
    assert row["expected_loss"] == pytest.approx(round(pd_rate * 0.45 * net, 2), abs=0.011)


def test_portfolio_concentration_adds_up(demo: Results) -> None:
    book = expected_loss.portfolio(demo.ratings, demo.register.frame("customers"))
    exposure = demo.ratings["exposure"].clip(lower=0)
    shares = exposure / exposure.sum()
    assert book.total_el == pytest.approx(demo.ratings["expected_loss"].sum())
    assert book.by_grade["expected_loss"].sum() == pytest.approx(book.total_el)
    assert book.top10_share == pytest.approx(shares.nlargest(10).sum())
    assert book.hhi == pytest.approx((shares**2).sum())
    assert book.by["country"]["exposure"].sum() == pytest.approx(exposure.sum())


# --------------------------------------------------------------------------- provision matrix


def story() -> Register:
    """One customer, four invoices; month-ends 2027-03-31 … 2028-03-31."""
    customers = [{"customer_id": "C1", "name": "甲", "currency": "CNY"}]
    invoices = [
        # never paid: 45 days past due at the first month-end, beyond 365 at the last
        {"invoice_no": "X", "invoice_date": D(2027, 1, 15), "due_date": D(2027, 2, 14)},
        # not due at 2027-06-30, 1–30 days at 07-31, paid 08-20
        {"invoice_no": "Y", "invoice_date": D(2027, 6, 1), "due_date": D(2027, 7, 1)},
        # not due 09-30, 21 days at 10-31, half paid 11-15, 51 days at 11-30, paid 12-20
        {"invoice_no": "Z", "invoice_date": D(2027, 9, 10), "due_date": D(2027, 10, 10)},
        # not due 12-31, paid 2028-01-10
        {"invoice_no": "W", "invoice_date": D(2027, 12, 5), "due_date": D(2028, 1, 4)},
    ]
    amounts = {"X": 1_000, "Y": 2_000, "Z": 1_000, "W": 4_000}
    paid: list[tuple[str, dt.date, float]] = [
        ("Y", D(2027, 8, 20), 2_000),
        ("Z", D(2027, 11, 15), 500),
        ("Z", D(2027, 12, 20), 500),
        ("W", D(2028, 1, 10), 4_000),
    ]
    payments: list[dict[str, Any]] = [
        {
            "payment_id": f"P{n}",
            "customer_id": "C1",
            "invoice_no": no,
            "payment_date": day,
            "amount": amount,
            "method": "transfer",
        }
        for n, (no, day, amount) in enumerate(paid)
    ]
    return make_register(
        customers=customers,
        invoices=[
            {**i, "customer_id": "C1", "amount": amounts[str(i["invoice_no"])]} for i in invoices
        ],
        payments=payments,
        orders=[{"order_no": "O1", "customer_id": "C1", "amount": 1, "status": "open"}],
        activities=[{"date": D(2027, 1, 1), "customer_id": "C1", "type": "call"}],
    )


def test_the_provision_matrix_from_the_roll_rates_worked_by_hand() -> None:
    register = story()
    items = open_items(register, DEFAULT_POLICY, AS_OF)
    aged = ageing(register, DEFAULT_POLICY, AS_OF, items)
    matrix = provisions.provision_matrix(register, DEFAULT_POLICY, AS_OF, items, aged)
    table = matrix.table
    assert matrix.month_ends[0] == D(2027, 3, 31) and matrix.month_ends[-1] == AS_OF
    # not due: Y 2,000 and Z 1,000 still unpaid a month later, W's 4,000 paid: 3,000 / 7,000
    # 1–30: Y paid, half of Z left: 500 / 3,000; 31–60: X unpaid, Z's 500 paid: 1,000 / 1,500;
    # 61–90, 91–180, 181–365: X, never paid: 1
    rolls = table["roll_rate"].to_numpy()[:6]
    assert rolls == pytest.approx([3 / 7, 1 / 6, 2 / 3, 1.0, 1.0, 1.0])
    # a balance is lost if it survives to 365 days: the product of the rolls of the months
    # still ahead (1, 1, 1, 1, 3 and 185/30 months), times the last bucket's 100 %
    expected = [3 / 7 * 1 / 6 * 2 / 3, 1 / 6 * 2 / 3, 2 / 3, 1.0, 1.0, 1.0, 1.0]
    assert table["loss_rate"].to_numpy() == pytest.approx(expected)
    assert table["source"].tolist() == ["history"] * 6 + ["policy"]
    # today only X is owed, 410 days past due: provision 1,000 × 100 %
    assert matrix.balance == 1_000 and matrix.provision == 1_000


def test_without_history_the_policy_defaults_apply() -> None:
    register = story()
    later = dt.date(2031, 6, 30)  # nothing moved in the last year
    items = open_items(register, DEFAULT_POLICY, later)
    aged = ageing(register, DEFAULT_POLICY, later, items)
    table = provisions.provision_matrix(register, DEFAULT_POLICY, later, items, aged).table
    assert table["loss_rate"].tolist()[:5] == pytest.approx([0.005, 0.02, 0.05, 0.10, 0.25])
    assert set(table["source"].tolist()[:5]) == {"policy"}


def _slow_roll_rates(results: Results) -> list[float]:
    """The roll rates of the demo, one invoice and one month-end at a time (a reference for the
    vectorised replay)."""
    _, month_ends = provisions.roll_rates(
        results.register, results.policy, results.as_of, results.items
    )
    ends = [pd.Timestamp(d) for d in month_ends]
    payments = results.register.frame("payments")
    by_invoice: dict[str, list[tuple[pd.Timestamp, float]]] = {}
    for no, day, amount in zip(
        payments["invoice_no"].tolist(),
        payments["payment_date"].tolist(),
        payments["amount"].tolist(),
        strict=True,
    ):
        if isinstance(no, str) and amount > 0:
            by_invoice.setdefault(no, []).append((pd.Timestamp(day), float(amount)))
    edges = list(results.policy.ageing.edges)
    held = [0.0] * 7
    unpaid = [0.0] * 7
    items = results.items
    columns = ("invoice_no", "invoice_date", "due_date", "amount", "paid", "rate_to_base")
    for no, invoiced, due, amount, paid, rate in zip(
        *(items[c].tolist() for c in columns), strict=True
    ):
        if not amount > 0:
            continue
        # paid through the paid_amount column when no payment names it: on the due date
        pays = by_invoice.get(str(no), [(pd.Timestamp(due), float(paid))])
        for start, end in itertools.pairwise(ends):
            now = _balance(start, pd.Timestamp(invoiced), float(amount), pays) * float(rate)
            if now == 0:
                continue
            late = (start - pd.Timestamp(due)).days
            bucket = 0 if late <= 0 else 1 + sum(late > e for e in edges)
            held[bucket] += now
            later = _balance(end, pd.Timestamp(invoiced), float(amount), pays) * float(rate)
            unpaid[bucket] += min(later, now)
    return [u / h if h else float("nan") for u, h in zip(unpaid, held, strict=True)]


def _balance(
    at: pd.Timestamp, invoiced: pd.Timestamp, amount: float, pays: list[tuple[pd.Timestamp, float]]
) -> float:
    if invoiced > at:
        return 0.0
    left = round(amount - sum(a for d, a in pays if d <= at), 2)
    return left if left > 0.005 else 0.0


def test_the_demo_provision_matrix_matches_a_month_by_month_replay(demo: Results) -> None:
    matrix = provisions.provision_matrix(
        demo.register, demo.policy, demo.as_of, demo.items, demo.ageing
    )
    slow = _slow_roll_rates(demo)
    got = matrix.table["roll_rate"].to_numpy()
    assert np.allclose(got[:6], slow[:6], rtol=1e-6)
    assert matrix.table["source"].tolist()[:6] == ["history"] * 6
    months = [1, 1, 1, 1, 3, 185 / 30]
    for b in range(6):
        by_hand = float(np.prod([slow[j] ** months[j] for j in range(b, 6)]))
        assert matrix.table["loss_rate"].iloc[b] == pytest.approx(by_hand, rel=1e-6)
    owed = demo.ageing[["not_due", "d1_30", "d31_60", "d61_90", "d91_180", "d181_365", "over_365"]]
    assert matrix.balance == pytest.approx(owed.clip(lower=0).to_numpy().sum(), abs=0.05)
    assert matrix.provision == pytest.approx(
        float((matrix.table["balance"] * matrix.table["loss_rate"]).sum()), abs=0.05
    )
