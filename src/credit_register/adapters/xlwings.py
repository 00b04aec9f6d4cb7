"""The live workbook behind an Excel button: ``WorkbookPort`` over an xlwings ``Book``.

When a finance user clicks a button, the register is the workbook open in front of them, unsaved
edits included; so the button reads and writes it through Excel (xlwings ``RunPython``), not
through the file. This adapter only moves values between Excel and the port's plain Python
values. Everything the credit manager would call a decision lives in the use cases, so that the
button, the command line and the add-in compute the same thing.

Reading is the slow part of a click (every value crosses to another process), so the port reads
**once** (a second ``read()`` gives the same sheets until the port writes) and **only what the
action needs**: the sheets it names in full, every other register sheet by its header row (the
workbook's language and a sheet's column order come from the headers), the user's own tabs not
at all. Big sheets go in blocks sized per platform (:mod:`.xlwings_transfer`).

Excel cannot be driven on the build machine: ``tests/test_excel.py`` checks this module against a
recording stand-in of exactly the xlwings calls used here (``tests/support/excel_standin.py``).
Keep the list short:

- ``book.name``, ``book.sheets`` (iteration, ``.active``, ``len``, ``[i]``, ``.add(name, after=)``
  for an on-demand sheet), ``book.selection``, ``book.app``
- ``app.screen_updating``, ``app.calculation``, ``app.status_bar``
- ``sheet.name``, ``sheet.used_range``, ``sheet.range(cell)`` / ``sheet.range((r1, c1), (r2, c2))``
- ``range.options(ndim=2[, err_to_str=True]).value``, ``range.value = ...``,
  ``range.clear_contents()``, ``range.get_special_cells(kind, "errors")`` (a Mac),
  ``range.last_cell``, ``range.row``, ``range.column``, ``range.shape``, ``range.address``
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Collection
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from credit_register.adapters.xlwings_transfer import (
    READING,
    WRITING,
    Chunks,
    chunks_for,
    last_filled_row,
    quiet,
    read_rows,
    status_bar,
    status_line,
    write_rows,
)
from credit_register.core.cells import split_ref
from credit_register.core.port import (
    RETYPED_TEXT_STARTS,
    CellValue,
    Changes,
    RawSheet,
    Selection,
    WorkbookError,
    keep_as_text,
    wanted_tab,
)
from credit_register.core.schema import ON_DEMAND_SHEETS, SHEETS, Sheet, sheet_for_name, tab_for

#: an ``xlwings.Book`` (xlwings ships no type information)
XlBook = Any
XlSheet = Any

#: one area of an A1 address as Excel gives it: ``$A$3``, ``$A$3:$C$5``, ``$3:$5``, ``$A:$C``
_AREA = re.compile(r"^\$?([A-Z]*)\$?(\d*)(?::\$?([A-Z]*)\$?(\d*))?$")


class XlwingsWorkbook:
    """The workbook open in Excel, as the use cases see every door.

    ``sheets``: the schema keys of the sheets the action reads in full (``None``: every tab);
    ``chunks``: the block sizes (those of the platform Python runs on)."""

    def __init__(
        self,
        book: XlBook,
        sheets: Collection[str] | None = None,
        chunks: Chunks | None = None,
    ) -> None:
        self.book = book
        self.label: str = str(book.name)
        #: where documents go by default: beside the workbook (None for an unsaved workbook)
        self.folder: Path | None = _folder_of(book)
        self.sheets = None if sheets is None else frozenset(sheets)
        self.chunks = chunks or chunks_for()
        self._read: dict[str, RawSheet] | None = None

    # ------------------------------------------------------------------ reading

    def read(self, sheets: Collection[str] | None = None) -> dict[str, RawSheet]:
        """The tabs' values from A1 to the last used cell (header in row 1): in full for the
        sheets the action reads, the header row for the other register sheets. Read once: a
        second call gives the same values until :meth:`apply` writes. With ``sheets`` (schema
        keys), only those sheets' tabs of what was read."""
        if self._read is None:
            app = self.book.app
            progress = status_line(app, READING)
            with status_bar(app):
                self._read = {
                    str(sheet.name): RawSheet(str(sheet.name), rows)
                    for sheet in self.book.sheets
                    if (rows := self._rows(sheet, progress)) is not None
                }
        if sheets is None:
            return self._read
        return {name: raw for name, raw in self._read.items() if wanted_tab(name, sheets)}

    def _rows(self, sheet: XlSheet, progress: Any) -> list[list[Any]] | None:
        found = sheet_for_name(str(sheet.name))
        if self.sheets is None or (found is not None and found.key in self.sheets):
            return _values(sheet, self.chunks, progress)
        if found is None:
            return None  # the user's own tab: no action reads it
        return _values(sheet, self.chunks, progress, header_only=True)

    def selection(self) -> Selection | None:
        """The active tab and the 1-based rows the user selected, across every area
        (Ctrl-click selections), limited to the rows that hold data. The button the user
        clicked sits on that tab (a form button does not take the selection), so the selection
        is where the user left it: on the Customers or Ratings rows for their buttons."""
        selected = self.book.selection
        if selected is None:  # a chart or a shape is selected
            return None
        sheet = self.book.sheets.active
        last_row = int(sheet.used_range.last_cell.row)
        areas = str(selected.address).split(",")
        rows = sorted({row for area in areas for row in _area_rows(area, last_row)})
        return Selection(str(sheet.name), rows)

    # ------------------------------------------------------------------ writing

    def apply(self, changes: Changes) -> None:
        """Write ``changes``. Every target tab is looked up before the first write, so a
        missing tab leaves the workbook untouched. Excel's screen and calculation are quiet
        meanwhile and put back after."""
        keys = {*changes.tables, *changes.append, *changes.cells}
        found = {key: self._find(key) for key in sorted(keys)}
        for key, sheet in found.items():
            if sheet is None and SHEETS.get(key) not in ON_DEMAND_SHEETS:
                raise self._missing(key)
        # an on-demand sheet (Import mappings, Calibration) is added once nothing can fail
        sheets = {key: sheet or self._added(SHEETS[key], changes) for key, sheet in found.items()}
        self._read = None  # what was read is no longer the workbook
        app = self.book.app
        progress = status_line(app, WRITING)
        with quiet(app):
            for key, frame in changes.tables.items():
                header = [str(c) for c in frame.columns]
                _replace_table(sheets[key], header, _rows_for_excel(frame), self.chunks, progress)
            for key, rows in changes.append.items():
                if rows:
                    values = _rows_for_excel(pd.DataFrame(rows, dtype=object))
                    _append_rows(sheets[key], values, self.chunks, progress)
            for key, cells in changes.cells.items():
                for address, column in _cell_runs(cells):
                    sheets[key].range(address).value = column

    def preflight(self) -> None:
        """Nothing to check: Excel itself holds the open workbook."""

    def record(self, changes: Changes) -> None:
        """Written to the open workbook at once."""
        self.apply(changes)

    def _find(self, key: str) -> XlSheet | None:
        sheets = {str(sheet.name): sheet for sheet in self.book.sheets}
        name = tab_for(sheets, key)
        return None if name is None else sheets[name]

    def _added(self, sheet: Sheet, changes: Changes) -> XlSheet:
        """An on-demand sheet the register does not have yet, after the last tab, with its
        header row in the workbook's language."""
        last = self.book.sheets[len(self.book.sheets) - 1]
        added = self.book.sheets.add(sheet.name(changes.lang), after=last)
        header = changes.headers.get(sheet.key) or sheet.headers(changes.lang)
        added.range("A1").value = [header]
        return added

    def _missing(self, key: str) -> WorkbookError:
        wanted = SHEETS.get(key)
        zh, en = (wanted.zh, wanted.en) if wanted else (key, key)
        return WorkbookError(
            f"工作簿中找不到“{zh}”工作表，未写入任何内容；请恢复该工作表后重试。"
            f" (The workbook has no '{en}' sheet; nothing was written. Restore the sheet and"
            " try again.)"
        )


