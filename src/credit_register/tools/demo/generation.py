"""The demo register: every input table, generated from one seed (:func:`demo_tables`).

Conventions of the tables returned: columns are schema keys in schema order; text and codes are
``str`` (codes as code keys: ``"soe"``, ``"bill"``, ``"promise"``…), dates ``datetime.date``,
amounts ``float`` rounded to the cent (whole yen for JPY), ints ``int``, bools ``bool``; blank is
``None`` (such a column then has ``object`` dtype). A credit note (negative amount) has a blank
paid amount, since ``0 ≤ paid ≤ amount`` cannot hold for it. Payments before the payments log
begins (only when :attr:`DemoSize.payments` caps the log) are recorded as the invoice's paid amount
alone, as a register migrated from an older system would show them.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from credit_register.core import schema
from credit_register.tools.demo.activities import activities_table, orders_table
from credit_register.tools.demo.arrays import as_day, schema_table
from credit_register.tools.demo.cast import DEMO_AS_OF
from credit_register.tools.demo.customers import Book, customers_table, draw_book
from credit_register.tools.demo.financials import bureau_table, financials_table
from credit_register.tools.demo.history import history_table
from credit_register.tools.demo.invoices import draw_trade
from credit_register.tools.demo.names import FOREIGN
from credit_register.tools.demo.size import DemoSize


def _fx(book: Book, as_of: np.datetime64) -> pd.DataFrame:
    used = sorted(set(book.currency[book.foreign].tolist()))
    rates = {f[1]: f[2] for f in FOREIGN}
    return schema_table(
        schema.FX,
        {
            "currency": np.array(used, dtype=object),
            "rate_to_base": np.array([rates[c] for c in used], dtype=float),
            "as_of": np.full(len(used), as_of),
        },
    )


def demo_tables(
    size: DemoSize = DemoSize(),  # noqa: B008 (frozen: one shared default is safe)
    as_of: dt.date = DEMO_AS_OF,
) -> dict[str, pd.DataFrame]:
    """The demo register's input tables, keyed by schema sheet key (Policy excepted).

    Deterministic: the same ``size`` (its seed included) and ``as_of`` give equal tables. Each
    table draws from its own child of the seed, so changing how one table is drawn leaves the
    others as they were.
    """
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(size.seed).spawn(7)]
    day = as_day(as_of)
    book, text = draw_book(streams[0], size, day)
    trade = draw_trade(streams[1], book, size, day)
    return {
        "customers": customers_table(streams[2], book, text, trade.monthly_sales_local, day),
        "financials": financials_table(streams[3], book, trade.monthly_sales_local, size, as_of),
        "bureau": bureau_table(streams[4], book, trade.monthly_sales_local, size, day),
        "invoices": trade.invoices,
        "payments": trade.payments,
        "orders": orders_table(streams[5], book, trade.monthly_sales_local, size, day),
        "activities": activities_table(streams[6], book, trade, day),
        "fx": _fx(book, day),
        "history": history_table(book, day),
    }
