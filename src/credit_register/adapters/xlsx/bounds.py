"""Reading a workbook file within bounds: what a sheet holds is measured before it is parsed.

One cell can take a reader down. python-calamine builds each sheet as a dense grid from its first
to its last cell, and the file door asks for it from A1, so a stray value in ``XFD1048576``
asked for 17 billion cells ("memory allocation of 549755813888 bytes failed", an abort no
``except`` catches), and a note in ``XFD1`` of a 3,000-row invoice sheet made 50 million. A zip
can also declare (or really hold) a part that inflates a thousandfold. So before calamine sees
the file:

- every part's uncompressed size, the total, and a big part's compression ratio are checked
  against limits (a zip bomb is refused from its directory, in milliseconds);
- each worksheet part is streamed through once, in chunks, and measured: the last row and column
  that hold a cell, the declared ``<dimension>``, Excel error cells (calamine reads them as
  blanks) and formulas without a cached value (files written by scripts; calamine reads them
  as blanks too);
- a sheet whose grid would be far larger than its cells (a stray cell far from the table) is
  *compacted*: its cells are renumbered onto the rows and columns that hold something, calamine
  reads that small grid, and ``RawSheet.row_numbers`` / ``column_numbers`` say where each value
  really is. Memory stays proportional to the cells that hold values; every value is still read,
  and every issue still names its real cell.

Only a sheet too big even compacted is refused, with a message naming it.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field

from credit_register.adapters.xlsx.cells import workbook_error
from credit_register.adapters.xlsx.package import copy_compressed
from credit_register.core.cells import column_index, column_letter
from credit_register.core.values import FORMULA_WITHOUT_VALUE

#: a part larger than this once inflated is refused (the 500,000-invoice sheet is ~0.3 GiB)
MAX_PART_BYTES = 1 << 30
#: all parts together
MAX_TOTAL_BYTES = 3 << 30
#: a part above ``RATIO_FLOOR_BYTES`` inflating more than this many times is refused: spreadsheet
#: XML inflates 5–30 times, a zip bomb about a thousand
MAX_RATIO = 250
RATIO_FLOOR_BYTES = 16 << 20
#: a grid (rows × columns from A1) above this many cells, and more than ``SPARSE_FACTOR`` times
#: the cells the part can hold, is read compacted
DENSE_CELLS = 2_000_000
SPARSE_FACTOR = 4
#: the fewest bytes one value cell takes in sheet XML (``<c r="A1"><v>1</v></c>``)
CELL_BYTES = 16
#: a compacted grid above this many cells is refused
MAX_CELLS = 40_000_000
_CHUNK = 8 << 20

_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="([^"]*)"')
_SHEET_DATA = re.compile(rb"<(\w+:)?sheetData\b")
_ROW_NUMBER = re.compile(rb'\sr="(\d+)"')
_REF = re.compile(r"^([A-Z]{1,3})(\d+)$")


@dataclass
class SheetScan:
    """What one worksheet part holds, measured without parsing it."""

    part: str
    size: int
    #: the declared ``<dimension ref>``, as written (``A1:L3201``), or ``""``
    dimension: str = ""
    #: the last row (1-based) and last column (0-based) holding a cell
    last_row: int = 0
    last_column: int = 0
    #: cells calamine reads as blanks: Excel errors as their text, formulas without a value
    patches: dict[tuple[int, int], str] = field(default_factory=dict)

    @property
    def grid_cells(self) -> int:
        """Cells in the grid from A1 to the last row and column."""
        return self.last_row * (self.last_column + 1)

    @property
    def sparse(self) -> bool:
        """Whether reading the grid from A1 would allocate far more than the cells need."""
        held = SPARSE_FACTOR * max(self.size // CELL_BYTES, 1)
        return self.grid_cells > max(DENSE_CELLS, held)


# --------------------------------------------------------------------------- the package


def check_package(archive: zipfile.ZipFile, label: str, names: dict[str, str]) -> None:
    """Refuse a package whose parts would inflate beyond the limits, before anything is read.
    ``names`` gives a worksheet part's tab name, for the message."""
    total = 0
    for info in archive.infolist():
        total += info.file_size
        what_zh = f"工作表“{names[info.filename]}”" if info.filename in names else info.filename
        what_en = f"sheet '{names[info.filename]}'" if info.filename in names else info.filename
        size_mb = info.file_size / (1 << 20)
        if info.file_size > MAX_PART_BYTES:
            raise workbook_error(
                f"{label} 的{what_zh}解压后有 {size_mb:,.0f} MB，超过 {MAX_PART_BYTES >> 20:,} MB "
                "的上限；请检查是否有远离表格的单元格或大量空白格式行",
                f"{what_en} of {label} inflates to {size_mb:,.0f} MB, over the "
                f"{MAX_PART_BYTES >> 20:,} MB limit; look for cells far from the table or many "
                "formatted blank rows",
            )
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > RATIO_FLOOR_BYTES and ratio > MAX_RATIO:
            raise workbook_error(
                f"{label} 的{what_zh}压缩比异常（{ratio:,.0f} 倍，{size_mb:,.0f} MB），"
                "不像 Excel 保存的文件，已拒绝读取",
                f"{what_en} of {label} inflates {ratio:,.0f}-fold (to {size_mb:,.0f} MB), which "
                "no Excel-saved file does; it was not read",
            )
    if total > MAX_TOTAL_BYTES:
        raise workbook_error(
            f"{label} 解压后共 {total / (1 << 20):,.0f} MB，超过上限",
            f"{label} inflates to {total / (1 << 20):,.0f} MB in all, over the limit",
        )


