"""The ``dir`` stream of a VBA project (MS-OVBA 2.3.4.2): the project's references and modules.

Decompressed, ``dir`` is a list of records, each an id (2 bytes), a size (4 bytes) and that many
bytes, with one exception (PROJECTVERSION, whose size field says 4 and whose data is 6 bytes).
It has three parts: the project's information (system kind, code page, name…), its references
(the type libraries its code uses) and its modules. The project built here keeps xlwings' first
two parts as xlwings ships them, record for record, and writes the third itself: one record group
per module, each with MODULEOFFSET 0, as the module's stream holds only compressed source (no
compiled p-code before it).
"""

from __future__ import annotations

from dataclasses import dataclass

#: PROJECTVERSION: the one record whose size field (4) is not the size of its data (6)
_VERSION = 0x0009
_CODEPAGE = 0x0003
_MODULES = 0x000F
_PROJECT_COOKIE = 0x0013
_END = 0x0010
_MODULE_NAME = 0x0019
_MODULE_NAME_UNICODE = 0x0047
_STREAM_NAME = 0x001A
_STREAM_NAME_UNICODE = 0x0032
_DOCSTRING = 0x001C
_DOCSTRING_UNICODE = 0x0048
_OFFSET = 0x0031
_HELP_CONTEXT = 0x001E
_MODULE_COOKIE = 0x002C
_PROCEDURAL = 0x0021
_DOCUMENT_OR_CLASS = 0x0022
_READ_ONLY = 0x0025
_PRIVATE = 0x0028
_MODULE_END = 0x002B
#: "MUST be 0xFFFF on write" (the cookies are ignored on read)
_COOKIE = 0xFFFF


class DirError(ValueError):
    """A ``dir`` stream this module cannot read."""


@dataclass(frozen=True)
class Record:
    id: int
    data: bytes


@dataclass(frozen=True)
class ModuleEntry:
    """What ``dir`` says of one module. ``kind`` "document" and "class" share one record type
    (0x0022); the PROJECT stream tells them apart."""

    name: str
    procedural: bool
    stream_name: str = ""
    docstring: str = ""
    offset: int = 0
    help_context: int = 0
    read_only: bool = False
    private: bool = False

    @property
    def stream(self) -> str:
        return self.stream_name or self.name


@dataclass(frozen=True)
class DirStream:
    #: PROJECTINFORMATION and PROJECTREFERENCES, as read
    head: tuple[Record, ...]
    modules: tuple[ModuleEntry, ...]

    @property
    def codepage(self) -> str:
        """The Python codec of the project's MBCS strings (PROJECTCODEPAGE, e.g. 1252)."""
        record = next((r for r in self.head if r.id == _CODEPAGE), None)
        return f"cp{int.from_bytes(record.data, 'little')}" if record else "cp1252"


def records(data: bytes) -> list[Record]:
    """The records of a decompressed ``dir`` stream, in order."""
    out: list[Record] = []
    place = 0
    while place < len(data):
        if place + 6 > len(data):
            raise DirError(f"truncated record header at byte {place}")
        record_id = int.from_bytes(data[place : place + 2], "little")
        size = int.from_bytes(data[place + 2 : place + 6], "little")
        if record_id == _VERSION:
            size = 6
        if place + 6 + size > len(data):
            raise DirError(f"record 0x{record_id:04X} runs past the end at byte {place}")
        out.append(Record(record_id, data[place + 6 : place + 6 + size]))
        place += 6 + size
    return out


def parse(data: bytes) -> DirStream:
    """A decompressed ``dir`` stream read into its head and its modules."""
    found = records(data)
    split = next((i for i, r in enumerate(found) if r.id == _MODULES), None)
    if split is None:
        raise DirError("no PROJECTMODULES record")
    head = tuple(found[:split])
    codec = DirStream(head, ()).codepage
    modules: list[ModuleEntry] = []
    fields: dict[int, bytes] = {}
    for record in found[split + 1 :]:
        if record.id in (_PROJECT_COOKIE, _END):
            continue
        if record.id != _MODULE_END:
            fields[record.id] = record.data
            continue
        modules.append(
            ModuleEntry(
                name=_text(fields, _MODULE_NAME_UNICODE, _MODULE_NAME, codec),
                procedural=_PROCEDURAL in fields,
                stream_name=_text(fields, _STREAM_NAME_UNICODE, _STREAM_NAME, codec),
                docstring=_text(fields, _DOCSTRING_UNICODE, _DOCSTRING, codec),
                offset=int.from_bytes(fields.get(_OFFSET, b""), "little"),
                help_context=int.from_bytes(fields.get(_HELP_CONTEXT, b""), "little"),
                read_only=_READ_ONLY in fields,
                private=_PRIVATE in fields,
            )
        )
        fields = {}
    return DirStream(head, tuple(modules))


def serialise(stream: DirStream) -> bytes:
    """The decompressed bytes of ``stream``: its head as read, then its modules."""
    codec = stream.codepage
    out: list[Record] = list(stream.head)
    out.append(Record(_MODULES, len(stream.modules).to_bytes(2, "little")))
    out.append(Record(_PROJECT_COOKIE, _COOKIE.to_bytes(2, "little")))
    for module in stream.modules:
        out += [
            Record(_MODULE_NAME, module.name.encode(codec)),
            Record(_MODULE_NAME_UNICODE, module.name.encode("utf-16-le")),
            Record(_STREAM_NAME, module.stream.encode(codec)),
            Record(_STREAM_NAME_UNICODE, module.stream.encode("utf-16-le")),
            Record(_DOCSTRING, module.docstring.encode(codec)),
            Record(_DOCSTRING_UNICODE, module.docstring.encode("utf-16-le")),
            Record(_OFFSET, module.offset.to_bytes(4, "little")),
            Record(_HELP_CONTEXT, module.help_context.to_bytes(4, "little")),
            Record(_MODULE_COOKIE, _COOKIE.to_bytes(2, "little")),
            Record(_PROCEDURAL if module.procedural else _DOCUMENT_OR_CLASS, b""),
        ]
        if module.read_only:
            out.append(Record(_READ_ONLY, b""))
        if module.private:
            out.append(Record(_PRIVATE, b""))
        out.append(Record(_MODULE_END, b""))
    out.append(Record(_END, b""))
    return b"".join(_record_bytes(r) for r in out)


def _record_bytes(record: Record) -> bytes:
    size = 4 if record.id == _VERSION else len(record.data)
    return record.id.to_bytes(2, "little") + size.to_bytes(4, "little") + record.data


def _text(fields: dict[int, bytes], unicode_id: int, mbcs_id: int, codec: str) -> str:
    if unicode_id in fields:
        return fields[unicode_id].decode("utf-16-le")
    return fields.get(mbcs_id, b"").decode(codec)
