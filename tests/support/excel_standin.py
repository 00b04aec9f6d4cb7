"""A recording stand-in of Excel, as xlwings shows it, for the Excel door's tests.

Excel cannot run on the build machine, so ``tests/test_excel.py`` and ``tests/test_excel_big.py``
drive ``adapters.xlwings`` and ``excel`` through this stand-in of exactly the xlwings objects they
touch. It behaves like Excel where it matters to a user: numbers come back as floats, dates as
datetimes, a leading apostrophe keeps text as text, text starting with ``=`` becomes a formula
(so a test fails if the adapter ever sends one), error cells read as ``None`` unless asked for as
text, and ``SpecialCells`` finds them. It records every call with the number of cells it carried,
so a test can hold every call to a limit. Anything else the adapter might call is missing on
purpose (``__slots__``, no extra methods): an adapter that drifts to other xlwings calls fails
here with ``AttributeError`` before it fails on a user's PC.

Cells live in one numpy object grid per sheet, so a sheet of 500,000 rows fits in memory.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from credit_register.core.cells import column_letter

#: every xlwings call the adapter and the entry point may make (kept in step with the list in
#: adapters/xlwings.py's docstring); the stand-in has nothing else
XLWINGS_CALLS = {
    "used_range",
    "options",
    "value",
    "value=",
    "clear_contents",
    "get_special_cells",
    "add",
}


class Formula(str):
    """What Excel makes of text starting with = + - @: a formula, not the text typed."""


@dataclass(frozen=True)
class CellError:
    """An error value in a cell (``#N/A``), typed in as a constant or the result of a formula."""

    text: str
    formula: bool = False


def store(value: Any) -> Any:
    """A value as Excel keeps it after xlwings typed it into a cell."""
    if value is None or (type(value) is str and value == ""):
        return None
    if type(value) is str:
        if value.startswith("'"):
            return value[1:]  # the apostrophe only marks the cell as text
        return Formula(value) if value.startswith(("=", "+", "-", "@")) else value
    if type(value) is bool or type(value) is CellError:
        return value
    if type(value) in (int, float):
        if value != value:
            raise ValueError("NaN would reach Excel")
        return float(value)  # Excel keeps every number as a double
    if type(value) is dt.datetime:
        return value
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    raise TypeError(f"the stand-in (like a careful adapter) takes plain Python only: {value!r}")


_STORE = np.frompyfunc(store, 1, 1)


def _shown(value: Any, err_to_str: bool) -> Any:
    if type(value) is CellError:
        return value.text if err_to_str else None
    return value


_SHOWN = np.frompyfunc(_shown, 2, 1)


def cell_index(address: str) -> tuple[int, int]:
    match = re.fullmatch(r"\$?([A-Z]+)\$?(\d+)", address)
    if match is None:
        raise ValueError(f"unsupported address {address!r}")
    letters, digits = match.groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits), col


Area = tuple[int, int, int, int]  # top, left, bottom, right (1-based, inclusive)


def area_cells(area: Area) -> int:
    top, left, bottom, right = area
    return (bottom - top + 1) * (right - left + 1)


@dataclass(frozen=True)
class Call:
    """One call the adapter made: what, on which tab, where, how many cells it carried."""

    kind: str
    sheet: str
    address: str
    cells: int = 0
    value: Any = None


