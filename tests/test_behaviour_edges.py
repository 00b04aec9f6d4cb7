"""Payment behaviour at the edges the vectorised sums must get right: nobody with a record, and
invoice rows without a customer."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from credit_register.engines import behaviour
from support.frames import NO_ACTIVITIES, NO_PAYMENTS

AS_OF = dt.date(2026, 10, 31)
D = pd.Timestamp


def items(rows: list[tuple[object, ...]]) -> pd.DataFrame:
    """Invoice rows: customer, due date, amount, paid, settled on, days overdue."""
    frame = pd.DataFrame(
        rows, columns=["customer_id", "due_date", "amount", "paid", "settled_on", "days_overdue"]
    )
    frame["customer_id"] = frame["customer_id"].astype("str")
    frame["disputed"] = False
    frame["amount_base"] = frame["amount"]
    frame["outstanding"] = frame["amount"] - frame["paid"]
    frame["outstanding_base"] = frame["outstanding"]
    return frame


def test_nobody_with_an_outcome_in_the_window_means_no_payment_record() -> None:
    # A's only invoice is overdue but due before the window; B's is not due yet
    frame = items(
        [
            ("A", D("2025-06-30"), 100.0, 0.0, pd.NaT, 488),
            ("B", D("2026-12-15"), 500.0, 0.0, pd.NaT, 0),
        ]
    )
    metrics = behaviour.payment_behaviour(frame, NO_ACTIVITIES, NO_PAYMENTS, as_of=AS_OF)
    assert metrics.empty
    assert list(metrics.columns) == list(behaviour.METRICS)


def test_an_invoice_row_without_customer_counts_for_nobody() -> None:
    frame = items(
        [
            (None, D("2026-09-30"), 1000.0, 0.0, pd.NaT, 31),  # no customer: left out
            ("A", D("2026-08-31"), 100.0, 100.0, D("2026-09-10"), 0),  # 10 days late
            ("A", D("2026-09-30"), 300.0, 0.0, pd.NaT, 31),  # overdue 31 days
        ]
    )
    metrics = behaviour.payment_behaviour(frame, NO_ACTIVITIES, NO_PAYMENTS, as_of=AS_OF)
    assert list(metrics.index) == ["A"]
    a = metrics.loc["A"]
    assert a["avg_days_late"] == pytest.approx((10 * 100 + 31 * 300) / 400)
    assert a["on_time_share"] == 0.0
    assert a["max_days_overdue"] == 31
    assert a["overdue_share"] == 1.0


def test_each_promise_sums_its_own_customers_payments_inside_its_own_window() -> None:
    activities = pd.DataFrame(
        {
            "date": [D("2026-09-01"), D("2026-09-10"), D("2026-09-01"), D("2026-09-01")],
            "customer_id": ["A", "A", "B", "C"],
            "type": ["promise"] * 4,
            "promise_date": [D("2026-09-20"), D("2026-09-30"), D("2026-09-15"), D("2026-09-15")],
            "promise_amount": [100.0, 50.0, float("nan"), 10.0],
        }
    )
    payments = pd.DataFrame(
        {
            "customer_id": ["A", "A", "A", "A", "B", None, "D"],
            # A: the day before its first promise (no), two within it, one on the last day of
            # grace of the second (2026-10-03); B: none in its window; a blank and a stranger
            "payment_date": [
                D("2026-08-31"),
                D("2026-09-05"),
                D("2026-09-12"),
                D("2026-10-03"),
                D("2026-09-19"),
                D("2026-09-10"),
                D("2026-09-10"),
            ],
            "amount": [500.0, 40.0, 70.0, 1.0, 5.0, 99.0, 99.0],
        }
    )
    outcomes = behaviour.promise_outcomes(activities, payments, AS_OF)
    # A1: 40 + 70 (the 2026-08-31 payment is before the promise was made) → kept
    # A2: 70 + 1 from 2026-09-10 to 2026-10-03 → kept; B: nothing by 2026-09-18 → broken
    # C: nothing at all → broken
    assert outcomes["received"].tolist() == [110.0, 71.0, 0.0, 0.0]
    assert outcomes["broken"].tolist() == [False, False, True, True]
    # the same with the customers' numbers a loaded register supplies
    numbered = {"A": 0, "B": 1, "C": 2, "D": 3}
    numbers = (
        np.asarray(activities["customer_id"].map(numbered), dtype=np.intp),
        np.asarray(payments["customer_id"].map(numbered).fillna(-1), dtype=np.intp),
    )
    pd.testing.assert_frame_equal(
        behaviour.promise_outcomes(activities, payments, AS_OF, numbers=numbers), outcomes
    )
