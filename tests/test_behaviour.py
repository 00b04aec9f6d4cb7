"""Payment behaviour on a hand-built per-invoice frame (as receivables.open_items gives it)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from credit_register.engines import behaviour
from support.frames import NO_ACTIVITIES, NO_PAYMENTS

AS_OF = dt.date(2026, 10, 31)
D = pd.Timestamp


def items() -> pd.DataFrame:
    rows = [
        # invoice, customer, due, amount, paid, settled_on, days_overdue, disputed
        ("I1", "A", D("2026-03-31"), 100.0, 100.0, D("2026-04-10"), 0, False),  # 10 days late
        ("I2", "A", D("2026-06-30"), 300.0, 300.0, D("2026-06-25"), 0, False),  # early: on time
        ("I3", "A", D("2026-09-30"), 200.0, 50.0, pd.NaT, 31, False),  # overdue 31 days
        ("I4", "A", D("2026-11-30"), 400.0, 0.0, pd.NaT, 0, False),  # not due: no outcome
        ("I5", "A", D("2026-08-31"), 999.0, 0.0, pd.NaT, 61, True),  # disputed: left out
        ("I6", "A", D("2025-06-30"), -50.0, 0.0, pd.NaT, 0, False),  # credit note
        ("J1", "B", D("2026-12-15"), 500.0, 0.0, pd.NaT, 0, False),  # nothing due yet
        ("K1", "C", D("2025-02-28"), 80.0, 0.0, pd.NaT, 610, False),  # old, still open
        ("K2", "C", D("2026-10-15"), 20.0, 20.0, D("2026-10-15"), 0, False),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "invoice_no",
            "customer_id",
            "due_date",
            "amount",
            "paid",
            "settled_on",
            "days_overdue",
            "disputed",
        ],
    )
    frame["amount_base"] = frame["amount"]
    frame["outstanding"] = frame["amount"] - frame["paid"]
    frame["outstanding_base"] = frame["outstanding"]
    return frame


def test_each_payment_metric_by_hand() -> None:
    m = behaviour.payment_behaviour(items(), NO_ACTIVITIES, NO_PAYMENTS, as_of=AS_OF)
    a = m.loc["A"]
    # outcomes: I1 10 days × 100, I2 0 × 300, I3 31 × 200 → (1000 + 6200) / 600
    assert a["avg_days_late"] == pytest.approx(7200 / 600)
    assert a["on_time_share"] == pytest.approx(300 / 600)
    assert a["max_days_overdue"] == 31
    # open: I3 150 overdue, I4 400 not due → 150 / 550
    assert a["overdue_share"] == pytest.approx(150 / 550)
    # last 3 months (due after 2026-07-31): I3 31 days; the 9 before: (1000 + 0) / 400 = 2.5
    assert a["trend"] == pytest.approx(31 - 2.5)
    assert a["broken_promises"] == 0
    # C: the 610-day invoice is due before the window, but it is overdue now
    assert m.loc["C", "max_days_overdue"] == 610
    assert m.loc["C", "overdue_share"] == pytest.approx(1.0)
    assert m["trend"].isna()["C"]  # nothing of C fell due in the 9 months before
    # B has nothing with an outcome yet: no payment record (a thin file, not a perfect payer)
    assert "B" not in m.index
    assert behaviour.worst_days_overdue(items()).to_dict() == {"A": 31.0, "B": 0.0, "C": 610.0}


def test_a_promise_is_broken_when_less_than_promised_arrives_by_the_date_plus_grace() -> None:
    activities = pd.DataFrame(
        {
            "date": [D("2026-09-01"), D("2026-09-01"), D("2026-10-20"), D("2026-09-01")],
            "customer_id": ["A", "C", "A", "B"],
            "type": ["promise", "promise", "promise", "call"],
            "promise_date": [D("2026-09-15"), D("2026-09-15"), D("2026-10-30"), D("2026-09-15")],
            "promise_amount": [100.0, 100.0, 100.0, 100.0],
        }
    )
    payments = pd.DataFrame(
        {
            "customer_id": ["A", "C"],
            "payment_date": [D("2026-09-18"), D("2026-09-10")],  # A: within the 3 days' grace
            "amount": [100.0, 60.0],  # C: short of the promise
        }
    )
    broken = behaviour.broken_promises(activities, payments, AS_OF)
    # A's second promise (2026-10-30) is not yet past its grace: not judged
    assert broken.to_dict() == {"A": 0.0, "C": 1.0}
