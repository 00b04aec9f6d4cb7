"""Table layout of a rendered document: amounts and identifiers never wrap, rows never split.

A template fixes its tables' column widths before it knows the figures: ``103,263.85`` in a
column sized for ``89,578.92`` wraps as ``103,263.8`` / ``5``, and an invoice number as
``FP26070012`` / ``8`` — a letter the debtor can misread and a court copy a lawyer will not
file. So after the values are in, each column gets at least the width of its longest unbreakable
run of characters (an amount, a number, a date, a word: a line breaks only at a space or beside
a Chinese character), estimated from the characters (a CJK character counts double) and the
table's font size. Width comes from the columns that have room to spare; a table too wide for
that grows up to the page's text width, and only then is its type made smaller. Cells of such
columns are marked no-wrap, and every row is marked not to split across pages (a top-10 row
half on one page and half on the next is read as two customers).

Decisions: the estimate is deliberately generous (a non-CJK character at 0.64 em — the width of
a digit in DejaVu Serif, which LibreOffice substitutes for Times New Roman on a machine without
it — a CJK one at twice that, bold 10 % wider, plus the cell margins and 1.5 mm), since a column
a little wide costs nothing and a wrapped amount costs a resend; the font size is the largest of
the table style's, the cell paragraphs' style's and the runs' own. Tables with merged cells and
one-column tables (the warning boxes) keep the template's widths.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from lxml import etree

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NS = {"w": _W}
#: non-CJK and CJK character widths, in em (generous: see the module docstring)
NARROW_EM = 0.64
#: bold type is wider
BOLD_FACTOR = 1.1
#: a cell's left + right margin when the table style sets none (Word's 0.19 cm each side)
DEFAULT_CELL_MARGINS_TWIPS = 2 * 108
#: added to every column's estimate: rounding in the renderer, bold headers
SAFETY_MM = 1.5
#: a header wraps, but keeps at least this many characters (two Chinese ones) a line
HEADER_MIN_CHARS = 2
#: the table's type is made smaller than this never (points)
SMALLEST_FONT_PT = 7.0
TWIPS_PER_MM = 1440 / 25.4
#: a run of characters a line cannot break inside: anything but spaces and CJK characters
_UNBREAKABLE = re.compile(r"[^\s\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+")


def _q(tag: str) -> str:
    prefix, name = tag.split(":")
    assert prefix == "w"
    return f"{{{_W}}}{name}"


def is_wide(char: str) -> bool:
    """A character that takes a full em (Chinese, full-width punctuation)."""
    return unicodedata.east_asian_width(char) in ("W", "F")


def text_units(text: str) -> int:
    """Width in half-em units, a CJK character counting double.

    >>> text_units("103,263.85"), text_units("逾期利息"), text_units("FP260700128")
    (10, 8, 11)
    """
    return sum(2 if is_wide(c) else 1 for c in text)


def text_mm(text: str, font_pt: float) -> float:
    """The estimated printed width of ``text`` at ``font_pt`` points, in millimetres."""
    return text_units(text) * NARROW_EM * font_pt * 25.4 / 72


def longest_unbreakable(text: str) -> str:
    """The longest run of ``text`` a line cannot break inside.

    >>> longest_unbreakable("FP260700128"), longest_unbreakable("Late interest")
    ('FP260700128', 'interest')
    >>> longest_unbreakable("年利率4.38%（合同约定）")
    '4.38%'
    """
    runs = _UNBREAKABLE.findall(text)
    return max(runs, key=lambda run: text_units(run), default="")


def run_mm(text: str, font_pt: float, *, header: bool = False) -> float:
    """The narrowest text width (mm) that prints ``text`` without breaking a run. A header may
    wrap, but not to one character a line: it keeps at least ``HEADER_MIN_CHARS`` (two Chinese
    characters, 逾期/天数) or its own length when shorter.

    >>> round(run_mm("FP260700128", 9), 1), round(run_mm("逾期天数", 9, header=True), 1)
    (22.4, 8.1)
    """
    need = text_mm(longest_unbreakable(text), font_pt)
    if header:
        need = max(need, text_mm(text.strip()[:HEADER_MIN_CHARS], font_pt))
    return need


@dataclass
class _Column:
    width: float  # mm, as the template drew it
    needed: float  # mm of text, the longest unbreakable run
    unbreakable: bool  # every filled body cell is one run (an amount column, an id column)
    wanted: float = 0.0  # mm of text, the longest value on one line (a header on two)


def _cell_text(tc: Any) -> str:
    return "\n".join("".join(t.text or "" for t in p.iter(_q("w:t"))) for p in tc.iter(_q("w:p")))


def _cell_font_pt(tc: Any, table_pt: float, styles: dict[str, float]) -> float:
    """The largest type in the cell: its runs' own size, its paragraphs' style's (the default
    paragraph style when none) and the table style's (Word and LibreOffice weigh them
    differently)."""
    sizes = [int(sz.get(_q("w:val"))) / 2 for sz in tc.iter(_q("w:sz")) if sz.get(_q("w:val"))]
    for p in tc.iter(_q("w:p")):
        style = p.find("w:pPr/w:pStyle", _NS)
        key = "" if style is None else str(style.get(_q("w:val")))
        sizes.append(styles.get(key, styles.get("", table_pt)))
    return max([*sizes, table_pt])


def _is_bold(tc: Any) -> bool:
    return any(b.get(_q("w:val"), "true") not in ("0", "false") for b in tc.iter(_q("w:b")))


@lru_cache(maxsize=16)
def _style_sizes(styles_xml: bytes) -> dict[str, float]:
    """Font size (points) by style id, from styles.xml; ``""`` is the default paragraph style's
    (a paragraph without a style), else the document default's."""
    root = etree.fromstring(styles_xml)
    sizes: dict[str, float] = {}
    default = root.find("w:docDefaults/w:rPrDefault/w:rPr/w:sz", _NS)
    sizes[""] = int(default.get(_q("w:val"))) / 2 if default is not None else 10.0
    for style in root.iterfind("w:style", _NS):
        sz = style.find("w:rPr/w:sz", _NS)
        if sz is None:
            continue
        size = int(sz.get(_q("w:val"))) / 2
        sizes[str(style.get(_q("w:styleId")))] = size
        if style.get(_q("w:type")) == "paragraph" and style.get(_q("w:default")) in ("1", "true"):
            sizes[""] = size
    return sizes


