# ruff: noqa: E501 - the templates' wording is long Chinese prose (CJK counts double)
"""Build the Word templates under src/credit_register/templates/ (docxtpl placeholders).

The templates are plain .docx files a user may restyle in Word (fonts, colours, logo, wording)
without touching code; this script is how the shipped ones were made, so a clean copy can always
be regenerated: ``python scripts/make_templates.py``. Styles carry East Asian fonts (w:eastAsia:
SimSun 宋体 for the body, SimHei 黑体 for headings) so Word and LibreOffice pick Chinese fonts
(LibreOffice substitutes the CJK fonts installed on the machine).

Placeholders are Jinja, filled by ``credit_register.documents``: ``{{ x }}`` values,
``{%p if … %}`` / ``{%p endif %}`` paragraphs that show or hide the paragraphs between them, and
``{%tr for r in rows %}`` / ``{%tr endfor %}`` table rows that repeat.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from credit_register.core.schema import GRADES  # noqa: E402

NAVY = RGBColor(0x1F, 0x38, 0x64)
RED = RGBColor(0xC0, 0x00, 0x00)
GREY = RGBColor(0x59, 0x59, 0x59)
HEADER_FILL = "D9E2F3"
LABEL_FILL = "F2F2F2"


class Builder:
    """A document under construction in one language, with the house styles."""

    def __init__(self, lang: str, landscape: bool = False) -> None:
        self.lang = lang
        self.doc = Document()
        section = self.doc.sections[0]
        section.page_height, section.page_width = Mm(297), Mm(210)
        if landscape:
            section.orientation = WD_ORIENT.LANDSCAPE
            section.page_height, section.page_width = Mm(210), Mm(297)
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin = section.right_margin = Mm(22)
        self._styles()
        self._footer()

    def L(self, zh: str, en: str) -> str:  # noqa: N802 - reads like a translation marker
        return zh if self.lang == "zh" else en

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
        for name in ("Heading 1", "Heading 2"):
            self.doc.styles[name].paragraph_format.space_before = Pt(10)
            self.doc.styles[name].paragraph_format.space_after = Pt(4)
        title = self.doc.styles["Title"]
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_after = Pt(6)
        # the default Title has a bottom border and theme font: keep it plain and centred
        ppr = title.element.get_or_add_pPr()
        border = ppr.find(qn("w:pBdr"))
        if border is not None:
            ppr.remove(border)

    def _footer(self) -> None:
        footer = self.doc.sections[0].footer.paragraphs[0]
        footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = footer.add_run(
            self.L("客户资信管理 · 内部资料 · 第 ", "Credit Register · internal · page ")
        )
        run.font.size = Pt(8)
        run.font.color.rgb = GREY
        self._page_field(footer)
        tail = footer.add_run(self.L(" 页", ""))
        tail.font.size = Pt(8)
        tail.font.color.rgb = GREY

    @staticmethod
    def _page_field(paragraph: object) -> None:
        run = paragraph.add_run()  # type: ignore[attr-defined]
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
        run = cell.paragraphs[0].add_run(text)
        run.bold = True
        run.font.color.rgb = RED
        run.font.size = Pt(10)

    def _table(self, rows: int, cols: int, widths: Sequence[float] | None) -> object:
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
        rows = table.rows  # type: ignore[attr-defined]
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
        rows = table.rows  # type: ignore[attr-defined]
        for at, (label, value) in enumerate(pairs):
            row, col = divmod(at, columns)
            label_cell, value_cell = rows[row].cells[col * 2], rows[row].cells[col * 2 + 1]
            _shade(label_cell, LABEL_FILL)
            label_cell.paragraphs[0].add_run(label).bold = True
            value_cell.paragraphs[0].add_run(value)

    def sign_table(self, headers: Sequence[str], lines: Sequence[str]) -> None:
        table = self._table(len(lines) + 1, len(headers), None)
        rows = table.rows  # type: ignore[attr-defined]
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
        import datetime as dt

        core.created = core.modified = dt.datetime(2026, 1, 1)
        core.last_modified_by = "Credit Register"
        core.revision = 1
        self.doc.save(str(path))


def _shade(cell: object, fill: str) -> None:
    tcpr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _repeat_header(row: object) -> None:
    trpr = row._tr.get_or_add_trPr()  # type: ignore[attr-defined]
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


# =========================================================================== contract


def contract(lang: str) -> Builder:
    b = Builder(lang)
    L = b.L  # noqa: N806
    b.title("{{ doc_title }}")
    b.subtitle(
        L(
            "合同编号：{{ contract_no }}　　日期：{{ date }}",
            "Contract no. {{ contract_no }}    Date: {{ date }}",
        )
    )
    b.kv_table(
        [
            (L("买方", "Buyer"), "{{ buyer.name }}"),
            (L("统一社会信用代码", "USCC / registration"), "{{ buyer.uscc }}"),
            (L("注册地址", "Registered address"), "{{ buyer.address }}"),
            (L("法定代表人", "Legal representative"), "{{ buyer.legal_rep }}"),
            (L("卖方", "Seller"), "________________________________"),
            (
                L("信用等级", "Credit grade"),
                L("{{ grade }}（评分 {{ score }}）", "{{ grade }} (score {{ score }})"),
            ),
        ],
        columns=1,
    )
    b.p(
        L(
            "本草稿的付款条款依据买方信用等级按公司信用政策生成，经信用管理部门审核、法务确认后方可使用。",
            "The payment clauses of this draft follow the buyer's credit grade under the company's "
            "credit policy; they need the credit department's review and legal approval before "
            "use.",
        ),
        colour=GREY,
        size=9,
    )
    b.tag("{%p if penalty_too_high %}")
    b.warning(
        L(
            "警告：约定违约金为每日{{ penalty_daily }}（年化{{ penalty_annual }}），超过预估损失（一年期LPR "
            "{{ lpr }}上浮{{ lpr_markup }}，年化{{ loss_annual }}）的{{ excess_max }}以上（合理上限为年化"
            "{{ bound_annual }}）。依据《民法典》第五百八十五条，违约金过分高于造成的损失的，人民法院或仲裁"
            "机构可以根据当事人的请求予以适当减少。建议下调违约金比例。",
            "WARNING: the agreed penalty of {{ penalty_daily }} a day ({{ penalty_annual }} a year) "
            "exceeds the estimated loss (1-year LPR {{ lpr }} plus {{ lpr_markup }}, "
            "{{ loss_annual }} a year) by more than {{ excess_max }} (reasonable bound "
            "{{ bound_annual }} a year). Under PRC Civil Code art. 585 a court or arbitral tribunal "
            "may reduce a penalty that is excessively higher than the loss. Lower the rate.",
        )
    )
    b.tag("{%p endif %}")

    b.h1(L("第一条　合同金额", "1. Contract amount"))
    b.p(
        L(
            "本合同总金额为{{ currency }} {{ amount }}（大写：{{ amount_upper }}），含增值税。",
            "The total contract amount is {{ currency }} {{ amount }} (in Chinese upper case: "
            "{{ amount_upper }}), VAT included.",
        ),
        indent=True,
    )

    b.h1(L("第二条　付款方式", "2. Payment terms"))
    b.tag('{%p if variant == "credit" %}')
    b.p(
        L(
            "买方应自每批货物交付并收到卖方开具的合规发票之日起{{ terms_days }}日内，以银行转账方式付清该批"
            "货款。",
            "The buyer shall pay each delivery by bank transfer within {{ terms_days }} days of "
            "delivery and receipt of the seller's valid invoice.",
        ),
        indent=True,
    )
    b.tag('{%p elif variant == "prepayment" %}')
    b.p(
        L(
            "买方应于本合同签订之日起5个工作日内预付合同金额的{{ prepayment_pct }}，即{{ currency }} "
            "{{ prepayment_amount }}（大写：{{ prepayment_upper }}）；卖方收到预付款后安排发货。余款"
            "（{{ balance_pct }}）应于货物交付之日起{{ terms_days }}日内付清。",
            "The buyer shall prepay {{ prepayment_pct }} of the contract amount, {{ currency }} "
            "{{ prepayment_amount }}, within 5 business days of signing; the seller ships after "
            "receiving it. The balance ({{ balance_pct }}) is due within {{ terms_days }} days of "
            "delivery.",
        ),
        indent=True,
    )
    b.tag("{%p else %}")
    b.p(
        L(
            "买方应选择以下方式之一付款，卖方在付款条件满足前不予发货：",
            "The buyer shall pay in one of the following ways; the seller ships only once the "
            "condition is met:",
        ),
        indent=True,
    )
    b.p(
        L(
            "方案一（款到发货）：买方应在每批货物发货前以银行转账方式付清该批全部货款。",
            "Option A (cash in advance): the buyer pays each delivery in full by bank transfer "
            "before shipment.",
        ),
        indent=True,
    )
    b.p(
        L(
            "方案二（信用证）：买方应于本合同签订之日起10个工作日内，通过卖方认可的银行开立以卖方为受益人、"
            "金额为合同金额100%的不可撤销即期跟单信用证，卖方凭信用证规定的单据议付。",
            "Option B (letter of credit): within 10 business days of signing, the buyer opens an "
            "irrevocable documentary letter of credit at sight for 100% of the contract amount, "
            "in the seller's favour, with a bank the seller accepts; the seller presents the "
            "documents the credit requires.",
        ),
        indent=True,
    )
    b.tag("{%p endif %}")

    b.h1(L("第三条　信用额度", "3. Credit limit"))
    b.tag("{%p if has_limit %}")
    b.p(
        L(
            "卖方给予买方的信用额度为{{ currency }} {{ credit_limit }}（大写：{{ credit_limit_upper }}），"
            "有效期至{{ limit_valid_until }}。买方全部未付款项（含已发货未开票金额）合计不得超过该额度；"
            "超过额度或有任何逾期款项时，卖方有权暂停发货，直至买方付款使未付款项回到额度以内且无逾期。",
            "The seller grants the buyer a credit limit of {{ currency }} {{ credit_limit }} "
            "(upper case: {{ credit_limit_upper }}), valid until {{ limit_valid_until }}. The "
            "buyer's unpaid balance, shipped-not-invoiced goods included, may not exceed it; above "
            "the limit, or with any amount overdue, the seller may suspend deliveries until the "
            "balance is back within the limit and nothing is overdue.",
        ),
        indent=True,
    )
    b.tag("{%p if limit_is_proposal %}")
    b.p(
        L(
            "（注：上述额度为系统建议额度，尚待审批。）",
            "(Note: this is the proposed limit, pending approval.)",
        ),
        colour=GREY,
        size=9,
    )
    b.tag("{%p endif %}")
    b.tag("{%p else %}")
    b.p(
        L(
            "本合同项下卖方不给予买方赊销信用额度，一切发货以收到全部货款或合格信用证为前提。",
            "No credit limit is granted under this contract: every shipment requires full "
            "payment or a conforming letter of credit first.",
        ),
        indent=True,
    )
    b.tag("{%p endif %}")

    b.h1(L("第四条　担保", "4. Security"))
    b.tag('{%p if security_key == "none" %}')
    b.p(
        L(
            "根据买方信用等级，本合同不要求买方另行提供担保。",
            "At the buyer's grade no further security is required.",
        ),
        indent=True,
    )
    b.tag('{%p elif security_key == "guarantee_or_deposit" %}')
    b.p(
        L(
            "买方应就超出信用保险限额（{{ currency }} {{ insured_limit }}）部分的信用额度，即{{ currency }} "
            "{{ deposit_amount }}（大写：{{ deposit_upper }}），在首次发货前向卖方提供卖方认可的连带责任保证，"
            "或向卖方支付等额保证金。保证金不计利息，于买方付清全部款项后十日内退还。",
            "Before the first shipment the buyer shall secure the part of the credit limit above "
            "the insured limit ({{ currency }} {{ insured_limit }}), i.e. {{ currency }} "
            "{{ deposit_amount }}, by a joint and several guarantee acceptable to the seller or a "
            "cash deposit of that amount. The deposit bears no interest and is returned within "
            "ten days after the buyer has paid in full.",
        ),
        indent=True,
    )
    b.tag('{%p elif security_key == "guarantee_and_title" %}')
    b.p(
        L(
            "买方应在首次发货前提供卖方认可的第三方连带责任保证，保证范围为本合同项下全部货款、违约金及实现"
            "债权的费用；并适用第六条所有权保留的约定。",
            "Before the first shipment the buyer shall provide a joint and several guarantee by a "
            "third party acceptable to the seller, covering all sums due under this contract, "
            "penalties and collection costs; clause 6 (retention of title) applies.",
        ),
        indent=True,
    )
    b.tag("{%p else %}")
    b.p(
        L(
            "买方以款到发货或信用证方式付款，无需另行提供担保。",
            "The buyer pays in advance or by letter of credit: no further security is needed.",
        ),
        indent=True,
    )
    b.tag("{%p endif %}")

    b.h1(L("第五条　逾期付款违约金", "5. Late payment penalty"))
    b.p(
        L(
            "买方逾期付款的，每逾期一日，应按逾期金额的{{ penalty_daily }}（年化{{ penalty_annual }}）向卖方"
            "支付违约金，直至付清之日止。违约金＝逾期金额×日比例×逾期天数。",
            "If the buyer pays late, it shall pay the seller a penalty of {{ penalty_daily }} of "
            "the overdue amount for each day late ({{ penalty_annual }} a year) until paid. "
            "Penalty = overdue amount × daily rate × days late.",
        ),
        indent=True,
    )
    b.tag("{%p if not penalty_agreed %}")
    b.p(
        L(
            "计算依据：上述比例按一年期贷款市场报价利率（LPR，{{ lpr_as_of }}公布为{{ lpr }}）上浮"
            "{{ lpr_markup }}计算，系《最高人民法院关于审理买卖合同纠纷案件适用法律问题的解释》对逾期付款"
            "损失的计算标准。",
            "Basis: the rate is the 1-year loan prime rate (LPR, {{ lpr }} as published on "
            "{{ lpr_as_of }}) plus {{ lpr_markup }}, the measure of loss for late payment in the "
            "Supreme People's Court interpretation on sales contracts.",
        ),
        indent=True,
    )
    b.tag("{%p endif %}")
    b.p(
        L(
            "依据《民法典》第五百八十五条，约定的违约金过分高于造成的损失的，人民法院或者仲裁机构可以根据"
            "当事人的请求予以适当减少；公司信用政策以超过预估损失（年化{{ loss_annual }}）的{{ excess_max }}"
            "为合理上限。",
            "Under PRC Civil Code art. 585 a court or tribunal may reduce a penalty excessively "
            "higher than the loss; the company's policy takes {{ excess_max }} above the estimated "
            "loss ({{ loss_annual }} a year) as the reasonable bound.",
        ),
        colour=GREY,
        size=9,
    )

    b.h1(L("第六条　所有权保留", "6. Retention of title"))
    b.p(
        L(
            "在买方付清本合同项下全部货款之前，货物的所有权仍属于卖方（《民法典》第六百四十一条）。买方未按"
            "约定付款，经催告后在合理期限内仍未支付，或将货物出卖、出质或作出其他不当处分的，卖方有权取回货物。",
            "Title to the goods remains with the seller until the buyer has paid everything due "
            "under this contract (PRC Civil Code art. 641). If the buyer fails to pay within a "
            "reasonable time after a demand, or sells, pledges or otherwise improperly disposes of "
            "the goods, the seller may take them back.",
        ),
        indent=True,
    )
    b.tag("{%p if title_retained_strict %}")
    b.p(
        L(
            "本条为买方信用等级要求的担保措施，卖方可就所有权保留办理动产担保登记，买方应予配合。",
            "This clause is security required at the buyer's grade; the seller may register the "
            "retention of title and the buyer shall cooperate.",
        ),
        indent=True,
    )
    b.tag("{%p endif %}")

    b.h1(L("第七条　对账确认", "7. Reconciliation"))
    b.p(
        L(
            "双方每月对账一次：卖方于每月5日前向买方发送截至上月末的对账单，买方应于收到之日起10日内盖章确认"
            "或书面提出异议。买方签章确认的对账单构成对债务的承认，诉讼时效自确认之日起重新计算（《民法典》"
            "第一百九十五条；诉讼时效期间为{{ limitation_years }}年，第一百八十八条）。",
            "The parties reconcile monthly: by the 5th of each month the seller sends a statement "
            "of account to the end of the previous month, and the buyer confirms it with its seal "
            "or objects in writing within 10 days of receipt. A confirmed statement acknowledges "
            "the debt and restarts the limitation period (PRC Civil Code art. 195; the period is "
            "{{ limitation_years }} years, art. 188).",
        ),
        indent=True,
    )

    b.h1(L("第八条　争议解决", "8. Disputes"))
    b.p(
        L(
            "因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；协商不成的，任何一方均可向卖方住所地"
            "有管辖权的人民法院提起诉讼。",
            "Any dispute arising from or in connection with this contract shall be settled "
            "amicably; failing that, either party may bring it before the competent people's "
            "court at the seller's domicile.",
        ),
        indent=True,
    )

    b.sign_table(
        [L("卖方（盖章）", "Seller (seal)"), L("买方（盖章）", "Buyer (seal)")],
        [L("授权代表：", "Authorised signatory:"), L("日期：", "Date:")],
    )
    b.p(
        L(
            "法律条款所引条文请以现行官方文本为准。",
            "Check every cited rule against the current official text.",
        ),
        colour=GREY,
        size=8,
    )
    return b


# =========================================================================== credit report


def credit_report(lang: str) -> Builder:
    b = Builder(lang)
    L = b.L  # noqa: N806
    b.title("{{ doc_title }}")
    b.subtitle(
        L(
            "{{ customer.name }}（{{ customer.customer_id }}）　评估日：{{ as_of }}　金额单位："
            "{{ currency }} 元",
            "{{ customer.name }} ({{ customer.customer_id }})    As of {{ as_of }}    "
            "Amounts in {{ currency }}",
        )
    )
    b.kv_table(
        [
            (
                L("信用等级", "Grade"),
                L(
                    "{{ grade }}（上次 {{ previous_grade }}）",
                    "{{ grade }} (previously {{ previous_grade }})",
                ),
            ),
            (L("总分", "Total score"), "{{ total_score }}"),
            (L("建议额度", "Proposed limit"), "{{ limit.proposed }}"),
            (L("额度约束", "Binding rule"), "{{ limit.binding_rule }}"),
        ]
    )
    b.tag("{%p if knock_out %}")
    b.p(L("否决项：{{ knock_out }}", "Knock-out: {{ knock_out }}"), bold=True, colour=RED)
    b.tag("{%p endif %}")

    b.h1(L("一、客户概况", "1. Profile"))
    b.kv_table(
        [
            (L("客户名称", "Name"), "{{ customer.name }}"),
            (L("客户编号", "Customer ID"), "{{ customer.customer_id }}"),
            (L("统一社会信用代码", "USCC"), "{{ customer.uscc }}"),
            (L("法定代表人", "Legal rep."), "{{ customer.legal_rep }}"),
            (L("行业", "Industry"), "{{ customer.industry }}"),
            (L("企业性质", "Ownership"), "{{ customer.ownership }}"),
            (L("集团", "Group"), "{{ customer.group }}"),
            (L("合作起始日", "Customer since"), "{{ customer.since }}"),
            (L("客户经理", "Account manager"), "{{ customer.account_manager }}"),
            (L("重点客户", "Key account"), "{{ customer.key_account }}"),
            (L("状态", "Status"), "{{ customer.status }}"),
            (L("现行账期(天)", "Terms (days)"), "{{ customer.terms_days }}"),
            (L("信用保险", "Insurer"), "{{ customer.insurer }}"),
            (L("保险限额", "Insured limit"), "{{ customer.insured_limit }}"),
        ]
    )
    b.p(L("注册地址：{{ customer.address }}", "Registered address: {{ customer.address }}"), size=9)

    b.h1(L("二、近三年财务报表", "2. Financial statements, last three years"))
    heads = [L("项目", "Item"), "{{ periods[0] }}", "{{ periods[1] }}", "{{ periods[2] }}"]
    b.loop_table(
        heads,
        ["{{ r.label }}", "{{ r.v[0] }}", "{{ r.v[1] }}", "{{ r.v[2] }}"],
        "statement_lines",
        widths=[46, 40, 40, 40],
        right=(1, 2, 3),
    )
    b.tag("{%p if not has_statements %}")
    b.p(L("未收到财务报表。", "No financial statements on file."), colour=GREY)
    b.tag("{%p endif %}")

    b.h1(L("三、财务比率与Altman Z″", "3. Ratios and Altman Z″"))
    b.loop_table(
        [L("比率", "Ratio"), "{{ periods[0] }}", "{{ periods[1] }}", "{{ periods[2] }}"],
        ["{{ r.label }}", "{{ r.v[0] }}", "{{ r.v[1] }}", "{{ r.v[2] }}"],
        "ratio_lines",
        widths=[46, 40, 40, 40],
        right=(1, 2, 3),
    )
    b.p(
        L(
            "最新Z″：{{ zscore }}（{{ zscore_zone }}）。Z″＝6.56·营运资本/总资产＋3.26·留存收益/总资产＋"
            "6.72·息税前利润/总资产＋1.05·所有者权益/负债合计；安全区＞2.60，灰色区1.10–2.60，困境区＜1.10。",
            "Latest Z″: {{ zscore }} ({{ zscore_zone }}). Z″ = 6.56·WC/TA + 3.26·RE/TA + "
            "6.72·EBIT/TA + 1.05·equity/TL; safe > 2.60, grey 1.10–2.60, distress < 1.10.",
        ),
        size=9,
    )

    b.h1(L("四、评分卡", "4. Scorecard"))
    b.loop_table(
        [L("维度", "Pillar"), L("权重", "Weight"), L("得分", "Score")],
        ["{{ r.label }}", "{{ r.weight }}", "{{ r.score }}"],
        "pillars",
        widths=[70, 48, 48],
        right=(1, 2),
    )
    b.p(
        L(
            "总分 {{ total_score }}，信用等级 {{ grade }}。主要因素（按影响大小）：",
            "Total score {{ total_score }}, grade {{ grade }}. Main drivers, largest first:",
        ),
        bold=True,
    )
    b.bullet_loop("drivers", "d", "{{ d }}")
    b.tag("{%p if data_gaps %}")
    b.p(L("缺失资料：{{ data_gaps }}", "Data gaps: {{ data_gaps }}"), colour=GREY, size=9)
    b.tag("{%p endif %}")

    b.h1(L("五、付款表现与账龄", "5. Payment behaviour and ageing"))
    b.image("payment_chart")
    b.image("ageing_chart")
    b.kv_table(
        [
            (L("应收余额", "Open receivables"), "{{ ageing.total }}"),
            (L("逾期金额", "Overdue"), "{{ ageing.overdue }}"),
            (L("逾期占比", "Overdue share"), "{{ ageing.overdue_pct }}"),
            (L("最长逾期天数", "Max days overdue"), "{{ ageing.max_days_overdue }}"),
            ("DSO", "{{ ageing.dso }}"),
            (L("逾期利息", "Late interest"), "{{ ageing.late_interest }}"),
        ]
    )

    b.h1(L("六、外部征信", "6. Bureau"))
    b.tag("{%p if has_bureau %}")
    b.kv_table(
        [
            (L("征信机构", "Agency"), "{{ bureau.agency }}"),
            (L("报告日期", "Report date"), "{{ bureau.report_date }}"),
            (L("评分", "Score"), "{{ bureau.score }}"),
            (L("机构评级", "Agency grade"), "{{ bureau.agency_grade }}"),
            (L("逾期记录数", "Overdue records"), "{{ bureau.overdue_records }}"),
            (L("涉诉案件数", "Lawsuits"), "{{ bureau.lawsuits }}"),
            (L("失信被执行人", "Enforcement"), "{{ bureau.enforcement }}"),
            (L("经营异常", "Abnormal operation"), "{{ bureau.abnormal_operation }}"),
            (L("机构建议额度", "Recommended limit"), "{{ bureau.recommended_limit }}"),
        ]
    )
    b.tag("{%p else %}")
    b.p(L("无征信报告。", "No bureau report on file."), colour=GREY)
    b.tag("{%p endif %}")

    b.h1(L("七、额度建议", "7. Limit recommendation"))
    b.kv_table(
        [
            (L("建议额度", "Proposed limit"), "{{ limit.proposed }}"),
            (L("大写", "In words (zh)"), "{{ limit.proposed_upper }}"),
            (L("额度约束", "Binding rule"), "{{ limit.binding_rule }}"),
            (L("核定额度", "Approved limit"), "{{ limit.approved }}"),
            (L("当前敞口", "Exposure"), "{{ limit.exposure }}"),
            (L("额度使用率", "Utilization"), "{{ limit.utilization }}"),
            (L("建议账期", "Recommended terms"), "{{ limit.terms }}"),
            (L("担保要求", "Security"), "{{ limit.security }}"),
            (L("下次评审日", "Next review"), "{{ limit.next_review }}"),
        ],
        columns=1,
    )

    b.h1(L("八、未处理预警", "8. Open alerts"))
    b.tag("{%p if has_alerts %}")
    b.loop_table(
        [
            L("级别", "Severity"),
            L("指标", "Indicator"),
            L("当前值", "Value"),
            L("阈值", "Threshold"),
            L("建议措施", "Action"),
        ],
        [
            "{{ r.severity }}",
            "{{ r.indicator }}",
            "{{ r.value }}",
            "{{ r.threshold }}",
            "{{ r.action }}",
        ],
        "alerts",
        widths=[16, 34, 24, 24, 68],
    )
    b.tag("{%p else %}")
    b.p(L("无。", "None."), colour=GREY)
    b.tag("{%p endif %}")

    b.h1(L("九、审批意见与签字", "9. Decision and sign-off"))
    b.p(
        L(
            "□ 同意建议额度　　□ 调整额度为：____________　　□ 不予授信　　附加条件：____________",
            "□ Approve the proposed limit    □ Approve a limit of ____________    □ Decline    "
            "Conditions: ____________",
        )
    )
    b.sign_table(
        [
            L("编制（信用分析）", "Prepared (credit analyst)"),
            L("审核（信用经理）", "Reviewed (credit manager)"),
            L("批准（财务总监）", "Approved (CFO)"),
        ],
        [L("签字：", "Signature:"), L("日期：", "Date:")],
    )
    return b


# =========================================================================== letter


def letter(lang: str) -> Builder:
    b = Builder(lang)
    L = b.L  # noqa: N806
    b.title("{{ doc_title }}")
    b.p(L("编号：{{ letter_no }}", "Ref. {{ letter_no }}"), align="right", size=9)
    b.p(L("致：{{ customer.name }}", "To: {{ customer.name }}"), bold=True)
    b.p(L("地址：{{ customer.address }}", "Address: {{ customer.address }}"), size=9)
    b.tag("{%p if step == 0 %}")
    b.p(
        L(
            "贵司下列款项即将到期，烦请安排于到期日前付款。如已安排付款，请忽略本函。感谢贵司一贯的支持与合作。",
            "The invoices below fall due shortly; please arrange payment by their due dates. If "
            "payment is already on its way, please disregard this letter. Thank you for your "
            "continued business.",
        ),
        indent=True,
    )
    b.tag("{%p elif step == 1 %}")
    b.p(
        L(
            "经核对，贵司下列款项已超过约定付款期限，烦请于{{ pay_by }}前付清。如已付款，请将付款信息告知我司，"
            "以便核对。",
            "Our records show the invoices below are past due. Please pay them by {{ pay_by }}. "
            "If you have already paid, please send us the payment details so that we can match "
            "them.",
        ),
        indent=True,
    )
    b.tag("{%p elif step == 2 %}")
    b.p(
        L(
            "贵司下列款项已逾期超过30日，经我司多次提醒仍未支付。现正式要求贵司于{{ pay_by }}前付清全部欠款及"
            "逾期利息。",
            "The invoices below are more than 30 days past due and remain unpaid despite our "
            "reminders. We formally demand payment of the full balance and late interest by "
            "{{ pay_by }}.",
        ),
        indent=True,
    )
    b.tag("{%p else %}")
    b.p(
        L(
            "最后催告：贵司下列款项已严重逾期，经我司多次催告仍未支付。请贵司务必于{{ pay_by }}前付清全部欠款及"
            "逾期利息。逾期仍未付清的，我司将不再另行通知，通过诉讼或仲裁追讨欠款、"
            "逾期利息及律师费等实现债权的费用{% if insured %}，并依约通知信用保险人{% endif %}。",
            "Final demand: the invoices below are seriously overdue and remain unpaid despite our "
            "repeated demands. Pay the full balance and late interest by {{ pay_by }}. Failing "
            "payment we will, without further notice, recover the debt, late interest and costs, "
            "legal fees included, through the courts or arbitration"
            "{% if insured %}, and notify our credit insurer{% endif %}.",
        ),
        indent=True,
        bold=True,
    )
    b.tag("{%p endif %}")
    # the one credit-hold decision (engines.credit_hold) says whether deliveries are suspended;
    # a reminder before the due date stays a reminder
    b.tag("{%p if credit_hold and step >= 1 %}")
    b.p(
        L(
            "自本函发出之日起，我司暂停对贵司的赊销发货，直至上述款项付清。",
            "From the date of this letter we suspend deliveries on credit until the balance is "
            "paid.",
        ),
        indent=True,
    )
    b.tag("{%p endif %}")
    b.loop_table(
        [
            L("发票号", "Invoice"),
            L("开票日期", "Invoice date"),
            L("到期日", "Due date"),
            L("币种", "Cur."),
            L("发票金额", "Amount"),
            L("未付金额", "Outstanding"),
            L("逾期天数", "Days late"),
            L("年利率", "Rate p.a."),
            L("逾期利息", "Late interest"),
        ],
        [
            "{{ r.invoice_no }}",
            "{{ r.invoice_date }}",
            "{{ r.due_date }}",
            "{{ r.currency }}",
            "{{ r.amount }}",
            "{{ r.outstanding }}",
            "{{ r.days_overdue }}",
            "{{ r.interest_rate }}",
            "{{ r.late_interest }}",
        ],
        "invoices",
        widths=[22, 20, 20, 11, 22, 22, 12, 14, 22],
        right=(4, 5, 6, 7, 8),
    )
    b.p(
        L(
            "未付金额合计（{{ currency }}）：{{ total_outstanding }}（大写：{{ total_outstanding_upper }}）",
            "Total outstanding ({{ currency }}): {{ total_outstanding }}",
        ),
        bold=True,
    )
    b.tag("{%p if step >= 2 %}")
    b.p(
        L(
            "逾期利息合计：{{ total_interest }}，各发票按上表年利率÷365×逾期天数计算：合同约定利率的从其约定，"
            "未约定的按违约时一年期贷款市场报价利率（LPR）上浮{{ lpr_markup }}计算。本函主张金额合计："
            "{{ total_claimed }}（大写：{{ total_claimed_upper }}）。",
            "Late interest: {{ total_interest }}, each invoice at the rate in the table ÷ 365 × "
            "days late: the contract's rate where one is agreed, else the 1-year loan prime rate "
            "at the time of breach plus {{ lpr_markup }}. Total claimed: {{ total_claimed }}.",
        )
    )
    b.tag("{%p endif %}")
    b.tag("{%p if step >= 1 %}")
    b.p(
        L(
            "本函系我司对上述债权的正式主张。依据《民法典》第一百九十五条，诉讼时效自本函送达之日起中断，"
            "并重新计算{{ limitation_years }}年。",
            "This letter is our formal demand for the debt above; under PRC Civil Code art. 195 "
            "it interrupts the limitation period, which runs again for {{ limitation_years }} "
            "years from its delivery.",
        ),
        colour=GREY,
        size=9,
    )
    b.tag("{%p endif %}")
    b.p(
        L(
            "收款账户：户名____________　开户行____________　账号____________",
            "Pay to: account name ____________  bank ____________  account no. ____________",
        )
    )
    b.p(
        L(
            "如对上述款项有异议，请于收到本函之日起5日内书面告知。联系人：{{ account_manager }}",
            "Please tell us in writing within 5 days of receipt if you dispute any item. "
            "Contact: {{ account_manager }}",
        )
    )
    b.p(L("（盖章）", "(seal)"), align="right")
    b.p("{{ date }}", align="right")
    return b


# =========================================================================== review pack


def review_pack(lang: str) -> Builder:
    b = Builder(lang)
    L = b.L  # noqa: N806
    b.title("{{ doc_title }}")
    b.subtitle(
        L(
            "{{ month }}　数据截至 {{ as_of }}　金额单位：{{ currency }} 元",
            "{{ month }}    Data as of {{ as_of }}    Amounts in {{ currency }}",
        )
    )
    b.h1(L("一、组合概况", "1. Portfolio"))
    b.kv_table(
        [
            (L("客户数", "Customers"), "{{ portfolio.customers }}"),
            (L("总敞口", "Total exposure"), "{{ portfolio.exposure }}"),
            (L("应收余额", "Open receivables"), "{{ portfolio.open_receivables }}"),
            (L("逾期金额", "Overdue"), "{{ portfolio.overdue }}"),
            (L("逾期占比", "Overdue share"), "{{ portfolio.overdue_pct }}"),
            ("DSO", "{{ portfolio.dso }}"),
            (L("未处理预警", "Open alerts"), "{{ portfolio.active_alerts }}"),
            (L("预期损失", "Expected loss"), "{{ portfolio.expected_loss }}"),
            (L("减值准备（矩阵法）", "Provision (matrix)"), "{{ portfolio.provision }}"),
            (L("前十大敞口占比", "Top-10 share"), "{{ portfolio.top10_share }}"),
            (L("集中度HHI", "HHI"), "{{ portfolio.hhi }}"),
        ]
    )
    b.h1(L("二、信用等级分布", "2. Grade distribution"))
    b.image("grade_chart")
    b.h1(L("三、评级迁移矩阵（上月 → 本月）", "3. Rating migration (last month → this month)"))
    grades = list(GRADES)
    b.loop_table(
        [L("上月＼本月", "From \\ to"), *grades, L("合计", "Total")],
        [
            "{{ r.grade }}",
            *(f"{{{{ r.cells[{n}] }}}}" for n in range(len(grades))),
            "{{ r.total }}",
        ],
        "migration.rows",
        widths=[22, *([18] * len(grades)), 18],
        right=tuple(range(1, len(grades) + 2)),
    )
    b.p(
        L(
            "等级变动客户数：{{ migration.moved }}。",
            "Customers whose grade moved: {{ migration.moved }}.",
        ),
        size=9,
    )
    b.tag("{%p if not migration.has_previous %}")
    b.p(
        L(
            "注：变更日志中没有上月的评级记录，本月客户全部列为“新增”。",
            "Note: History holds no grade from last month, so every customer shows as new.",
        ),
        colour=GREY,
        size=9,
    )
    b.tag("{%p endif %}")
    b.h1(L("四、前十大敞口", "4. Top 10 exposures"))
    b.loop_table(
        [
            "#",
            L("客户编号", "ID"),
            L("客户名称", "Customer"),
            L("等级", "Grade"),
            L("敞口", "Exposure"),
            L("核定额度", "Limit"),
            L("使用率", "Use"),
        ],
        [
            "{{ r.rank }}",
            "{{ r.customer_id }}",
            "{{ r.name }}",
            "{{ r.grade }}",
            "{{ r.exposure }}",
            "{{ r.limit }}",
            "{{ r.utilization }}",
        ],
        "top_exposures",
        widths=[8, 18, 52, 12, 28, 28, 16],
        right=(4, 5, 6),
    )
    b.h1(L("五、逾期客户", "5. Overdue customers"))
    b.loop_table(
        [
            L("客户编号", "ID"),
            L("客户名称", "Customer"),
            L("逾期金额", "Overdue"),
            L("逾期占比", "Share"),
            L("最长逾期天数", "Max days"),
            L("催收级别", "Step"),
        ],
        [
            "{{ r.customer_id }}",
            "{{ r.name }}",
            "{{ r.overdue }}",
            "{{ r.overdue_pct }}",
            "{{ r.max_days }}",
            "{{ r.step }}",
        ],
        "overdue_list",
        widths=[18, 60, 28, 18, 22, 16],
        right=(2, 3, 4, 5),
    )
    b.h1(L("六、预警（按级别）", "6. Alerts by severity"))
    b.loop_table(
        [L("级别", "Severity"), L("未处理数量", "Open")],
        ["{{ r.severity }}", "{{ r.count }}"],
        "alerts_by_severity",
        widths=[60, 40],
        right=(1,),
    )
    b.p("")
    b.loop_table(
        [
            L("级别", "Severity"),
            L("客户", "Customer"),
            L("指标", "Indicator"),
            L("当前值", "Value"),
            L("建议措施", "Action"),
        ],
        [
            "{{ r.severity }}",
            "{{ r.customer }}",
            "{{ r.indicator }}",
            "{{ r.value }}",
            "{{ r.action }}",
        ],
        "alerts",
        widths=[14, 48, 30, 22, 52],
    )
    b.h1(L("七、本月应评审客户", "7. Customers due for review"))
    b.tag("{%p if due_for_review %}")
    b.loop_table(
        [
            L("客户编号", "ID"),
            L("客户名称", "Customer"),
            L("等级", "Grade"),
            L("评审日", "Review date"),
        ],
        ["{{ r.customer_id }}", "{{ r.name }}", "{{ r.grade }}", "{{ r.next_review }}"],
        "due_for_review",
        widths=[22, 80, 20, 44],
    )
    b.tag("{%p else %}")
    b.p(L("本月无到期评审。", "No review falls due this month."), colour=GREY)
    b.tag("{%p endif %}")
    b.h1(L("八、额度即将到期", "8. Limits expiring"))
    b.tag("{%p if limits_expiring %}")
    b.loop_table(
        [
            L("客户编号", "ID"),
            L("客户名称", "Customer"),
            L("核定额度", "Limit"),
            L("有效期至", "Valid until"),
            L("状态", "Status"),
        ],
        [
            "{{ r.customer_id }}",
            "{{ r.name }}",
            "{{ r.limit }}",
            "{{ r.valid_until }}",
            "{{ r.expired }}",
        ],
        "limits_expiring",
        widths=[20, 66, 28, 34, 18],
        right=(2,),
    )
    b.tag("{%p else %}")
    b.p(L("无。", "None."), colour=GREY)
    b.tag("{%p endif %}")
    b.h1(L("九、预期损失与减值准备", "9. Expected loss and provisions"))
    b.p(
        L(
            "预期损失=违约概率(等级)×违约损失率×扣除保险后的敞口，为风险指标；减值准备按账龄矩阵计提"
            "（新金融工具准则/CAS 22 简化方法，信用保险不抵减）。",
            "Expected loss = PD(grade) × LGD × exposure net of insurance, a risk figure; the "
            "provision follows the ageing matrix (IFRS 9 / CAS 22 simplified approach; credit "
            "insurance does not reduce it).",
        ),
        size=9,
    )
    b.loop_table(
        [
            L("等级", "Grade"),
            L("客户数", "Customers"),
            L("敞口", "Exposure"),
            L("预期损失", "Expected loss"),
            L("损失率", "EL rate"),
        ],
        ["{{ r.grade }}", "{{ r.customers }}", "{{ r.exposure }}", "{{ r.el }}", "{{ r.rate }}"],
        "el_by_grade",
        widths=[22, 22, 44, 44, 30],
        right=(1, 2, 3, 4),
    )
    b.p("")
    b.loop_table(
        [
            L("账龄", "Ageing bucket"),
            L("月滚动率", "Monthly roll"),
            L("损失率", "Loss rate"),
            L("来源", "Source"),
            L("余额", "Balance"),
            L("减值准备", "Provision"),
        ],
        [
            "{{ r.bucket }}",
            "{{ r.roll }}",
            "{{ r.rate }}",
            "{{ r.source }}",
            "{{ r.balance }}",
            "{{ r.provision }}",
        ],
        "provision_matrix",
        widths=[30, 22, 22, 26, 34, 34],
        right=(1, 2, 4, 5),
    )
    b.p(
        L(
            "滚动率按最近13个月末（{{ provision_period }}）回放账龄计算；无足够历史的账龄段使用"
            "信用政策默认损失率。",
            "Roll rates from the ageing replayed at the last 13 month-ends "
            "({{ provision_period }}); buckets without enough history use the Policy's "
            "default loss rates.",
        ),
        colour=GREY,
        size=9,
    )
    b.h2(L("集中度", "Concentration"))
    b.loop_table(
        [
            L("维度", "By"),
            L("名称", "Name"),
            L("敞口", "Exposure"),
            L("占比", "Share"),
            L("预期损失", "Expected loss"),
        ],
        ["{{ r.dimension }}", "{{ r.name }}", "{{ r.exposure }}", "{{ r.share }}", "{{ r.el }}"],
        "concentration",
        widths=[22, 60, 36, 20, 34],
        right=(2, 3, 4),
    )
    b.h1(L("十、审阅", "10. Sign-off"))
    b.sign_table(
        [
            L("编制（信用经理）", "Prepared (credit manager)"),
            L("审阅（财务总监）", "Reviewed (CFO)"),
        ],
        [L("签字：", "Signature:"), L("日期：", "Date:")],
    )
    return b


BUILDERS = {
    ("contracts", "contract"): contract,
    ("reports", "credit_report"): credit_report,
    ("reports", "letter"): letter,
    ("reports", "review_pack"): review_pack,
}


TEMPLATES = ROOT / "src" / "credit_register" / "templates"


def main(out: Path = TEMPLATES) -> list[Path]:
    written = []
    for (folder, kind), build in BUILDERS.items():
        for lang in ("zh", "en"):
            path = out / folder / f"{kind}_{lang}.docx"
            build(lang).save(path)
            written.append(path)
    return written


if __name__ == "__main__":
    for path in main(Path(sys.argv[1]) if len(sys.argv) > 1 else TEMPLATES):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
