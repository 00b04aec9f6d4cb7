"""The workbook file as the zip package it is: read parts, write a new zip, replace the file.

A credit team's register is an Excel-saved ``.xlsm`` with a VBA project, buttons, charts,
comments, validations and formats that the team built over years. A generic writer (openpyxl,
LibreOffice) re-creates the whole file and quietly drops parts of it (DESIGN.md decision 3). So
the write copies every part of the zip it does not change as it is: ``vbaProject.bin``, styles,
``sharedStrings.xml``, drawings and VML buttons, charts, ``workbook.xml``, ``docProps``. Only
when an output sheet is missing is it added, which also changes ``workbook.xml``, its rels and
``[Content_Types].xml``.

``xl/calcChain.xml`` is kept: engine-owned sheets carry no formulas. Only when a replaced cell or
a rewritten sheet did hold a formula is the calculation chain dropped (part, rel and content type),
because a chain that names a cell without a formula makes Excel "repair" the file; Excel rebuilds
the chain on its next save.

Writes are atomic (:func:`replace_file`): the new package goes to a temporary file with a unique
name in the real file's folder (a symbolic link is followed, so the link stays a link), is
fsynced and given the file's mode; the previous version is kept as a time-stamped backup beside
the workbook (``credit_register.bak-20261129-073400-000005.xlsm``: same extension, so Excel
opens it with its macros; the newest few are kept, see :mod:`..register_lock`), and the
temporary file is renamed over the workbook. A failure before the rename leaves the workbook
untouched; temporary files of a killed write are removed by the next writer under the lock.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import tempfile
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from credit_register.adapters import register_lock
from credit_register.adapters.xlsx.cells import DateSystem, workbook_error
from credit_register.adapters.xlsx.guard import real_path
from credit_register.adapters.xlsx.sheet_xml import MAIN_NS, OFFICE_REL_NS

PACKAGE_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
WORKSHEET_REL_TYPE = OFFICE_REL_NS + "/worksheet"
CALC_CHAIN_REL_TYPE = OFFICE_REL_NS + "/calcChain"
WORKSHEET_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"

_NS = {"m": MAIN_NS, "pr": PACKAGE_REL_NS}


def _xml_attr(text: str) -> str:
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


# --------------------------------------------------------------------------- the file


def replace_file(
    path: Path,
    label: str,
    write: Callable[[Path], None],
    *,
    backups: int = register_lock.DEFAULT_BACKUPS,
    replaced: Callable[[], None] | None = None,
) -> None:
    """``write`` the new version to a temp file beside the real file ``path`` names, keep the
    previous version as a time-stamped backup (the newest ``backups`` are kept) and rename the new
    one over the real file: all or nothing. ``replaced`` runs right after the rename (the write
    is then done whatever follows)."""
    real = real_path(path)
    folder = real.parent
    prefix = register_lock.temp_prefix(real)
    temps: list[Path] = []

    def temp_file(kind: str) -> Path:
        handle, name = tempfile.mkstemp(prefix=f"{prefix}{kind}-", suffix=".tmp", dir=folder)
        os.close(handle)
        temps.append(Path(name))
        return temps[-1]

    try:
        temp = temp_file("new")
        write(temp)
        mode = real.stat().st_mode & 0o7777
        os.chmod(temp, mode)
        # the previous version first, itself written atomically: a crash leaves one intact
        backup_temp = temp_file("bak")
        shutil.copy2(real, backup_temp)
        os.replace(backup_temp, register_lock.backup_name(real, dt.datetime.now()))
        os.replace(temp, real)
        if replaced is not None:
            replaced()
        register_lock.prune_backups(real, backups)
    except PermissionError as exc:
        raise workbook_error(
            f"无法写入 {label}（文件被占用或没有写权限）：{exc}",
            f"cannot write {label} (the file is in use or read-only): {exc}",
        ) from exc
    except OSError as exc:
        raise workbook_error(f"无法写入 {label}：{exc}", f"cannot write {label}: {exc}") from exc
    finally:
        for leftover in temps:
            leftover.unlink(missing_ok=True)
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        directory = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


# --------------------------------------------------------------------------- the package


@dataclass
class Tab:
    """A worksheet tab: its name, ``sheetId``, relationship id and part in the zip."""

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
class Package:
    """The zip's parts as the write will leave them: original ones, replaced ones, new ones."""

    archive: zipfile.ZipFile
    workbook_part: str
    replaced: dict[str, bytes] = field(default_factory=dict)
    #: rewritten worksheet parts handed over in pieces (``SheetXml.chunks``): streamed into the
    #: zip, never joined into one copy of a 500,000-row sheet
    streamed: dict[str, list[bytes]] = field(default_factory=dict)
    added: dict[str, bytes] = field(default_factory=dict)
    dropped: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, archive: zipfile.ZipFile) -> Package:
        rels = etree.fromstring(archive.read("_rels/.rels"))
        for rel in rels.iterfind("pr:Relationship", _NS):
            if rel.get("Type", "").endswith("/officeDocument"):
                return cls(archive, _resolve("", rel.get("Target", "")))
        return cls(archive, "xl/workbook.xml")

    def read(self, name: str) -> bytes:
        if name in self.streamed:
            return b"".join(self.streamed[name])
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

    def tabs(self) -> list[Tab]:
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
                    Tab(
                        sheet.get("name", ""),
                        int(sheet.get("sheetId", "0")),
                        rel_id,
                        targets[rel_id],
                    )
                )
        return tabs

    def date_system(self) -> DateSystem:
        workbook = etree.fromstring(self.read(self.workbook_part))
        pr = workbook.find("m:workbookPr", _NS)
        flag = pr.get("date1904", "0") if pr is not None else "0"
        return DateSystem(flag.lower() in ("1", "true"))

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

    def add_sheet(self, tab_name: str, xml: bytes) -> Tab:
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
        return Tab(tab_name, sheet_id, rel_id, part)

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
                    pieces = self.streamed.get(info.filename)
                    data = self.replaced.get(info.filename)
                    if pieces is None and data is None and not info.flag_bits & 0x01:
                        copy_compressed(self.archive, info, out)
                        continue
                    copy = zipfile.ZipInfo(info.filename, info.date_time)
                    copy.compress_type = info.compress_type
                    copy.external_attr = info.external_attr
                    copy.create_system = info.create_system
                    copy.comment = info.comment
                    if pieces is not None:
                        _write_pieces(out, copy, pieces)
                        continue
                    if data is None:
                        data = self.archive.read(info)
                    out.writestr(copy, data, compresslevel=1)
                for name, data in self.added.items():
                    info = zipfile.ZipInfo(name, dt.datetime.now().timetuple()[:6])
                    info.compress_type = zipfile.ZIP_DEFLATED
                    out.writestr(info, data, compresslevel=1)
            handle.flush()
            os.fsync(handle.fileno())


def _write_pieces(out: zipfile.ZipFile, info: zipfile.ZipInfo, pieces: list[bytes]) -> None:
    """One part written from its pieces, deflated at level 1 like ``writestr`` does here."""
    # the level zipfile's own writestr sets (``compress_level`` from Python 3.13 on)
    level = "compress_level" if hasattr(info, "compress_level") else "_compresslevel"
    setattr(info, level, 1)
    info.file_size = sum(map(len, pieces))  # so that zipfile chooses ZIP64 before writing
    with out.open(info, "w") as stream:
        for piece in pieces:
            stream.write(piece)


_LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")  # ZIP local file header, APPNOTE 4.3.7
_LOCAL_HEADER_SIGNATURE = 0x04034B50


def copy_compressed(source: zipfile.ZipFile, info: zipfile.ZipInfo, out: zipfile.ZipFile) -> None:
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
