"""Per-invoice late interest and limitation, as a collector and counsel read them on the Open
items sheet — every date and figure worked out by hand (as of 2028-03-31)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest

from credit_register.core.register import Register
from credit_register.engines.alerts import claims_findings
from credit_register.engines.limitation import plus_years
from credit_register.engines.open_items import open_items_sheet
from credit_register.engines.receivables import ageing, open_items
from credit_register.policy import DEFAULT_POLICY
from support.receivables_story import AS_OF, D, make_register


def customer(cid: str, **more: Any) -> dict[str, Any]:
    return {"customer_id": cid, "name": f"客户{cid}", "currency": "CNY", **more}


def invoice(
    no: str, cid: str, due: dt.date, amount: float = 10_000.0, **more: Any
) -> dict[str, Any]:
    return {
        "invoice_no": no,
        "customer_id": cid,
        "invoice_date": more.pop("invoice_date", due - dt.timedelta(days=30)),
        "due_date": due,
        "amount": amount,
        **more,
    }


CUSTOMERS = [
    customer("C1"),
    customer("C2"),
    customer("C3"),
    customer("C4"),
    customer("C5", country="DE"),
    customer("C6"),
    customer("C7", status="legal"),
]
INVOICES = [
    invoice("I1", "C1", D(2025, 6, 30)),
    invoice("I2", "C2", D(2025, 1, 15)),
    invoice("I2B", "C2", D(2025, 1, 15)),
    invoice("I3", "C3", D(2024, 12, 31)),
    invoice("I4A", "C4", D(2025, 3, 3), invoice_date=D(2025, 2, 1)),
    invoice("I4B", "C4", D(2027, 10, 31), invoice_date=D(2027, 10, 1)),
    invoice("I5", "C5", D(2025, 3, 31)),
    invoice("I6", "C6", D(2020, 1, 31)),
    invoice("I7", "C7", D(2024, 1, 31)),
]
PAYMENTS = [
    # a part payment acknowledges the debt: I3's period restarts on 2025-06-01
    {
        "payment_id": "P3",
        "customer_id": "C3",
        "invoice_no": "I3",
        "payment_date": D(2025, 6, 1),
        "amount": 1_000,
        "method": "transfer",
    },
]
ACTIVITIES = [
    # generated and sent, never proven delivered: restarts nothing; an e-mail neither
    {"date": D(2026, 1, 10), "customer_id": "C1", "type": "collection", "invoices": "I1"},
    {"date": D(2026, 2, 10), "customer_id": "C1", "type": "email", "summary": "statement"},
    # sent on 25 February, signed for on 1 March 2026: restarts I2 only, the invoice it names
    {
        "date": D(2026, 2, 25),
        "customer_id": "C2",
        "type": "collection",
        "invoices": "I2",
        "delivered_on": D(2026, 3, 1),
        "reference": "EMS 1190 0000 1CN",
    },
    # a signed reconciliation naming nothing: every invoice C4 owed on 2027-09-01 (I4A, not
    # I4B, invoiced a month later)
    {"date": D(2027, 9, 1), "customer_id": "C4", "type": "reconciliation"},
    # I6 ran out on 2023-01-31: a demand delivered later, and a promise, revive nothing
    {
        "date": D(2024, 4, 25),
        "customer_id": "C6",
        "type": "legal",
        "invoices": "I6",
        "delivered_on": D(2024, 5, 1),
    },
    {"date": D(2027, 1, 10), "customer_id": "C6", "type": "promise", "invoices": "I6"},
]


@pytest.fixture(scope="module")
def register() -> Register:
    return make_register(
        customers=CUSTOMERS,
        invoices=INVOICES,
        payments=PAYMENTS,
        orders=[{"order_no": "O1", "customer_id": "C1", "amount": 1_000, "status": "open"}],
        activities=ACTIVITIES,
    )


@pytest.fixture(scope="module")
def sheet(register: Register) -> pd.DataFrame:
    return open_items_sheet(open_items(register, DEFAULT_POLICY, AS_OF)).set_index("invoice_no")


def day_of(sheet: pd.DataFrame, no: str, column: str) -> str:
    """An invoice's date in ``column`` as the sheet shows it (``—`` when blank)."""
    shown = sheet[column].dt.strftime("%Y-%m-%d").fillna("—")
    return str(shown.loc[no])


def expiry(sheet: pd.DataFrame, no: str) -> str:
    return day_of(sheet, no, "limitation_expires")


def test_limitation_runs_three_years_from_due_and_an_undelivered_demand_restarts_nothing(
    sheet: pd.DataFrame,
) -> None:
    assert expiry(sheet, "I1") == "2028-06-30"
    assert day_of(sheet, "I1", "last_demand") == "—"


