"""The workbook's VBA project, built from source: xlwings' modules, ours, and one per sheet.

The project is what Excel finds in ``xl/vbaProject.bin``: a compound file holding

- ``PROJECT`` (text: the project's id and protection records, one line per module),
  ``PROJECTwm`` (the module names again, in UTF-16);
- ``VBA/dir`` (compressed records: references and modules), ``VBA/_VBA_PROJECT`` and one stream
  per module with its compressed source.

It is built *source-only*, as xlwings ships its own ``xlwings`` module: every module's stream is
just its compressed source (MODULEOFFSET 0) and ``_VBA_PROJECT`` has version 0xFFFF and no
performance cache, which tells Excel to compile the source when it opens the workbook rather than
to trust compiled code from some other Excel version.

What is taken from xlwings' ``quickstart_standalone.xlsm`` (the installed xlwings, pinned in
pyproject): the ``xlwings`` module (``RunPython``; its BSD licence notice is part of its source)
and the ``Dictionary`` class it uses on a Mac (MIT notice kept), the project's information and
references records in ``dir``, and the ``PROJECT`` lines that are not about modules (its id and
the protection records, which are encrypted with a key derived from that id and so go together).
Everything else is written here: ``ThisWorkbook`` and one document module per sheet code name,
and the ``CreditRegister`` module of macros (``macros.py``).
"""

from __future__ import annotations

import importlib.util
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from credit_register.tools.vba import dir_stream, ovba
from credit_register.tools.vba.cfb import write_compound_file
from credit_register.tools.vba.macros import MODULE, module_source

XLWINGS_TEMPLATE = "quickstart_standalone.xlsm"
#: the modules of xlwings' project that ours keeps
XLWINGS_MODULES = ("xlwings", "Dictionary")
WORKBOOK_MODULE = "ThisWorkbook"
#: Reserved1 0x61CC, Version 0xFFFF (compile from source), Reserved2 0x00, Reserved3 as xlwings'
VBA_PROJECT_STREAM = bytes.fromhex("cc61ffff000100")
#: the class each document module extends: Excel's Workbook and Worksheet
_WORKBOOK_BASE = "0{00020819-0000-0000-C000-000000000046}"
_WORKSHEET_BASE = "0{00020820-0000-0000-C000-000000000046}"
_PROJECT_ITEMS = ("Document=", "Module=", "Class=", "BaseClass=", "Package=")

Kind = Literal["procedural", "class", "document"]
#: how PROJECT names a module of each kind
_KINDS: dict[str, Kind] = {"Document": "document", "Class": "class", "Module": "procedural"}


@dataclass(frozen=True)
class Module:
    name: str
    kind: Kind
    #: VBA source with CRLF line ends, ``Attribute`` lines included
    source: str
    docstring: str = ""


@dataclass(frozen=True)
class Template:
    """What the project takes from xlwings' own."""

    #: the ``dir`` stream's information and reference records
    head: tuple[dir_stream.Record, ...]
    #: PROJECT's lines before [Workspace], module lines removed; the first is ``ID="{…}"``
    project_lines: tuple[str, ...]
    #: the kept modules, in xlwings' order
    modules: tuple[Module, ...]
    codepage: str


def xlwings_template(vba_project: bytes | None = None) -> Template:
    """Read xlwings' shipped project (``vba_project``, else the installed template's)."""
    import olefile

    data = vba_project if vba_project is not None else xlwings_vba_project()
    ole = olefile.OleFileIO(data)
    try:

        def stream(*path: str) -> bytes:
            content: bytes = ole.openstream("/".join(path)).read()
            return content

        directory = dir_stream.parse(ovba.decompress(stream("VBA", "dir")))
        codec = directory.codepage
        lines = stream("PROJECT").decode(codec).split("\r\n")
        kinds: dict[str, Kind] = {}
        for line in lines:
            key, _, value = line.partition("=")
            if key in _KINDS:
                kinds[value.split("/")[0]] = _KINDS[key]
        modules = tuple(
            Module(
                name=entry.name,
                kind=kinds.get(entry.name, "procedural"),
                source=ovba.decompress(stream("VBA", entry.stream)[entry.offset :]).decode(codec),
                docstring=entry.docstring,
            )
            for entry in directory.modules
            if entry.name in XLWINGS_MODULES
        )
    finally:
        ole.close()
    workspace = lines.index("[Workspace]") if "[Workspace]" in lines else len(lines)
    kept = tuple(line for line in lines[:workspace] if not line.startswith(_PROJECT_ITEMS))
    if not kept or not kept[0].startswith("ID="):
        raise ValueError("xlwings' PROJECT stream does not start with its ID line")
    if {m.name for m in modules} != set(XLWINGS_MODULES):
        raise ValueError(f"xlwings' project lacks one of {XLWINGS_MODULES}")
    return Template(directory.head, kept, modules, codec)


