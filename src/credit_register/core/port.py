"""The workbook port: what every door (xlwings, the file, the add-in) offers the use cases.

A use case reads the sheets as raw values (``RawSheet``: the used range, header in row 1), computes,
and hands back one ``Changes`` value: tables that replace an output sheet's data rows, rows to
append (History), and single cells to set (the Dashboard figures, ``approved_limit``). Each adapter
applies ``Changes`` all or nothing, so an action gives identical results whichever door it came
through, and the add-in can ship ``Changes`` as JSON.

The document buttons also need two services from outside: converting Word files to PDF and
e-mailing (or writing for a person to send) the review pack. ``DocumentServices`` declares them;
a door hands in the concrete ones (LibreOffice, SMTP), so the use cases never import an adapter
and a test can hand in its own.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from credit_register.core.schema import Language, sheet_for_name

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

    A door that leaves out empty rows and columns (the file door, when a stray cell lies far from
    the table) says where each value really is: ``row_numbers[i]`` is the Excel row (1-based) of
    ``rows[i]``, ``column_numbers[j]`` the column (0-based) of position ``j`` in a row. ``None``
    means the plain grid: ``rows[i]`` is row ``i + 1``, position ``j`` is column ``j``.
    """

    name: str
    rows: list[list[Any]]
    row_numbers: list[int] | None = None
    column_numbers: list[int] | None = None

    def excel_row(self, index: int) -> int:
        """The Excel row (1-based) of ``rows[index]``."""
        return index + 1 if self.row_numbers is None else self.row_numbers[index]

    def excel_column(self, position: int) -> int:
        """The column (0-based) of position ``position`` in a row."""
        return position if self.column_numbers is None else self.column_numbers[position]

    def value(self, row: int, column: int) -> Any:
        """The value of the cell at Excel ``row`` (1-based) and ``column`` (0-based); ``None``
        outside the range.

        >>> sheet = RawSheet("s", [["a", None], [None, "far"]], [1, 900], [0, 50])
        >>> sheet.value(900, 50), sheet.value(2, 1), RawSheet("t", [[1, 2]]).value(1, 1)
        ('far', None, 2)
        """
        index = row - 1
        position = column
        if self.row_numbers is not None:
            index = _position(self.row_numbers, row)
        if self.column_numbers is not None:
            position = _position(self.column_numbers, column)
        if 0 <= index < len(self.rows) and 0 <= position < len(self.rows[index]):
            return self.rows[index][position]
        return None


def _position(numbers: list[int], wanted: int) -> int:
    """Where ``wanted`` is in the ascending ``numbers``, -1 when it is not there."""
    at = bisect.bisect_left(numbers, wanted)
    return at if at < len(numbers) and numbers[at] == wanted else -1


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

    The use case also says what an adapter would otherwise have to work out again: ``lang``, the
    workbook's language (the name of a tab it creates, the headers of a new sheet), and
    ``headers``, for each sheet rows are appended to, its header row in the workbook's own column
    order (``""`` for a column the register does not know), which ``append`` rows follow.
    """

    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    append: dict[str, list[list[CellValue]]] = field(default_factory=dict)
    cells: dict[str, dict[str, CellValue]] = field(default_factory=dict)
    lang: Language = "zh"
    headers: dict[str, list[str]] = field(default_factory=dict)

    def merge(self, other: Changes) -> Changes:
        self.tables.update(other.tables)
        for key, rows in other.append.items():
            self.append.setdefault(key, []).extend(rows)
        for key, cells in other.cells.items():
            self.cells.setdefault(key, {}).update(cells)
        self.headers.update(other.headers)
        self.lang = other.lang
        return self

    def __bool__(self) -> bool:
        return bool(self.tables or self.append or self.cells)


def wanted_tab(tab: str, sheets: Collection[str] | None) -> bool:
    """Whether ``WorkbookPort.read(sheets)`` delivers the tab named ``tab``.

    >>> wanted_tab("应收发票", {"invoices"}), wanted_tab("回款", {"invoices"})
    (True, False)
    >>> wanted_tab("my notes", None)
    True
    """
    if sheets is None:
        return True
    found = sheet_for_name(tab)
    return found is not None and found.key in sheets


@dataclass
class SheetStream:
    """A workbook's sheets as a door reads them: ``sheets`` hands each one over as soon as it is
    read, in any order; ``order`` is the workbook's tab order (the reader's ``load`` takes this as
    well as a dict, and types each sheet while the door is still reading the others)."""

    order: list[str]
    sheets: Iterator[RawSheet]

    def collect(self) -> dict[str, RawSheet]:
        """Every sheet, once all are read, by tab in the workbook's order."""
        read = {sheet.name: sheet for sheet in self.sheets}
        return {name: read[name] for name in self.order if name in read}


