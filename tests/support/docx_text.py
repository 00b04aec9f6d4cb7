"""Reading a generated .docx back as a reader sees it: its text, its table rows, its footer."""

from __future__ import annotations

from pathlib import Path

from docx import Document


def text_of(path: Path) -> str:
    """Every paragraph and table cell of a .docx, as a reader sees it."""
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(parts)


def table_rows(path: Path) -> list[list[str]]:
    """Every row of every table, as the cells' text."""
    doc = Document(str(path))
    return [[cell.text for cell in row.cells] for table in doc.tables for row in table.rows]


def tables_of(path: Path) -> list[list[list[str]]]:
    """Each table as its rows of cell text, in document order."""
    doc = Document(str(path))
    return [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]


def footer_of(path: Path) -> str:
    """The first section's footer text (the page number field left out)."""
    doc = Document(str(path))
    return " ".join(p.text for p in doc.sections[0].footer.paragraphs).strip()
