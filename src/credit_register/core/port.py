"""The workbook port: what every door (xlwings, the file, the add-in) offers the use cases.

A use case reads the sheets as raw values (``RawSheet``: the used range, header in row 1), computes,
and hands back one ``Changes`` value: tables that replace an output sheet's data rows, rows to
append (History), and single cells to set (the Dashboard figures, ``approved_limit``). Each adapter
applies ``Changes`` all or nothing, so an action gives identical results whichever door it came
through, and the add-in can ship ``Changes`` as JSON.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Protocol

import pandas as pd

#: characters that make Excel (or Office.js, or a CSV import) read typed text as a formula
FORMULA_TRIGGERS = ("=", "+", "-", "@")
#: text that Excel re-reads when it is typed in: formulas, and digits it turns into numbers or
#: dates (a customer id "00123" would become 123, "2025-03" a date)
RETYPED_TEXT_STARTS = (*FORMULA_TRIGGERS, *"0123456789")

CellValue = str | float | int | bool | dt.date | dt.datetime | None


@dataclass
class RawSheet:
    """A sheet's used range as values: ``rows[0]`` is the header row (Excel row 1).

    Values are what the reader delivers: ``str``, ``float``/``int``, ``bool``, ``datetime.date`` /
    ``datetime.datetime``, ``None`` for a blank cell, and Excel error values as the strings
    ``#N/A``, ``#REF!``, ... (the validator reports them).
    """

    name: str
    rows: list[list[Any]]


@dataclass
class Selection:
    """What the user has selected in Excel: the tab and the 1-based row numbers."""

    sheet: str
    rows: list[int]


@dataclass
class Changes:
    """Everything an action writes, keyed by schema sheet key (``ratings``, ``history``...).

    ``tables``: the full new content of an output sheet below its header: a frame whose columns
    are the header labels to write, in order (schema columns in the workbook's language, then
    carried-over user columns). ``append``: rows to add at the end (History), each a list in the
    sheet's header order. ``cells``: single cells, ``{"dashboard": {"C3": value}}``.
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    append: dict[str, list[list[CellValue]]] = field(default_factory=dict)
    cells: dict[str, dict[str, CellValue]] = field(default_factory=dict)

    def merge(self, other: Changes) -> Changes:
        self.tables.update(other.tables)
        for key, rows in other.append.items():
            self.append.setdefault(key, []).extend(rows)
        for key, cells in other.cells.items():
            self.cells.setdefault(key, {}).update(cells)
        return self

    def __bool__(self) -> bool:
        return bool(self.tables or self.append or self.cells)


class WorkbookPort(Protocol):
    """A register workbook, whichever door it came through."""

    #: the file name used in issue places, e.g. ``credit_register.xlsm``
    label: str

    def read(self) -> dict[str, RawSheet]:
        """Every sheet's used range, keyed by the tab name as it appears in the workbook."""
        ...

    def selection(self) -> Selection | None:
        """The user's selection, where the door has one (Excel, the add-in); else ``None``."""
        ...

    def apply(self, changes: Changes) -> None:
        """Write ``changes`` all or nothing. Raises ``WorkbookError`` with a user message."""
        ...


class WorkbookError(Exception):
    """An environment problem a user can fix (file open in Excel, not a workbook, read-only).

    The message is bilingual and shown as is; never a traceback.
    """


def keep_as_text(value: CellValue) -> CellValue:
    """Text that Excel would re-read (a formula, a number, a date), prefixed with an apostrophe
    for the doors (xlwings, Office.js) that type values into cells: Excel then stores the text as
    it is and does not show the apostrophe. The file writer stores text as inline strings, which
    Excel never re-reads, so it does not need this.

    >>> keep_as_text('=HYPERLINK("http://x","y")')
    '\\'=HYPERLINK("http://x","y")'
    >>> keep_as_text("00123"), keep_as_text("ACME"), keep_as_text(-3)
    ("'00123", 'ACME', -3)
    """
    if isinstance(value, str) and value.startswith(RETYPED_TEXT_STARTS):
        return "'" + value
    return value
