"""The add-in's door: ``WorkbookPort`` over the sheets the task pane sent as JSON.

The Office add-in reads every tab with the Excel JavaScript API (``getUsedRange().values``) and
posts the values; the server runs the same use case as the Excel button and the command line on
a ``JsonWorkbook`` and sends back what Office.js must do to the open workbook: clear the old data
rows of each replaced table, write the new values, set date formats. ``changes_to_json`` is that
translation, and ``apply_to_values`` plays it on plain value grids exactly as the task pane does
in Excel, so a test can check, cell for cell, that the add-in door writes what the file door
writes.

Office.js conventions followed here (and why):

- A blank cell is ``""`` both ways; Office.js has no ``null`` cell value when reading, and writing
  ``null`` would mean "leave the cell as it is".
- Dates travel as Excel serial numbers (1900 system), which is what ``values`` returns for a date
  cell; the reader accepts serials in date columns. Written dates get a number-format hint, or
  Excel would show 46086.
- Text Excel would take for a formula (``=``, ``+``, ``-``, ``@``) is written with a leading
  apostrophe, which Excel keeps as "text" and does not show (``port.keep_as_text``).
- The server keeps nothing: a ``JsonWorkbook`` lives for one request.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from credit_register.core.cells import datetimes_to_serials, split_ref, to_serial
from credit_register.core.issues import column_letter
from credit_register.core.port import (
    RETYPED_TEXT_STARTS,
    Changes,
    RawSheet,
    Selection,
    WorkbookError,
    keep_as_text,
    wanted_tab,
)
from credit_register.core.schema import SHEETS, Language
from credit_register.core.schema import tab_for as schema_tab_for

#: what one cell is in JSON: Office.js ``values`` hold numbers, strings and booleans
JsonCell = str | float | int | bool

DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
#: Excel's last row and column, for clearing a tab whose old extent is not known
LAST_ROW = 1_048_576
LAST_COLUMN = "XFD"


# --------------------------------------------------------------------------- the port


class JsonWorkbook:
    """A register the add-in sent: tab name → rows of values from A1 (Office.js ``values``).

    ``apply`` only records ``Changes`` (all or nothing: a write to a tab the workbook lacks is
    refused before anything is recorded, as in Excel); ``changes_to_json`` ships them back.
    """

    def __init__(
        self,
        sheets: Mapping[str, Sequence[Sequence[Any]]],
        *,
        label: str = "workbook.xlsx",
        selection: Selection | None = None,
    ) -> None:
        self.label = label
        #: the add-in's workbook has no folder on this machine: the server says where documents go
        self.folder: Path | None = None
        self.sheets = {name: RawSheet(name, _rows_from_json(rows)) for name, rows in sheets.items()}
        self._selection = selection
        self.changes = Changes()

    def read(self, sheets: Collection[str] | None = None) -> dict[str, RawSheet]:
        return {name: raw for name, raw in self.sheets.items() if wanted_tab(name, sheets)}

    def selection(self) -> Selection | None:
        return self._selection

    def apply(self, changes: Changes) -> None:
        for key in sorted({*changes.tables, *changes.append, *changes.cells}):
            if tab_for(key, self.sheets) is None:
                raise WorkbookError(missing_sheet_message(key))
        self.changes.merge(changes)

    def preflight(self) -> None:
        """Nothing to check: the task pane applies the writes to the open workbook."""

    def record(self, changes: Changes) -> None:
        """Recorded with the changes the task pane applies."""
        self.apply(changes)

    def to_json(self) -> dict[str, list[dict[str, Any]]]:
        """What the task pane must do to the open workbook for the recorded changes (in the
        language the use case said they are in)."""
        return changes_to_json(self.changes, self.changes.lang, self.sheets)


def _rows_from_json(rows: Sequence[Sequence[Any]]) -> list[list[Any]]:
    """Office.js values as the reader expects them: ``""`` is a blank cell (``None``)."""
    out = [[None if value == "" else value for value in row] for row in rows]
    while out and all(value is None for value in out[-1]):
        out.pop()  # trailing blank rows of a padded used range
    return out


def tab_for(key: str, sheets: Mapping[str, RawSheet] | None) -> str | None:
    """The workbook's tab for schema sheet ``key`` (either language), ``None`` when missing."""
    return schema_tab_for(sheets or {}, key)


