"""Empty input frames typed as the reader gives them, for engine tests that need none of a table."""

from __future__ import annotations

from typing import Any

import pandas as pd

NO_ACTIVITIES = pd.DataFrame(
    {
        "date": pd.Series([], dtype="datetime64[us]"),
        "customer_id": pd.Series([], dtype="str"),
        "type": pd.Series([], dtype="str"),
        "promise_date": pd.Series([], dtype="datetime64[us]"),
        "promise_amount": pd.Series([], dtype="float64"),
    }
)
NO_PAYMENTS = pd.DataFrame(
    {
        "customer_id": pd.Series([], dtype="str"),
        "payment_date": pd.Series([], dtype="datetime64[us]"),
        "amount": pd.Series([], dtype="float64"),
    }
)


def one_row(frame: pd.DataFrame, label: str) -> pd.Series[Any]:
    """The one row of ``frame`` at index ``label`` (a second row with that label fails the test)."""
    row = frame.loc[label]
    assert isinstance(row, pd.Series), f"{label!r} is on more than one row"
    return row
