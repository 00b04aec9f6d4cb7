"""Reading the register's file into raw sheets: python-calamine, within bounds.

python-calamine reads about ten times faster than openpyxl (DESIGN.md), so it reads every sheet;
:mod:`.bounds` first measures what each sheet holds, so that calamine never meets a part it
cannot afford (a zip bomb, a stray cell in ``XFD1048576``) and the cells it reads as blanks
(Excel errors, formulas without a cached value) are put back.
"""

from __future__ import annotations

import queue
import threading
import zipfile
from collections.abc import Collection, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
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
from credit_register.core.bulk import paused_gc
from credit_register.core.port import RawSheet, SheetStream, WorkbookError, wanted_tab


def not_a_workbook(label: str, reason: object) -> WorkbookError:
    return workbook_error(
        f"{label} 已损坏或不是 Excel 工作簿：{reason}",
        f"{label} is damaged or not an Excel workbook: {reason}",
    )


#: sheets read at once: python-calamine releases the GIL while it parses and zlib while it
#: inflates, so two threads keep two cores busy; more threads than cores only add contention
READ_THREADS = 2


def read_sheets(
    path: Path, label: str, sheets: Collection[str] | None = None
) -> dict[str, RawSheet]:
    """Every sheet's used range from A1, blanks as ``None``, error cells as their text, formulas
    without a value as ``FORMULA_WITHOUT_VALUE``; a sheet with a stray cell far from its table
    compacted (``RawSheet.row_numbers`` / ``column_numbers``); only the tabs of ``sheets``
    (schema keys) when given; in the workbook's tab order."""
    return read_sheets_each(path, label, sheets).collect()


def read_sheets_each(path: Path, label: str, sheets: Collection[str] | None = None) -> SheetStream:
    """The sheets of ``read_sheets``, each handed over as soon as it is read (largest first), so
    that the caller can type one while the threads still parse the others.

    Each sheet is measured, parsed and completed on its own, two sheets at a time (the largest
    first, so that both threads finish together), with the garbage collector paused while the
    rows are built (``core.bulk``). The package is checked before this returns: a file that
    cannot be read raises here, not while the sheets are being handed over."""
    import python_calamine

    try:
        with zipfile.ZipFile(path) as archive:
            package = Package.open(archive)
            tabs = package.tabs()
            check_package(archive, label, {tab.part: tab.name for tab in tabs})
            sizes = {tab.name: archive.getinfo(tab.part).file_size for tab in tabs}
        # opening a workbook parses its shared strings (an Excel-saved register's text): this one
        # serves a worker too, so two workers open the file twice, not three times
        first = python_calamine.CalamineWorkbook.from_path(str(path))
    except WorkbookError:
        raise
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, UnicodeDecodeError) as exc:
        raise not_a_workbook(label, exc) from exc
    except Exception as exc:  # calamine's own errors: zip, password
        raise not_a_workbook(label, exc) from exc
    names = [name for name in first.sheet_names if wanted_tab(name, sheets)]
    parts = {tab.name: tab.part for tab in tabs}
    spare: queue.SimpleQueue[Any] = queue.SimpleQueue()
    spare.put(first)
    local = threading.local()

    def book() -> Any:
        # a workbook object serves one thread at a time: one per worker
        found = getattr(local, "book", None)
        if found is None:
            try:
                found = spare.get_nowait()
            except queue.Empty:
                found = python_calamine.CalamineWorkbook.from_path(str(path))
            local.book = found
        return found

    def one(name: str) -> RawSheet:
        try:
            return _read_one(path, label, name, parts.get(name), book())
        except WorkbookError:
            raise
        except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, UnicodeDecodeError) as exc:
            raise not_a_workbook(label, exc) from exc
        except Exception as exc:  # calamine's own errors: corrupt XML
            raise not_a_workbook(label, exc) from exc

    largest_first = sorted(names, key=lambda name: -sizes.get(name, 0))

    def handed_over() -> Iterator[RawSheet]:
        with paused_gc(), ThreadPoolExecutor(READ_THREADS, thread_name_prefix="read") as pool:
            jobs = [pool.submit(one, name) for name in largest_first]
            try:
                for job in as_completed(jobs):
                    yield job.result()
            finally:  # a sheet that failed, or a caller that stopped early: no parse left behind
                for job in jobs:
                    job.cancel()

    return SheetStream(names, handed_over())


def _read_one(path: Path, label: str, name: str, part: str | None, book: Any) -> RawSheet:
    """One sheet: measured (its own pass over its XML), compacted when sparse, parsed by
    calamine, and completed (blanks, the cells calamine reads as blanks, every row as wide)."""
    import python_calamine

    scan: SheetScan | None = None
    renumbered: Compacted | None = None
    with zipfile.ZipFile(path) as archive:
        if part is not None:
            scan = scan_sheet(archive, part)
            if scan.sparse:
                renumbered = compact(archive, scan, name, label)
        if scan is not None and renumbered is not None:
            small = python_calamine.CalamineWorkbook.from_filelike(
                with_part(archive, scan.part, renumbered.xml)
            )
            rows: list[list[Any]] = small.get_sheet_by_name(name).to_python(skip_empty_area=False)
        else:
            rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    blanks_as_none(rows)
    if scan is not None and scan.patches:
        _patch(rows, scan.patches, renumbered)
    width = max(map(len, rows), default=0)
    for row_values in rows:
        if len(row_values) < width:
            row_values.extend([None] * (width - len(row_values)))
    if renumbered is None:
        return RawSheet(name, rows)
    numbers = renumbered.row_numbers[: len(rows)]
    columns = renumbered.column_numbers[:width] or [0]
    return RawSheet(name, rows, numbers, columns)


def blanks_as_none(rows: list[list[Any]]) -> None:
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