def _styles_xml(document: Any) -> bytes:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    try:
        return bytes(document.part.part_related_by(RT.STYLES).blob)
    except (KeyError, AttributeError):
        return b""


def _table_font_pt(tbl: Any, sizes: dict[str, float]) -> float:
    style = tbl.find("w:tblPr/w:tblStyle", _NS)
    found = None if style is None else sizes.get(str(style.get(_q("w:val"))))
    return found if found is not None else sizes.get("", 10.0)


def _margins_twips(tbl: Any) -> int:
    mar = tbl.find("w:tblPr/w:tblCellMar", _NS)
    if mar is None:
        return DEFAULT_CELL_MARGINS_TWIPS
    total = 0
    for side in ("left", "right", "start", "end"):
        el = mar.find(f"w:{side}", _NS)
        if el is not None and el.get(_q("w:w")):
            total += int(el.get(_q("w:w")))
    return total or DEFAULT_CELL_MARGINS_TWIPS


def _header_rows(rows: Sequence[Any]) -> int:
    count = 0
    for tr in rows:
        if tr.find("w:trPr/w:tblHeader", _NS) is None:
            break
        count += 1
    return count


def plan_widths(
    columns: Sequence[tuple[float, float, float]],
    fixed: float,
    page_mm: float,
    *,
    by_content: bool = False,
) -> tuple[list[float], float]:
    """Column widths (mm) and a font scale from each column's ``(template width, text width
    needed, text width wanted)`` — needed: its longest unbreakable run; wanted: its longest value
    on one line — and the ``fixed`` room every column takes besides its text (margins).

    A table whose columns all fit keeps the template's widths, unless ``by_content`` (a table of
    rows, whose values the template could not know). Otherwise every column gets what it needs,
    and the rest of the table's width (grown up to ``page_mm`` while a column would wrap) goes to
    the columns that would still wrap, in proportion to what they lack; past the page the type is
    scaled down (the second value, 1.0 when not) and the columns with it.

    >>> plan_widths([(30, 15, 15), (20, 20, 20)], 5, 160)
    ([23.0, 27.0], 1.0)
    >>> plan_widths([(30, 10, 40), (20, 20, 20)], 5, 160)
    ([25.0, 25.0], 1.0)
    >>> plan_widths([(20, 25, 25), (20, 25, 25)], 5, 50)
    ([25.0, 25.0], 0.8)
    """
    template = [w for w, _, _ in columns]
    needed = [n + fixed for _, n, _ in columns]
    wanted = [max(want, n) + fixed for _, n, want in columns]
    if not by_content and all(w >= n for w, n in zip(template, needed, strict=True)):
        return list(template), 1.0
    if sum(needed) > page_mm:
        text = sum(needed) - fixed * len(needed)
        scale = (page_mm - fixed * len(needed)) / text
        return [(n - fixed) * scale + fixed for n in needed], scale
    target = min(max(sum(template), sum(wanted if by_content else needed)), page_mm)
    room = target - sum(needed)
    lacking = [w - n for w, n in zip(wanted, needed, strict=True)]
    if room <= sum(lacking):
        share = room / sum(lacking) if sum(lacking) else 0.0
        return [n + lack * share for n, lack in zip(needed, lacking, strict=True)], 1.0
    left = room - sum(lacking)
    return [w + left * t / sum(template) for w, t in zip(wanted, template, strict=True)], 1.0


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


