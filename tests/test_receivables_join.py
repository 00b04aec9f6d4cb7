"""Payments reach their invoices by number: the fast text join must find exactly what the plain
lookup finds, including on the awkward registers (a blank, repeated or unknown number, text that
UTF-8 cannot encode), where it gives way to the plain lookup."""

from __future__ import annotations

import pandas as pd

from credit_register.receivables import _invoice_positions, _positions


def _numbers(*values: str | None) -> pd.Series:
    return pd.Series(list(values), dtype="str")


def test_each_payment_finds_its_invoice_and_a_blank_or_unknown_number_finds_none() -> None:
    invoices = _numbers("FP001", "FP002", "发票003")
    payments = _numbers("FP002", None, "FP999", "发票003", "FP001", "FP002", "FP00")
    assert _invoice_positions(invoices, payments).tolist() == [1, -1, -1, 2, 0, 1, -1]


def test_a_repeated_invoice_number_pays_its_first_row() -> None:
    invoices = _numbers("FP001", "FP002", "FP001")
    payments = _numbers("FP001", "FP002", None)
    assert _invoice_positions(invoices, payments).tolist() == [0, 1, -1]


def test_a_blank_invoice_number_matches_no_payment() -> None:
    invoices = _numbers("FP001", None, "FP002")
    payments = _numbers(None, "FP002", "FP001")
    assert _invoice_positions(invoices, payments).tolist() == [-1, 2, 0]


def test_text_utf8_cannot_encode_still_joins() -> None:
    invoices = _numbers("FP001", "FP\ud800")
    payments = _numbers("FP\ud800", "FP001")
    assert _invoice_positions(invoices, payments).tolist() == [1, 0]


def test_the_fast_join_agrees_with_the_plain_lookup_on_many_numbers() -> None:
    invoices = pd.Series([f"FP{n:07d}" for n in range(0, 20_000, 2)], dtype="str")
    payments = pd.Series([f"FP{n:07d}" for n in range(19_999, -1, -3)], dtype="str")
    fast = _invoice_positions(invoices, payments)
    assert fast.tolist() == _positions(invoices, payments).tolist()
    # 6,667 payment numbers, odd and even by turns (19,999, 19,996, ...): 3,333 are even
    assert (fast >= 0).sum() == 3_333
