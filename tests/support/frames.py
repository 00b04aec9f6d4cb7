"""Empty input frames typed as the reader gives them, for engine tests that need none of a table."""

from __future__ import annotations

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