class FakeRange:
    __slots__ = ("_areas", "_err_to_str", "_ndim", "_sheet")

    def __init__(
        self, sheet: FakeSheet, areas: list[Area], ndim: int | None = None, err_to_str: bool = False
    ) -> None:
        self._sheet, self._areas, self._ndim, self._err_to_str = sheet, areas, ndim, err_to_str

    def options(self, *, ndim: int, err_to_str: bool = False) -> FakeRange:
        cells = area_cells(self._areas[0])
        self._sheet.book.record("options", self._sheet.name, self.address, cells, err_to_str)
        return FakeRange(self._sheet, self._areas, ndim, err_to_str)

    @property
    def value(self) -> Any:
        area = self._areas[0]
        self._sheet.book.record("value", self._sheet.name, self.address, area_cells(area))
        grid = self._sheet.block(area, self._err_to_str)
        if self._ndim == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        if len(grid) == 1:
            return grid[0]
        return [row[0] for row in grid] if len(grid[0]) == 1 else grid

    @value.setter
    def value(self, value: Any) -> None:
        top, left = self._areas[0][:2]
        rows: list[list[Any]]
        if isinstance(value, list | tuple):
            nested = bool(value) and isinstance(value[0], list | tuple)
            rows = [list(row) for row in value] if nested else [list(value)]
        else:
            rows = [[value]]
        cells = sum(len(row) for row in rows)
        self._sheet.book.record("value=", self._sheet.name, self.address, cells, value)
        self._sheet.put(top, left, rows)

    def clear_contents(self) -> None:
        self._sheet.book.record("clear_contents", self._sheet.name, self.address)
        self._sheet.clear(self._areas[0])

    def get_special_cells(self, cell_type: str, value_type: str | None = None) -> list[FakeRange]:
        """The areas of error cells (``cell_type`` constants or formulas, ``value_type``
        errors: the only query the adapter makes), a run down a column as one area."""
        self._sheet.book.record("get_special_cells", self._sheet.name, self.address)
        if value_type != "errors" or cell_type not in ("constants", "formulas"):
            raise NotImplementedError(f"SpecialCells({cell_type}, {value_type})")
        found = self._sheet.errors(self._areas[0], formula=cell_type == "formulas")
        areas: list[Area] = []
        for row, col in found:  # column by column, top to bottom
            last = areas[-1] if areas else None
            if last is not None and last[1] == col and last[2] == row - 1:
                areas[-1] = (last[0], col, row, col)
            else:
                areas.append((row, col, row, col))
        return [FakeRange(self._sheet, [a]) for a in areas]

    @property
    def row(self) -> int:
        return self._areas[0][0]

    @property
    def column(self) -> int:
        return self._areas[0][1]

    @property
    def shape(self) -> tuple[int, int]:
        top, left, bottom, right = self._areas[0]
        return bottom - top + 1, right - left + 1

    @property
    def last_cell(self) -> FakeRange:
        _, _, bottom, right = self._areas[0]
        return FakeRange(self._sheet, [(bottom, right, bottom, right)])

    @property
    def address(self) -> str:
        def one(area: Area) -> str:
            top, left, bottom, right = area
            first = f"${column_letter(left - 1)}${top}"
            return (
                first
                if (top, left) == (bottom, right)
                else (f"{first}:${column_letter(right - 1)}${bottom}")
            )

        return ",".join(one(a) for a in self._areas)


class FakeSheet:
    # no ``api``: the door never reaches past xlwings into COM (which shape was clicked is not
    # asked: each button's macro names its action)
    __slots__ = ("_grid", "book", "name")

    def __init__(self, book: FakeBook, name: str) -> None:
        self.book, self.name = book, name
        self._grid: np.ndarray[Any, Any] = np.full((0, 0), None, dtype=object)

    # -- what the tests look at (not xlwings)

    @property
    def cells(self) -> dict[tuple[int, int], Any]:
        """Every filled cell, ``(row, column)`` → value (1-based): for small sheets."""
        rows, cols = np.nonzero(self._filled())
        return {(int(r) + 1, int(c) + 1): self._grid[r, c] for r, c in zip(rows, cols, strict=True)}

    def fill(self, rows: list[list[Any]], top: int = 1, left: int = 1) -> FakeSheet:
        """Test set-up: what a user typed (stored the way Excel keeps it)."""
        self.put(top, left, rows)
        return self

    def fill_grid(self, grid: np.ndarray[Any, Any]) -> FakeSheet:
        """Test set-up for a big sheet: an object array of stored values from A1."""
        self._grid = np.array(grid, dtype=object)
        return self

    # -- what the fake Excel does

    def _filled(self) -> np.ndarray[Any, Any]:
        filled: np.ndarray[Any, Any] = self._grid != None  # noqa: E711 (elementwise)
        return filled

    def _grow(self, bottom: int, right: int) -> None:
        rows, cols = self._grid.shape
        if bottom <= rows and right <= cols:
            return
        bigger = np.full((max(bottom, rows), max(right, cols)), None, dtype=object)
        bigger[:rows, :cols] = self._grid
        self._grid = bigger

    def block(self, area: Area, err_to_str: bool) -> list[list[Any]]:
        top, left, bottom, right = area
        self._grow(bottom, right)
        part = self._grid[top - 1 : bottom, left - 1 : right]
        shown: list[list[Any]] = _SHOWN(part, err_to_str).tolist()
        return shown

    def put(self, top: int, left: int, rows: list[list[Any]]) -> None:
        if not rows:
            return
        width = max(len(row) for row in rows)
        block = np.full((len(rows), width), None, dtype=object)
        for i, row in enumerate(rows):
            block[i, : len(row)] = row
        self._grow(top + len(rows) - 1, left + width - 1)
        self._grid[top - 1 : top - 1 + len(rows), left - 1 : left - 1 + width] = _STORE(block)

    def clear(self, area: Area) -> None:
        top, left, bottom, right = area
        self._grid[top - 1 : bottom, left - 1 : right] = None

    def errors(self, area: Area, *, formula: bool) -> list[tuple[int, int]]:
        top, left, bottom, right = area
        part = self._grid[top - 1 : bottom, left - 1 : right]
        is_error = np.frompyfunc(lambda v: type(v) is CellError and v.formula is formula, 1, 1)
        rows, cols = np.nonzero(is_error(part).astype(bool))
        order = np.lexsort((rows, cols))
        return [(int(rows[i]) + top, int(cols[i]) + left) for i in order]

    @property
    def used_range(self) -> FakeRange:
        self.book.record("used_range", self.name, "")
        filled = self._filled()
        rows, cols = np.nonzero(filled.any(axis=1))[0], np.nonzero(filled.any(axis=0))[0]
        if not rows.size:
            return FakeRange(self, [(1, 1, 1, 1)])  # Excel's answer for an empty sheet
        return FakeRange(
            self, [(int(rows[0]) + 1, int(cols[0]) + 1, int(rows[-1]) + 1, int(cols[-1]) + 1)]
        )

    def range(self, first: str | tuple[int, int], last: tuple[int, int] | None = None) -> FakeRange:
        top, left = cell_index(first) if isinstance(first, str) else first
        bottom, right = (top, left) if last is None else last
        return FakeRange(self, [(top, left, bottom, right)])