# --------------------------------------------------------------------------- one sheet


def _chunks(archive: zipfile.ZipFile, part: str) -> Iterator[bytes]:
    """The part's XML in pieces that end after a complete row (or cell): never inside one."""
    carry = b""
    with archive.open(part) as stream:
        while True:
            block = stream.read(_CHUNK)
            if not block:
                break
            data = carry + block
            cut = data.rfind(b"</row>")
            cut = cut + 6 if cut >= 0 else data.rfind(b"</c>") + 4 if b"</c>" in data else -1
            if cut <= 0:
                carry = data
                continue
            carry = data[cut:]
            yield data[:cut]
    if carry:
        yield carry


def _patches(text: bytes, prefix: bytes) -> Iterator[tuple[str, str]]:
    """(cell reference, value) of error cells and formulas without a cached value."""
    if b't="e"' in text:
        pattern = re.compile(
            rb"<" + prefix + rb'c\s([^>]*\bt="e"[^>]*)>(.*?)</' + prefix + rb"c>", re.S
        )
        for match in pattern.finditer(text):
            ref = re.search(rb'\br="([A-Z]+\d+)"', match.group(1))
            value = re.search(rb"<" + prefix + rb"v>([^<]*)</", match.group(2))
            if ref and value:
                yield ref.group(1).decode(), value.group(1).decode().replace("&amp;", "&")
    formula = b"<" + prefix + b"f"
    start = text.find(formula)
    while start >= 0:
        opening = text.rfind(b"<" + prefix + b"c ", 0, start)
        close = text.find(b"</" + prefix + b"c>", start)
        if opening >= 0 and close >= 0:
            cell = text[opening:close]
            ref = re.search(rb'\br="([A-Z]+\d+)"', cell[: cell.find(b">")])
            value = re.search(rb"<" + prefix + rb"v>[^<]+</", cell)
            if ref and value is None and b't="e"' not in cell[: cell.find(b">")]:
                yield ref.group(1).decode(), FORMULA_WITHOUT_VALUE
        start = text.find(formula, max(close, start + 1))


def scan_sheet(archive: zipfile.ZipFile, part: str) -> SheetScan:
    """Measure one worksheet part in a single streamed pass (see the module docstring)."""
    info = archive.getinfo(part)
    scan = SheetScan(part, info.file_size)
    prefix = b""
    wide = re.compile(rb'<c r="([A-Z]{2,3})\d')
    narrow = re.compile(rb'<c r="([A-Z])\d')
    first = True
    for text in _chunks(archive, part):
        if first:
            first = False
            found = _DIMENSION.search(text)
            scan.dimension = found.group(1).decode() if found else ""
            data = _SHEET_DATA.search(text)
            if data and data.group(1):
                prefix = data.group(1)
                wide = re.compile(rb"<" + prefix + rb'c r="([A-Z]{2,3})\d')
                narrow = re.compile(rb"<" + prefix + rb'c r="([A-Z])\d')
        # rows are in ascending order in a valid sheet: the first and last row tags bound them
        row_tag = b"<" + prefix + b"row"
        for at in (text.find(row_tag), text.rfind(row_tag)):
            if at >= 0:
                number = _ROW_NUMBER.search(text, at, text.find(b">", at) + 1)
                if number:
                    scan.last_row = max(scan.last_row, int(number.group(1)))
        letters = wide.findall(text)
        if letters:
            scan.last_column = max(scan.last_column, *map(column_index, map(bytes.decode, letters)))
        elif scan.last_column < 26:
            tail = narrow.findall(text[-65536:])  # one-letter columns: the end of a row is enough
            if tail:
                scan.last_column = max(scan.last_column, *(ord(t) - 65 for t in tail))
        for ref, value in _patches(text, prefix):
            match = _REF.match(ref)
            if match:
                cell = (column_index(match.group(1)), int(match.group(2)))
                scan.patches[cell] = value
                scan.last_column = max(scan.last_column, cell[0])
                scan.last_row = max(scan.last_row, cell[1])
    return scan