#: the order Word requires of a cell's and a table's properties (it refuses a file otherwise)
_TC_PR_ORDER = _names(
    "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText "
    "vAlign hideMark headers cellIns cellDel cellMerge tcPrChange"
)
_TBL_PR_ORDER = _names(
    "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc "
    "tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption "
    "tblDescription tblPrChange"
)
_R_PR_ORDER = _names(
    "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint "
    "noProof snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u "
    "effect bdr shd fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath"
)


def _child(parent: Any, name: str, order: Sequence[str]) -> Any:
    """``parent``'s ``w:name`` child, created at its place in ``order`` if absent."""
    found = parent.find(f"w:{name}", _NS)
    if found is not None:
        return found
    created = etree.Element(_q(f"w:{name}"))
    later = set(order[order.index(name) + 1 :])
    for at, sibling in enumerate(parent):
        if etree.QName(sibling).localname in later:
            parent.insert(at, created)
            return created
    parent.append(created)
    return created


def _set_width(el: Any, name: str, order: Sequence[str], twips: int) -> None:
    found = _child(el, name, order)
    found.set(_q("w:w"), str(twips))
    found.set(_q("w:type"), "dxa")


def _pr(el: Any, tag: str) -> Any:
    """``el``'s property element (``w:trPr``, ``w:tcPr``), created first in ``el`` if absent."""
    found = el.find(tag, _NS)
    if found is None:
        found = etree.Element(_q(tag))
        el.insert(0, found)
    return found


def _flag(parent: Any, tag: str) -> None:
    """A property without a value (``w:cantSplit``) in a ``w:trPr``, whose children are in any
    order."""
    if parent.find(tag, _NS) is None:
        parent.append(etree.Element(_q(tag)))


def _scale_fonts(tbl: Any, scale: float, base_pt: float) -> None:
    """Every run of the table at ``scale`` of its size (``base_pt`` when it sets none), never
    below ``SMALLEST_FONT_PT``."""
    for r in tbl.iter(_q("w:r")):
        rpr = r.find("w:rPr", _NS)
        if rpr is None:
            rpr = etree.Element(_q("w:rPr"))
            r.insert(0, rpr)
        sz = rpr.find("w:sz", _NS)
        size = int(sz.get(_q("w:val"))) / 2 if sz is not None else base_pt
        half_points = str(round(max(size * scale, SMALLEST_FONT_PT) * 2))
        for name in ("sz", "szCs"):
            _child(rpr, name, _R_PR_ORDER).set(_q("w:val"), half_points)


