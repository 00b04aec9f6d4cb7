"""An open-items report replaces the open items it covers (``import --replace-open-items``).

An ERP's open-items list (SAP FBL5N "open items", Kingdee 应收款明细 with 未核销) is the ERP's word
on what each of its customers still owes. An invoice the register holds as open for one of the
customers in the report, but missing from the report, has been paid (or written off) in the ERP:
it is closed as paid — its ``paid_amount`` set to its amount — and logged on the History sheet.
Nothing is deleted: the invoice, its dates and its payment history stay for the ratings.

Decisions: only customers the report names are touched (a report for one sales region says
nothing of the others); an invoice dated after the report's as-of date is left alone (it did
not exist when the report was run); an invoice with rows on the Payments sheet is left open and
listed, since the register reads its payments, not its ``paid_amount`` — the payment belongs on
the Payments sheet (import the receipts export too).
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

import numpy as np
import pandas as pd

from credit_register.core.cells import CENT


@dataclass
class Closing:
    """What the report closes."""

    #: the invoices closed as paid: ``_row``, ``invoice_no``, ``customer_id``, ``amount``,
    #: ``paid_amount`` (the old value)
    closed: pd.DataFrame
    #: open invoices missing from the report that have payments on the Payments sheet (left open)
    with_payments: pd.DataFrame


def to_close(
    invoices: pd.DataFrame,
    payments: pd.DataFrame,
    customers_in_report: Collection[str],
    invoices_in_report: Collection[str],
    as_of: pd.Timestamp,
) -> Closing:
    """The register's open invoices (``invoices``: the sheet's typed frame with ``_row``) of
    ``customers_in_report`` that the report does not list.

    >>> invoices = pd.DataFrame({"invoice_no": ["A1", "A2", "A3", "B1", "A4"],
    ...     "customer_id": ["C1", "C1", "C1", "C2", "C1"],
    ...     "invoice_date": pd.to_datetime(["2026-01-01"] * 4 + ["2026-12-01"]),
    ...     "amount": [100.0, 200.0, 300.0, 50.0, 70.0],
    ...     "paid_amount": [None, 200.0, 10.0, None, None], "_row": [2, 3, 4, 5, 6]})
    >>> payments = pd.DataFrame({"invoice_no": [], "amount": []})
    >>> got = to_close(invoices, payments, {"C1"}, {"A1"}, pd.Timestamp("2026-11-30"))
    >>> got.closed[["invoice_no", "_row", "amount", "paid_amount"]].values.tolist()
    [['A3', 4, 300.0, 10.0]]
    """
    amount = pd.to_numeric(invoices["amount"], errors="coerce").to_numpy(dtype=float)
    paid = pd.to_numeric(invoices["paid_amount"], errors="coerce").to_numpy(dtype=float)
    number = invoices["invoice_no"].astype("string").str.strip()
    # as the receivables engine reads it: the payments when the invoice has any, else paid_amount
    paid_to = payments["invoice_no"].astype("string").str.strip()
    received = pd.to_numeric(payments["amount"], errors="coerce").where(paid_to.notna())
    applied = received.groupby(paid_to.to_numpy(), dropna=True).sum()
    has_payments = number.isin(list(applied.index)).to_numpy(dtype=bool, na_value=False)
    from_payments = number.map(applied).to_numpy(dtype=float, na_value=np.nan)
    paid = np.where(has_payments, from_payments, np.nan_to_num(paid, nan=0.0))
    owed = np.abs(amount - paid) > CENT
    customer = invoices["customer_id"].astype("string").str.strip()
    dated = pd.to_datetime(invoices["invoice_date"], errors="coerce")
    covered = (
        customer.isin(list(customers_in_report)).to_numpy(dtype=bool, na_value=False)
        & ~number.isin(list(invoices_in_report)).to_numpy(dtype=bool, na_value=False)
        & number.notna().to_numpy()
        & ~(dated > as_of).to_numpy(dtype=bool, na_value=False)
    )
    candidates = covered & owed & ~np.isnan(amount)
    columns = ["_row", "invoice_no", "customer_id", "amount", "paid_amount"]
    return Closing(
        closed=invoices.loc[candidates & ~has_payments, columns].reset_index(drop=True),
        with_payments=invoices.loc[candidates & has_payments, columns].reset_index(drop=True),
    )
