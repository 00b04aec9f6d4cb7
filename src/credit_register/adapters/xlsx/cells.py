"""Cell values as worksheet XML: numbers, dates, booleans and inline strings, column by column.

The headless writer (:mod:`.file_workbook`) writes whole tables of hundreds of thousands of rows,
so the XML of a table is built column by column with vectorised string operations and joined
once: 500,000 rows x 12 columns is a matter of seconds, not minutes.

Text is written as inline strings, so ``sharedStrings.xml`` stays untouched and a customer name
such as ``=HYPERLINK(...)`` stays text: no ``<f>`` element is ever written. Dates are Excel serial
numbers in the workbook's date system (1900, or 1904 when ``workbookPr date1904`` is set).

Cell addresses (``C12``), Excel's grid limits and the adapter's bilingual error live here too:
every other module of the adapter needs them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import numbers
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from credit_register.core.cells import (
    column_letter,
    datetimes_to_serials,
    from_serial,
)
from credit_register.core.port import WorkbookError

#: Excel's grid and cell limits; beyond them Excel refuses ("repairs") the file
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_TEXT = 32_767

#: characters XML 1.0 cannot carry at all (and lone surrogates, which UTF-8 cannot encode)
_ILLEGAL_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
#: Excel reads ``_x0041_`` in a string as "A"; a literal one is escaped as ``_x005F_x0041_``
_EXCEL_ESCAPE = r"(_x[0-9A-Fa-f]{4}_)"


# --------------------------------------------------------------------------- addresses, errors


def workbook_error(zh: str, en: str) -> WorkbookError:
    """The adapter's error: the Chinese message first, the English one in brackets."""
    return WorkbookError(f"{zh} ({en})")


# --------------------------------------------------------------------------- cell XML, vectorised


@dataclass(frozen=True)
class DateSystem:
    """Excel serial dates: day 1 is 1900-01-01 (with Lotus' phantom 1900-02-29) or 1904-01-02."""

    date1904: bool = False

    @property
    def first_day(self) -> pd.Timestamp:
        """Excel's first date in this system: nothing earlier has a serial."""
        first = from_serial(0 if self.date1904 else 1, date1904=self.date1904)
        assert first is not None  # the first serial of either system is a date
        return pd.Timestamp(first)


#: a column's cells as five parallel sequences (open, row number, attributes, value, close),
#: one entry per row and '' throughout for a blank: the rows are joined from them in one pass,
#: so no cell string is built, copied and copied again
Pieces = list[np.ndarray[Any, Any]]

#: the text after the decimal point for each number of cents
_CENTS = np.array(["", *(f"{cents:02d}".rstrip("0") for cents in range(1, 100))], dtype=object)
_SEPARATOR = "\x00"  # joins a column's texts for one-pass escaping; never left in the output


def object_array(values: Iterable[Any], count: int) -> np.ndarray[Any, Any]:
    """``count`` values as a numpy object array, filled in one pass."""
    return np.fromiter(values, dtype=object, count=count)


def _six_places(value: float) -> str:
    return f"{value:.6f}".rstrip("0")