def missing_sheet_message(key: str) -> str:
    wanted = SHEETS.get(key)
    zh, en = (wanted.zh, wanted.en) if wanted else (key, key)
    return (
        f"工作簿中找不到“{zh}”工作表，未写入任何内容；请恢复该工作表后重试。"
        f" (The workbook has no '{en}' sheet; nothing was written. Restore the sheet and"
        " try again.)"
    )


# --------------------------------------------------------------------------- values


def excel_serial(value: dt.date | dt.datetime) -> float:
    """A date as the serial number Excel and Office.js use.

    >>> excel_serial(dt.date(2026, 3, 5)), excel_serial(dt.datetime(2026, 3, 5, 12))
    (46086.0, 46086.5)
    """
    return to_serial(value)


def json_value(value: object) -> tuple[JsonCell, str | None]:
    """One value as Office.js writes it, with the number format a date needs.

    >>> json_value(float("nan")), json_value("=1+1"), json_value(np.int64(3))
    (('', None), ("'=1+1", None), (3, None))
    >>> json_value(pd.Timestamp("2026-03-05"))
    (46086.0, 'yyyy-mm-dd')
    """
    if value is None or value is pd.NaT or value is pd.NA:
        return "", None
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
        if pd.isna(value):
            return "", None
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, dt.datetime):
        plain = value.replace(tzinfo=None)
        fmt = DATE_FORMAT if plain.time() == dt.time() else DATETIME_FORMAT
        return excel_serial(plain), fmt
    if isinstance(value, dt.date):
        return excel_serial(value), DATE_FORMAT
    if isinstance(value, bool):
        return value, None
    if isinstance(value, int | float):
        finite = not isinstance(value, float) or math.isfinite(value)
        return (value, None) if finite else ("", None)
    text = keep_as_text(value if isinstance(value, str) else str(value))
    return str(text), None


