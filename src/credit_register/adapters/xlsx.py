"""The workbook file, headless: read with calamine, write only what the engine owns.

A credit team's register is an Excel-saved ``.xlsm`` with a VBA project, buttons, charts,
comments, validations and formats that the team built over years. A generic writer (openpyxl,
LibreOffice) re-creates the whole file and quietly drops parts of it (DESIGN.md decision 3). This
adapter therefore treats the file as the zip package it is:

* ``read`` uses python-calamine (about ten times faster than openpyxl). Calamine returns error
  cells (``#N/A``) as blanks, so they are patched back from the sheet XML: the validator must see
  them as invalid values, not as missing ones.
* ``apply`` rewrites the ``<sheetData>`` of the engine-owned sheets named in ``Changes.tables``,
  adds ``<row>`` elements after the last row for ``Changes.append`` (History is append-only: the
  existing rows stay byte-identical), and replaces single ``<c>`` elements for ``Changes.cells``.
  Everything else inside those sheet parts (views, frozen panes, column widths and formats,
  auto-filter, validations, conditional formats, drawings, comments' VML anchors, extLst) is kept
  as text, and every other part of the zip is copied unchanged: ``vbaProject.bin``, styles,
  ``sharedStrings.xml``, drawings and VML buttons, charts, ``workbook.xml``, ``docProps``.
  Only when an output sheet is missing is it added, which also changes ``workbook.xml``, its rels
  and ``[Content_Types].xml``.

Text is written as inline strings, so ``sharedStrings.xml`` stays untouched and a customer name
such as ``=HYPERLINK(...)`` stays text: no ``<f>`` element is ever written. Dates are Excel serial
numbers in the workbook's date system (1900, or 1904 when ``workbookPr date1904`` is set).

The XML for a table is built column by column with vectorised string operations and joined
once: 500,000 rows x 12 columns is a matter of seconds, not minutes.

Writes are atomic: the new package goes to a temp file in the same folder, is fsynced, the
previous version is kept as ``<stem>.bak<suffix>`` beside the workbook (one generation, e.g.
``credit_register.bak.xlsm``: same extension, so Excel opens it with its macros), and the temp
file is renamed over the workbook. A failure before the rename leaves the workbook untouched.
A write is refused while Excel's lock file ``~$<name>`` is present.

``xl/calcChain.xml`` is kept: engine-owned sheets carry no formulas. Only when a replaced cell or
a rewritten sheet did hold a formula is the calculation chain dropped (part, rel and content type),
because a chain that names a cell without a formula makes Excel "repair" the file; Excel rebuilds
the chain on its next save.
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import numbers
import os
import re
import shutil
import struct
import tempfile
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

import numpy as np
import pandas as pd
from lxml import etree

from credit_register.core import schema
from credit_register.core.issues import column_letter
from credit_register.core.port import Changes, RawSheet, Selection, WorkbookError

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_REL_TYPE = OFFICE_REL_NS + "/worksheet"
CALC_CHAIN_REL_TYPE = OFFICE_REL_NS + "/calcChain"
WORKSHEET_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

#: Excel's grid and cell limits; beyond them Excel refuses ("repairs") the file
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384
MAX_TEXT = 32_767

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_NS = {"m": MAIN_NS, "pr": PACKAGE_REL_NS}

#: characters XML 1.0 cannot carry at all (and lone surrogates, which UTF-8 cannot encode)
_ILLEGAL_XML = r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]"
#: Excel reads ``_x0041_`` in a string as "A"; a literal one is escaped as ``_x005F_x0041_``
_EXCEL_ESCAPE = r"(_x[0-9A-Fa-f]{4}_)"
_ATTR = re.compile(r'([\w:.-]+)\s*=\s*"([^"]*)"')
_CELL_REF = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]+)$")
_RANGE_END = re.compile(r"^([A-Za-z]{1,3})([0-9]+)$")
_ERROR_CELL = re.compile(r"<(?:\w+:)?c\s([^>]*\bt=\"e\"[^>]*)>(.*?)</(?:\w+:)?c>", re.S)
_VALUE = re.compile(r"<(?:\w+:)?v>([^<]*)</(?:\w+:)?v>")
_FORMULA = re.compile(r"<(?:\w+:)?f[\s>/]")


# --------------------------------------------------------------------------- small helpers


def column_index(letters: str) -> int:
    """0-based column index of Excel column letters (the inverse of ``column_letter``).

    >>> column_index("A"), column_index("Z"), column_index("AA"), column_index("ZZ")
    (0, 25, 26, 701)
    """
    index = 0
    for char in letters.upper():
        index = index * 26 + (ord(char) - 64)
    return index - 1


def split_ref(ref: str) -> tuple[int, int]:
    """``("C12")`` → ``(2, 12)``: 0-based column, 1-based row.

    >>> split_ref("C12"), split_ref("$AA$3")
    ((2, 12), (26, 3))
    """
    match = _CELL_REF.match(ref.strip())
    if not match:
        raise ValueError(f"not a cell address: {ref!r}")
    return column_index(match.group(1)), int(match.group(2))


def _attrs(tag: str) -> dict[str, str]:
    return dict(_ATTR.findall(tag))


def _xml_attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _error(zh: str, en: str) -> WorkbookError:
    return WorkbookError(f"{zh} ({en})")


def backup_path(path: Path) -> Path:
    """Where the previous version is kept (one generation).

    >>> backup_path(Path("credit_register.xlsm")).name
    'credit_register.bak.xlsm'
    """
    return path.with_name(f"{path.stem}.bak{path.suffix}")


def lock_path(path: Path) -> Path:
    """Excel's owner file, present while the workbook is open in Excel."""
    return path.with_name(f"~${path.name}")


