"""The workbook file, headless: read with calamine, write only what the engine owns.

This is the workbook port for the command line, schedules, servers and tests: the register as
an ``.xlsm`` file on disk, never opened in Excel.

* ``session(action)`` holds the register's write lock (:mod:`..register_lock`) around a whole
  action, taken **before reading**: a second command on the same file waits for the first (up to
  ``CREDIT_REGISTER_WAIT_SECONDS``) or is refused with the holder's name, and never computes on a
  stale read. It first refuses a file that cannot be written (:mod:`.guard`), so no document is
  written and no e-mail sent for an action whose result could not be recorded.
* ``read`` uses python-calamine within bounds (:mod:`.reading`, :mod:`.bounds`), and shows the
  rows of the delivery journal (:mod:`.journal`) as if they were on their sheet already.
* ``record`` puts rows that must reach the register (a delivered e-mail) in the journal at once;
  the next successful ``apply`` writes them to their sheet.
* ``apply`` rewrites the ``<sheetData>`` of the engine-owned sheets named in ``Changes.tables``,
  adds ``<row>`` elements after the last row for ``Changes.append`` (History is append-only: the
  existing rows stay byte-identical), and replaces single ``<c>`` elements for ``Changes.cells``
  (:mod:`.sheet_xml`, with cell values from :mod:`.cells`). Every other part of the zip is copied
  unchanged (:mod:`.package`); the real file behind a symbolic link is replaced all or nothing,
  keeping its mode and a time-stamped backup, never while Excel has it open.
"""

from __future__ import annotations

import zipfile
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from lxml import etree

from credit_register.adapters import register_lock
from credit_register.adapters.settings import file_settings
from credit_register.adapters.xlsx import journal
from credit_register.adapters.xlsx.cells import workbook_error
from credit_register.adapters.xlsx.guard import check_writable, real_path
from credit_register.adapters.xlsx.package import Package, Tab, replace_file
from credit_register.adapters.xlsx.reading import not_a_workbook, read_sheets_each
from credit_register.adapters.xlsx.sheet_xml import SheetXml, new_sheet_xml
from credit_register.core import schema
from credit_register.core.port import Changes, RawSheet, Selection, SheetStream

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


# --------------------------------------------------------------------------- the adapter


class FileWorkbook:
    """The register as a workbook file on disk (command line, schedules, servers, tests)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.label = self.path.name
        #: where documents go by default: beside the workbook
        self.folder = self.path.resolve().parent
        #: the action holding the register's lock in this process, if any
        self._session: str | None = None

    @property
    def real_path(self) -> Path:
        """The file written: ``path`` with symbolic links followed."""
        return real_path(self.path)

    # -- one writer at a time

    @contextmanager
    def session(self, action: str) -> Iterator[None]:
        """Hold the register's lock for a whole action (read, compute, write); refuse at once a
        file that cannot be written (see the module docstring)."""
        if self._session is not None:
            yield  # already held by this process (the demo's steps run inside one session)
            return
        self._check_file()
        check_writable(self.path, self.label)
        settings = file_settings()
        with register_lock.exclusive(self.path, action, wait_seconds=settings.wait_seconds):
            register_lock.remove_stale_temps(self.real_path)
            self._session = action
            try:
                yield
            finally:
                self._session = None

    def preflight(self) -> None:
        """Refuse now (``WorkbookError``) if a write would be refused: before a side effect."""
        self._check_file()
        check_writable(self.path, self.label)

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

    def read(self, sheets: Collection[str] | None = None) -> dict[str, RawSheet]:
        """Every sheet's used range from A1 (``rows[i]`` is Excel row ``i + 1`` unless the sheet
        was compacted), blanks as ``None``, error cells as their text (``#N/A``); the journal's
        rows at the end of their sheet; only the tabs of ``sheets`` (schema keys) when given."""
        return self.read_each(sheets).collect()

    def read_each(self, sheets: Collection[str] | None = None) -> SheetStream:
        """The sheets of ``read``, each handed over as soon as it is read (``core.port``'s
        ``read_stream``): the reader types one while the threads parse the others."""
        self._check_file()
        stream = read_sheets_each(self.path, self.label, sheets)
        pending = {
            tab: rows
            for key, rows in journal.pending(self.real_path).items()
            if (tab := schema.tab_for(stream.order, key)) is not None
        }

        def completed() -> Iterator[RawSheet]:
            for sheet in stream.sheets:
                rows = pending.get(sheet.name)
                if rows:
                    width = len(sheet.rows[0]) if sheet.rows else 0
                    sheet.rows.extend([*row, *[None] * (width - len(row))] for row in rows)
                    if sheet.row_numbers is not None:
                        last = sheet.row_numbers[-1] if sheet.row_numbers else 0
                        sheet.row_numbers.extend(range(last + 1, last + 1 + len(rows)))
                yield sheet

        return SheetStream(stream.order, completed())

    def selection(self) -> Selection | None:
        return None

    # -- writing

    def record(self, changes: Changes) -> None:
        """Keep the rows ``changes`` appends on disk now (the journal); the next ``apply``
        writes them."""
        for key, rows in changes.append.items():
            journal.append(self.real_path, key, rows)

    def apply(self, changes: Changes) -> None:
        """Write ``changes`` all or nothing (see the module docstring and :mod:`.package`), with
        the journal's rows; under the session's lock, or a lock of its own outside one."""
        real = self.real_path
        recorded = journal.pending(real)
        if recorded:
            changes = Changes().merge(Changes(append=recorded)).merge(changes)
        if not changes:
            return
        self._check_file()
        check_writable(self.path, self.label)
        settings = file_settings()

        def write(temp: Path) -> None:
            try:
                with zipfile.ZipFile(real) as archive:
                    self._build(archive, changes).write(temp)
            except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, UnicodeDecodeError) as exc:
                raise not_a_workbook(self.label, exc) from exc

        def replace() -> None:
            replace_file(
                real,
                self.label,
                write,
                backups=settings.backups,
                replaced=(lambda: journal.clear(real)) if recorded else None,
            )

        if self._session is not None:
            replace()
            return
        with register_lock.exclusive(self.path, "write", wait_seconds=settings.wait_seconds):
            replace()

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
                package.streamed[part] = xml.chunks()
        if any(xml.had_formulas for xml in sheets.values()):
            package.drop_calc_chain()
        return package
