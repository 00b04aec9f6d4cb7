"""The house style of the Word templates: page, fonts, footers, headings, tables, placeholders.

Every template of ``scripts/make_templates.py`` is built with a ``Builder`` in one language (or
both, for a bilingual contract). Styles carry East Asian fonts (w:eastAsia: SimSun 宋体 for the
body, SimHei 黑体 for headings) so Word and LibreOffice pick Chinese fonts (LibreOffice
substitutes the CJK fonts installed on the machine). Table cells use the paragraph style
"Table Text" (9 pt, no spacing), so the renderer's column fitting
(``credit_register.documents.layout``) knows the size the figures print at.

A document for the customer (a letter, a contract) carries the sender's footer — its name,
address and telephone from the Policy's ``company.*`` rows — and never the word "internal"; an
internal one (a report, the review pack, a review note, a hand-over memo) says it is internal.

Placeholders are Jinja, filled by ``credit_register.documents``: ``{{ x }}`` values,
``{%p if … %}`` / ``{%p endif %}`` paragraphs that show or hide the paragraphs between them, and
``{%tr for r in rows %}`` / ``{%tr endfor %}`` table rows that repeat.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Literal

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

NAVY = RGBColor(0x1F, 0x38, 0x64)
RED = RGBColor(0xC0, 0x00, 0x00)
GREY = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "D9E2F3"
LABEL_FILL = "F2F2F2"
TABLE_TEXT = "Table Text"

Audience = Literal["internal", "customer"]


class Builder:
    """A document under construction in one language, with the house styles."""

    def __init__(self, lang: str, landscape: bool = False, audience: Audience = "internal") -> None:
        self.lang = lang
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Mm(297), Mm(210)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_height, section.page_width = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin = section.right_margin = Mm(22 if not landscape else 18)
        self._styles()
        self._footer(audience)

    def L(self, zh: str, en: str) -> str:  # noqa: N802 - reads like a translation marker
        return zh if self.lang == "zh" else en

    @property
    def text_width_mm(self) -> float:
        section = self.doc.sections[0]
        width, left, right = section.page_width, section.left_margin, section.right_margin
        assert width is not None and left is not None and right is not None  # set in __init__
        return float(width - left - right) / 36000

    # ---- styles
    def _fonts(
        self,
        style_name: str,
        latin: str,
        east_asia: str,
        size: float,
        bold: bool = False,
        colour: RGBColor | None = None,
    ) -> None:
        style = self.doc.styles[style_name]
        style.font.name = latin
        style.font.size = Pt(size)
        style.font.bold = bold
        if colour is not None:
            style.font.color.rgb = colour
        rpr = style.element.get_or_add_rPr()
        fonts = rpr.find(qn("w:rFonts"))
        if fonts is None:
            fonts = OxmlElement("w:rFonts")
            rpr.append(fonts)
        for attr in ("w:ascii", "w:hAnsi", "w:cs"):
            fonts.set(qn(attr), latin)
        fonts.set(qn("w:eastAsia"), east_asia)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)

    def _styles(self) -> None:
        latin = "Times New Roman" if self.lang == "zh" else "Calibri"
        self._fonts("Normal", latin, "SimSun", 10.5)
        self.doc.styles["Normal"].paragraph_format.space_after = Pt(4)
        self.doc.styles["Normal"].paragraph_format.line_spacing = 1.25
        self._fonts("Title", latin, "SimHei", 18, bold=True, colour=NAVY)
        self._fonts("Heading 1", latin, "SimHei", 13, bold=True, colour=NAVY)
        self._fonts("Heading 2", latin, "SimHei", 11, bold=True, colour=NAVY)
        self._fonts("Table Grid", latin, "SimSun", 9)
        table_text = self.doc.styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        table_text.base_style = self.doc.styles["Normal"]
        self._fonts(TABLE_TEXT, latin, "SimSun", 9)
        table_text.paragraph_format.space_after = Pt(0)
        table_text.paragraph_format.line_spacing = 1.1
        for name in ("Heading 1", "Heading 2"):
            self.doc.styles[name].paragraph_format.space_before = Pt(10)
            self.doc.styles[name].paragraph_format.space_after = Pt(4)
            self.doc.styles[name].paragraph_format.keep_with_next = True
        title = self.doc.styles["Title"]
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_after = Pt(6)
        # the default Title has a bottom border and theme font: keep it plain and centred
        ppr = title.element.get_or_add_pPr()
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)

    def _footer(self, audience: Audience) -> None:
        footer = self.doc.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if audience == "customer":
            # the sender's own footer, from the Policy's company rows (a blank row prints nothing)
            text = self.L("{{ sender.footer }}　第 ", "{{ sender.footer }}  page ")
        else:
            text = self.L("客户资信管理 · 内部资料 · 第 ", "Credit Register · internal · page ")
        run = footer.add_run(text)
        run.font.size = Pt(8)
        run.font.color.rgb = GREY
        self._page_field(footer)
        tail = footer.add_run(self.L(" 页", ""))
        tail.font.size = Pt(8)
        tail.font.color.rgb = GREY

    @staticmethod
    def _page_field(paragraph: Any) -> None:
        run = paragraph.add_run()
        run.font.size = Pt(8)
        for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
            if kind:
                el = OxmlElement("w:fldChar")
                el.set(qn("w:fldCharType"), kind)
            else:
                el = OxmlElement("w:instrText")
                el.set(qn("xml:space"), "preserve")
                el.text = text
            run._r.append(el)

    # ---- content
    def title(self, text: str) -> None:
        self.doc.add_paragraph(text, style="Title")

    def subtitle(self, text: str) -> None:
        p = self.doc.add_paragraph()
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = p.add_run(text)
        run.font.color.rgb = GREY
        run.font.size = Pt(9.5)

    def h1(self, text: str) -> None:
        self.doc.add_heading(text, level=1)

    def h2(self, text: str) -> None:
        self.doc.add_heading(text, level=2)

    def p(
        self,
        text: str,
        *,
        bold: bool = False,
        colour: RGBColor | None = None,
        size: float | None = None,
        align: str | None = None,
        indent: bool = False,
    ) -> None:
        para = self.doc.add_paragraph()
        _paragraph(para, text, bold=bold, colour=colour, size=size, align=align, indent=indent)

    def tag(self, text: str) -> None:
        """A paragraph holding only a ``{%p … %}`` tag (it disappears when rendered)."""
        self.doc.add_paragraph(text)

    def bullet_loop(self, seq: str, var: str, text: str) -> None:
        self.tag(f"{{%p for {var} in {seq} %}}")
        self.doc.add_paragraph(text, style="List Bullet")
        self.tag("{%p endfor %}")

    def warning(self, text: str) -> None:
        table = self.doc.add_table(rows=1, cols=1)
        table.style = "Table Grid"
        cell = table.rows[0].cells[0]
        _shade(cell, "FDECEA")
        cell.paragraphs[0].style = TABLE_TEXT
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.color.rgb = RED
        run.font.size = Pt(10)

    def _table(self, rows: int, cols: int, widths: Sequence[float] | None) -> Any:
        table = self.doc.add_table(rows=rows, cols=cols)
        table.style = "Table Grid"
        table.alignment = WD_TABLE_ALIGNMENT.CENTER
        if widths:
            table.autofit = False
            for column, width in zip(table.columns, widths, strict=True):
                column.width = Mm(width)  # the grid LibreOffice reads
            for row in table.rows:
                for cell, width in zip(row.cells, widths, strict=True):
                    cell.width = Mm(width)
        for row in table.rows:
            for cell in row.cells:
                cell.paragraphs[0].style = TABLE_TEXT
        return table

    def loop_table(
        self,
        headers: Sequence[str],
        cells: Sequence[str],
        seq: str,
        var: str = "r",
        widths: Sequence[float] | None = None,
        right: Sequence[int] = (),
    ) -> None:
        """A table with a header row and one row repeated per item of ``seq``."""
        table = self._table(4, len(headers), widths)
        rows = table.rows
        for cell, text in zip(rows[0].cells, headers, strict=True):
            _shade(cell, HEADER_FILL)
            run = cell.paragraphs[0].add_run(text)
            run.bold = True
        _repeat_header(rows[0])
        rows[1].cells[0].paragraphs[0].add_run(f"{{%tr for {var} in {seq} %}}")
        for n, (cell, text) in enumerate(zip(rows[2].cells, cells, strict=True)):
            cell.paragraphs[0].add_run(text)
            if n in right:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
        rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}")

    def kv_table(
        self,
        pairs: Sequence[tuple[str, str]],
        columns: int = 2,
        widths: Sequence[float] | None = None,
    ) -> None:
        """Label/value pairs, ``columns`` pairs to a row."""
        n_rows = (len(pairs) + columns - 1) // columns
        table = self._table(
            n_rows, columns * 2, widths or ([30, 53] * columns if columns == 2 else [45, 121])
        )
        rows = table.rows
        for at, (label, value) in enumerate(pairs):
            row, col = divmod(at, columns)
            label_cell, value_cell = rows[row].cells[col * 2], rows[row].cells[col * 2 + 1]
            _shade(label_cell, LABEL_FILL)
            label_cell.paragraphs[0].add_run(label).bold = True
            value_cell.paragraphs[0].add_run(value)

    def sign_table(self, headers: Sequence[str], lines: Sequence[str]) -> None:
        table = self._table(len(lines) + 1, len(headers), None)
        rows = table.rows
        for cell, text in zip(rows[0].cells, headers, strict=True):
            _shade(cell, HEADER_FILL)
            cell.paragraphs[0].add_run(text).bold = True
        for row, label in zip(rows[1:], lines, strict=True):
            for cell in row.cells:
                cell.paragraphs[0].add_run(label + "\n")
                cell.paragraphs[0].paragraph_format.space_after = Pt(10)

    def image(self, name: str) -> None:
        para = self.doc.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
        para.add_run(f"{{{{ {name} }}}}")

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        core = self.doc.core_properties
        core.author = "Credit Register"
        core.title = path.stem
        core.comments = "generated by scripts/make_templates.py; restyle freely in Word"
        # fixed dates keep the file the same from run to run
        core.created = core.modified = dt.datetime(2026, 1, 1)
        core.last_modified_by = "Credit Register"
        core.revision = 1
        self.doc.save(str(path))


def _paragraph(
    para: Any,
    text: str,
    *,
    bold: bool = False,
    colour: RGBColor | None = None,
    size: float | None = None,
    align: str | None = None,
    indent: bool = False,
) -> None:
    if indent:
        para.paragraph_format.first_line_indent = Pt(21)
    if align == "center":
        para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif align == "right":
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = para.add_run(text)
    run.bold = bold
    if colour is not None:
        run.font.color.rgb = colour
    if size is not None:
        run.font.size = Pt(size)


def add_cell_paragraph(cell: Any, text: str, *, first: bool = False, **style: Any) -> None:
    """A paragraph in a table cell (the cell's own first paragraph when ``first``), styled like
    a body paragraph of the same size: the bilingual contract's clauses are table cells."""
    para = cell.paragraphs[0] if first else cell.add_paragraph()
    para.style = TABLE_TEXT
    para.paragraph_format.space_after = Pt(4)
    _paragraph(para, text, **style)


def _shade(cell: Any, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)
