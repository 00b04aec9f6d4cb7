"""One worksheet part, edited as text around its ``<sheetData>``.

The engine owns some sheets' rows, never their look: views, frozen panes, column widths and
formats, auto-filter, validations, conditional formats, drawings, comments' VML anchors and
extLst are the team's. So a worksheet part is split into the text before ``<sheetData>``, the rows
and the text after, and only the rows (plus ``<dimension>`` and the auto-filter's range) change:
a table's rows are replaced, History's rows are appended after the last one (the existing rows
stay byte-identical), single cells are replaced in place keeping their style. A missing output
sheet gets a plain new part (:func:`new_sheet_xml`).

``had_formulas`` records whether a replaced cell or rewritten table held a formula: the
calculation chain must then go (see :meth:`.package.Package.drop_calc_chain`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pandas as pd

from credit_register.adapters.xlsx.cells import (
    MAX_COLUMNS,
    MAX_ROWS,
    DateSystem,
    column_pieces,
    object_array,
    rows_xml,
    workbook_error,
)
from credit_register.core import schema
from credit_register.core.cells import column_index, column_letter, split_ref

MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
OFFICE_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_ATTR = re.compile(r'([\w:.-]+)\s*=\s*"([^"]*)"')
_FORMULA = re.compile(r"<(?:\w+:)?f[\s>/]")


def tag_attributes(tag: str) -> dict[str, str]:
    """The attributes of one start tag's text (``<c r="A1" s="3">`` → ``{"r": "A1", "s": "3"}``)."""
    return dict(_ATTR.findall(tag))


# --------------------------------------------------------------------------- a worksheet part