# --------------------------------------------------------------------------- cell XML, vectorised


@dataclass(frozen=True)
class _DateSystem:
    """Excel serial dates: day 1 is 1900-01-01 (with Lotus' phantom 1900-02-29) or 1904-01-02."""

    date1904: bool = False

    @property
    def epoch(self) -> pd.Timestamp:
        return pd.Timestamp("1904-01-01") if self.date1904 else pd.Timestamp("1899-12-30")

    @property
    def first_day(self) -> pd.Timestamp:
        return pd.Timestamp("1904-01-01") if self.date1904 else pd.Timestamp("1900-01-01")


#: a column's cells as five parallel sequences (open, row number, attributes, value, close),
#: one entry per row and '' throughout for a blank: the rows are joined from them in one pass,
#: so no cell string is built, copied and copied again
Pieces = list[np.ndarray[Any, Any]]

#: the text after the decimal point for each number of cents
_CENTS = np.array(["", *(f"{cents:02d}".rstrip("0") for cents in range(1, 100))], dtype=object)
_SEPARATOR = "\x00"  # joins a column's texts for one-pass escaping; never left in the output


def _objects(values: Iterable[Any], count: int) -> np.ndarray[Any, Any]:
    return np.fromiter(values, dtype=object, count=count)


def _six_places(value: float) -> str:
    return f"{value:.6f}".rstrip("0")