def xlwings_vba_project() -> bytes:
    """``xl/vbaProject.bin`` of the installed xlwings package's standalone quickstart workbook."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or spec.origin is None:
        raise RuntimeError("xlwings is not installed: the VBA project is built from its module")
    with zipfile.ZipFile(Path(spec.origin).parent / XLWINGS_TEMPLATE) as archive:
        return archive.read("xl/vbaProject.bin")


def document_module(name: str, *, workbook: bool = False) -> Module:
    """The empty code module behind a sheet (or the workbook) with code name ``name``."""
    attributes = [
        ("VB_Name", f'"{name}"'),
        ("VB_Base", f'"{_WORKBOOK_BASE if workbook else _WORKSHEET_BASE}"'),
        ("VB_GlobalNameSpace", "False"),
        ("VB_Creatable", "False"),
        ("VB_PredeclaredId", "True"),
        ("VB_Exposed", "True"),
        ("VB_TemplateDerived", "False"),
        ("VB_Customizable", "True"),
    ]
    source = "".join(f"Attribute {key} = {value}\r\n" for key, value in attributes)
    return Module(name, "document", source)


def project_modules(sheet_codenames: Sequence[str], template: Template) -> tuple[Module, ...]:
    """The project's modules in order: the workbook's, the sheets', xlwings', ours."""
    return (
        document_module(WORKBOOK_MODULE, workbook=True),
        *(document_module(name) for name in sheet_codenames),
        *template.modules,
        Module(MODULE, "procedural", module_source()),
    )


def build_project(sheet_codenames: Sequence[str], template: Template | None = None) -> bytes:
    """The bytes of ``vbaProject.bin`` for a workbook whose sheets have ``sheet_codenames``."""
    template = template or xlwings_template()
    modules = project_modules(sheet_codenames, template)
    names = [m.name for m in modules]
    if len(set(names)) != len(names):
        raise ValueError(f"module names must differ: {names}")
    codec = template.codepage
    directory = dir_stream.DirStream(
        template.head,
        tuple(
            dir_stream.ModuleEntry(
                name=m.name, procedural=m.kind == "procedural", docstring=m.docstring
            )
            for m in modules
        ),
    )
    streams: dict[tuple[str, ...], bytes] = {
        ("PROJECT",): project_text(modules, template).encode(codec),
        ("PROJECTwm",): project_wm(modules, codec),
        ("VBA", "_VBA_PROJECT"): VBA_PROJECT_STREAM,
        ("VBA", "dir"): ovba.compress(dir_stream.serialise(directory)),
    }
    for module in modules:
        streams[("VBA", module.name)] = ovba.compress(module.source.encode(codec))
    return write_compound_file(streams)


def project_text(modules: Sequence[Module], template: Template) -> str:
    """The PROJECT stream (MS-OVBA 2.3.1): xlwings' lines with ours for the modules."""
    items = []
    for module in modules:
        if module.kind == "document":
            items.append(f"Document={module.name}/&H00000000")
        elif module.kind == "class":
            items.append(f"Class={module.name}")
        else:
            items.append(f"Module={module.name}")
    lines = [template.project_lines[0], *items, *template.project_lines[1:]]
    lines += ["[Workspace]", *(f"{m.name}=0, 0, 0, 0, C" for m in modules), ""]
    return "\r\n".join(lines) + "\r\n"


def project_wm(modules: Sequence[Module], codec: str) -> bytes:
    """The PROJECTwm stream (MS-OVBA 2.3.3): each name in the code page, then in UTF-16."""
    parts = [
        m.name.encode(codec) + b"\x00" + m.name.encode("utf-16-le") + b"\x00\x00" for m in modules
    ]
    return b"".join(parts) + b"\x00\x00"


def read_modules(vba_project: bytes) -> dict[str, str]:
    """Module name → source as oletools' olevba reads it from a project (for checks and tests)."""
    with warnings.catch_warnings():
        # oletools' pyparsing grammar warns on import; nothing the reader can act on
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

    parser = VBA_Parser("vbaProject.bin", data=vba_project)
    try:
        return {
            str(stream).split("/")[-1]: str(code)
            for _file, stream, _module, code in parser.extract_macros()
        }
    finally:
        parser.close()