class SheetXml:
    """A worksheet part split around ``<sheetData>``: head and tail are kept as they are.

    The rows are kept as the bytes they were read as until something must read them as text
    (replacing a table, setting cells, the header's styles), and appended rows are kept as bytes
    of their own: appending 500,000 invoices to a sheet of 500,000 neither decodes the rows
    already there (twice their size as text once a header is Chinese) nor copies them into one
    string, and ``chunks`` hands the part over in pieces for the zip writer to stream.
    """

    def __init__(self, head: str, rows: bytes, tail: str, prefix: str) -> None:
        self.head = head
        self.tail = tail
        self.prefix = prefix
        self.had_formulas = False
        #: the rows as read (bytes), until ``_text`` takes over
        self._raw: bytes = rows
        self._text: str | None = None
        #: rows appended since, each batch as its UTF-8 bytes
        self._appended: list[bytes] = []

    @classmethod
    def parse(cls, xml: bytes) -> SheetXml:
        match = re.search(rb"<((?:\w+:)?)sheetData\b[^>]*?(/?)>", xml)
        if match is None:
            raise ValueError("worksheet part without <sheetData>")
        prefix = match.group(1).decode("ascii")
        if match.group(2):
            return cls(
                xml[: match.start()].decode("utf-8") + f"<{prefix}sheetData>",
                b"",
                f"</{prefix}sheetData>" + xml[match.end() :].decode("utf-8"),
                prefix,
            )
        close = xml.find(f"</{prefix}sheetData>".encode("ascii"), match.end())
        if close < 0:
            raise ValueError("worksheet part without </sheetData>")
        return cls(
            xml[: match.end()].decode("utf-8"),
            xml[match.end() : close],
            xml[close:].decode("utf-8"),
            prefix,
        )

    @property
    def body(self) -> str:
        """The rows as text (decoded, with any appended rows, on first use)."""
        if self._text is None:
            self._text = self._raw.decode("utf-8")
            self._raw = b""
        if self._appended:
            self._text += b"".join(self._appended).decode("utf-8")
            self._appended.clear()
        return self._text

    @body.setter
    def body(self, text: str) -> None:
        self._text, self._raw = text, b""
        self._appended.clear()

    def chunks(self) -> list[bytes]:
        """The part as UTF-8 pieces, in order (joined, they are ``to_bytes``)."""
        rows = self._raw if self._text is None else self._text.encode("utf-8")
        return [self.head.encode("utf-8"), rows, *self._appended, self.tail.encode("utf-8")]

    def to_bytes(self) -> bytes:
        return b"".join(self.chunks())

    def _last_row_text(self) -> str | None:
        """The last ``<row …>`` element of the rows as text, read from the end of the bytes
        without decoding the rest (``None`` when there is no row)."""
        tag = f"<{self.prefix}row"
        for piece in reversed(self._appended):
            start = piece.rfind(tag.encode("ascii"))
            if start >= 0:
                return piece[start:].decode("utf-8")
        if self._text is not None:
            start = self._text.rfind(tag)
            return None if start < 0 else self._text[start:]
        start = self._raw.rfind(tag.encode("ascii"))
        return None if start < 0 else self._raw[start:].decode("utf-8")

    # -- what the sheet already says

    def column_styles(self, width: int) -> list[str | None]:
        """The ``style`` of the ``<col>`` covering each column: the builder's number formats."""
        styles: list[str | None] = [None] * width
        for tag in re.findall(rf"<{self.prefix}col\s[^>]*>", self.head):
            attrs = tag_attributes(tag)
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
        attrs = tag_attributes(match.group(1))
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
            cell = tag_attributes(tag)
            if "r" in cell and "s" in cell:
                styles[split_ref(cell["r"])[0]] = cell["s"]
        return kept, styles

    def last_row(self) -> int:
        last = self._last_row_text()
        if last is None:
            return 0
        attrs = tag_attributes(last[: last.find(">")])
        if "r" in attrs:
            return int(attrs["r"])
        # rows without numbers (allowed, rare): count them all
        return self.body.count(f"<{self.prefix}row")

    def last_row_styles(self) -> dict[int, str]:
        """Each cell's style (``s``) in the last row, by 0-based column: the formats a user gave
        the cells of a data row, which rows appended below it take over."""
        last = self._last_row_text()
        match = None if last is None else re.compile(rf"<{self.prefix}row\b[^>]*?(/?)>").match(last)
        if last is None or match is None or match.group(1):
            return {}
        inner = last[match.end() : last.find(f"</{self.prefix}row>", match.end())]
        styles: dict[int, str] = {}
        for tag in re.findall(rf"<{self.prefix}c\s[^>]*>", inner):
            cell = tag_attributes(tag)
            if "r" in cell and "s" in cell:
                styles[split_ref(cell["r"])[0]] = cell["s"]
        return styles

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
        self, frame: pd.DataFrame, dates: DateSystem, fallback_styles: Sequence[str | None]
    ) -> None:
        width = frame.shape[1]
        if width > MAX_COLUMNS or len(frame) + 1 > MAX_ROWS:
            raise workbook_error(
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
        header_xml = rows_xml(
            header,
            1,
            [header_styles.get(i, last_header_style) for i in range(width)],
            dates,
        ).replace('<row r="1">', f'<row r="1"{row_attrs}>', 1)
        self.had_formulas = self.had_formulas or bool(_FORMULA.search(self.body))
        self.body = ""
        self._appended = [header_xml.encode("utf-8"), *_row_batches(frame, 2, data_styles, dates)]
        self.set_extent(width, len(frame) + 1)

    def append_rows(
        self,
        rows: list[list[Any]],
        headers: list[str],
        dates: DateSystem,
        fallback_styles: Sequence[str | None],
    ) -> None:
        new_xml = ""
        last = self.last_row()
        if last == 0:
            # an empty History sheet gets its header first
            new_xml = rows_xml(
                pd.DataFrame([headers], dtype=object), 1, [None] * len(headers), dates
            )
            last = 1
        frame = pd.DataFrame(rows, dtype=object)
        width = max(frame.shape[1], len(headers))
        if last + len(frame) > MAX_ROWS or width > MAX_COLUMNS:
            raise workbook_error(
                "追加的行超出 Excel 工作表的容量", "the appended rows do not fit an Excel sheet"
            )
        # a data row's own cell formats first (what the user sees), then the column's, then the
        # workbook's date format for a date column that has none
        above = self.last_row_styles() if last > 1 else {}
        styles = [
            above.get(index) or own or fallback
            for index, (own, fallback) in enumerate(
                zip(
                    self.column_styles(width),
                    [*fallback_styles, *[None] * width][:width],
                    strict=True,
                )
            )
        ]
        if new_xml:
            self._appended.append(new_xml.encode("utf-8"))
        self._appended.extend(_row_batches(frame, last + 1, styles, dates))
        self.set_extent(max(self.used_columns(), width), last + len(frame))

    def set_cells(self, values: dict[str, Any], dates: DateSystem) -> None:
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
            number = int(tag_attributes(match.group(1)).get("r", "0"))
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

    def _new_row(self, row: int, cells: dict[int, Any], dates: DateSystem) -> str:
        return (
            f'<{self.prefix}row r="{row}">'
            + "".join(self._cell(row, col, cells[col], None, dates) for col in sorted(cells))
            + f"</{self.prefix}row>"
        )

    def _merge_cells(self, inner: str, row: int, cells: dict[int, Any], dates: DateSystem) -> str:
        cell_tag = re.compile(rf"<{self.prefix}c\b([^>]*?)(/?)>")
        pieces: list[str] = []
        position = 0
        pending = sorted(cells)
        for match in cell_tag.finditer(inner):
            if match.start() < position:
                continue  # a tag inside an element already consumed
            attrs = tag_attributes(match.group(1))
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

    def _cell(self, row: int, col: int, value: Any, style: str | None, dates: DateSystem) -> str:
        if style is None:
            # a cell that was blank takes its column's format (a date typed into a date column
            # must not show as a serial number)
            styles = self.column_styles(col + 1)
            style = styles[col] if col < len(styles) else None
        pieces = column_pieces(
            pd.Series([value], dtype=object),
            column_letter(col),
            object_array([str(row)], 1),
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


#: rows turned into XML at a time: the pieces of 500,000 rows at once took a gigabyte
ROW_BATCH = 50_000


def _row_batches(
    frame: pd.DataFrame, first_row: int, styles: Sequence[str | None], dates: DateSystem
) -> list[bytes]:
    """``rows_xml`` of ``frame`` as UTF-8, ``ROW_BATCH`` rows at a time."""
    return [
        rows_xml(frame.iloc[start : start + ROW_BATCH], first_row + start, styles, dates).encode(
            "utf-8"
        )
        for start in range(0, len(frame), ROW_BATCH)
    ]


def new_sheet_xml(
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
