"""Reading an export file into raw sheets: .xlsx, .xlsm, .xls and .csv — the door's half of an
import (``importing`` turns the raw cells into the register's columns; the use case writes them).

CSV files from Chinese systems come in GB18030 (Excel's "CSV" on a Chinese Windows) as often as
in UTF-8, with or without a byte-order mark; the encoding is found by trying UTF-8 (BOM or not)
first — a GB18030 file is almost never valid UTF-8 — then GB18030, which decodes any byte
sequence of GBK and GB2312 too. The delimiter (comma, semicolon, tab) is sniffed. Cells are kept
as text: typing is the import's job, column by column, so a number like ``00123`` in a code
column survives.
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path
from typing import Any

from credit_register.adapters.xlsx.bounds import check_package
from credit_register.adapters.xlsx.reading import blanks_as_none, read_sheets
from credit_register.core.bulk import paused_gc
from credit_register.core.port import RawSheet, WorkbookError

#: encodings tried in order for a CSV file
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
EXCEL_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
#: a CSV file above this size is refused: its rows are held as Python lists (a 500,000-row
#: invoice export is about 50 MB)
MAX_CSV_BYTES = 512 << 20


class SourceError(Exception):
    """The export cannot be read at all (the message is bilingual and shown as is)."""


def decode_csv(data: bytes) -> tuple[str, str]:
    """The text of a CSV file and the encoding it was in.

    >>> decode_csv("客户,金额\\n".encode("gb18030"))
    ('客户,金额\\n', 'gb18030')
    >>> decode_csv("\\ufeff客户,金额\\n".encode("utf-8"))[1]
    'utf-8-sig'
    """
    for encoding in CSV_ENCODINGS:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise SourceError("无法识别 CSV 文件的编码 (cannot tell the CSV file's encoding)")


def read_csv(data: bytes, name: str = "csv") -> RawSheet:
    """One sheet from CSV bytes; blank cells as ``None``.

    >>> read_csv("单据编号;金额\\nAR-1;1.234,5\\n".encode("utf-8")).rows
    [['单据编号', '金额'], ['AR-1', '1.234,5']]
    """
    text, _ = decode_csv(data)
    sample = text[:20_000]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = [
        [cell if cell.strip() else None for cell in row]
        for row in csv.reader(io.StringIO(text, newline=""), dialect)
    ]
    width = max(map(len, rows), default=0)
    for row in rows:
        row.extend([None] * (width - len(row)))
    return RawSheet(name, rows)


def read_export(path: Path) -> list[RawSheet]:
    """Every sheet of an export file (a CSV file is one sheet named after the file).

    An export is a file from elsewhere, read within the same bounds as the register: an
    .xlsx/.xlsm through the register's own bounded reader (a zip bomb or a stray cell in
    ``XFD1048576`` is refused or compacted before calamine sees it), the other zip formats
    (.xlsb, .ods) checked for inflation first, and a CSV file above ``MAX_CSV_BYTES`` refused.
    """
    suffix = path.suffix.lower()
    if not path.is_file():
        raise SourceError(f"找不到文件 {path} (file not found: {path})")
    if suffix in (".csv", ".txt"):
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise SourceError(
                f"{path.name} 有 {size / (1 << 20):,.0f} MB，超过 CSV 的上限 "
                f"{MAX_CSV_BYTES >> 20:,} MB；请分段导出 "
                f"({path.name} is {size / (1 << 20):,.0f} MB, over the "
                f"{MAX_CSV_BYTES >> 20:,} MB limit for a CSV file; export it in parts)"
            )
        return [read_csv(path.read_bytes(), path.stem)]
    if suffix not in EXCEL_SUFFIXES:
        raise SourceError(
            f"不支持的文件类型 {suffix}；请导出为 .xlsx、.xls 或 .csv "
            f"(unsupported file type {suffix}; export as .xlsx, .xls or .csv)"
        )
    try:
        if suffix in (".xlsx", ".xlsm"):
            return list(read_sheets(path, path.name).values())
        if zipfile.is_zipfile(path):  # .xlsb, .ods
            with zipfile.ZipFile(path) as archive:
                check_package(archive, path.name, {})
    except WorkbookError as exc:
        raise SourceError(str(exc)) from exc
    except (OSError, zipfile.BadZipFile) as exc:
        raise SourceError(
            f"{path.name} 无法读取：{exc} ({path.name} cannot be read: {exc})"
        ) from exc
    import python_calamine

    try:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        sheets = []
        with paused_gc():  # half a million rows of lists: see core.bulk
            for name in book.sheet_names:
                rows: list[list[Any]] = book.get_sheet_by_name(name).to_python(
                    skip_empty_area=False
                )
                blanks_as_none(rows)
                sheets.append(RawSheet(name, rows))
    except Exception as exc:  # calamine's own errors: corrupt file, password, unknown format
        raise SourceError(
            f"{path.name} 无法读取：{exc} ({path.name} cannot be read: {exc})"
        ) from exc
    return sheets