# --------------------------------------------------------------------------- compaction


@dataclass
class Compacted:
    """A sheet renumbered onto the rows and columns that hold cells."""

    xml: bytes
    #: the real row (1-based) of each compact row, the real column (0-based) of each compact one
    row_numbers: list[int]
    column_numbers: list[int]


def compact(archive: zipfile.ZipFile, scan: SheetScan, tab: str, label: str) -> Compacted:
    """The sheet with its cells moved onto a dense grid of the rows and columns in use (row 1 and
    column A kept, so the header stays the first row)."""
    xml = archive.read(scan.part)  # within MAX_PART_BYTES: checked before
    data = _SHEET_DATA.search(xml)
    prefix = (data.group(1) or b"") if data else b""
    cell_ref = re.compile(rb"(<" + prefix + rb'c\b[^>]*?\br=")([A-Z]{1,3})(\d+)(")')
    row_ref = re.compile(rb"(<" + prefix + rb'row\b[^>]*?\br=")(\d+)(")')
    cells = cell_ref.findall(xml)
    if xml.count(b"<" + prefix + b"c ") + xml.count(b"<" + prefix + b"c>") != len(cells):
        raise _too_big(tab, label, scan)  # cells without an address cannot be renumbered
    rows = sorted({1, *(int(r) for _, _, r, _ in cells), *map(int, _row_numbers(row_ref, xml))})
    columns = sorted({0, *(column_index(c.decode()) for _, c, _, _ in cells)})
    if len(rows) * len(columns) > MAX_CELLS:
        raise _too_big(tab, label, scan)
    new_row = {number: str(i + 1).encode() for i, number in enumerate(rows)}
    new_column = {
        column_letter(number).encode(): column_letter(i).encode()
        for i, number in enumerate(columns)
    }
    body = cell_ref.sub(
        lambda m: m.group(1) + new_column[m.group(2)] + new_row[int(m.group(3))] + m.group(4), xml
    )
    body = row_ref.sub(lambda m: m.group(1) + new_row[int(m.group(2))] + m.group(3), body)
    body = re.sub(rb'\sspans="[^"]*"', b"", body)
    last = f"{column_letter(len(columns) - 1)}{len(rows)}".encode()
    body = _DIMENSION.sub(lambda m: m.group(0).replace(m.group(1), b"A1:" + last), body, count=1)
    # merged cells, hyperlinks, formats after the data name real cells: not needed to read values
    end = body.find(b"</" + prefix + b"sheetData>")
    if end >= 0:
        body = body[: end + len(b"</" + prefix + b"sheetData>")] + b"</" + prefix + b"worksheet>"
    return Compacted(body, rows, columns)


def _row_numbers(pattern: re.Pattern[bytes], xml: bytes) -> Iterator[bytes]:
    for match in pattern.finditer(xml):
        yield match.group(2)


def _too_big(tab: str, label: str, scan: SheetScan) -> Exception:
    extent = f"{column_letter(scan.last_column)}{scan.last_row}"
    return workbook_error(
        f"{label} 的工作表“{tab}”范围过大（到 {extent}），无法读取；请删除远离表格的单元格后保存",
        f"sheet '{tab}' of {label} is too large to read (it reaches {extent}); delete the cells "
        "far from the table and save it",
    )


def with_part(archive: zipfile.ZipFile, part: str, xml: bytes) -> io.BytesIO:
    """A copy of the package in memory with one part replaced (for calamine to read)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", allowZip64=True) as out:
        for info in archive.infolist():
            if info.filename == part:
                out.writestr(
                    info.filename, xml, compress_type=zipfile.ZIP_DEFLATED, compresslevel=1
                )
            elif info.flag_bits & 0x01:
                out.writestr(info, archive.read(info))
            else:
                copy_compressed(archive, info, out)
    buffer.seek(0)
    return buffer
