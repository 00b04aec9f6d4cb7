"""Reading the register's file into raw sheets: python-calamine, within bounds.

python-calamine reads about ten times faster than openpyxl (DESIGN.md), so it reads every sheet;
:mod:`.bounds` first measures what each sheet holds, so that calamine never meets a part it
cannot afford (a zip bomb, a stray cell in ``XFD1048576``) and the cells it reads as blanks
(Excel errors, formulas without a cached value) are put back.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from credit_register.adapters.xlsx.bounds import (
    Compacted,
    SheetScan,
    check_package,
    compact,
    scan_sheet,
    with_part,
)
from credit_register.adapters.xlsx.cells import workbook_error
from credit_register.adapters.xlsx.package import Package
from credit_register.core.port import RawSheet, WorkbookError


def not_a_workbook(label: str, reason: object) -> WorkbookError:
    return workbook_error(
        f"{label} 已损坏或不是 Excel 工作簿：{reason}",
        f"{label} is damaged or not an Excel workbook: {reason}",
    )


def read_sheets(path: Path, label: str) -> dict[str, RawSheet]:
    """Every sheet's used range from A1, blanks as ``None``, error cells as their text, formulas
    without a value as ``FORMULA_WITHOUT_VALUE``; a sheet with a stray cell far from its table
    compacted (``RawSheet.row_numbers`` / ``column_numbers``)."""
    import python_calamine

    try:
        with zipfile.ZipFile(path) as archive:
            package = Package.open(archive)
            tabs = package.tabs()
            check_package(archive, label, {tab.part: tab.name for tab in tabs})
            scans: dict[str, SheetScan] = {}
            compacted: dict[str, Compacted] = {}
            for tab in tabs:
                scans[tab.name] = scan = scan_sheet(archive, tab.part)
                if scan.sparse:
                    compacted[tab.name] = compact(archive, scan, tab.name, label)
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            grids: dict[str, list[list[Any]]] = {}
            for name in book.sheet_names:
                if name in compacted:
                    part = scans[name].part
                    small = python_calamine.CalamineWorkbook.from_filelike(
                        with_part(archive, part, compacted[name].xml)
                    )
                    grids[name] = small.get_sheet_by_name(name).to_python(skip_empty_area=False)
                else:
                    grids[name] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, UnicodeDecodeError) as exc:
        raise not_a_workbook(label, exc) from exc
    except Exception as exc:  # calamine's own errors: corrupt XML, zip, password
        raise not_a_workbook(label, exc) from exc
    sheets = {}
    for name, rows in grids.items():
        measured = scans.get(name)
        renumbered = compacted.get(name)
        _blanks_as_none(rows)
        if measured is not None and measured.patches:
            _patch(rows, measured.patches, renumbered)
        width = max(map(len, rows), default=0)
        for row_values in rows:
            if len(row_values) < width:
                row_values.extend([None] * (width - len(row_values)))
        if renumbered is None:
            sheets[name] = RawSheet(name, rows)
        else:
            numbers = renumbered.row_numbers[: len(rows)]
            columns = renumbered.column_numbers[:width] or [0]
            sheets[name] = RawSheet(name, rows, numbers, columns)
    return sheets


def _blanks_as_none(rows: list[list[Any]]) -> None:
    """calamine's blank is ``""``: replaced in place, row by row, with list methods that run in C
    (a comprehension over every cell took seconds on 500,000 invoices). Each search starts where
    the last one ended, so a row is walked once however wide it is."""
    for cells in rows:
        start = 0
        for _ in range(cells.count("")):
            start = cells.index("", start)
            cells[start] = None


def _patch(
    rows: list[list[Any]], patches: dict[tuple[int, int], str], small: Compacted | None
) -> None:
    """Put the cells calamine read as blanks back (at their compact place when compacted)."""
    rows_at = {n: i for i, n in enumerate(small.row_numbers)} if small else None
    columns_at = {n: i for i, n in enumerate(small.column_numbers)} if small else None
    for (col, row), text in patches.items():
        index, position = row - 1, col
        if rows_at is not None and columns_at is not None:
            if row not in rows_at or col not in columns_at:
                continue
            index, position = rows_at[row], columns_at[col]
        while len(rows) <= index:
            rows.append([])
        line = rows[index]
        line.extend([None] * (position + 1 - len(line)))
        line[position] = text
