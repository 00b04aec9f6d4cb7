"""The workbook file, headless: read with calamine, write only what the engine owns.

This is the workbook port for the command line, schedules, servers and tests: the register as
an ``.xlsm`` file on disk, never opened in Excel.

* ``read`` uses python-calamine (about ten times faster than openpyxl). Calamine returns error
  cells (``#N/A``) as blanks, so they are patched back from the sheet XML: the validator must see
  them as invalid values, not as missing ones.
* ``apply`` rewrites the ``<sheetData>`` of the engine-owned sheets named in ``Changes.tables``,
  adds ``<row>`` elements after the last row for ``Changes.append`` (History is append-only: the
  existing rows stay byte-identical), and replaces single ``<c>`` elements for ``Changes.cells``
  (:mod:`.sheet_xml`, with cell values from :mod:`.cells`). Every other part of the zip is copied
  unchanged (:mod:`.package`), and the file is replaced all or nothing, never while Excel has it
  open.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

from lxml import etree

from credit_register.adapters.xlsx.cells import workbook_error
from credit_register.adapters.xlsx.package import Package, Tab, lock_path, replace_file
from credit_register.adapters.xlsx.sheet_xml import SheetXml, new_sheet_xml, tag_attributes
from credit_register.core import schema
from credit_register.core.cells import split_ref
from credit_register.core.port import Changes, RawSheet, Selection, WorkbookError

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ERROR_CELL = re.compile(r"<(?:\w+:)?c\s([^>]*\bt=\"e\"[^>]*)>(.*?)</(?:\w+:)?c>", re.S)
_VALUE = re.compile(r"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")


# --------------------------------------------------------------------------- the adapter


class FileWorkbook:
    """The register as a workbook file on disk (command line, schedules, servers, tests)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.label = self.path.name
        #: where documents go by default: beside the workbook
        self.folder = self.path.resolve().parent

    # -- reading

    def _check_file(self) -> None:
        if not self.path.is_file():
            raise workbook_error(
                f"找不到工作簿文件 {self.path}", f"workbook file not found: {self.path}"
            )
        with open(self.path, "rb") as handle:
            start = handle.read(8)
        if not start:
            raise workbook_error(
                f"工作簿文件 {self.label} 是空文件", f"workbook file {self.label} is empty"
            )
        if start == _OLE_MAGIC:
            raise workbook_error(
                f"{self.label} 设有密码保护或是旧版 .xls 格式；请在 Excel 中取消密码并另存为 .xlsm",
                f"{self.label} is password-protected or an old .xls file; remove the password "
                "and save it as .xlsm in Excel",
            )
        if not zipfile.is_zipfile(self.path):
            raise workbook_error(
                f"{self.label} 不是 Excel 工作簿（.xlsx/.xlsm）",
                f"{self.label} is not an Excel workbook (.xlsx/.xlsm)",
            )

    def _not_a_workbook(self, reason: object) -> WorkbookError:
        return workbook_error(
            f"{self.label} 已损坏或不是 Excel 工作簿：{reason}",
            f"{self.label} is damaged or not an Excel workbook: {reason}",
        )

    def read(self) -> dict[str, RawSheet]:
        """Every sheet's used range from A1 (``rows[i]`` is Excel row ``i + 1``), blanks as
        ``None``, error cells as their text (``#N/A``)."""
        import python_calamine

        self._check_file()
        try:
            book = python_calamine.CalamineWorkbook.from_path(str(self.path))
            grids = {
                name: book.get_sheet_by_name(name).to_python(skip_empty_area=False)
                for name in book.sheet_names
            }
            errors = self._error_cells()
        except WorkbookError:
            raise
        except Exception as exc:  # calamine's own errors: corrupt XML, zip, password
            raise self._not_a_workbook(exc) from exc
        sheets = {}
        for name, grid in grids.items():
            # calamine's blank is "": replaced in place, row by row, with list methods that run
            # in C; a comprehension over every cell took seconds on 500,000 invoices
            rows: list[list[Any]] = grid
            for cells in rows:
                while "" in cells:
                    cells[cells.index("")] = None
            for (col, row), text in errors.get(name, {}).items():
                while len(rows) < row:
                    rows.append([])
                line = rows[row - 1]
                line.extend([None] * (col + 1 - len(line)))
                line[col] = text
            width = max(map(len, rows), default=0)
            for row_values in rows:
                if len(row_values) < width:
                    row_values.extend([None] * (width - len(row_values)))
            sheets[name] = RawSheet(name, rows)
        return sheets

    def _error_cells(self) -> dict[str, dict[tuple[int, int], str]]:
        """Error cells per tab, read from the sheet XML: calamine delivers them as blanks."""
        found: dict[str, dict[tuple[int, int], str]] = {}
        with zipfile.ZipFile(self.path) as archive:
            package = Package.open(archive)
            for tab in package.tabs():
                xml = archive.read(tab.part)
                if b't="e"' not in xml:
                    continue
                cells = {}
                for match in _ERROR_CELL.finditer(xml.decode("utf-8")):
                    attrs = tag_attributes(match.group(1))
                    value = _VALUE.search(match.group(2))
                    if "r" in attrs and value:
                        cells[split_ref(attrs["r"])] = value.group(1).replace("&amp;", "&")
                found[tab.name] = cells
        return found

    def selection(self) -> Selection | None:
        return None

    # -- writing

    def apply(self, changes: Changes) -> None:
        """Write ``changes`` all or nothing (see the module docstring and :mod:`.package`)."""
        if not changes:
            return
        self._check_file()
        if lock_path(self.path).exists():
            raise workbook_error(
                f"工作簿 {self.label} 正在 Excel 中打开；请先关闭再重试",
                f"the workbook {self.label} is open in Excel; close it and try again",
            )

        def write(temp: Path) -> None:
            try:
                with zipfile.ZipFile(self.path) as archive:
                    self._build(archive, changes).write(temp)
            except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, UnicodeDecodeError) as exc:
                raise self._not_a_workbook(exc) from exc

        replace_file(self.path, self.label, write)

    def _build(self, archive: zipfile.ZipFile, changes: Changes) -> Package:
        package = Package.open(archive)
        dates = package.date_system()
        date_xf, datetime_xf = package.date_styles()
        tabs = package.tabs()
        lang = changes.lang
        sheets: dict[str, SheetXml] = {}

        def tab_for(key: str, headers: list[str] | None) -> Tab:
            sheet = schema.SHEETS[key]
            name = schema.tab_for((tab.name for tab in tabs), key)
            if name is not None:
                return next(tab for tab in tabs if tab.name == name)
            if headers is None:
                raise workbook_error(
                    f"工作簿中没有“{sheet.zh}”工作表", f"the workbook has no {sheet.en} sheet"
                )
            tab = package.add_sheet(
                sheet.name(lang), new_sheet_xml(headers, sheet, fallback(sheet, headers))
            )
            tabs.append(tab)
            return tab

        def fallback(sheet: schema.Sheet, headers: list[str]) -> list[str | None]:
            # a date column without its own format borrows one of the workbook's date formats
            styles: list[str | None] = []
            for label in headers:
                column = sheet.match_header(label)
                kind = column.type if column else "text"
                styles.append(
                    datetime_xf if kind == "datetime" else date_xf if kind == "date" else None
                )
            return styles

        def sheet_xml(tab: Tab) -> SheetXml:
            if tab.part not in sheets:
                sheets[tab.part] = SheetXml.parse(package.read(tab.part))
            return sheets[tab.part]

        for key, frame in changes.tables.items():
            headers = [str(label) for label in frame.columns]
            sheet_xml(tab_for(key, headers)).replace_table(
                frame, dates, fallback(schema.SHEETS[key], headers)
            )
        for key, rows in changes.append.items():
            if not rows:
                continue
            sheet = schema.SHEETS[key]
            headers = changes.headers.get(key) or sheet.headers(lang)
            sheet_xml(tab_for(key, headers)).append_rows(
                [list(row) for row in rows], headers, dates, fallback(sheet, headers)
            )
        for key, cells in changes.cells.items():
            if cells:
                sheet_xml(tab_for(key, None)).set_cells(dict(cells), dates)
        for part, xml in sheets.items():
            if part in package.added:
                package.added[part] = xml.to_bytes()
            else:
                package.replaced[part] = xml.to_bytes()
        if any(xml.had_formulas for xml in sheets.values()):
            package.drop_calc_chain()
        return package
