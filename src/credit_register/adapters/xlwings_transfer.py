"""Moving a big sheet between Python and Excel: row blocks per call, error cells, a quiet Excel.

Every value the Excel door reads or writes crosses a process boundary (COM on Windows, Apple
Events on a Mac), one call per range. A register with 500,000 invoices is too big for one call,
and xlwings' own defaults are the sizes that fail: it chunks reads only above 4 million cells on
Windows (the size at which it once failed) and 1.5 million on a Mac (an Apple Event reply is
capped in *bytes*, so a text-heavy range fails earlier), and ``err_to_str`` on a Mac reads every
chunk a second time as text. So this module decides the sizes itself, per platform, and the
stand-in of Excel in the tests counts the cells of every call against them.

Decisions:

- **Blocks of rows, capped in cells.** Windows: 50,000 rows and at most 1,000,000 cells a read;
  a Mac: 15,000 rows and at most 300,000 cells. Writes stay within xlwings' own write heuristic
  (100,000 cells a call on both), so xlwings never splits a block again and what the tests
  count is what Excel receives.
- **Error cells on a Mac without reading twice.** Windows hands errors over as numbers that
  xlwings turns into ``#N/A`` text at no cost (``err_to_str``). On a Mac the values are read
  plainly and the error cells are found with one ``SpecialCells`` call per kind (typed constants,
  formulas) over the sheet; only those cells are read again as text.
- **A quiet Excel while writing.** Screen updating off and calculation manual around the writes
  (a recalculation after every block of a table is what makes a write slow), a status-bar line
  saying which sheet and how far; everything is put back as it was on every path, an exception
  included.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from typing import Any

#: an ``xlwings`` sheet, range or app (xlwings ships no type information)
XlSheet = Any
XlApp = Any

#: what the status bar says (the sheet's tab name and the rows done so far are filled in)
READING = "客户资信管理：正在读取“{sheet}” {done:,}/{total:,} 行 (Credit Register: reading {sheet})"
WRITING = "客户资信管理：正在写入“{sheet}” {done:,}/{total:,} 行 (Credit Register: writing {sheet})"


@dataclass(frozen=True)
class Chunks:
    """How much one call to Excel may carry on a platform."""

    name: str
    #: rows per read or write call
    rows: int
    #: cells per read call (rows x columns)
    read_cells: int
    #: cells per write call (xlwings splits larger writes itself: 100,000)
    write_cells: int
    #: read error cells as ``#N/A`` text with every read (free on Windows, a second read on a Mac)
    errors_with_values: bool

    def rows_per_read(self, columns: int) -> int:
        """Rows in one read of a sheet ``columns`` wide.

        >>> WINDOWS.rows_per_read(12), WINDOWS.rows_per_read(40), MAC.rows_per_read(40)
        (50000, 25000, 7500)
        """
        return max(1, min(self.rows, self.read_cells // max(columns, 1)))

    def rows_per_write(self, columns: int) -> int:
        """Rows in one write of a table ``columns`` wide.

        >>> WINDOWS.rows_per_write(8), MAC.rows_per_write(8)
        (12500, 12500)
        """
        return max(1, min(self.rows, self.write_cells // max(columns, 1)))


WINDOWS = Chunks("windows", 50_000, 1_000_000, 100_000, errors_with_values=True)
MAC = Chunks("mac", 15_000, 300_000, 100_000, errors_with_values=False)


def chunks_for(platform: str | None = None) -> Chunks:
    """The sizes for the platform Python runs on (Excel runs beside it)."""
    return MAC if (platform or sys.platform) == "darwin" else WINDOWS


Progress = Callable[[str, int, int], None]


def _no_progress(sheet: str, done: int, total: int) -> None:
    return None


# ---------------------------------------------------------------------- reading


def read_rows(
    sheet: XlSheet,
    last_row: int,
    last_col: int,
    chunks: Chunks,
    progress: Progress = _no_progress,
    first_row: int = 1,
    *,
    find_errors: bool = True,
) -> list[list[Any]]:
    """Rows ``first_row``..``last_row`` of columns 1..``last_col``, in blocks of
    :meth:`Chunks.rows_per_read` rows; error cells as ``#N/A``-style text (on a Mac only where
    ``find_errors``: a header row read for its labels needs no search)."""
    step = chunks.rows_per_read(last_col)
    name = str(sheet.name)
    values: list[list[Any]] = []
    for top in range(first_row, last_row + 1, step):
        bottom = min(top + step - 1, last_row)
        block = sheet.range((top, 1), (bottom, last_col))
        values.extend(block.options(ndim=2, err_to_str=chunks.errors_with_values).value)
        progress(name, bottom - first_row + 1, last_row - first_row + 1)
    if find_errors and not chunks.errors_with_values and values:
        _put_error_texts(sheet, values, first_row, last_row, last_col, chunks)
    return values


def _put_error_texts(
    sheet: XlSheet,
    values: list[list[Any]],
    first_row: int,
    last_row: int,
    last_col: int,
    chunks: Chunks,
) -> None:
    """Write ``#N/A``, ``#REF!``... into ``values`` where the sheet holds an error: one
    ``SpecialCells`` call per kind of cell, then a read of those cells alone."""
    whole = sheet.range((first_row, 1), (last_row, last_col))
    for kind in ("constants", "formulas"):
        for area in whole.get_special_cells(kind, "errors"):
            top, left = int(area.row), int(area.column)
            rows, cols = area.shape
            bottom, right = min(top + rows - 1, last_row), min(left + cols - 1, last_col)
            step = chunks.rows_per_read(right - left + 1)
            for start in range(top, bottom + 1, step):
                end = min(start + step - 1, bottom)
                part = sheet.range((start, left), (end, right))
                texts = part.options(ndim=2, err_to_str=True).value
                for i, row in enumerate(texts):
                    target = values[start - first_row + i]
                    target[left - 1 : right] = row


def last_filled_row(sheet: XlSheet, last_row: int, last_col: int, chunks: Chunks) -> int:
    """The last row holding a value (1 when only the header, or nothing, is there), read from the
    bottom of the used range upwards: Excel counts formatted or validated empty cells as used,
    so the used range alone would let History drift down the sheet; reading the sheet's tail,
    not the whole sheet, is what keeps an append cheap however long History grows."""
    bottom = last_row
    window = 64
    while bottom > 1:
        top = max(2, bottom - window + 1)
        block = sheet.range((top, 1), (bottom, last_col)).options(ndim=2).value
        for offset in range(len(block) - 1, -1, -1):  # a few dozen rows, from the end
            if any(value not in (None, "") for value in block[offset]):
                return top + offset
        bottom = top - 1
        window = min(window * 4, chunks.rows_per_read(last_col))
    return 1


# ---------------------------------------------------------------------- writing


def write_rows(
    sheet: XlSheet,
    top: int,
    rows: list[list[Any]],
    chunks: Chunks,
    progress: Progress = _no_progress,
) -> None:
    """``rows`` from row ``top`` down, column A on, in blocks of
    :meth:`Chunks.rows_per_write` rows (a small table is one assignment)."""
    if not rows:
        return
    step = chunks.rows_per_write(max(len(row) for row in rows))
    name = str(sheet.name)
    for start in range(0, len(rows), step):
        block = rows[start : start + step]
        sheet.range((top + start, 1)).value = block
        progress(name, start + len(block), len(rows))


# ---------------------------------------------------------------------- the application


def status_line(app: XlApp, template: str) -> Progress:
    """A progress callback writing ``template`` to Excel's status bar (never failing the action
    for a status bar that cannot be set)."""

    def show(sheet: str, done: int, total: int) -> None:
        with suppress(Exception):
            app.status_bar = template.format(sheet=sheet, done=done, total=total)

    return show


@contextmanager
def status_bar(app: XlApp) -> Iterator[None]:
    """Give the status bar back to Excel afterwards, however the block ends."""
    try:
        yield
    finally:
        with suppress(Exception):
            app.status_bar = False  # False: Excel's own status bar again


@contextmanager
def quiet(app: XlApp) -> Iterator[None]:
    """Screen updating off and manual calculation while writing; both restored to what they
    were, and the status bar given back, on every path."""
    saved: dict[str, Any] = {}
    for setting, value in (("screen_updating", False), ("calculation", "manual")):
        try:
            saved[setting] = getattr(app, setting)
            setattr(app, setting, value)
        except Exception:  # a setting this Excel does not offer: leave it alone
            saved.pop(setting, None)
    try:
        with status_bar(app):
            yield
    finally:
        # calculation first: turning it back to automatic recalculates while the screen is
        # still quiet, then the screen shows the result once
        for setting in ("calculation", "screen_updating"):
            if setting in saved:
                with suppress(Exception):
                    setattr(app, setting, saved[setting])
