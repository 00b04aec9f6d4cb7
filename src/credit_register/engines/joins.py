"""How the engines join the register's sheets: on the numbering the register gave each
identifier when it was loaded, with whole-array indexing instead of hashing text.

Every engine that follows an invoice to its customer, or a payment to its invoice, does it through
these few helpers, so "the customer of this row" means the same everywhere: the first row of that
customer ID on the Customers sheet, -1 when blank or unknown.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core.register import Register, first_positions

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
DAY = np.timedelta64(1, "D")


def day(as_of: dt.date) -> np.datetime64:
    return np.datetime64(as_of, "D")


def dates(series: pd.Series) -> npt.NDArray[np.datetime64]:
    return series.to_numpy(dtype="datetime64[D]")


def floats(series: pd.Series) -> FloatArray:
    return np.asarray(
        pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan), dtype=float
    )


def flags(series: pd.Series) -> npt.NDArray[np.bool_]:
    """A yes/no column as booleans, blank = no."""
    return np.asarray(series.astype("boolean").fillna(False).to_numpy(dtype=bool), dtype=bool)


def first_rows(register: Register, key: str, sheet_key: str) -> IntArray:
    """Per number of ``key`` (``Register.ids``), the position of its first row in
    ``register.frame(sheet_key)``; -1 when the sheet has none. One more entry at the end, -1, so
    that indexing with a blank's number (-1) finds no row."""
    ids = register.ids(key)
    first = first_positions(register.numbers(key, sheet_key), ids.count)
    return np.asarray(np.append(first, -1), dtype=np.int64)


def rows_of(register: Register, key: str, sheet_key: str, numbers: IntArray) -> IntArray:
    """For each number of ``key``, the position of its first row in
    ``register.frame(sheet_key)``; -1 where there is none (blank or unknown).

    The identifiers were numbered once when the register was loaded (``Register.ids``), so this
    join of hundreds of thousands of rows is integer indexing, not hashing text."""
    return np.asarray(first_rows(register, key, sheet_key)[numbers], dtype=np.int64)


def customer_rows(register: Register, sheet_key: str) -> IntArray:
    """Per row of ``register.frame(sheet_key)``, the position of its customer on the Customers
    sheet (its first row); -1 when blank or unknown."""
    return rows_of(register, "customer_id", "customers", register.numbers("customer_id", sheet_key))


def take(values: npt.NDArray[Any], at: IntArray, fill: Any) -> npt.NDArray[Any]:
    """``values[at]`` with ``fill`` where ``at`` is -1 (the fill is appended, so -1 picks it)."""
    return np.append(values, np.array([fill], dtype=values.dtype))[at]