class FakeSheets:
    __slots__ = ("_book", "_sheets")

    def __init__(self, book: FakeBook) -> None:
        self._book = book
        self._sheets: list[FakeSheet] = []

    def __getitem__(self, key: str | int) -> FakeSheet:
        if isinstance(key, int):
            return self._sheets[key]
        return next(s for s in self._sheets if s.name.lower() == key.lower())

    def __iter__(self) -> Iterator[FakeSheet]:
        return iter(list(self._sheets))

    def __len__(self) -> int:
        return len(self._sheets)

    @property
    def active(self) -> FakeSheet:
        return self._book.active_sheet

    def add(
        self, name: str, before: FakeSheet | None = None, after: FakeSheet | None = None
    ) -> FakeSheet:
        """A new tab (xlwings' ``Sheets.add``), after ``after`` or at the end."""
        self._book.record("add", name, "")
        sheet = FakeSheet(self._book, name)
        at = len(self._sheets) if after is None else self._sheets.index(after) + 1
        self._sheets.insert(at, sheet)
        return sheet


class FakeApp:
    """The application: message boxes, and the settings the door turns off while it writes
    (each change logged in ``settings``, each status-bar text in ``statuses``)."""

    __slots__ = ("_calculation", "_screen_updating", "_status_bar", "alerts", "api", "settings")

    def __init__(self) -> None:
        #: Excel's own object model (``app.api``): absent, as on a Mac, unless a test sets one
        self.api: Any = None
        self.alerts: list[dict[str, Any]] = []
        self.settings: list[tuple[str, Any]] = []
        self._screen_updating: bool = True
        self._calculation: str = "automatic"
        self._status_bar: str | bool = False

    @property
    def screen_updating(self) -> bool:
        return self._screen_updating

    @screen_updating.setter
    def screen_updating(self, value: bool) -> None:
        self.settings.append(("screen_updating", value))
        self._screen_updating = value

    @property
    def calculation(self) -> str:
        return self._calculation

    @calculation.setter
    def calculation(self, value: str) -> None:
        if value not in ("manual", "automatic", "semiautomatic"):
            raise ValueError(value)
        self.settings.append(("calculation", value))
        self._calculation = value

    @property
    def status_bar(self) -> str | bool:
        return self._status_bar

    @status_bar.setter
    def status_bar(self, value: str | bool) -> None:
        self.settings.append(("status_bar", value))
        self._status_bar = value

    @property
    def statuses(self) -> list[str]:
        return [str(v) for k, v in self.settings if k == "status_bar" and v is not False]

    def alert(
        self,
        prompt: str,
        title: str | None = None,
        buttons: str = "ok",
        mode: str | None = None,
        callback: str | None = None,
    ) -> str:
        self.alerts.append({"prompt": prompt, "title": title, "mode": mode})
        return "ok"


class FakeBook:
    __slots__ = ("active_sheet", "app", "calls", "fullname", "name", "selection", "sheets")

    def __init__(self, fullname: Path) -> None:
        self.fullname = str(fullname)
        self.name = fullname.name
        self.app = FakeApp()
        self.sheets = FakeSheets(self)
        self.calls: list[Call] = []
        self.selection: FakeRange | None = None
        self.active_sheet: FakeSheet

    def add(self, name: str, rows: list[list[Any]] | None = None) -> FakeSheet:
        sheet = FakeSheet(self, name).fill(rows or [])
        self.sheets._sheets.append(sheet)
        self.active_sheet = self.sheets[0]
        return sheet

    def select(self, sheet: FakeSheet, *areas: Area) -> None:
        """The user clicks ``sheet``'s tab and selects ``areas`` on it."""
        self.active_sheet = sheet
        self.selection = FakeRange(sheet, list(areas))

    def record(
        self, kind: str, sheet: str, address: str, cells: int = 0, value: Any = None
    ) -> None:
        self.calls.append(Call(kind, sheet, address, cells, value))

    def sent(self) -> list[Any]:
        """Every value the adapter assigned to a range, in order."""
        return [call.value for call in self.calls if call.kind == "value="]