def _folder_of(book: XlBook) -> Path | None:
    full = getattr(book, "fullname", None)
    if not full or "://" in str(full):  # unsaved, or on OneDrive/SharePoint
        return None
    return Path(str(full)).parent


# ---------------------------------------------------------------------- Excel ranges


def _values(
    sheet: XlSheet, chunks: Chunks, progress: Any, *, header_only: bool = False
) -> list[list[Any]]:
    # Read from A1, not from the used range's corner: a sheet whose first rows or columns are
    # blank has a used range starting at, say, B3, and RawSheet promises rows[0] is Excel row 1.
    last = sheet.used_range.last_cell
    last_row, last_col = int(last.row), int(last.column)
    values = read_rows(
        sheet,
        1 if header_only else last_row,
        last_col,
        chunks,
        progress,
        find_errors=not header_only,
    )
    if last_row == 1 and last_col == 1 and values == [[None]]:
        return []  # Excel reports A1 as the used range of an empty sheet
    return values


def _replace_table(
    sheet: XlSheet, header: list[str], rows: list[list[CellValue]], chunks: Chunks, progress: Any
) -> None:
    last = sheet.used_range.last_cell
    last_row, last_col = int(last.row), int(last.column)
    # clear_contents keeps the header's formatting, column formats and widths (register.md)
    if last_row >= 2:
        sheet.range((2, 1), (last_row, last_col)).clear_contents()
    if last_col > len(header):  # a stale header cell right of the new header
        sheet.range((1, len(header) + 1), (1, last_col)).clear_contents()
    # the header goes with the first block: a small table is one round trip to Excel
    write_rows(sheet, 1, [[excel_value(h) for h in header], *rows], chunks, progress)


