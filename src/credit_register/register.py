"""The register as typed tables: what the engines compute on.

``load`` (in ``reader``) turns raw sheets into a ``Register`` plus the issues found. Each table is a
pandas frame whose columns are the schema keys with their types (text → pandas ``str``, number →
``float64``, int → ``Int64``, date → ``datetime64[us]`` (pandas 3's own unit, which reaches the
"no expiry" 9999-12-31), bool → ``boolean``, code → the code's key as ``str``), plus ``_row``: the
Excel row the record came from, so every later finding can still name its cell. Every schema
column is in the frame, all missing when the sheet lacks it, so engines never test for a column.
Unknown (user) columns are kept in ``Table.extra`` untouched. Rows with an *error* are kept in
``frame`` with ``_error=True`` so that engines can leave them out and list them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from credit_register.issues import Issue, column_letter
from credit_register.port import RawSheet
from credit_register.schema import BASE_CURRENCY_DEFAULT, SHEETS, Language, Sheet


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
        return self.frame.loc[~self.frame["_error"]] if "_error" in self.frame else self.frame


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

    def frame(self, key: str) -> pd.DataFrame:
        """The valid rows of a sheet; an empty frame with the sheet's columns when the workbook
        has no such sheet (an output sheet not written yet, History in a new workbook)."""
        table = self.tables.get(key)
        if table is None:
            return pd.DataFrame(columns=[c.key for c in SHEETS[key].columns])
        return table.valid

    def __contains__(self, key: str) -> bool:
        return key in self.tables