def _number_text(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Shortest round-trip text of finite floats, as ``repr`` writes them (``0.1``, ``-2.5``), but
    whole numbers without ``.0``.

    Whole numbers and amounts in cents, the usual case, take integer paths (far faster than float
    formatting); a value that is exactly the float of a decimal with at most six places is that
    decimal (two such decimals are too far apart to share a float); the rest go through ``repr``.

    >>> _number_text(np.array([3.0, -2.5, 0.1, 1234567.89, -0.05, 0.125, 1/3, 1e20, -0.0])).tolist()
    ['3', '-2.5', '0.1', '1234567.89', '-0.05', '0.125', '0.3333333333333333', '1e+20', '0']
    """
    values = np.asarray(values, dtype=np.float64)
    text = np.empty(len(values), dtype=object)
    whole = (values == np.floor(values)) & (np.abs(values) < 1e15)
    text[whole] = object_array(map(str, values[whole].astype(np.int64).tolist()), int(whole.sum()))
    hundredths = np.rint(values * 100)
    cents = ~whole & (np.abs(values) < 1e13) & (hundredths / 100 == values)
    if cents.any():
        scaled = hundredths[cents].astype(np.int64)
        sign = np.where(scaled < 0, "-", "").astype(object)
        scaled = np.abs(scaled)
        units = object_array(map(str, (scaled // 100).tolist()), len(scaled))
        text[cents] = sign + units + "." + _CENTS[scaled % 100]
    millionths = np.rint(values * 1e6)
    places = ~whole & ~cents & (np.abs(values) < 1e9) & (millionths / 1e6 == values)
    text[places] = object_array(map(_six_places, values[places].tolist()), int(places.sum()))
    rest = ~whole & ~cents & ~places
    text[rest] = object_array(map(repr, values[rest].tolist()), int(rest.sum()))
    return text


def _escape_text(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """XML-escaped cell text: illegal characters stripped, Excel's ``_xHHHH_`` protected, carriage
    returns written as Excel writes them, cut at Excel's 32,767 characters per cell.

    The column is escaped as one joined string (a handful of C passes) and split again.

    >>> _escape_text(np.array(["a<b & c", "_x0041_", "x\\x07y\\r\\n"], dtype=object)).tolist()
    ['a&lt;b &amp; c', '_x005F_x0041_', 'xy_x000D_\\n']
    """
    texts: list[str] = list(map(str, values.tolist()))
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != max(len(texts) - 1, 0) or (
        max(map(len, texts), default=0) > MAX_TEXT
    ):
        texts = [re.sub(_ILLEGAL_XML, "", text)[:MAX_TEXT] for text in texts]
        joined = _SEPARATOR.join(texts)
    joined = re.sub(_ILLEGAL_XML.replace(r"\x00-", r"\x01-"), "", joined)
    joined = re.sub(_EXCEL_ESCAPE, r"_x005F\1", joined)
    joined = (
        joined.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "_x000D_")
    )
    return object_array(joined.split(_SEPARATOR), len(texts))


def _kind_of(value: object) -> str:
    """The cell kind of one value in a mixed column (the slow path; typed columns skip it)."""
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, numbers.Real | decimal.Decimal):
        return "number"
    if isinstance(value, dt.date | np.datetime64):
        return "date"
    return "text"


def _blank_pieces(count: int) -> Pieces:
    return [np.full(count, "", dtype=object) for _ in range(5)]


def _fill(
    pieces: Pieces,
    where: np.ndarray[Any, Any],
    letter: str,
    rows: np.ndarray[Any, Any],
    attributes: str,
    values: np.ndarray[Any, Any],
    close: str,
) -> None:
    """Cells at ``where``: ``<c r="{letter}{row}"{attributes}{value}{close}``."""
    pieces[0][where] = f'<c r="{letter}'
    pieces[1][where] = rows[where]
    pieces[2][where] = attributes
    pieces[3][where] = values
    pieces[4][where] = close


def column_pieces(
    values: pd.Series,
    letter: str,
    rows: np.ndarray[Any, Any],
    style: str | None,
    dates: DateSystem,
) -> Pieces:
    """The cells of one column for the rows numbered ``rows`` (text), blanks left out."""
    values = values.reset_index(drop=True)
    count = len(values)
    pieces = _blank_pieces(count)
    if count == 0:
        return pieces
    styled = '"' + (f' s="{style}"' if style else "")
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        present = values.notna().to_numpy(dtype=bool)
        flags = np.where(values.fillna(False).to_numpy(dtype=bool), "1", "0").astype(object)
        _fill(pieces, present, letter, rows, styled + ' t="b"><v>', flags[present], "</v></c>")
        return pieces
    if pd.api.types.is_numeric_dtype(dtype):
        numbers_ = values.to_numpy(dtype=np.float64, na_value=np.nan)
        present = np.isfinite(numbers_)  # NaN is a blank; Excel has no infinity
        _fill(
            pieces,
            present,
            letter,
            rows,
            styled + "><v>",
            _number_text(numbers_[present]),
            "</v></c>",
        )
        return pieces
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _date_pieces(values, letter, rows, styled, dates)
    present_mask = values.notna().to_numpy(dtype=bool)
    if isinstance(dtype, pd.StringDtype):
        kind = "string"
    else:
        kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "empty":
        return pieces
    if kind == "string":
        text = _escape_text(values[present_mask].to_numpy(dtype=object))
        nonempty = text != ""
        where = np.flatnonzero(present_mask)[nonempty]
        _fill(
            pieces,
            where,
            letter,
            rows,
            styled + ' t="inlineStr"><is><t xml:space="preserve">',
            text[nonempty],
            "</t></is></c>",
        )
        return pieces
    if kind in ("floating", "integer", "mixed-integer-float", "decimal"):
        as_numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        return column_pieces(as_numbers, letter, rows, style, dates)
    if kind == "boolean":
        return column_pieces(values.astype("boolean"), letter, rows, style, dates)
    if kind in ("datetime", "datetime64", "date"):
        try:
            stamps = pd.to_datetime(values)
        except (ValueError, TypeError, OverflowError):
            pass  # mixed time zones or out of range: treated value by value below
        else:
            return _date_pieces(stamps, letter, rows, styled, dates)
    # a mixed column (History's old and new values): each kind of value written as its kind
    kinds = values.map(_kind_of, na_action="ignore").to_numpy(dtype=object)
    for group in ("bool", "number", "date", "text"):
        chosen = present_mask & (kinds == group)
        if not chosen.any():
            continue
        subset = values[chosen]
        if group == "bool":
            subset = subset.astype(bool)
        elif group == "number":
            subset = subset.astype(float)
        elif group == "date":
            subset = pd.Series(subset.map(_naive_timestamp).tolist(), dtype="datetime64[us]")
        else:
            subset = subset.astype(str)
        part = column_pieces(subset, letter, rows[chosen], style, dates)
        for whole_piece, piece in zip(pieces, part, strict=True):
            whole_piece[chosen] = piece
    return pieces


def _naive_timestamp(value: object) -> pd.Timestamp:
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp


def _date_pieces(
    stamps: pd.Series, letter: str, rows: np.ndarray[Any, Any], styled: str, dates: DateSystem
) -> Pieces:
    pieces = _blank_pieces(len(stamps))
    stamps = stamps.reset_index(drop=True)
    if getattr(stamps.dtype, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)  # the wall-clock time the user saw
    present = stamps.notna().to_numpy(dtype=bool)
    serial = datetimes_to_serials(stamps, date1904=dates.date1904)
    before_excel = present & (stamps < dates.first_day).to_numpy(dtype=bool, na_value=False)
    in_range = present & ~before_excel
    _fill(
        pieces, in_range, letter, rows, styled + "><v>", _number_text(serial[in_range]), "</v></c>"
    )
    if before_excel.any():
        # Excel has no serial before its first day: such a date is kept readable, as text
        text = stamps[before_excel].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        _fill(
            pieces,
            before_excel,
            letter,
            rows,
            styled + ' t="inlineStr"><is><t>',
            text,
            "</t></is></c>",
        )
    return pieces


def rows_xml(
    frame: pd.DataFrame,
    first_row: int,
    styles: Sequence[str | None],
    dates: DateSystem,
) -> str:
    """``<row>`` elements for ``frame`` (columns by position), the first numbered ``first_row``."""
    count = len(frame)
    if count == 0:
        return ""
    rows = object_array(map(str, range(first_row, first_row + count)), count)
    sequences: list[Iterable[str]] = [
        itertools.repeat('<row r="', count),
        rows.tolist(),
        itertools.repeat('">', count),
    ]
    for position in range(frame.shape[1]):
        sequences += [
            piece.tolist()
            for piece in column_pieces(
                frame.iloc[:, position], column_letter(position), rows, styles[position], dates
            )
        ]
    sequences.append(itertools.repeat("</row>", count))
    return "".join(itertools.chain.from_iterable(zip(*sequences, strict=False)))
