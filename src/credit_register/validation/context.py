"""What every rule sees and yields: the ``Context`` of a run, the ``Finding`` a rule returns, and
the helpers that turn a whole-column mask into located bilingual messages for the offending rows
only.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core.issues import Severity
from credit_register.core.register import Codes, Identifiers, Register
from credit_register.core.schema import Sheet
from credit_register.policy.model import DataLimits

#: amounts are compared to the cent, so float noise never raises an issue


@dataclass(frozen=True)
class Finding:
    """One rule's verdict on one column of one sheet: the offending rows and their messages."""

    sheet: Sheet
    #: schema key of the column holding the offending cell
    column: str
    severity: Severity
    #: labels of the offending rows in the table's frame
    rows: pd.Index
    zh: pd.Series[str]
    en: pd.Series[str]


@dataclass(frozen=True)
class Context:
    """What every rule may look at: the register and the run's settings."""

    register: Register
    base_currency: str
    today: pd.Timestamp
    stale_months: int
    #: the Policy's largest figure and longest ID a cell may hold
    limits: DataLimits = field(default_factory=DataLimits)
    _cache: dict[object, Any] = field(default_factory=dict, compare=False, repr=False)

    def frame(self, sheet: Sheet, *keys: str) -> pd.DataFrame | None:
        """The sheet's frame when the workbook has the tab and the frame every column in ``keys``.

        A missing tab comes as an empty table (``present=False``); the reader has reported it
        once, and judging rows against it (every customer ID "unknown") would bury that message.
        """
        table = self.register.tables.get(sheet.key)
        if table is None or not table.present:
            return None
        if any(key not in table.frame.columns for key in (*keys, "_row")):
            return None
        return table.frame

    def typed(self, sheet: Sheet, key: str) -> bool:
        """Whether the workbook has the column (the frame has every schema column regardless).

        Rules that expect a value (a USCC in China, a default date) run only on a column the user
        keeps: a register without a USCC column is not told of every customer.
        """
        table = self.register.tables.get(sheet.key)
        if table is None or key not in table.frame.columns:
            return False
        return key in table.positions if table.positions else True

    def ids(self, key: str) -> Identifiers:
        """``key`` (one of ``SHARED_IDS``) numbered across the sheets that have it (the
        register's numbering, which the engines reuse)."""
        return self.register.ids(key)

    def distinct(self, sheet: Sheet, key: str) -> tuple[Codes, pd.Index]:
        """A column's values as numbers into its distinct values (-1 where blank), once per run."""
        assert self.frame(sheet, key) is not None, f"{sheet.key}.{key} is not in the register"
        return self.register.distinct(sheet.key, key)


Rule = Callable[[Context], Iterator[Finding]]


def _zh(sheet: Sheet, key: str) -> str:
    return sheet.column(key).zh


def _en(sheet: Sheet, key: str) -> str:
    """The English header as it reads inside a sentence (``due date``, but ``USCC``)."""
    header = sheet.column(key).en
    return header[0].lower() + header[1:] if len(header) > 1 and header[1].islower() else header


def _shown(value: object) -> str:
    """A cell value as a message quotes it: dates as 2026-03-05, amounts as 1,234.50."""
    if value is None or value is pd.NA or value is pd.NaT:
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, float | np.floating):
        if np.isnan(value):
            return ""
        return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"
    return str(value)


def _say(index: pd.Index, *parts: str | pd.Series[Any]) -> pd.Series[str]:
    """A message per offending row, joined from fixed text and the rows' values."""
    message = pd.Series("", index=index, dtype=object)
    for part in parts:
        message = message + (part if isinstance(part, str) else part.map(_shown).astype(object))
    return message


def _found(
    sheet: Sheet,
    column: str,
    severity: Severity,
    bad: pd.DataFrame,
    zh: Sequence[str | pd.Series[Any]],
    en: Sequence[str | pd.Series[Any]],
) -> Iterator[Finding]:
    """A finding for the rows of ``bad``, if there are any (messages are built only for them)."""
    if len(bad):
        yield Finding(
            sheet, column, severity, bad.index, _say(bad.index, *zh), _say(bad.index, *en)
        )


def _flag(mask: pd.Series[Any]) -> pd.Series[bool]:
    """A mask with blanks (``NA`` in Int64/boolean comparisons) counted as not offending."""
    return mask.fillna(False).astype(bool)


def _blank(value: object) -> bool:
    return str(value).strip() == ""


def _present(values: pd.Series[Any]) -> pd.Series[bool]:
    """Cells with a value: not blank and not only spaces."""
    if pd.api.types.is_string_dtype(values.dtype) and values.dtype != object:
        # a typed text column (500,000 invoice numbers): the reader stripped it and made a blank
        # a missing value (``core.values.text``), so a value is simply one that is there
        return values.notna()
    return values.notna() & ~_where_values(values, _blank)


def _fold(text: str) -> str:
    """A code as typed (``ｃｎｙ``, `` cn``) folded for comparison: half-width, trimmed, upper."""
    return unicodedata.normalize("NFKC", str(text)).strip().upper()


def _hits(codes: Codes, distinct: pd.Index, test: Callable[[Any], bool]) -> npt.NDArray[np.bool_]:
    """Rows whose (non-blank) value passes ``test``, testing each *distinct* value once.

    Codes (currencies, countries) repeat across 500,000 invoices but take a handful of values, so
    the test runs on the distinct values and the verdict is spread back by number.
    """
    # over a plain list: indexing an extension array value by value costs more than the test
    verdict = np.array([bool(test(value)) for value in distinct.tolist()] + [False], dtype=bool)
    return verdict[codes]  # -1 (blank) picks the final False


def _at(values: npt.NDArray[Any], codes: Codes, fill: Any) -> npt.NDArray[Any]:
    """``values[codes]`` with ``fill`` where a code is -1 (blank).

    Indexing with -1 would pick the last value, and fail outright when there are no values at
    all (an empty Customers sheet, a register with payments but no invoices yet).

    >>> _at(np.array([10, 20]), np.array([1, -1, 0]), 0).tolist()
    [20, 0, 10]
    >>> _at(np.array([], dtype=bool), np.array([-1, -1]), False).tolist()
    [False, False]
    """
    out = np.full(len(codes), fill, dtype=np.result_type(values.dtype, np.asarray(fill).dtype))
    present = codes >= 0
    out[present] = values[codes[present]]
    return out


def _where_values(values: pd.Series[Any], test: Callable[[Any], bool]) -> pd.Series[bool]:
    codes, distinct = pd.factorize(values)
    return pd.Series(_hits(codes, distinct, test), index=values.index)