def test_a_delivered_demand_restarts_only_the_invoice_it_names(sheet: pd.DataFrame) -> None:
    assert expiry(sheet, "I2") == "2029-03-01"
    assert day_of(sheet, "I2", "last_demand") == "2026-03-01"
    assert expiry(sheet, "I2B") == "2028-01-15"  # not named: ran out in January


def test_a_part_payment_acknowledges_its_invoice(sheet: pd.DataFrame) -> None:
    assert expiry(sheet, "I3") == "2028-06-01"
    assert day_of(sheet, "I3", "last_acknowledgement") == "2025-06-01"


def test_a_signed_reconciliation_restarts_what_was_owed_that_day(sheet: pd.DataFrame) -> None:
    assert expiry(sheet, "I4A") == "2030-09-01"
    assert expiry(sheet, "I4B") == "2030-10-31"  # invoiced after the reconciliation
    assert day_of(sheet, "I4B", "last_acknowledgement") == "—"


def test_an_international_sale_has_four_years(sheet: pd.DataFrame) -> None:
    assert expiry(sheet, "I5") == "2029-03-31"  # customer in Germany (民法典 第五百九十四条)


def test_an_expired_claim_is_not_revived_by_a_later_demand(sheet: pd.DataFrame) -> None:
    assert expiry(sheet, "I6") == "2023-01-31"
    assert day_of(sheet, "I6", "last_demand") == "2024-05-01"


def test_a_pending_suit_stops_the_clock(sheet: pd.DataFrame) -> None:
    assert expiry(sheet, "I7") == "—"


def test_a_leap_day_ends_on_the_last_day_of_february() -> None:
    days = pd.to_datetime(["2028-02-29", "2027-03-31"]).to_numpy(dtype="datetime64[D]")
    got = plus_years(days, np.array([3, 4], dtype=np.int64))
    assert [str(d) for d in got] == ["2031-02-28", "2031-03-31"]


def test_interest_runs_at_the_lpr_of_the_day_after_due_plus_half(sheet: pd.DataFrame) -> None:
    # I1 fell due 2025-06-30: breach 2025-07-01, LPR 3.00 % (from 2025-05-20) × 1.5 = 4.5 %;
    # 1,005 days to 2028-03-31: 10,000 × 4.5 % / 365 × 1,005 = 1,239.04
    assert sheet.loc["I1", "interest_basis"] == "lpr_markup"
    assert sheet.loc["I1", "interest_rate"] == pytest.approx(0.045)
    assert sheet.loc["I1", "days_overdue"] == 1005
    assert sheet.loc["I1", "late_interest"] == pytest.approx(1_239.04)
    # I6 fell due 2020-01-31: LPR 4.15 % (from 2019-11-20) × 1.5 = 6.225 %
    assert sheet.loc["I6", "interest_rate"] == pytest.approx(0.06225)
    # I3: 9,000 left after the part payment; breach 2025-01-01, LPR 3.10 % × 1.5 = 4.65 %,
    # 1,186 days: 9,000 × 4.65 % = 418.50 a year, × 1,186 / 365 = 1,359.84
    assert sheet.loc["I3", "outstanding"] == 9_000
    assert sheet.loc["I3", "late_interest"] == pytest.approx(1_359.84)


def test_the_ageing_late_interest_is_the_sum_of_the_open_items(register: Register) -> None:
    items = open_items(register, DEFAULT_POLICY, AS_OF)
    aged = ageing(register, DEFAULT_POLICY, AS_OF, items).set_index("customer_id")
    rows = open_items_sheet(items)
    per_customer = rows.groupby("customer_id")["late_interest"].sum()
    assert aged["late_interest"].to_dict() == pytest.approx(per_customer.to_dict())


def test_an_alert_warns_before_a_claim_runs_out(register: Register) -> None:
    items = open_items(register, DEFAULT_POLICY, AS_OF)
    found = pd.concat(claims_findings(register, DEFAULT_POLICY, AS_OF, items))
    limitation = found.loc[found["indicator"] == "limitation_expiring"].set_index("customer_id")
    # within 180 days: C1 (2028-06-30), C3 (2028-06-01); passed: C2's I2B, C6
    assert sorted(limitation.index) == ["C1", "C2", "C3", "C6"]
    assert limitation.loc["C1", "value"] == "2028-06-30 (1 invoice(s))"
    assert limitation.loc["C2", "value"] == "2028-01-15 (expired, 1 invoice(s))"
    assert limitation.loc["C1", "severity"] == "warning"
    # no statement on file for anyone: every active customer is a thin file
    thin = found.loc[found["indicator"] == "thin_file", "customer_id"]
    assert sorted(thin) == ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
