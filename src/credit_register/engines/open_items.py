"""The Open items sheet (未清明细): one row per invoice the customer still owes us.

The Ageing sheet says how much a customer owes and how late; a collector, a lawyer or an auditor
needs the invoice behind each figure: how late it is, which collections step it has reached,
whether it is disputed, on what basis and at what rate late interest runs and how much has run,
the last demand that reached the debtor and its last acknowledgement, and the day the claim runs
out (诉讼时效届满日). Every figure is the receivables engine's per-invoice one, so the Ageing
sheet's late interest is the sum of this sheet's, and a letter claims what this sheet shows.

Decisions: an invoice is "owed" when more than half a cent is outstanding (credit notes and
over-payments, which the customer holds, are left out); rows run by customer, then due date.
"""

from __future__ import annotations

import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.schema import OPEN_ITEMS


def open_items_sheet(items: pd.DataFrame) -> pd.DataFrame:
    """The Open items sheet's rows (``schema.OPEN_ITEMS`` keys) from
    ``receivables.open_items``."""
    owed = items.loc[items["outstanding"].to_numpy(dtype=float, na_value=0.0) > CENT]
    keys = [c.key for c in OPEN_ITEMS.columns]
    rows = owed[keys].sort_values(["customer_id", "due_date", "invoice_no"], kind="stable")
    return rows.reset_index(drop=True)
