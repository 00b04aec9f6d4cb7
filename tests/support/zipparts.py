"""Reading a workbook package as a zip: every member's bytes, and which part holds which tab."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path


def zip_members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def sheet_parts(path: Path) -> dict[str, str]:
    """Tab name → its worksheet part (``xl/worksheets/sheet5.xml``), read from the package."""
    members = zip_members(path)
    workbook = members["xl/workbook.xml"].decode()
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    targets = dict(re.findall(r'<Relationship[^>]*Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    targets.update(
        {
            rid: target
            for target, rid in re.findall(
                r'<Relationship[^>]*Target="([^"]+)"[^>]*Id="([^"]+)"', rels
            )
        }
    )
    parts = {}
    for name, rid in re.findall(r'<sheet [^>]*name="([^"]+)"[^>]*r:id="([^"]+)"', workbook):
        target = targets[rid].lstrip("/")
        parts[name] = target if target.startswith("xl/") else f"xl/{target}"
    return parts
