"""An invoice export's settlement dates, entered as the payments that settled the invoices.

Many invoice exports list paid invoices with the date they were settled (SAP's clearing date,
Kingdee's 核销日期, an accounts-receivable workbook's ``SettledDate``) and no receipts. The
register measures payment behaviour on payments (``engines.behaviour``: days late, on-time
share), so such a date is not dropped: each settled invoice gets one payment on the Payments
sheet, for the invoice's amount, dated the settlement date and applied to the invoice.

Decisions: the payment's ID is ``SETTLED-`` and the invoice number — stable, so importing the
file again changes nothing; an invoice that already has other payments on the Payments sheet
(receipts imported or typed) gets none, so nothing is counted twice; credit notes (amount ≤ 0)
settle nothing.
"""

from __future__ import annotations

import pandas as pd

from credit_register.importing.layout import SETTLED_ON

#: the payment ID of an invoice's settlement: this prefix and the invoice number
PREFIX = "SETTLED-"


def settling_payments(rows: pd.DataFrame, payments: pd.DataFrame) -> pd.DataFrame:
    """The Payments-sheet rows for the settled invoices among ``rows`` (typed import rows with
    ``invoice_no``, ``customer_id``, ``amount`` and ``settled_on``), left out those that
    ``payments`` (the sheet's typed rows) already pays with a payment of its own.

    >>> rows = pd.DataFrame({"invoice_no": ["A1", "A2", "A3", "A4"],
    ...     "customer_id": ["C1", "C1", "C2", "C2"], "amount": [100.0, 50.0, -5.0, 70.0],
    ...     "settled_on": pd.to_datetime(["2026-10-02", None, "2026-10-03", "2026-10-04"])})
    >>> paid = pd.DataFrame({"payment_id": ["P9"], "invoice_no": ["A4"]})
    >>> settling_payments(rows, paid)[["payment_id", "invoice_no", "amount"]].values.tolist()
    [['SETTLED-A1', 'A1', 100.0]]
    """
    columns = ["payment_id", "customer_id", "invoice_no", "payment_date", "amount"]
    if SETTLED_ON not in rows or rows.empty:
        return pd.DataFrame(columns=columns)
    number = rows["invoice_no"].astype("string")
    ids = PREFIX + number
    others = payments.loc[
        ~payments["payment_id"].astype("string").str.startswith(PREFIX, na=False), "invoice_no"
    ]
    settled = (
        rows[SETTLED_ON].notna()
        & (rows["amount"] > 0)
        & number.notna()
        & rows["customer_id"].notna()
        & ~number.isin(others.dropna().astype(str))
    ).to_numpy(dtype=bool)
    return pd.DataFrame(
        {
            "payment_id": ids[settled].astype(object).to_numpy(),
            "customer_id": rows["customer_id"].to_numpy(dtype=object)[settled],
            "invoice_no": number[settled].astype(object).to_numpy(),
            "payment_date": rows[SETTLED_ON].to_numpy()[settled],
            "amount": rows["amount"].to_numpy()[settled],
        }
    )