def _append_rows(
    sheet: XlSheet, rows: list[list[CellValue]], chunks: Chunks, progress: Any
) -> None:
    # Below the last row holding a value, found from the bottom of the used range: History is
    # never read whole to add a few rows to it.
    last = sheet.used_range.last_cell
    first_free = last_filled_row(sheet, int(last.row), int(last.column), chunks) + 1
    write_rows(sheet, first_free, rows, chunks, progress)


def _cell_runs(cells: dict[str, CellValue]) -> list[tuple[str, list[list[CellValue]]]]:
    """Single cells grouped into runs down a column (``C10``..``C26`` is one write, not 17),
    each as its top cell's address and a one-column block of Excel-ready values.

    >>> _cell_runs({"C11": "ok", "C10": 1, "E3": None})
    [('C10', [[1], ['ok']]), ('E3', [[None]])]
    """
    placed = sorted((split_ref(address), address) for address in cells)
    runs: list[tuple[str, list[list[CellValue]]]] = []
    previous: tuple[int, int] | None = None
    for (col, row), address in placed:
        value = [excel_value(cells[address])]
        if previous is not None and previous == (col, row - 1):
            runs[-1][1].append(value)
        else:
            runs.append((address, [value]))
        previous = (col, row)
    return runs


def _area_rows(area: str, last_row: int) -> range:
    match = _AREA.match(area.strip())
    if match is None:
        return range(0)
    _, first, _, last = match.groups()
    top = int(first) if first else 1  # ``$A:$C``: whole columns
    bottom = int(last) if last else (top if first else last_row)
    return range(top, min(bottom, last_row) + 1)


# ---------------------------------------------------------------------- values


def excel_value(value: object) -> CellValue:
    """A value as xlwings hands it to Excel: plain Python, blank for NaN/NaT/None, and text
    that Excel would take for a formula kept as text.

    >>> excel_value(np.int64(3)), excel_value(float("nan")), excel_value(pd.NaT)
    (3, None, None)
    >>> excel_value(pd.Timestamp("2026-03-05 08:30"))
    datetime.datetime(2026, 3, 5, 8, 30)
    >>> excel_value("=1+1")
    "'=1+1"
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime()
    if isinstance(value, np.datetime64):
        stamp = pd.Timestamp(value)
        return None if pd.isna(stamp) else stamp.to_pydatetime()
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, str | int | float | bool | dt.date):
        return keep_as_text(value)
    return keep_as_text(str(value))


_EXCEL_VALUE = np.frompyfunc(excel_value, 1, 1)


def _rows_for_excel(frame: pd.DataFrame) -> list[list[CellValue]]:
    """The frame's rows as lists of Excel-ready values, converted a column at a time."""
    if frame.empty:
        return []
    columns = [_column_for_excel(frame.iloc[:, i]) for i in range(frame.shape[1])]
    rows: list[list[CellValue]] = np.column_stack(columns).tolist()
    return rows


def _column_for_excel(column: pd.Series) -> np.ndarray:
    blank = column.isna().to_numpy()
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            column = column.dt.tz_localize(None)  # Excel has no time zones: keep the wall time
        values = np.asarray(column.dt.to_pydatetime(), dtype=object)
    elif isinstance(column.dtype, pd.StringDtype):
        values = np.array(column.to_numpy(dtype=object), dtype=object)
        formula_like = column.str.startswith(RETYPED_TEXT_STARTS).fillna(False).to_numpy(dtype=bool)
        values[formula_like] = "'" + column[formula_like].to_numpy(dtype=object)
    elif column.dtype == object:
        # mixed content (History's old/new values): numpy scalars, Timestamps, formula-like text
        # (frompyfunc, not Series.map: map re-infers datetimes into Timestamps)
        values = _EXCEL_VALUE(column.to_numpy(dtype=object))
    else:  # numbers and booleans: astype(object) yields Python int/float/bool
        values = column.astype(object).to_numpy(dtype=object)
    values = np.array(values, dtype=object)  # a writable copy (pandas hands out read-only views)
    values[blank] = None
    return values