class WorkbookPort(Protocol):
    """A register workbook, whichever door it came through."""

    #: the file name used in issue places, e.g. ``credit_register.xlsm``
    label: str

    @property
    def folder(self) -> Path | None:
        """The workbook's folder, where documents go by default; ``None`` when it has none on
        this machine (a workbook on SharePoint, or sent by the add-in)."""
        ...

    def read(self, sheets: Collection[str] | None = None) -> dict[str, RawSheet]:
        """Every sheet's used range, keyed by the tab name as it appears in the workbook; with
        ``sheets`` (schema keys), only the tabs of those sheets (an import needs two of a
        register's fifteen, and reading 400,000 payments it does not need is most of its wait)."""
        ...

    def selection(self) -> Selection | None:
        """The user's selection, where the door has one (Excel, the add-in); else ``None``."""
        ...

    def apply(self, changes: Changes) -> None:
        """Write ``changes`` all or nothing. Raises ``WorkbookError`` with a user message."""
        ...

    def preflight(self) -> None:
        """Raise ``WorkbookError`` now if ``apply`` would be refused: asked before a side effect
        (a document written, an e-mail sent) whose record must reach the register."""
        ...

    def record(self, changes: Changes) -> None:
        """Rows (``changes.append``, aligned like any ``Changes``) that must reach the register
        even if this action's write fails (a delivered e-mail): kept at once, written with the
        next ``apply`` at the latest."""
        ...


def read_stream(
    port: WorkbookPort, sheets: Collection[str] | None = None
) -> Mapping[str, RawSheet] | SheetStream:
    """``port.read(sheets)``, or the sheets streamed as they are read when the door can (the file
    door's ``read_each``: the reader then types one sheet while the door parses the next)."""
    each: Callable[[Collection[str] | None], SheetStream] | None = getattr(port, "read_each", None)
    return each(sheets) if each is not None else port.read(sheets)


@dataclass(frozen=True)
class OutgoingMail:
    """One message to one recipient, with files attached under their own names."""

    recipient: str
    subject: str
    body: str
    attachments: tuple[Path, ...] = ()


@dataclass
class SendReport:
    """What happened to each recipient: delivered, refused (with the server's reason), skipped
    (already has this month's pack), or written to the outbox."""

    sent: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failed

    def summary(self, lang: Language) -> str:
        if lang == "zh":
            return (
                f"已发送 {len(self.sent)}，失败 {len(self.failed)}，跳过（本月已发送）"
                f"{len(self.skipped)}，写入发件箱 {len(self.written)}"
            )
        return (
            f"sent {len(self.sent)}, failed {len(self.failed)}, skipped (already sent this "
            f"month) {len(self.skipped)}, written to the outbox {len(self.written)}"
        )


class Mailer(Protocol):
    """E-mail out: sent now, or written as files for a person to check and send."""

    def write(self, mails: Sequence[OutgoingMail], outbox: Path, stem: str) -> list[Path]:
        """Each message as a file in ``outbox`` (named from ``stem`` and the recipient)."""
        ...

    def send(
        self, mails: Sequence[OutgoingMail], on_sent: Callable[[str], None] | None = None
    ) -> SendReport:
        """Deliver each message; a refused one is reported (``failed``) and the others still go.
        ``on_sent`` hears of each delivery the moment it happens, before the next message."""
        ...


class PdfConverter(Protocol):
    """Word documents to PDF, beside them; the PDF paths in the same order."""

    def __call__(self, documents: Sequence[Path], /) -> list[Path]: ...


@dataclass(frozen=True)
class DocumentServices:
    """What the document use cases need from outside the register, handed in by the door."""

    to_pdf: PdfConverter
    mailer: Mailer


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
