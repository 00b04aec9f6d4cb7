"""Cell values and column widths as the builder writes them.

Values are prepared per column with pandas (dates to Excel serials, codes to labels, bools to
是/否) and handed to XlsxWriter row by row; a value that does not fit its column's type is written
as given, so the validator can point at it. Widths come from the schema, or fit the header.
"""

from __future__ import annotations

import unicodedata

import numpy as np
import pandas as pd

from credit_register.core.cells import datetimes_to_serials, split_ref
from credit_register.core.schema import Column, Language

#: the format a column gets when the schema names none
_TYPE_FORMAT = {"date": "date", "datetime": "datetime", "int": "int", "number": "amount"}
#: narrowest width that still shows a formatted value without ####
_MIN_WIDTH = {"date": 11.0, "datetime": 17.0, "amount": 14.0}

BOOL_LABELS: dict[Language, tuple[str, str]] = {"zh": ("是", "否"), "en": ("Yes", "No")}


def cell_values(frame: pd.DataFrame, column: Column, lang: Language) -> list[object]:
    """One column's cell values, ready for XlsxWriter: Excel serials for dates, labels for codes
    and bools, ``None`` for a blank; a value that does not fit the type is written as given."""
    if column.key not in frame.columns:
        return [None] * len(frame)
    series = frame[column.key]
    raw = series.astype(object).to_numpy()
    if column.type in ("date", "datetime"):
        stamps = pd.to_datetime(series, errors="coerce")
        values = datetimes_to_serials(stamps)
        out = values.astype(object)
        failed = np.isnan(values)
        out[failed] = raw[failed]
    elif column.type in ("number", "int"):
        numbers = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
        out = numbers.astype(object)
        failed = np.isnan(numbers)
        out[failed] = raw[failed]
    elif column.type in ("bool", "code"):
        labels = _label_map(column, lang)
        mapped = series.astype(object).map(labels)
        out = mapped.where(mapped.notna(), series.astype(object)).to_numpy(dtype=object)
    else:
        out = raw.copy()
    out[pd.isna(out)] = None
    return list(out)


def _label_map(column: Column, lang: Language) -> dict[object, str]:
    if column.type == "bool":
        yes, no = BOOL_LABELS[lang]
        return {True: yes, False: no}
    labels: dict[object, str] = {}
    for code in column.codes:
        for spelling in (code.key, code.zh, code.en):
            labels[spelling] = code.label(lang)
    return labels


def display_width(text: str) -> int:
    """Character cells a text takes in Excel's default font: CJK and full-width count double.

    >>> display_width("Amount"), display_width("账期(天)")
    (6, 8)
    """
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in text)


def column_width(column: Column, lang: Language) -> float:
    """The schema's width, else one that fits the header (and a formatted value)."""
    if column.width is not None:
        return column.width
    fmt = column_fmt(column)
    fitted = float(display_width(column.header(lang)) + 3)
    return min(max(fitted, _MIN_WIDTH.get(fmt or "", 8.0)), 50.0)


def column_fmt(column: Column) -> str | None:
    """The column's number format (a key of ``formats.NUMBER_FORMATS``), or its type's."""
    return column.fmt or _TYPE_FORMAT.get(column.type)


def cell_index(address: str) -> tuple[int, int]:
    """``C3`` → ``(2, 2)``: the 0-based row and column XlsxWriter takes."""
    col, row = split_ref(address)
    return row - 1, col