def _number_text(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Shortest round-trip text of finite floats, as ``repr`` writes them (``0.1``, ``-2.5``), but
    whole numbers without ``.0``.

    Whole numbers and amounts in cents, the usual case, take integer paths (far faster than float
    formatting); a value that is exactly the float of a decimal with at most six places is that
    decimal (two such decimals are too far apart to share a float); the rest go through ``repr``.

    >>> _number_text(np.array([3.0, -2.5, 0.1, 1234567.89, -0.05, 0.125, 1/3, 1e20, -0.0])).tolist()
    ['3', '-2.5', '0.1', '1234567.89', '-0.05', '0.125', '0.3333333333333333', '1e+20', '0']
    """
    values = np.asarray(values, dtype=np.float64)
    text = np.empty(len(values), dtype=object)
    whole = (values == np.floor(values)) & (np.abs(values) < 1e15)
    text[whole] = _objects(map(str, values[whole].astype(np.int64).tolist()), int(whole.sum()))
    hundredths = np.rint(values * 100)
    cents = ~whole & (np.abs(values) < 1e13) & (hundredths / 100 == values)
    if cents.any():
        scaled = hundredths[cents].astype(np.int64)
        sign = np.where(scaled < 0, "-", "").astype(object)
        scaled = np.abs(scaled)
        units = _objects(map(str, (scaled // 100).tolist()), len(scaled))
        text[cents] = sign + units + "." + _CENTS[scaled % 100]
    millionths = np.rint(values * 1e6)
    places = ~whole & ~cents & (np.abs(values) < 1e9) & (millionths / 1e6 == values)
    text[places] = _objects(map(_six_places, values[places].tolist()), int(places.sum()))
    rest = ~whole & ~cents & ~places
    text[rest] = _objects(map(repr, values[rest].tolist()), int(rest.sum()))
    return text


def _escape_text(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """XML-escaped cell text: illegal characters stripped, Excel's ``_xHHHH_`` protected, carriage
    returns written as Excel writes them, cut at Excel's 32,767 characters per cell.

    The column is escaped as one joined string (a handful of C passes) and split again.

    >>> _escape_text(np.array(["a<b & c", "_x0041_", "x\\x07y\\r\\n"], dtype=object)).tolist()
    ['a&lt;b &amp; c', '_x005F_x0041_', 'xy_x000D_\\n']
    """
    texts: list[str] = list(map(str, values.tolist()))
    joined = _SEPARATOR.join(texts)
    if joined.count(_SEPARATOR) != max(len(texts) - 1, 0) or (
        max(map(len, texts), default=0) > MAX_TEXT
    ):
        texts = [re.sub(_ILLEGAL_XML, "", text)[:MAX_TEXT] for text in texts]
        joined = _SEPARATOR.join(texts)
    joined = re.sub(_ILLEGAL_XML.replace(r"\x00-", r"\x01-"), "", joined)
    joined = re.sub(_EXCEL_ESCAPE, r"_x005F\1", joined)
    joined = (
        joined.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\r", "_x000D_")
    )
    return _objects(joined.split(_SEPARATOR), len(texts))


def _kind_of(value: object) -> str:
    """The cell kind of one value in a mixed column (the slow path; typed columns skip it)."""
    if isinstance(value, bool | np.bool_):
        return "bool"
    if isinstance(value, numbers.Real | decimal.Decimal):
        return "number"
    if isinstance(value, dt.date | np.datetime64):
        return "date"
    return "text"


def _blank_pieces(count: int) -> Pieces:
    return [np.full(count, "", dtype=object) for _ in range(5)]


def _fill(
    pieces: Pieces,
    where: np.ndarray[Any, Any],
    letter: str,
    rows: np.ndarray[Any, Any],
    attributes: str,
    values: np.ndarray[Any, Any],
    close: str,
) -> None:
    """Cells at ``where``: ``<c r="{letter}{row}"{attributes}{value}{close}``."""
    pieces[0][where] = f'<c r="{letter}'
    pieces[1][where] = rows[where]
    pieces[2][where] = attributes
    pieces[3][where] = values
    pieces[4][where] = close


def _column_pieces(
    values: pd.Series,
    letter: str,
    rows: np.ndarray[Any, Any],
    style: str | None,
    dates: _DateSystem,
) -> Pieces:
    """The cells of one column for the rows numbered ``rows`` (text), blanks left out."""
    values = values.reset_index(drop=True)
    count = len(values)
    pieces = _blank_pieces(count)
    if count == 0:
        return pieces
    styled = '"' + (f' s="{style}"' if style else "")
    dtype = values.dtype
    if pd.api.types.is_bool_dtype(dtype):
        present = values.notna().to_numpy(dtype=bool)
        flags = np.where(values.fillna(False).to_numpy(dtype=bool), "1", "0").astype(object)
        _fill(pieces, present, letter, rows, styled + ' t="b"><v>', flags[present], "</v></c>")
        return pieces
    if pd.api.types.is_numeric_dtype(dtype):
        numbers_ = values.to_numpy(dtype=np.float64, na_value=np.nan)
        present = np.isfinite(numbers_)  # NaN is a blank; Excel has no infinity
        _fill(
            pieces,
            present,
            letter,
            rows,
            styled + "><v>",
            _number_text(numbers_[present]),
            "</v></c>",
        )
        return pieces
    if pd.api.types.is_datetime64_any_dtype(dtype):
        return _date_pieces(values, letter, rows, styled, dates)
    present_mask = values.notna().to_numpy(dtype=bool)
    if isinstance(dtype, pd.StringDtype):
        kind = "string"
    else:
        kind = pd.api.types.infer_dtype(values, skipna=True)
    if kind == "empty":
        return pieces
    if kind == "string":
        text = _escape_text(values[present_mask].to_numpy(dtype=object))
        nonempty = text != ""
        where = np.flatnonzero(present_mask)[nonempty]
        _fill(
            pieces,
            where,
            letter,
            rows,
            styled + ' t="inlineStr"><is><t xml:space="preserve">',
            text[nonempty],
            "</t></is></c>",
        )
        return pieces
    if kind in ("floating", "integer", "mixed-integer-float", "decimal"):
        as_numbers = pd.to_numeric(values, errors="coerce").astype("float64")
        return _column_pieces(as_numbers, letter, rows, style, dates)
    if kind == "boolean":
        return _column_pieces(values.astype("boolean"), letter, rows, style, dates)
    if kind in ("datetime", "datetime64", "date"):
        try:
            stamps = pd.to_datetime(values)
        except (ValueError, TypeError, OverflowError):
            pass  # mixed time zones or out of range: treated value by value below
        else:
            return _date_pieces(stamps, letter, rows, styled, dates)
    # a mixed column (History's old and new values): each kind of value written as its kind
    kinds = values.map(_kind_of, na_action="ignore").to_numpy(dtype=object)
    for group in ("bool", "number", "date", "text"):
        chosen = present_mask & (kinds == group)
        if not chosen.any():
            continue
        subset = values[chosen]
        if group == "bool":
            subset = subset.astype(bool)
        elif group == "number":
            subset = subset.astype(float)
        elif group == "date":
            subset = pd.Series(subset.map(_naive_timestamp).tolist(), dtype="datetime64[us]")
        else:
            subset = subset.astype(str)
        part = _column_pieces(subset, letter, rows[chosen], style, dates)
        for whole_piece, piece in zip(pieces, part, strict=True):
            whole_piece[chosen] = piece
    return pieces


def _naive_timestamp(value: object) -> pd.Timestamp:
    stamp = pd.Timestamp(value)  # type: ignore[arg-type]
    return stamp.tz_localize(None) if stamp.tzinfo is not None else stamp


def _date_pieces(
    stamps: pd.Series, letter: str, rows: np.ndarray[Any, Any], styled: str, dates: _DateSystem
) -> Pieces:
    pieces = _blank_pieces(len(stamps))
    stamps = stamps.reset_index(drop=True)
    if getattr(stamps.dtype, "tz", None) is not None:
        stamps = stamps.dt.tz_localize(None)  # the wall-clock time the user saw
    present = stamps.notna().to_numpy(dtype=bool)
    serial = ((stamps - dates.epoch) / pd.Timedelta(days=1)).to_numpy(
        dtype=np.float64, na_value=np.nan
    )
    if not dates.date1904:
        # Excel counts a 29 February 1900 that never was: serials before 1 March 1900 are one less
        serial = np.where(serial < 61, serial - 1, serial)
    before_excel = present & (stamps < dates.first_day).to_numpy(dtype=bool, na_value=False)
    in_range = present & ~before_excel
    _fill(
        pieces, in_range, letter, rows, styled + "><v>", _number_text(serial[in_range]), "</v></c>"
    )
    if before_excel.any():
        # Excel has no serial before its first day: such a date is kept readable, as text
        text = stamps[before_excel].dt.strftime("%Y-%m-%d").to_numpy(dtype=object)
        _fill(
            pieces,
            before_excel,
            letter,
            rows,
            styled + ' t="inlineStr"><is><t>',
            text,
            "</t></is></c>",
        )
    return pieces


def _rows_xml(
    frame: pd.DataFrame,
    first_row: int,
    styles: Sequence[str | None],
    dates: _DateSystem,
) -> str:
    """``<row>`` elements for ``frame`` (columns by position), the first numbered ``first_row``."""
    count = len(frame)
    if count == 0:
        return ""
    rows = _objects(map(str, range(first_row, first_row + count)), count)
    sequences: list[Iterable[str]] = [
        itertools.repeat('<row r="', count),
        rows.tolist(),
        itertools.repeat('">', count),
    ]
    for position in range(frame.shape[1]):
        sequences += [
            piece.tolist()
            for piece in _column_pieces(
                frame.iloc[:, position], column_letter(position), rows, styles[position], dates
            )
        ]
    sequences.append(itertools.repeat("</row>", count))
    return "".join(itertools.chain.from_iterable(zip(*sequences, strict=False)))


# --------------------------------------------------------------------------- a worksheet part


@dataclass
class _SheetXml:
    """A worksheet part split around ``<sheetData>``: head and tail are kept as they are."""

    head: str
    body: str
    tail: str
    prefix: str
    had_formulas: bool = False

    @classmethod
    def parse(cls, xml: bytes) -> _SheetXml:
        text = xml.decode("utf-8")
        match = re.search(r"<((?:\w+:)?)sheetData\b[^>]*?(/?)>", text)
        if match is None:
            raise ValueError("worksheet part without <sheetData>")
        prefix = match.group(1)
        start_tag = f"<{prefix}sheetData>"
        if match.group(2):
            return cls(
                text[: match.start()] + start_tag,
                "",
                f"</{prefix}sheetData>" + text[match.end() :],
                prefix,
            )
        close = text.find(f"</{prefix}sheetData>", match.end())
        return cls(text[: match.end()], text[match.end() : close], text[close:], prefix)

    def to_bytes(self) -> bytes:
        return b"".join(part.encode("utf-8") for part in (self.head, self.body, self.tail))

    # -- what the sheet already says

    def column_styles(self, width: int) -> list[str | None]:
        """The ``style`` of the ``<col>`` covering each column: the builder's number formats."""
        styles: list[str | None] = [None] * width
        for tag in re.findall(rf"<{self.prefix}col\s[^>]*>", self.head):
            attrs = _attrs(tag)
            if "style" not in attrs:
                continue
            low, high = int(attrs.get("min", "1")), int(attrs.get("max", "1"))
            for index in range(max(low, 1) - 1, min(high, width)):
                styles[index] = attrs["style"]
        return styles

    def first_row(self) -> tuple[str, dict[int, str]]:
        """The header row's own attributes (height, style) and each header cell's style."""
        match = re.match(rf"\s*<{self.prefix}row\b([^>]*?)(/?)>", self.body)
        if match is None:
            return "", {}
        attrs = _attrs(match.group(1))
        if attrs.get("r", "1") != "1":
            return "", {}
        kept = "".join(
            f' {name}="{value}"' for name, value in attrs.items() if name not in ("r", "spans")
        )
        if match.group(2):
            return kept, {}
        row_text = self.body[match.end() : self.body.find(f"</{self.prefix}row>", match.end())]
        styles: dict[int, str] = {}
        for tag in re.findall(rf"<{self.prefix}c\s[^>]*>", row_text):
            cell = _attrs(tag)
            if "r" in cell and "s" in cell:
                styles[split_ref(cell["r"])[0]] = cell["s"]
        return kept, styles

    def last_row(self) -> int:
        start = self.body.rfind(f"<{self.prefix}row")
        while start >= 0:
            attrs = _attrs(self.body[start : self.body.find(">", start)])
            if "r" in attrs:
                return int(attrs["r"])
            start = self.body.rfind(f"<{self.prefix}row", 0, start)
        return self.body.count(f"<{self.prefix}row")

    def used_columns(self) -> int:
        match = re.search(rf'<{self.prefix}dimension\s+ref="[^"]*?:?([A-Z]+)\d+"', self.head)
        return column_index(match.group(1)) + 1 if match else 1

    # -- edits

    def set_extent(self, last_column: int, last_row: int) -> None:
        """Point ``<dimension>`` and the auto-filter at the new used range."""
        end = f"{column_letter(max(last_column, 1) - 1)}{max(last_row, 1)}"
        ref = "A1" if end == "A1" else f"A1:{end}"
        dimension = re.compile(rf'(<{self.prefix}dimension\s+ref=")[^"]*(")')
        if dimension.search(self.head):
            self.head = dimension.sub(rf"\g<1>{ref}\g<2>", self.head, count=1)
        else:
            # the dimension follows sheetPr, or opens the worksheet
            tag = f'<{self.prefix}dimension ref="{ref}"/>'
            after = re.search(
                rf"<{self.prefix}sheetPr\b.*?(?:/>|</{self.prefix}sheetPr>)", self.head, re.S
            )
            if after is None:
                after = re.search(rf"<{self.prefix}worksheet\b[^>]*>", self.head)
            if after is not None:
                self.head = self.head[: after.end()] + tag + self.head[after.end() :]
        auto_filter = re.compile(rf'(<{self.prefix}autoFilter\s+ref=")([^"]*)(")')
        found = auto_filter.search(self.tail)
        if found:
            start = found.group(2).split(":")[0]
            self.tail = auto_filter.sub(rf"\g<1>{start}:{end}\g<3>", self.tail, count=1)

    def replace_table(
        self, frame: pd.DataFrame, dates: _DateSystem, fallback_styles: Sequence[str | None]
    ) -> None:
        width = frame.shape[1]
        if width > MAX_COLUMNS or len(frame) + 1 > MAX_ROWS:
            raise _error(
                f"表格有 {len(frame)} 行 {width} 列，超出 Excel 工作表的容量",
                f"a table of {len(frame)} rows and {width} columns does not fit an Excel sheet",
            )
        row_attrs, header_styles = self.first_row()
        last_header_style = header_styles[max(header_styles)] if header_styles else None
        data_styles = [
            own or fallback
            for own, fallback in zip(self.column_styles(width), fallback_styles, strict=True)
        ]
        header = pd.DataFrame([[str(label) for label in frame.columns]], dtype=object)
        header_xml = _rows_xml(
            header,
            1,
            [header_styles.get(i, last_header_style) for i in range(width)],
            dates,
        ).replace('<row r="1">', f'<row r="1"{row_attrs}>', 1)
        self.had_formulas = self.had_formulas or bool(_FORMULA.search(self.body))
        self.body = header_xml + _rows_xml(frame, 2, data_styles, dates)
        self.set_extent(width, len(frame) + 1)

    def append_rows(
        self,
        rows: list[list[Any]],
        headers: list[str],
        dates: _DateSystem,
        fallback_styles: Sequence[str | None],
    ) -> None:
        new_xml = ""
        last = self.last_row()
        if last == 0:
            # an empty History sheet gets its header first
            new_xml = _rows_xml(
                pd.DataFrame([headers], dtype=object), 1, [None] * len(headers), dates
            )
            last = 1
        frame = pd.DataFrame(rows, dtype=object)
        width = max(frame.shape[1], len(headers))
        if last + len(frame) > MAX_ROWS or width > MAX_COLUMNS:
            raise _error(
                "追加的行超出 Excel 工作表的容量", "the appended rows do not fit an Excel sheet"
            )
        styles = [
            own or fallback
            for own, fallback in zip(
                self.column_styles(width), [*fallback_styles, *[None] * width][:width], strict=True
            )
        ]
        new_xml += _rows_xml(frame, last + 1, styles, dates)
        self.body = self.body + new_xml
        self.set_extent(max(self.used_columns(), width), last + len(frame))

    def set_cells(self, values: dict[str, Any], dates: _DateSystem) -> None:
        """Replace (keeping its style) or insert each cell; every other cell stays as it was."""
        wanted: dict[int, dict[int, Any]] = {}
        for ref, value in values.items():
            col, row = split_ref(ref)
            if row < 1 or row > MAX_ROWS or col >= MAX_COLUMNS:
                raise ValueError(f"cell outside the sheet: {ref!r}")
            wanted.setdefault(row, {})[col] = value
        row_tag = re.compile(rf"<{self.prefix}row\b([^>]*?)(/?)>")
        pieces: list[str] = []
        position = 0
        pending = sorted(wanted)
        # one pass over the row tags, in sheet order; rows to create go before the next larger one
        for match in row_tag.finditer(self.body):
            if not pending:
                break
            number = int(_attrs(match.group(1)).get("r", "0"))
            while pending and pending[0] < number:
                row = pending.pop(0)
                pieces += [
                    self.body[position : match.start()],
                    self._new_row(row, wanted[row], dates),
                ]
                position = match.start()
            if pending and pending[0] == number:
                pending.pop(0)
                if match.group(2):
                    end = match.end()
                    inner = ""
                else:
                    close = self.body.find(f"</{self.prefix}row>", match.end())
                    end = close + len(f"</{self.prefix}row>")
                    inner = self.body[match.end() : close]
                opening = match.group(0).replace("/>", ">") if match.group(2) else match.group(0)
                pieces += [
                    self.body[position : match.start()],
                    opening,
                    self._merge_cells(inner, number, wanted[number], dates),
                    f"</{self.prefix}row>",
                ]
                position = end
        pieces.append(self.body[position:])
        pieces += [self._new_row(row, wanted[row], dates) for row in pending]
        self.body = "".join(pieces)
        last_column = max(self.used_columns(), *(max(c) + 1 for c in wanted.values()))
        self.set_extent(last_column, max(self.last_row(), max(wanted)))

    def _new_row(self, row: int, cells: dict[int, Any], dates: _DateSystem) -> str:
        return (
            f'<{self.prefix}row r="{row}">'
            + "".join(self._cell(row, col, cells[col], None, dates) for col in sorted(cells))
            + f"</{self.prefix}row>"
        )

    def _merge_cells(self, inner: str, row: int, cells: dict[int, Any], dates: _DateSystem) -> str:
        cell_tag = re.compile(rf"<{self.prefix}c\b([^>]*?)(/?)>")
        pieces: list[str] = []
        position = 0
        pending = sorted(cells)
        for match in cell_tag.finditer(inner):
            if match.start() < position:
                continue  # a tag inside an element already consumed
            attrs = _attrs(match.group(1))
            col = split_ref(attrs["r"])[0] if "r" in attrs else -1
            while pending and col >= 0 and pending[0] < col:
                new_col = pending.pop(0)
                pieces += [
                    inner[position : match.start()],
                    self._cell(row, new_col, cells[new_col], None, dates),
                ]
                position = match.start()
            if match.group(2):
                end = match.end()
            else:
                end = inner.find(f"</{self.prefix}c>", match.end()) + len(f"</{self.prefix}c>")
            if pending and pending[0] == col:
                pending.pop(0)
                old = inner[match.start() : end]
                self.had_formulas = self.had_formulas or bool(_FORMULA.search(old))
                pieces += [
                    inner[position : match.start()],
                    self._cell(row, col, cells[col], attrs.get("s"), dates),
                ]
                position = end
        pieces.append(inner[position:])
        pieces += [self._cell(row, col, cells[col], None, dates) for col in pending]
        return "".join(pieces)

    def _cell(self, row: int, col: int, value: Any, style: str | None, dates: _DateSystem) -> str:
        pieces = _column_pieces(
            pd.Series([value], dtype=object),
            column_letter(col),
            _objects([str(row)], 1),
            style,
            dates,
        )
        xml = "".join(str(piece[0]) for piece in pieces)
        if not xml:
            # a blank keeps its format, so the cell still looks like the rest of its row
            ref = f"{column_letter(col)}{row}"
            xml = f'<c r="{ref}" s="{style}"/>' if style else ""
        return (
            xml.replace("<c ", f"<{self.prefix}c ").replace("</c>", f"</{self.prefix}c>")
            if self.prefix
            else xml
        )


def _new_sheet_xml(
    headers: list[str], sheet: schema.Sheet, fallback_styles: Sequence[str | None]
) -> bytes:
    """A plain worksheet for a missing output sheet: frozen header row, the schema's widths."""
    cols = []
    for position, label in enumerate(headers):
        column = sheet.match_header(label)
        width = column.width if column and column.width else 14
        style = fallback_styles[position] if position < len(fallback_styles) else None
        style_attr = f' style="{style}"' if style else ""
        cols.append(
            f'<col min="{position + 1}" max="{position + 1}" width="{width}"'
            f'{style_attr} customWidth="1"/>'
        )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{OFFICE_REL_NS}">'
        '<dimension ref="A1"/><sheetViews><sheetView workbookViewId="0">'
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft"/></sheetView></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        + (f"<cols>{''.join(cols)}</cols>" if cols else "")
        + '<sheetData/><pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" '
        'header="0.3" footer="0.3"/></worksheet>'
    ).encode("utf-8")


