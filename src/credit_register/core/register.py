"""The register as typed tables: what the engines compute on.

``load`` (in ``reader``) turns raw sheets into a ``Register`` plus the issues found. Each table is a
pandas frame whose columns are the schema keys with their types (text → pandas ``str``, number →
``float64``, int → ``Int64``, date → ``datetime64[us]`` (pandas 3's own unit, which reaches the
"no expiry" 9999-12-31), bool → ``boolean``, code → the code's key as ``str``), plus ``_row``: the
Excel row the record came from, so every later finding can still name its cell. Every schema
column is in the frame, all missing when the sheet lacks it, so engines never test for a column.
Unknown (user) columns are kept in ``Table.extra`` untouched. Rows with an *error* are kept in
``frame`` with ``_error=True`` so that engines can leave them out and list them.

Hashing text is the dearest step on a large register (500,000 invoice numbers, 400,000 payments
quoting them), so the identifiers quoted across sheets — customer IDs, invoice numbers — are
numbered **once per loaded register** (``Register.ids``), and so are the code-like columns of one
sheet (``Register.distinct``: currencies). Validation numbers them first, to find duplicates and
unknown references; the engines then join customers, invoices and payments on those integers
instead of hashing the text again. A table's rows never change after loading (validation only
flags ``_error``); a table whose frame is replaced is numbered afresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core import schema
from credit_register.core.issues import Issue, column_letter
from credit_register.core.port import RawSheet
from credit_register.core.schema import BASE_CURRENCY_DEFAULT, SHEETS, Language, Sheet

Codes = npt.NDArray[np.intp]

#: identifiers quoted across sheets, numbered alike on all of them
SHARED_IDS: dict[str, tuple[Sheet, ...]] = {
    "customer_id": tuple(s for s in schema.INPUT_SHEETS if s.has("customer_id")),
    "invoice_no": (schema.INVOICES, schema.PAYMENTS),
}


@dataclass(frozen=True)
class Identifiers:
    """One identifier (customer ID, invoice number) numbered alike on every sheet quoting it."""

    #: sheet key → the number of each row's identifier (rows of ``Table.frame``, error rows
    #: included), -1 where blank; only the sheets the workbook has
    codes: dict[str, Codes]
    #: the distinct identifiers: number ``n`` is ``values[n]``
    values: npt.NDArray[np.object_]

    @property
    def count(self) -> int:
        return len(self.values)

    def first_position(self, sheet: Sheet) -> Codes:
        """Per identifier: the position of its first row on ``sheet``, -1 when not there."""
        return first_positions(self.codes[sheet.key], self.count)


def first_positions(codes: Codes, count: int) -> Codes:
    """Per number below ``count``: the position of its first row in ``codes``, -1 if none."""
    first = np.full(count, -1, dtype=np.intp)
    present = np.flatnonzero(codes >= 0)
    numbers = codes[present]
    if np.all(numbers[1:] > numbers[:-1]):
        # each number once, in order (invoice numbers, numbered on their own sheet first)
        first[numbers] = present
        return first
    numbers, where = np.unique(numbers, return_index=True)
    first[numbers] = present[where]
    return first


@dataclass
class Table:
    sheet: Sheet
    #: the tab name as it appears in the workbook (either language)
    name: str
    #: schema keys as columns (typed), plus ``_row`` (Excel row, int) and ``_error`` (bool)
    frame: pd.DataFrame
    #: schema key → 0-based column index in the workbook, for cell places
    positions: dict[str, int] = field(default_factory=dict)
    #: unknown columns as read, by their header text, aligned with ``frame``'s rows
    extra: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: False when the workbook has no such tab: the frame is then empty (typed) and ``name`` is
    #: the schema's name in the workbook's language
    present: bool = True

    def cell(self, key: str, row: int) -> str:
        """``F17`` for column ``key`` in Excel row ``row``."""
        return f"{column_letter(self.positions[key])}{row}" if key in self.positions else f"{row}"

    @property
    def valid(self) -> pd.DataFrame:
        """The rows without errors: what the engines compute on."""
        mask = self.valid_mask
        return self.frame if mask is None else self.frame.loc[mask]

    @property
    def valid_mask(self) -> npt.NDArray[np.bool_] | None:
        """Per row of ``frame``: it has no error; ``None`` before any row could be marked (no
        ``_error`` column)."""
        if "_error" not in self.frame:
            return None
        return np.asarray(~self.frame["_error"].to_numpy(dtype=bool), dtype=bool)


@dataclass
class Register:
    label: str
    lang: Language
    tables: dict[str, Table]
    as_of: dt.date
    base_currency: str = BASE_CURRENCY_DEFAULT
    issues: list[Issue] = field(default_factory=list)
    #: the Dashboard tab as read (it is a form, not a table), ``None`` when the workbook has none
    dashboard: RawSheet | None = None
    #: numberings already made (see ``ids``, ``distinct``), with the frames they were made from
    _numbered: dict[object, tuple[tuple[pd.DataFrame, ...], Any]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def frame(self, key: str) -> pd.DataFrame:
        """The valid rows of a sheet; an empty frame with the sheet's columns when the workbook
        has no such sheet (an output sheet not written yet, History in a new workbook)."""
        table = self.tables.get(key)
        if table is None:
            return pd.DataFrame(columns=[c.key for c in SHEETS[key].columns])
        return table.valid

    def __contains__(self, key: str) -> bool:
        return key in self.tables

    def _cached(self, name: object, frames: tuple[pd.DataFrame, ...]) -> Any:
        """A numbering made before from these very frames, else ``None``."""
        made = self._numbered.get(name)
        if made is None or len(made[0]) != len(frames):
            return None
        return made[1] if all(a is b for a, b in zip(made[0], frames, strict=True)) else None

    def ids(self, key: str) -> Identifiers:
        """``key`` (one of ``SHARED_IDS``) numbered across the sheets the workbook has, once."""
        tables = {
            s.key: t
            for s in SHARED_IDS[key]
            if (t := self.tables.get(s.key)) is not None and t.present
        }
        frames = tuple(t.frame for t in tables.values())
        found = self._cached(key, frames)
        if found is None:
            values = [frame[key].to_numpy(dtype=object) for frame in frames]
            joined = np.concatenate(values) if values else np.array([], dtype=object)
            codes, distinct = pd.factorize(joined)
            bounds = np.cumsum([0, *(len(v) for v in values)])
            parts = zip(tables, bounds, bounds[1:], strict=False)
            found = Identifiers(
                {sheet: codes[a:b] for sheet, a, b in parts}, np.asarray(distinct, dtype=object)
            )
            self._numbered[key] = (frames, found)
        ids: Identifiers = found
        return ids

    def distinct(self, sheet_key: str, key: str) -> tuple[Codes, pd.Index]:
        """A column's values (all rows of ``Table.frame``) as numbers into its distinct values
        (-1 where blank), once per register."""
        table = self.tables.get(sheet_key)
        frame = table.frame if table is not None else self.frame(sheet_key)
        found = self._cached((sheet_key, key), (frame,))
        if found is None:
            found = pd.factorize(frame[key])
            self._numbered[sheet_key, key] = ((frame,), found)
        numbered: tuple[Codes, pd.Index] = found
        return numbered

    def valid_rows(self, sheet_key: str, values: npt.NDArray[Any]) -> npt.NDArray[Any]:
        """``values`` (one per row of ``Table.frame``) for the rows ``frame(sheet_key)`` returns."""
        table = self.tables.get(sheet_key)
        mask = None if table is None else table.valid_mask
        return values if mask is None or mask.all() else values[mask]

    def numbers(self, key: str, sheet_key: str) -> Codes:
        """The numbers of ``key`` (see ``ids``) for the rows ``frame(sheet_key)`` returns; -1
        where blank. An empty array when the workbook has no such sheet."""
        codes = self.ids(key).codes.get(sheet_key)
        if codes is None:
            return np.full(len(self.frame(sheet_key)), -1, dtype=np.intp)
        return self.valid_rows(sheet_key, codes)