def fit_table(tbl: Any, page_mm: float, font_pt: float, styles: dict[str, float]) -> None:
    """Widen the columns of one ``w:tbl`` whose values would wrap; rows never split."""
    rows = tbl.findall("w:tr", _NS)
    for tr in rows:
        _flag(_pr(tr, "w:trPr"), "w:cantSplit")
    grid = tbl.findall("w:tblGrid/w:gridCol", _NS)
    if len(grid) < 2 or any(
        tc.find("w:tcPr/w:gridSpan", _NS) is not None or tc.find("w:tcPr/w:vMerge", _NS) is not None
        for tc in tbl.iter(_q("w:tc"))
    ):
        return
    columns = [_Column(int(g.get(_q("w:w"), "0")) / TWIPS_PER_MM, 0.0, True) for g in grid]
    heads = _header_rows(rows)
    body_pt = font_pt
    for n, tr in enumerate(rows):
        cells = tr.findall("w:tc", _NS)
        if len(cells) != len(columns):
            return  # a row the grid does not describe: leave the table alone
        for column, tc in zip(columns, cells, strict=True):
            text = _cell_text(tc)
            pt = _cell_font_pt(tc, font_pt, styles)
            body_pt = max(body_pt, pt)
            wide = BOLD_FACTOR if _is_bold(tc) else 1.0
            column.needed = max(column.needed, run_mm(text, pt * wide, header=n < heads))
            whole = max((text_mm(line, pt * wide) for line in text.split("\n")), default=0.0)
            column.wanted = max(column.wanted, whole / 2 if n < heads else whole)
            if n >= heads and text.strip() and longest_unbreakable(text) != text.strip():
                column.unbreakable = False
    fixed = _margins_twips(tbl) / TWIPS_PER_MM + SAFETY_MM
    planned, scale = plan_widths(
        [(c.width, c.needed, c.wanted) for c in columns], fixed, page_mm, by_content=heads > 0
    )
    if scale < 1.0:
        _scale_fonts(tbl, max(scale, SMALLEST_FONT_PT / body_pt), body_pt)
    for g, width in zip(grid, planned, strict=True):
        g.set(_q("w:w"), str(round(width * TWIPS_PER_MM)))
    tbl_pr = tbl.find("w:tblPr", _NS)
    if tbl_pr is not None:
        _set_width(tbl_pr, "tblW", _TBL_PR_ORDER, round(sum(planned) * TWIPS_PER_MM))
        _child(tbl_pr, "tblLayout", _TBL_PR_ORDER).set(_q("w:type"), "fixed")
    for n, tr in enumerate(rows):
        for column, width, tc in zip(columns, planned, tr.findall("w:tc", _NS), strict=True):
            tc_pr = _pr(tc, "w:tcPr")
            _set_width(tc_pr, "tcW", _TC_PR_ORDER, round(width * TWIPS_PER_MM))
            if column.unbreakable and n >= heads:
                _child(tc_pr, "noWrap", _TC_PR_ORDER)


def page_text_mm(document: Any) -> float:
    """The width between the first section's margins, in millimetres."""
    section = document.sections[0]
    emu = section.page_width - section.left_margin - section.right_margin
    return float(emu) / 36000


def tables_of(document: Any) -> Iterable[Any]:
    """Every ``w:tbl`` of the body, nested ones included."""
    body: Any = document.element.body
    return list(body.iter(_q("w:tbl")))


def fit_tables(document: Any) -> None:
    """Fit every table of a rendered python-docx ``document`` (see the module docstring)."""
    styles_xml = _styles_xml(document)
    sizes = _style_sizes(styles_xml) if styles_xml else {"": 10.0}
    page_mm = page_text_mm(document)
    for tbl in tables_of(document):
        fit_table(tbl, page_mm, _table_font_pt(tbl, sizes), sizes)