# --------------------------------------------------------------------------- the package


@dataclass
class _Tab:
    name: str
    sheet_id: int
    rel_id: str
    part: str


def _resolve(base: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    parts: list[str] = []
    for piece in (PurePosixPath(base).parent / target).parts:
        if piece == "..":
            if parts:
                parts.pop()
        elif piece != ".":
            parts.append(piece)
    return "/".join(parts)


@dataclass
class _Package:
    """The zip's parts as the write will leave them: original ones, replaced ones, new ones."""

    archive: zipfile.ZipFile
    workbook_part: str
    replaced: dict[str, bytes] = field(default_factory=dict)
    added: dict[str, bytes] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, archive: zipfile.ZipFile) -> _Package:
        rels = etree.fromstring(archive.read("_rels/.rels"))
        for rel in rels.iterfind("pr:Relationship", _NS):
            if rel.get("Type", "").endswith("/officeDocument"):
                return cls(archive, _resolve("", rel.get("Target", "")))
        return cls(archive, "xl/workbook.xml")

    def read(self, name: str) -> bytes:
        if name in self.replaced:
            return self.replaced[name]
        if name in self.added:
            return self.added[name]
        return self.archive.read(name)

    def names(self) -> set[str]:
        return {*self.archive.namelist(), *self.added} - self.dropped

    @property
    def workbook_rels_part(self) -> str:
        path = PurePosixPath(self.workbook_part)
        return str(path.parent / "_rels" / f"{path.name}.rels")

    def tabs(self) -> list[_Tab]:
        workbook = etree.fromstring(self.read(self.workbook_part))
        rels = etree.fromstring(self.read(self.workbook_rels_part))
        targets = {
            rel.get("Id"): _resolve(self.workbook_part, rel.get("Target", ""))
            for rel in rels.iterfind("pr:Relationship", _NS)
            if rel.get("Type") == WORKSHEET_REL_TYPE
        }
        tabs = []
        for sheet in workbook.iterfind("m:sheets/m:sheet", _NS):
            rel_id = sheet.get(f"{{{OFFICE_REL_NS}}}id", "")
            if rel_id in targets:  # chart sheets and dialog sheets are not worksheets
                tabs.append(
                    _Tab(
                        sheet.get("name", ""),
                        int(sheet.get("sheetId", "0")),
                        rel_id,
                        targets[rel_id],
                    )
                )
        return tabs

    def date_system(self) -> _DateSystem:
        workbook = etree.fromstring(self.read(self.workbook_part))
        pr = workbook.find("m:workbookPr", _NS)
        flag = pr.get("date1904", "0") if pr is not None else "0"
        return _DateSystem(flag.lower() in ("1", "true"))

    def date_styles(self) -> tuple[str | None, str | None]:
        """Existing cell formats (``cellXfs`` indexes) for a date and a date-time, used where the
        sheet gives a date column no format (a new column or a new sheet); styles stay untouched."""
        name = next((n for n in self.archive.namelist() if n.endswith("styles.xml")), None)
        if name is None:
            return None, None
        styles = etree.fromstring(self.archive.read(name))
        codes = {
            int(f.get("numFmtId", "0")): f.get("formatCode", "")
            for f in styles.iterfind("m:numFmts/m:numFmt", _NS)
        }
        date_xf = datetime_xf = None
        for index, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", _NS)):
            number_format = int(xf.get("numFmtId", "0"))
            code = re.sub(r'"[^"]*"|\[[^]]*\]', "", codes.get(number_format, "")).lower()
            if number_format in (14, 15, 16, 17) or (code and "y" in code and "h" not in code):
                date_xf = date_xf or str(index)
            elif number_format == 22 or ("y" in code and "h" in code):
                datetime_xf = datetime_xf or str(index)
        return date_xf, datetime_xf or date_xf

    def add_sheet(self, tab_name: str, xml: bytes) -> _Tab:
        """A new worksheet part, its sheet entry, relationship and content type."""
        existing = self.names()
        number = 1
        while f"xl/worksheets/sheet{number}.xml" in existing:
            number += 1
        part = f"xl/worksheets/sheet{number}.xml"
        self.added[part] = xml
        rels_text = self.read(self.workbook_rels_part).decode("utf-8")
        used_ids = set(re.findall(r'Id="([^"]+)"', rels_text))
        rel_number = 1
        while f"rId{rel_number}" in used_ids:
            rel_number += 1
        rel_id = f"rId{rel_number}"
        target = str(PurePosixPath(part).relative_to(PurePosixPath(self.workbook_part).parent))
        rel = f'<Relationship Id="{rel_id}" Type="{WORKSHEET_REL_TYPE}" Target="{target}"/>'
        self.replaced[self.workbook_rels_part] = _insert_before_close(
            rels_text, "Relationships", rel
        ).encode("utf-8")
        workbook_text = self.read(self.workbook_part).decode("utf-8")
        sheet_id = max((t.sheet_id for t in self.tabs()), default=0) + 1
        entry = (
            f'<sheet xmlns:r="{OFFICE_REL_NS}" name="{_xml_attr(tab_name)}" '
            f'sheetId="{sheet_id}" r:id="{rel_id}"/>'
        )
        self.replaced[self.workbook_part] = _insert_before_close(
            workbook_text, "sheets", entry
        ).encode("utf-8")
        types_text = self.read("[Content_Types].xml").decode("utf-8")
        override = f'<Override PartName="/{part}" ContentType="{WORKSHEET_CONTENT_TYPE}"/>'
        self.replaced["[Content_Types].xml"] = _insert_before_close(
            types_text, "Types", override
        ).encode("utf-8")
        return _Tab(tab_name, sheet_id, rel_id, part)

    def drop_calc_chain(self) -> None:
        chain = next((n for n in self.archive.namelist() if n.endswith("calcChain.xml")), None)
        if chain is None:
            return
        self.dropped.add(chain)
        rels_text = self.read(self.workbook_rels_part).decode("utf-8")
        self.replaced[self.workbook_rels_part] = re.sub(
            rf'<(?:\w+:)?Relationship\b[^>]*Type="{re.escape(CALC_CHAIN_REL_TYPE)}"[^>]*/>',
            "",
            rels_text,
        ).encode("utf-8")
        types_text = self.read("[Content_Types].xml").decode("utf-8")
        self.replaced["[Content_Types].xml"] = re.sub(
            rf'<(?:\w+:)?Override\b[^>]*PartName="/{re.escape(chain)}"[^>]*/>', "", types_text
        ).encode("utf-8")

    def write(self, target: Path) -> None:
        """Every part in its original order, name, compression and time stamp; new ones last.

        Untouched parts are copied as their compressed bytes (no inflate/deflate of a large input
        sheet); rewritten parts are deflated at level 1, which is what makes a 500,000-row sheet
        quick to save, at the cost of a slightly larger file (Excel compresses fast, too).
        """
        with open(target, "wb") as handle:
            with zipfile.ZipFile(handle, "w", allowZip64=True) as out:
                for info in self.archive.infolist():
                    if info.filename in self.dropped:
                        continue
                    data = self.replaced.get(info.filename)
                    if data is None and not info.flag_bits & 0x01:
                        _copy_compressed(self.archive, info, out)
                        continue
                    copy = zipfile.ZipInfo(info.filename, info.date_time)
                    copy.compress_type = info.compress_type
                    copy.external_attr = info.external_attr
                    copy.create_system = info.create_system
                    copy.comment = info.comment
                    if data is None:
                        data = self.archive.read(info)
                    out.writestr(copy, data, compresslevel=1)
                for name, data in self.added.items():
                    info = zipfile.ZipInfo(name, dt.datetime.now().timetuple()[:6])
                    info.compress_type = zipfile.ZIP_DEFLATED
                    out.writestr(info, data, compresslevel=1)
            handle.flush()
            os.fsync(handle.fileno())


