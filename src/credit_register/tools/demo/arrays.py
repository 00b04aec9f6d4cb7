"""Vectorised helpers the demo's generators share: days, text, document numbers, typed tables.

The demo is generated over whole arrays (500,000 invoices for the benchmark), never row by row;
these helpers keep that readable, and :func:`schema_table` gives every table the agreed Python
types and the schema's column order.
"""

from __future__ import annotations

import datetime as dt
from functools import reduce
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core import schema
from credit_register.core.schema import Sheet

Array = npt.NDArray[Any]


def as_day(d: dt.date) -> np.datetime64:
    """A date as numpy's day (``datetime64[D]``)."""
    return np.datetime64(d, "D")


def days_of(values: Array | int) -> Array:
    """Day offsets as ``timedelta64[D]``."""
    return np.asarray(values, dtype=np.int64).astype("timedelta64[D]")


def blank_where(blank: Array, values: Array) -> Array:
    """``values`` as objects, ``None`` where ``blank``."""
    result = np.asarray(values).astype(object)
    result[blank] = None
    return result


def weekday_before(dates: Array) -> Array:
    """Business paperwork happens on weekdays: roll a weekend back to Friday."""
    return np.busday_offset(dates.astype("datetime64[D]"), 0, roll="backward")


def concat(*parts: Any) -> Array:
    """Element-wise string concatenation of arrays and scalars (as ``str`` objects)."""
    arrays = [np.asarray(p).astype(str) for p in parts]
    result: Array = reduce(np.char.add, arrays)
    return result.astype(object)


def zero_padded(numbers: Array, width: int) -> Array:
    return np.char.zfill(np.asarray(numbers, dtype=np.int64).astype(str), width)


def round_money(values: Array, decimals: Array | int) -> Array:
    """Cents, or whole units for currencies without them (JPY)."""
    scale = np.power(10.0, decimals)
    return np.round(np.asarray(values, dtype=float) * scale) / scale


def numbered(prefix: str, dates: Array, first: Array, tiebreak: Array) -> tuple[Array, Array]:
    """The order that sorts rows by document number, and the numbers in that order.

    Numbers are ``<prefix><yymm><seq>``, counted per month in date order; ``first`` rows take
    their month's first numbers, so the story's hand-made rows have numbers known in advance.
    Callers reorder their (numeric) arrays once, before any text is built: cheaper than
    shuffling text columns at the end.
    """
    months = dates.astype("datetime64[M]").astype(np.int64)
    order = np.lexsort((tiebreak, dates.astype(np.int64), ~first, months))
    sorted_months = months[order]
    _, starts, counts = np.unique(sorted_months, return_index=True, return_counts=True)
    seq_sorted = np.arange(len(order)) - np.repeat(starts, counts) + 1
    width = max(5, len(str(int(counts.max())))) if len(counts) else 5
    yymm = (sorted_months // 12 + 1970) % 100 * 100 + sorted_months % 12 + 1
    return order, concat(prefix, zero_padded(yymm * 10**width + seq_sorted, 4 + width))


def reorder(order: Array, *arrays: Array) -> list[Array]:
    """Each array in ``order`` (the order :func:`numbered` returns)."""
    return [a[order] for a in arrays]


def _column(values: Any, column: schema.Column) -> pd.Series:
    """One output column in the agreed Python types, blanks as ``None``."""
    arr = np.asarray(values)
    if column.type == "date":
        return pd.Series(arr.astype("datetime64[D]").astype(object), dtype=object)
    if column.type == "number":
        numbers = arr.astype(float)
        numbers = np.round(numbers, 6 if column.fmt == "rate" else 2)
        blank = np.isnan(numbers)
        if blank.any():
            as_objects = numbers.astype(object)
            as_objects[blank] = None
            return pd.Series(as_objects, dtype=object)
        return pd.Series(numbers, dtype="float64")
    if column.type == "int":
        blank = pd.isna(arr)
        if blank.any():
            as_objects = np.where(blank, 0, arr).astype(np.int64).astype(object)
            as_objects[blank] = None
            return pd.Series(as_objects, dtype=object)
        return pd.Series(arr.astype(np.int64), dtype="int64")
    if column.type == "bool":
        return pd.Series(arr.astype(bool), dtype=bool)
    return pd.Series(arr.astype(object), dtype=object)


def schema_table(sheet: Sheet, columns: dict[str, Any], order: Array | None = None) -> pd.DataFrame:
    """A table with every schema column of ``sheet`` in schema order."""
    missing = [c.key for c in sheet.columns if c.key not in columns]
    if missing:
        raise KeyError(f"{sheet.key}: no values for {missing}")

    def arranged(values: Any) -> Any:
        return values if order is None else np.asarray(values)[order]

    return pd.DataFrame({c.key: _column(arranged(columns[c.key]), c) for c in sheet.columns})
