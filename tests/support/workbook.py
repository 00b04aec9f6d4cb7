"""Reading a built workbook back as plain data, for the "rebuild and compare" tests.

The builder's tests and the shipped-workbook test compare what two builds hold, sheet by sheet:
cells, layout, buttons and VBA modules. Only tests need this, so it lives here, not in the
package.
"""

from __future__ import annotations

import hashlib
import os
import warnings
import zipfile
from pathlib import Path
from typing import Any

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
#: sheet XML parts that describe layout rather than cell data
_LAYOUT_PARTS = (
    "sheetPr",
    "sheetViews",
    "cols",
    "autoFilter",
    "dataValidations",
    "conditionalFormatting",
)


def workbook_contents(path: Path) -> dict[str, Any]:
    """A deterministic description of a built workbook, for "rebuild and compare" tests.

    Per sheet (in tab order): its codename, cell values as python-calamine reads them, and its
    layout (column widths and styles, frozen pane, autofilter, drop-downs, conditional formats)
    from the sheet XML; the Dashboard's buttons (caption, macro, alt text) from the VML drawing;
    the VBA project's SHA-256 and its modules' code. Timestamps (``docProps/core.xml``) are left
    out.
    """
    from lxml import etree
    from python_calamine import CalamineWorkbook

    path = Path(path)
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}

    workbook_xml = etree.fromstring(parts["xl/workbook.xml"])
    rels = _relationships(parts, "xl/_rels/workbook.xml.rels")
    calamine = CalamineWorkbook.from_path(str(path))
    sheets: dict[str, Any] = {}
    for element in workbook_xml.iter(f"{{{_MAIN_NS}}}sheet"):
        name = element.get("name")
        target = "xl/" + rels[element.get(f"{{{_REL_NS}}}id")].lstrip("/").removeprefix("xl/")
        sheet_xml = etree.fromstring(parts[target])
        layout = {
            part: [_describe(e) for e in sheet_xml.iter(f"{{{_MAIN_NS}}}{part}")]
            for part in _LAYOUT_PARTS
        }
        sheet_pr = sheet_xml.find(f"{{{_MAIN_NS}}}sheetPr")
        sheets[name] = {
            "codename": None if sheet_pr is None else sheet_pr.get("codeName"),
            "cells": calamine.get_sheet_by_name(name).to_python(skip_empty_area=False),
            "layout": layout,
            "buttons": _buttons(parts, target),
        }

    vba = parts.get("xl/vbaProject.bin", b"")
    workbook_pr = workbook_xml.find(f"{{{_MAIN_NS}}}workbookPr")
    return {
        "sheet_order": list(sheets),
        "workbook_codename": None if workbook_pr is None else workbook_pr.get("codeName"),
        "sheets": sheets,
        "vba_sha256": hashlib.sha256(vba).hexdigest(),
        "vba_modules": _vba_modules(vba),
        "parts": sorted(n for n in parts if n != "docProps/core.xml"),
    }


def _relationships(parts: dict[str, bytes], rels_name: str) -> dict[str, str]:
    from lxml import etree

    if rels_name not in parts:
        return {}
    root = etree.fromstring(parts[rels_name])
    return {r.get("Id"): r.get("Target") for r in root.iter(f"{{{_PKG_REL_NS}}}Relationship")}


def _describe(element: Any) -> dict[str, Any]:
    """An XML element as nested plain data, without namespaces or volatile ids."""
    attrs = {
        _local(k): v for k, v in sorted(element.attrib.items()) if "uid" not in _local(k).lower()
    }
    children = [_describe(child) for child in element if isinstance(child.tag, str)]
    text = (element.text or "").strip()
    return {"tag": _local(element.tag), "attrs": attrs, "text": text, "children": children}


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _buttons(parts: dict[str, bytes], sheet_part: str) -> list[dict[str, str]]:
    """The form buttons of a sheet as its VML drawing holds them."""
    from lxml import etree

    folder, name = sheet_part.rsplit("/", 1)
    rels = _relationships(parts, f"{folder}/_rels/{name}.rels")
    buttons: list[dict[str, str]] = []
    for target in rels.values():
        if not target.endswith(".vml"):
            continue
        vml_name = os.path.normpath(f"{folder}/{target}").replace(os.sep, "/")
        root = etree.fromstring(parts[vml_name], etree.XMLParser(recover=True))
        for shape in root.iter("{urn:schemas-microsoft-com:vml}shape"):
            client = shape.find("{urn:schemas-microsoft-com:office:excel}ClientData")
            if client is None or client.get("ObjectType") != "Button":
                continue
            macro = client.findtext("{urn:schemas-microsoft-com:office:excel}FmlaMacro") or ""
            anchor = client.findtext("{urn:schemas-microsoft-com:office:excel}Anchor") or ""
            textbox = shape.find("{urn:schemas-microsoft-com:vml}textbox")
            caption = "".join(textbox.itertext()).strip() if textbox is not None else ""
            buttons.append(
                {
                    "caption": caption,
                    "macro": macro,
                    "alt_text": shape.get("alt") or "",
                    "anchor": anchor.replace(" ", ""),
                }
            )
    return buttons


def _vba_modules(vba: bytes) -> dict[str, str]:
    """Module name → VBA code (olevba); empty when oletools is not installed."""
    if not vba:
        return {}
    try:
        with warnings.catch_warnings():
            # oletools' pyparsing grammar warns on import; nothing the reader can act on
            warnings.simplefilter("ignore", DeprecationWarning)
            from oletools.olevba import VBA_Parser
    except ImportError:
        return {}
    parser = VBA_Parser("vbaProject.bin", data=vba)
    try:
        return {
            str(module): str(code).replace("\r\n", "\n")
            for _file, _stream, module, code in parser.extract_macros()
        }
    finally:
        parser.close()