_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")  # ZIP local file header, APPNOTE 4.3.7
_LOCAL_HEADER_SIGNATURE = 0x04034B50


def _copy_compressed(source: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
    """Copy one member's compressed bytes as they are (the content, CRC and sizes unchanged).

    zipfile has no public call for this; it is what ``ZipFile.write`` does for a directory entry,
    with the member's data after the header.
    """
    reader = source.fp
    writer = out.fp
    if reader is None or writer is None:
        raise ValueError("zip file closed")
    reader.seek(info.header_offset)
    header = _LOCAL_HEADER.unpack(reader.read(_LOCAL_HEADER.size))
    if header[0] != _LOCAL_HEADER_SIGNATURE:
        raise zipfile.BadZipFile(f"bad local header for {info.filename}")
    reader.seek(header[9] + header[10], os.SEEK_CUR)  # the name and extra field
    copy = zipfile.ZipInfo(info.filename, info.date_time)
    copy.compress_type = info.compress_type
    copy.comment = info.comment
    copy.create_system = info.create_system
    copy.create_version = info.create_version
    copy.extract_version = info.extract_version
    copy.external_attr = info.external_attr
    copy.internal_attr = info.internal_attr
    # sizes and CRC go in the local header, so no data descriptor follows the data
    copy.flag_bits = info.flag_bits & ~0x08
    copy.CRC = info.CRC
    copy.compress_size = info.compress_size
    copy.file_size = info.file_size
    out._writecheck(copy)  # type: ignore[attr-defined]
    copy.header_offset = writer.tell()
    writer.write(copy.FileHeader())
    remaining = info.compress_size
    while remaining:
        chunk = reader.read(min(remaining, 1 << 20))
        if not chunk:
            raise zipfile.BadZipFile(f"{info.filename} is truncated")
        writer.write(chunk)
        remaining -= len(chunk)
    out.filelist.append(copy)
    out.NameToInfo[copy.filename] = copy
    out.start_dir = writer.tell()
    out._didModify = True  # type: ignore[attr-defined]


def _insert_before_close(text: str, element: str, addition: str) -> str:
    closes = list(re.finditer(rf"</((?:\w+:)?){element}>", text))
    if not closes:
        raise ValueError(f"no </{element}> in package part")
    match = closes[-1]
    if match.group(1):  # a prefixed document: give the addition the same prefix
        addition = re.sub(r"^<(\w+)", rf"<{match.group(1)}\1", addition)
    return text[: match.start()] + addition + text[match.start() :]


def _workbook_language(tab_names: Iterable[str]) -> schema.Language:
    """Chinese unless the tabs are named in English (a new output tab follows its siblings)."""
    folded = {schema.normalise_label(name) for name in tab_names}
    zh = sum(schema.normalise_label(s.zh) in folded for s in schema.ALL_SHEETS)
    en = sum(schema.normalise_label(s.en) in folded for s in schema.ALL_SHEETS)
    return "en" if en > zh else "zh"


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
            raise _error(f"找不到工作簿文件 {self.path}", f"workbook file not found: {self.path}")
        with open(self.path, "rb") as handle:
            start = handle.read(8)
        if not start:
            raise _error(
                f"工作簿文件 {self.label} 是空文件", f"workbook file {self.label} is empty"
            )
        if start == _OLE_MAGIC:
            raise _error(
                f"{self.label} 设有密码保护或是旧版 .xls 格式；请在 Excel 中取消密码并另存为 .xlsm",
                f"{self.label} is password-protected or an old .xls file; remove the password "
                "and save it as .xlsm in Excel",
            )
        if not zipfile.is_zipfile(self.path):
            raise _error(
                f"{self.label} 不是 Excel 工作簿（.xlsx/.xlsm）",
                f"{self.label} is not an Excel workbook (.xlsx/.xlsm)",
            )

    def _not_a_workbook(self, reason: object) -> WorkbookError:
        return _error(
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
            package = _Package.open(archive)
            for tab in package.tabs():
                xml = archive.read(tab.part)
                if b't="e"' not in xml:
                    continue
                cells = {}
                for match in _ERROR_CELL.finditer(xml.decode("utf-8")):
                    attrs = _attrs(match.group(1))
                    value = _VALUE.search(match.group(2))
                    if "r" in attrs and value:
                        cells[split_ref(attrs["r"])] = value.group(1).replace("&amp;", "&")
                found[tab.name] = cells
        return found

    def selection(self) -> Selection | None:
        return None

    # -- writing

    def apply(self, changes: Changes) -> None:
        """Write ``changes`` all or nothing (see the module docstring)."""
        if not changes:
            return
        self._check_file()
        if lock_path(self.path).exists():
            raise _error(
                f"工作簿 {self.label} 正在 Excel 中打开；请先关闭再重试",
                f"the workbook {self.label} is open in Excel; close it and try again",
            )
        folder = self.path.parent
        backup = backup_path(self.path)
        backup_temp = backup.with_name(f".{backup.name}.tmp")
        temp: Path | None = None
        try:
            handle, temp_name = tempfile.mkstemp(
                prefix=f".{self.path.stem}.", suffix=".tmp", dir=folder
            )
            os.close(handle)
            temp = Path(temp_name)
            try:
                with zipfile.ZipFile(self.path) as archive:
                    self._build(archive, changes).write(temp)
            except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, UnicodeDecodeError) as exc:
                raise self._not_a_workbook(exc) from exc
            os.chmod(temp, self.path.stat().st_mode & 0o7777)
            # the previous version first, itself written atomically: a crash leaves one intact
            shutil.copy2(self.path, backup_temp)
            os.replace(backup_temp, backup)
            os.replace(temp, self.path)
        except PermissionError as exc:
            raise _error(
                f"无法写入 {self.label}（文件被占用或没有写权限）：{exc}",
                f"cannot write {self.label} (the file is in use or read-only): {exc}",
            ) from exc
        except OSError as exc:
            raise _error(
                f"无法写入 {self.label}：{exc}", f"cannot write {self.label}: {exc}"
            ) from exc
        finally:
            if temp is not None:
                temp.unlink(missing_ok=True)
            backup_temp.unlink(missing_ok=True)
        if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
            directory = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(directory)
            finally:
                os.close(directory)

    def _build(self, archive: zipfile.ZipFile, changes: Changes) -> _Package:
        package = _Package.open(archive)
        dates = package.date_system()
        date_xf, datetime_xf = package.date_styles()
        tabs = package.tabs()
        lang = _workbook_language(t.name for t in tabs)
        sheets: dict[str, _SheetXml] = {}

        def tab_for(key: str, headers: list[str] | None) -> _Tab:
            sheet = schema.SHEETS[key]
            for tab in tabs:
                found = schema.sheet_for_name(tab.name)
                if found is not None and found.key == key:
                    return tab
            if headers is None:
                raise _error(
                    f"工作簿中没有“{sheet.zh}”工作表", f"the workbook has no {sheet.en} sheet"
                )
            tab = package.add_sheet(
                sheet.name(lang), _new_sheet_xml(headers, sheet, fallback(sheet, headers))
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

        def sheet_xml(tab: _Tab) -> _SheetXml:
            if tab.part not in sheets:
                sheets[tab.part] = _SheetXml.parse(package.read(tab.part))
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
            headers = sheet.headers(lang)
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
