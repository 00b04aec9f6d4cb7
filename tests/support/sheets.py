"""A workbook's sheet read back as a user sees it: one dict per row, keyed by the header."""

from __future__ import annotations

from pathlib import Path

from python_calamine import CalamineWorkbook


def sheet_rows(path: Path, tab: str) -> list[dict[str, object]]:
    """The rows of ``tab`` below its header (blank rows left out)."""
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(tab).to_python()
    header = [str(h) for h in rows[0]]
    return [dict(zip(header, row, strict=False)) for row in rows[1:] if any(v != "" for v in row)]
