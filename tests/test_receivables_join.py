"""Payments reach their invoices, and rows their customers, through the register's one numbering
of identifiers (``Register.ids``, made when the register is loaded): the join must find exactly
what a plain lookup by text finds, on the awkward registers too — a blank, repeated or unknown
number, Chinese text, text that UTF-8 cannot encode, a number typed on an error row."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from credit_register.engines.receivables import customer_limits, exposure_by_customer, open_items
from credit_register.policy import DEFAULT_POLICY
from credit_register.validation import validate
from support.receivables_story import AS_OF, CUSTOMERS, make_register

D = dt.date


def _invoice(number: str | None, amount: float, customer: str = "C001") -> dict[str, Any]:
    return {
        "invoice_no": number,
        "customer_id": customer,
        "invoice_date": D(2028, 1, 10),
        "due_date": D(2028, 2, 10),
        "amount": amount,
    }


def _payment(pid: str, number: str | None, amount: float, customer: str = "C001") -> dict[str, Any]:
    return {
        "payment_id": pid,
        "customer_id": customer,
        "invoice_no": number,
        "payment_date": D(2028, 2, 1),
        "amount": amount,
        "method": "transfer",
    }


def _paid(
    invoices: list[dict[str, Any]], payments: list[dict[str, Any]], checked: bool = False
) -> list[float]:
    register = make_register(invoices=invoices, payments=payments)
    if checked:
        validate(register, base_currency="CNY", today=AS_OF)
    return open_items(register, DEFAULT_POLICY, AS_OF)["paid"].tolist()


def test_each_payment_finds_its_invoice_and_a_blank_or_unknown_number_finds_none() -> None:
    invoices = [_invoice("FP001", 100), _invoice("FP002", 200), _invoice("发票003", 300)]
    payments = [
        _payment("P1", "FP002", 20),
        _payment("P2", None, 1),
        _payment("P3", "FP999", 2),
        _payment("P4", "发票003", 30),
        _payment("P5", "FP001", 10),
        _payment("P6", "FP002", 5),
        _payment("P7", "FP00", 3),
    ]
    assert _paid(invoices, payments) == [10, 25, 30]


def test_a_repeated_invoice_number_pays_its_first_row() -> None:
    invoices = [_invoice("FP001", 100), _invoice("FP002", 200), _invoice("FP001", 50)]
    payments = [_payment("P1", "FP001", 40), _payment("P2", "FP002", 60)]
    # unchecked, both rows are in use: the payments go to the first
    assert _paid(invoices, payments) == [40, 60, 0]
    # checked, the repeat is an error row and leaves the engines' view
    assert _paid(invoices, payments, checked=True) == [40, 60]


def test_an_error_row_does_not_shift_the_join() -> None:
    # the first invoice is an error (no amount): the engines see two rows, and each payment
    # must still reach its own invoice, not its neighbour
    invoices = [_invoice("FP001", 0), _invoice("FP002", 200), _invoice("FP003", 300)]
    payments = [_payment("P1", "FP003", 30), _payment("P2", "FP002", 20)]
    register = make_register(invoices=invoices, payments=payments)
    validate(register, base_currency="CNY", today=AS_OF)
    items = open_items(register, DEFAULT_POLICY, AS_OF)
    assert items["invoice_no"].tolist() == ["FP002", "FP003"]
    assert items["paid"].tolist() == [20, 30]


def test_text_utf8_cannot_encode_still_joins() -> None:
    invoices = [_invoice("FP001", 100), _invoice("FP\ud800", 200)]
    payments = [_payment("P1", "FP\ud800", 50), _payment("P2", "FP001", 10)]
    assert _paid(invoices, payments) == [10, 50]


def test_the_join_agrees_with_a_plain_lookup_on_many_numbers() -> None:
    invoices = [_invoice(f"FP{n:07d}", 1_000) for n in range(0, 20_000, 2)]
    payments = [_payment(f"P{n}", f"FP{n:07d}", 1 + n % 7) for n in range(19_999, -1, -3)]
    paid = pd.Series(_paid(invoices, payments), index=[i["invoice_no"] for i in invoices])
    expected = pd.Series(0.0, index=paid.index)
    for payment in payments:
        if payment["invoice_no"] in expected.index:
            expected[payment["invoice_no"]] += payment["amount"]
    pd.testing.assert_series_equal(paid, expected, check_names=False)
    # 6,667 payment numbers, odd and even by turns (19,999, 19,996, ...): 3,333 are even
    assert (paid > 0).sum() == 3_333


def test_customers_are_found_by_number_on_every_sheet() -> None:
    # a customer repeated on the Customers sheet: its first row's limit and currency count
    repeated = {**CUSTOMERS[0], "currency": "USD", "approved_limit": 1}
    register = make_register(
        customers=[*CUSTOMERS, repeated],
        invoices=[_invoice("FP001", 1_000, "C002"), _invoice("FP002", 500, "C001")],
        payments=[_payment("P1", None, 100, "C002")],
    )
    items = open_items(register, DEFAULT_POLICY, AS_OF)
    assert items["currency"].tolist() == ["USD", "CNY"]  # C002 invoices in USD by default
    exposure = exposure_by_customer(register, DEFAULT_POLICY, AS_OF, items)
    assert exposure.loc["C002", "open_invoices_base"] == 7_000  # 1,000 USD × 7
    assert exposure.loc["C002", "unapplied_base"] == 700  # 100 USD on account
    assert exposure.loc["C001", "open_invoices_base"] == 500  # CNY, the first row's
    assert exposure.index.tolist() == ["C001", "C002", "C003"]
    assert customer_limits(register).loc["C001", "approved_limit_base"] == 100_000