def _column_values(column: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """A frame column as JSON cells and each cell's number format (``None`` = leave it)."""
    n = len(column)
    blank = column.isna().to_numpy(dtype=bool)
    formats = np.full(n, None, dtype=object)
    if pd.api.types.is_datetime64_any_dtype(column.dtype):
        if isinstance(column.dtype, pd.DatetimeTZDtype):
            column = column.dt.tz_localize(None)  # Excel has no time zones: keep the wall time
        stamps = pd.to_datetime(column)
        serials = datetimes_to_serials(stamps)
        values = np.array(serials, dtype=object)
        has_time = (stamps != stamps.dt.normalize()).fillna(False).to_numpy(dtype=bool)
        formats[:] = np.where(has_time, DATETIME_FORMAT, DATE_FORMAT)
    elif isinstance(column.dtype, pd.StringDtype):
        values = column.astype(object).to_numpy(dtype=object).copy()
        formula_like = column.str.startswith(RETYPED_TEXT_STARTS).fillna(False).to_numpy(dtype=bool)
        values[formula_like] = "'" + column[formula_like].astype(object).to_numpy(dtype=object)
    elif column.dtype == object:
        # mixed content (History's old and new values): convert cell by cell, a rare case
        pairs = [json_value(v) for v in column.tolist()]
        values = np.array([p[0] for p in pairs], dtype=object)
        formats = np.array([p[1] for p in pairs], dtype=object)
    elif pd.api.types.is_float_dtype(column.dtype):
        floats = column.to_numpy(dtype=float, na_value=np.nan)
        blank = blank | ~np.isfinite(floats)
        values = floats.astype(object)
    else:  # ints and booleans: astype(object) yields Python int / bool
        values = column.astype(object).to_numpy(dtype=object).copy()
    values = np.array(values, dtype=object)
    values[blank] = ""
    formats[blank] = None
    return values, formats


def frame_to_rows(frame: pd.DataFrame) -> tuple[list[list[JsonCell]], np.ndarray]:
    """A table's rows as JSON cells, converted a column at a time, and their formats."""
    if frame.empty:
        return [], np.empty((0, frame.shape[1]), dtype=object)
    converted = [_column_values(frame.iloc[:, i]) for i in range(frame.shape[1])]
    rows: list[list[JsonCell]] = np.column_stack([c[0] for c in converted]).tolist()
    return rows, np.column_stack([c[1] for c in converted])


# --------------------------------------------------------------------------- Changes → JSON


def address(top: int, left: int, bottom: int, right: int) -> str:
    """A1 address of a rectangle given 1-based rows and 0-based columns.

    >>> address(1, 0, 20, 5), address(10, 2, 10, 2)
    ('A1:F20', 'C10')
    """
    first = f"{column_letter(left)}{top}"
    last = f"{column_letter(right)}{bottom}"
    return first if first == last else f"{first}:{last}"


def _extent(sheet: RawSheet | None) -> tuple[int, int]:
    """Rows and columns of a tab's values from A1 (its used range)."""
    if sheet is None or not sheet.rows:
        return 0, 0
    return len(sheet.rows), max((len(r) for r in sheet.rows), default=0)


def _last_filled_row(sheet: RawSheet | None) -> int:
    """The last row holding a value; at least 1, the header's row."""
    if sheet is None:
        return 1
    filled = [i + 1 for i, row in enumerate(sheet.rows) if any(v not in (None, "") for v in row)]
    return max([1, *filled[-1:]])


def _format_ops(tab: str, formats: np.ndarray, top: int) -> list[dict[str, Any]]:
    """Number-format hints for date cells: one range per column where every value is a date
    (the usual case), else one per date cell (History's mixed columns)."""
    ops: list[dict[str, Any]] = []
    if formats.size == 0:
        return ops
    for col in range(formats.shape[1]):
        cells = formats[:, col]
        dated = np.flatnonzero(cells != None)  # noqa: E711
        if dated.size == 0:
            continue
        kinds = set(cells[dated].tolist())
        if dated.size == len(cells) and len(kinds) == 1:
            span = address(top, col, top + len(cells) - 1, col)
            ops.append({"sheet": tab, "range": span, "format": kinds.pop()})
            continue
        for at in dated.tolist():
            span = address(top + at, col, top + at, col)
            ops.append({"sheet": tab, "range": span, "format": cells[at]})
    return ops


def changes_to_json(
    changes: Changes, lang: Language, sheets: Mapping[str, RawSheet] | None = None
) -> dict[str, list[dict[str, Any]]]:
    """What Office.js must do, in order: ``clear`` ranges (contents only, formats stay),
    ``writes`` (``{sheet, range, values}``), ``formats`` (``{sheet, range, format}``).

    ``sheets`` is the workbook as read: it names the tabs (either language), sizes the clears
    to the old data and places appended rows below the last filled row. Without it, tabs are
    named in ``lang``, a replaced table clears every row below its header, and ``append`` cannot
    be placed (``ValueError``: a programming error).
    """
    clear: list[dict[str, Any]] = []
    writes: list[dict[str, Any]] = []
    formats: list[dict[str, Any]] = []

    def tab_name(key: str) -> str:
        found = tab_for(key, sheets)
        if found is not None:
            return found
        return SHEETS[key].name(lang) if key in SHEETS else key

    for key, frame in changes.tables.items():
        tab = tab_name(key)
        old = sheets.get(tab) if sheets is not None else None
        header = [json_value(str(h))[0] for h in frame.columns]
        width = max(len(header), 1)
        old_rows, old_cols = _extent(old) if sheets is not None else (LAST_ROW, -1)
        # clearing contents keeps the header's formatting, column formats and widths
        if old_rows >= 2:
            right = column_letter(max(old_cols, width) - 1) if old_cols >= 0 else LAST_COLUMN
            clear.append({"sheet": tab, "range": f"A2:{right}{old_rows}"})
        if old_cols < 0:
            clear.append({"sheet": tab, "range": f"{column_letter(width)}1:{LAST_COLUMN}1"})
        elif old_cols > width:  # a stale header cell right of the new header
            clear.append({"sheet": tab, "range": address(1, width, 1, old_cols - 1)})
        rows, row_formats = frame_to_rows(frame)
        if header:
            bottom = 1 + len(rows)
            writes.append(
                {"sheet": tab, "range": address(1, 0, bottom, width - 1), "values": [header, *rows]}
            )
            formats.extend(_format_ops(tab, row_formats, 2))

    for key, appended in changes.append.items():
        if not appended:
            continue
        if sheets is None:
            raise ValueError("appending rows needs the workbook's sheets to place them")
        tab = tab_name(key)
        first_free = _last_filled_row(sheets.get(tab)) + 1
        rows, row_formats = frame_to_rows(pd.DataFrame(appended, dtype=object))
        width = max(len(r) for r in rows)
        rows = [r + [""] * (width - len(r)) for r in rows]
        span = address(first_free, 0, first_free + len(rows) - 1, width - 1)
        writes.append({"sheet": tab, "range": span, "values": rows})
        formats.extend(_format_ops(tab, row_formats, first_free))

    for key, cells in changes.cells.items():
        tab = tab_name(key)
        for cell, value in cells.items():
            converted, fmt = json_value(value)
            writes.append({"sheet": tab, "range": cell, "values": [[converted]]})
            if fmt is not None:
                formats.append({"sheet": tab, "range": cell, "format": fmt})

    return {"clear": clear, "writes": writes, "formats": formats}


# --------------------------------------------------------------------------- the task pane's side


def _corners(span: str) -> tuple[int, int, int, int]:
    """``(top, left, bottom, right)``, 1-based rows and 0-based columns, of ``A1:C3``/``C3``."""
    parts = span.split(":")
    corners = [(row, col) for col, row in map(split_ref, parts)]
    (top, left), (bottom, right) = corners[0], corners[-1]
    return top, left, bottom, right


def apply_to_values(
    sheets: Mapping[str, Sequence[Sequence[Any]]], ops: Mapping[str, list[dict[str, Any]]]
) -> dict[str, list[list[Any]]]:
    """The workbook's values after the task pane applied ``ops`` (what Excel shows: the
    apostrophe that keeps formula-like text as text is not part of the value). A reference for
    tests and a precise statement of the protocol; the task pane does the same in Office.js."""
    grids: dict[str, dict[tuple[int, int], Any]] = {
        name: {(r + 1, c): v for r, row in enumerate(rows) for c, v in enumerate(row) if v != ""}
        for name, rows in sheets.items()
    }
    for op in ops.get("clear", []):
        grid = grids.setdefault(op["sheet"], {})
        top, left, bottom, right = _corners(op["range"])
        for cell in [c for c in grid if top <= c[0] <= bottom and left <= c[1] <= right]:
            del grid[cell]
    for op in ops.get("writes", []):
        grid = grids.setdefault(op["sheet"], {})
        top, left, _, _ = _corners(op["range"])
        for r, row in enumerate(op["values"]):
            for c, value in enumerate(row):
                shown = value[1:] if isinstance(value, str) and value.startswith("'") else value
                if shown == "":
                    grid.pop((top + r, left + c), None)
                else:
                    grid[(top + r, left + c)] = shown
    out: dict[str, list[list[Any]]] = {}
    for name, grid in grids.items():
        bottom = max((r for r, _ in grid), default=0)
        right = max((c for _, c in grid), default=-1)
        out[name] = [[grid.get((r, c), "") for c in range(right + 1)] for r in range(1, bottom + 1)]
    return out
