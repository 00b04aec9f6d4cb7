"""Last month's rating run on the History sheet, so the demo's first review pack has a
migration matrix to show (last month's grade → this month's) instead of an empty one.

The grades are what a credit manager would have recorded a month earlier from how each customer
pays: good payers AA, average A, slow payers BBB, and the customer that has since defaulted B
(it is C now). No draw is made: the other tables stay as they were.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from credit_register.core import schema
from credit_register.tools.demo.arrays import schema_table
from credit_register.tools.demo.customers import Book

#: last month's grade by behaviour (good, average, slow, defaulted)
LAST_MONTH_GRADES: tuple[str, ...] = ("AA", "A", "BBB", "B")


def history_table(book: Book, as_of: np.datetime64) -> pd.DataFrame:
    """The History rows of last month's rating: one grade per customer, logged on the evening
    of the previous month's last day."""
    n = len(book.ids)
    month_start = as_of.astype("datetime64[M]").astype("datetime64[D]")
    stamp = pd.Timestamp(month_start - np.timedelta64(1, "D")) + pd.Timedelta(hours=18)
    when = dt.datetime.fromisoformat(stamp.isoformat())
    return schema_table(
        schema.HISTORY,
        {
            "timestamp": np.full(n, when, dtype=object),
            "user": np.full(n, "credit-register", dtype=object),
            "action": np.full(n, "评级", dtype=object),
            "customer_id": book.ids,
            "field": np.full(n, schema.RATINGS.column("grade").zh, dtype=object),
            "old": np.full(n, None, dtype=object),
            "new": np.array(LAST_MONTH_GRADES, dtype=object)[book.behaviour],
            "reason": np.full(n, f"{stamp:%Y年%m月}月度评级", dtype=object),
        },
    )
