# ruff: noqa: E501 - the templates' wording is long Chinese prose (CJK counts double)
"""The contract draft's templates: Chinese, English and bilingual (the two side by side), all
three from one list of clauses, filled by ``credit_register.documents.contract``.

Each clause is written once in both languages; its numbers come from the context (``no.<key>``),
so a clause that is left out (the contract-language clause of a Chinese contract) leaves no gap.
The draft is the buyer's text: no grade, score or internal note (those are in the review note,
``contract_note``), and the sender's footer. Every statute a clause cites is for counsel to
confirm against the current official text (the README lists them).
"""

from __future__ import annotations

from dataclasses import dataclass

from template_kit.builder import (
    GREY,
    HEADER_FILL,
    TABLE_TEXT,
    Builder,
    _shade,
    add_cell_paragraph,
)


@dataclass(frozen=True)
class Para:
    """A paragraph in both languages; a ``{%p … %}`` tag when ``tag`` (the same in both)."""

    zh: str
    en: str
    tag: bool = False
    note: bool = False  # grey, small


def tag(text: str) -> Para:
    return Para(text, text, tag=True)


@dataclass(frozen=True)
class Clause:
    key: str
    zh: str
    en: str
    body: tuple[Para, ...]
    #: a Jinja test that keeps the clause (all its paragraphs) or leaves it out
    when: str = ""


CLAUSES: tuple[Clause, ...] = (
    Clause(
        "amount",
        "合同金额",
        "Contract amount",
        (
            Para(
                "本合同总金额为{{ currency }} {{ amount }}{% if amount_upper %}（大写：{{ amount_upper }}）{% endif %}{% if not foreign %}，含增值税{% endif %}。",
                "The total contract amount is {{ currency }} {{ amount }}{% if not foreign %}, VAT "
                "included{% endif %}.",
            ),
        ),
    ),
    Clause(
        "payment",
        "付款方式",
        "Payment",
        (
            tag('{%p if variant == "credit" %}'),
            Para(
                "买方应自每批货物交付并收到卖方开具的发票之日起{{ terms_days }}日内，以银行转账方式将该批货款付至卖方账户（户名：{{ sender.name }}；开户行：{{ sender.bank }}；账号：{{ sender.account }}）。",
                "The buyer shall pay for each delivery by bank transfer within {{ terms_days }} "
                "days of delivery and receipt of the seller's invoice, to the seller's account "
                "(name: {{ sender.name }}; bank: {{ sender.bank }}; account no. "
                "{{ sender.account }}).",
            ),
            tag('{%p elif variant == "prepayment" %}'),
            Para(
                "买方应于本合同签订之日起5个工作日内预付合同金额的{{ prepayment_pct }}，即{{ currency }} {{ prepayment_amount }}{% if prepayment_upper %}（大写：{{ prepayment_upper }}）{% endif %}；卖方收到预付款后安排发货。余款（{{ balance_pct }}）应于货物交付之日起{{ terms_days }}日内付清。",
                "The buyer shall prepay {{ prepayment_pct }} of the contract amount, "
                "{{ currency }} {{ prepayment_amount }}, within 5 business days of signing; the "
                "seller ships after receiving it. The balance ({{ balance_pct }}) is due within "
                "{{ terms_days }} days of delivery.",
            ),
            tag("{%p else %}"),
            Para(
                "买方应选择以下方式之一付款，卖方在付款条件满足前不予发货：（一）款到发货：买方应在每批货物发货前以银行转账方式付清该批全部货款；（二）信用证：买方应于本合同签订之日起10个工作日内，通过卖方认可的银行开立以卖方为受益人、金额为合同金额100%的不可撤销即期跟单信用证，卖方凭信用证规定的单据议付。",
                "The buyer shall pay in one of the following ways; the seller ships only once the "
                "condition is met: (a) cash in advance: the buyer pays each delivery in full by "
                "bank transfer before shipment; (b) letter of credit: within 10 business days of "
                "signing, the buyer opens an irrevocable documentary letter of credit at sight "
                "for 100% of the contract amount, in the seller's favour, with a bank the seller "
                "accepts.",
            ),
            tag("{%p endif %}"),
        ),
    ),
    Clause(
        "limit",
        "信用额度",
        "Credit limit",
        (
            tag("{%p if has_limit %}"),
            Para(
                "卖方给予买方的信用额度为{{ currency }} {{ credit_limit }}{% if credit_limit_upper %}（大写：{{ credit_limit_upper }}）{% endif %}{% if has_limit_validity %}，有效期至{{ limit_valid_until_zh }}{% endif %}。买方全部未付款项（含已发货未开票金额）合计不得超过该额度；超过额度或有任何逾期款项时，卖方有权暂停发货，直至买方付款使未付款项回到额度以内且无逾期。",
                "The seller grants the buyer a credit limit of {{ currency }} {{ credit_limit }}"
                "{% if has_limit_validity %}, valid until {{ limit_valid_until_en }}{% endif %}. "
                "The buyer's unpaid balance, goods shipped but not yet invoiced included, may not "
                "exceed it; above the limit, or with any amount overdue, the seller may suspend "
                "deliveries until the balance is back within the limit and nothing is overdue.",
            ),
            tag("{%p else %}"),
            Para(
                "本合同项下卖方不给予买方赊销信用额度，一切发货以收到全部货款或合格信用证为前提。",
                "No credit is granted under this contract: every shipment requires full payment "
                "or a conforming letter of credit first.",
            ),
            tag("{%p endif %}"),
        ),
    ),
    Clause(
        "security",
        "担保",
        "Security",
        (
            tag('{%p if security_key == "none" %}'),
            Para(
                "本合同不要求买方另行提供担保。",
                "No further security is required under this contract.",
            ),
            tag('{%p elif security_key == "guarantee_or_deposit" %}'),
            Para(
                "买方应就超出信用保险限额（{{ currency }} {{ insured_limit }}）部分的信用额度，即{{ currency }} {{ deposit_amount }}{% if deposit_upper %}（大写：{{ deposit_upper }}）{% endif %}，在首次发货前向卖方提供卖方认可的连带责任保证，或向卖方支付等额保证金。保证金不计利息，于买方付清全部款项后十日内退还。",
                "Before the first shipment the buyer shall secure the part of the credit limit "
                "above {{ currency }} {{ insured_limit }}, i.e. {{ currency }} "
                "{{ deposit_amount }}, by a joint and several guarantee acceptable to the seller "
                "or a cash deposit of that amount. The deposit bears no interest and is returned "
                "within ten days after the buyer has paid in full.",
            ),
            tag('{%p elif security_key == "guarantee_and_title" %}'),
            Para(
                "买方应在首次发货前提供卖方认可的第三方连带责任保证，保证范围为本合同项下全部货款、违约金及实现债权的费用；货物所有权保留并登记，见{{ no.title.zh }}。",
                "Before the first shipment the buyer shall provide a joint and several guarantee "
                "by a third party acceptable to the seller, covering all sums due under this "
                "contract, penalties and the costs of enforcing them; title to the goods is "
                "retained and registered (clause {{ no.title.en }}).",
            ),
            tag("{%p else %}"),
            Para(
                "买方以款到发货或信用证方式付款，无需另行提供担保。",
                "The buyer pays in advance or by letter of credit: no further security is needed.",
            ),
            tag("{%p endif %}"),
        ),
    ),
    Clause(
        "penalty",
        "逾期付款违约金",
        "Late payment",
        (
            Para(
                "买方逾期付款的，每逾期一日，应按逾期金额的{{ penalty_daily }}（折合年利率{{ penalty_annual }}）向卖方支付违约金，自应付款之日的次日起计至实际付清之日止。",
                "If the buyer pays late, it shall pay the seller a penalty of "
                "{{ penalty_daily }} of the overdue amount for each day late (equal to "
                "{{ penalty_annual }} a year), from the day after payment was due until the day "
                "it is paid.",
            ),
        ),
    ),
    Clause(
        "default",
        "{% if acceleration %}加速到期与{% endif %}中止履行",
        "{% if acceleration %}Acceleration and {% endif %}suspension",
        (
            tag("{%p if acceleration %}"),
            Para(
                "买方任何一笔款项逾期超过{{ acceleration_days }}日，或出现下款所列情形之一的，卖方有权书面通知买方，宣布本合同项下买方全部未付款项（包括尚未到期的款项）立即到期，买方应于通知送达之日起五日内付清。",
                "If any payment is more than {{ acceleration_days }} days overdue, or any event "
                "of the next paragraph occurs, the seller may by written notice declare every "
                "unpaid sum under this contract, sums not yet due included, immediately due; "
                "the buyer shall pay them within five days of receiving the notice.",
            ),
            tag("{%p endif %}"),
            Para(
                "卖方有确切证据证明买方有下列情形之一的，可以中止履行（包括暂停发货）：经营状况严重恶化；转移财产、抽逃资金，以逃避债务；丧失商业信誉；有丧失或者可能丧失履行债务能力的其他情形（《民法典》第五百二十七条）。卖方中止履行的，应当及时通知买方；买方提供适当担保的，卖方应当恢复履行；买方在合理期限内未恢复履行能力且未提供适当担保的，卖方可以解除合同并请求买方承担违约责任（《民法典》第五百二十八条）。",
                "The seller may suspend performance, deliveries included, if it has conclusive "
                "evidence that the buyer's business has seriously deteriorated, that it moves "
                "assets or withdraws funds to evade its debts, that it has lost its commercial "
                "credibility, or that it has or may lose the ability to perform (PRC Civil Code "
                "art. 527). The seller shall notify the buyer promptly and resume performance "
                "once the buyer provides adequate security; if the buyer neither regains the "
                "ability to perform nor provides adequate security within a reasonable time, "
                "the seller may terminate the contract and claim damages (art. 528).",
            ),
        ),
    ),
    Clause(
        "title",
        "所有权保留",
        "Retention of title",
        (
            Para(
                "在买方付清本合同项下全部货款及其他应付款项之前，货物的所有权仍属于卖方（《民法典》第六百四十一条）。卖方有权就所有权保留办理动产担保登记，买方应予配合{% if title_registered %}；卖方将于首次发货前办理登记{% endif %}。买方应妥善保管货物，付清前不得出卖、出质或作出其他不当处分。",
                "Title to the goods remains with the seller until the buyer has paid everything "
                "due under this contract (PRC Civil Code art. 641). The seller may register the "
                "retention of title and the buyer shall cooperate{% if title_registered %}; the "
                "seller will register it before the first shipment{% endif %}. Until it has paid, "
                "the buyer shall keep the goods safe and shall not sell, pledge or otherwise "
                "dispose of them.",
            ),
            Para(
                "买方未按约定付款，经催告后在合理期限内仍未支付，或将货物出卖、出质或作出其他不当处分，造成卖方损害的，卖方有权取回货物（《民法典》第六百四十二条）。",
                "If the buyer fails to pay within a reasonable time after a demand, or sells, "
                "pledges or otherwise improperly disposes of the goods to the seller's harm, the "
                "seller may take the goods back (PRC Civil Code art. 642).",
            ),
        ),
    ),
    Clause(
        "costs",
        "实现债权的费用",
        "Costs of enforcement",
        (
            Para(
                "买方违约的，应赔偿卖方为实现债权而支出的合理费用，包括但不限于诉讼费、仲裁费、保全费、保全担保费、公告费、鉴定费、执行费、律师费及差旅费。",
                "If the buyer is in breach, it shall reimburse the seller's reasonable costs of "
                "enforcing its claims, including court and arbitration fees, the costs of "
                "preservation measures and their security, notices, expert opinions and "
                "enforcement, lawyers' fees and travel.",
            ),
        ),
    ),
    Clause(
        "reconciliation",
        "对账确认",
        "Statements of account",
        (
            Para(
                "双方每月对账一次：卖方于每月5日前向买方发送截至上月末的对账单，买方应于收到之日起10日内盖章确认或书面提出异议。买方签章确认的对账单构成对债务的承认，诉讼时效自确认之日起重新计算（《民法典》第一百九十五条）。",
                "The parties reconcile monthly: by the 5th of each month the seller sends a "
                "statement of account to the end of the previous month, and the buyer confirms "
                "it with its seal or objects in writing within 10 days of receipt. A confirmed "
                "statement acknowledges the debt and restarts the limitation period (PRC Civil "
                "Code art. 195).",
            ),
        ),
    ),
    Clause(
        "service",
        "送达地址确认",
        "Addresses for notices and service",
        (
            Para(
                "双方确认本合同首部所列地址及电子邮箱为各自的送达地址，适用于合同履行中的通知、催告与对账，以及发生争议后仲裁、诉讼（包括一审、二审、再审和执行程序）各阶段文书的送达。一方变更送达地址的，应于变更之日起三日内书面通知对方；未通知的，按原地址送达即视为送达。因地址不准确、拒收或未及时告知变更致使文书未能被实际接收的，文书退回之日视为送达之日。",
                "Each party confirms the address and e-mail given for it at the head of this "
                "contract as its address for notices, demands and statements under the contract "
                "and for the service of documents in any arbitration or court proceedings "
                "(first instance, appeal, retrial and enforcement included). A party that changes "
                "its address shall tell the other in writing within three days; until then, "
                "delivery to the old address is good service. A document that cannot be "
                "delivered because the address is wrong, delivery is refused or a change was not "
                "notified is served on the day it is returned.",
            ),
        ),
    ),
    Clause(
        "disputes",
        "适用法律与争议解决",
        "Governing law and disputes",
        (
            tag("{%p if foreign %}"),
            Para(
                "本合同适用{{ law_zh }}{% if law == 'cn' %}（不包括其冲突规范）{% endif %}{% if cisg_excluded %}，排除《联合国国际货物销售合同公约》的适用{% else %}；《联合国国际货物销售合同公约》适用于本合同，该公约未规定的事项适用前述法律{% endif %}。",
                "This contract is governed by {{ law_en }}{% if law == 'cn' %} (excluding its "
                "conflict rules){% endif %}{% if cisg_excluded %}; the United Nations Convention "
                "on Contracts for the International Sale of Goods (CISG) does not apply"
                "{% else %}; the United Nations Convention on Contracts for the International "
                "Sale of Goods (CISG) applies, and that law governs what the CISG does not "
                "settle{% endif %}.",
            ),
            tag("{%p else %}"),
            Para("本合同适用中华人民共和国法律。", "This contract is governed by PRC law."),
            tag("{%p endif %}"),
            tag("{%p if arbitration %}"),
            Para(
                "因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；协商不成的，提交{{ forum_zh }}，按照申请仲裁时{{ rules_zh }}仲裁。仲裁地为{{ seat_zh }}{% if foreign %}，仲裁语言为{% if language == 'zh' %}中文{% else %}英文{% endif %}{% endif %}。仲裁裁决是终局的，对双方均有约束力。",
                "Any dispute arising from or in connection with this contract shall be settled "
                "amicably; failing that, it shall be referred to {{ forum_en }} and finally "
                "resolved by arbitration under {{ rules_en }} when the arbitration is applied "
                "for. The seat of arbitration is {{ seat_en }}{% if foreign %}; the language of "
                "the arbitration is {% if language == 'zh' %}Chinese{% else %}English{% endif %}"
                "{% endif %}. The award is final and binding on both parties.",
            ),
            tag("{%p else %}"),
            Para(
                "因本合同引起的或与本合同有关的任何争议，双方应友好协商解决；协商不成的，任何一方均可向卖方住所地有管辖权的人民法院提起诉讼。",
                "Any dispute arising from or in connection with this contract shall be settled "
                "amicably; failing that, either party may bring it before the competent people's "
                "court at the seller's domicile.",
            ),
            tag("{%p endif %}"),
        ),
    ),
    Clause(
        "language",
        "合同文本",
        "Language",
        (
            tag('{%p if language == "bilingual" %}'),
            Para(
                "本合同以中文和英文书就，两种文本具有同等效力；两种文本如有不一致，以{{ prevailing_zh }}文本为准。",
                "This contract is made in Chinese and English, both texts being equally "
                "authentic; should they differ, the {{ prevailing_en }} text prevails.",
            ),
            tag("{%p else %}"),
            Para("本合同以英文书就。", "This contract is made in English."),
            tag("{%p endif %}"),
        ),
        when="no.language",
    ),
)

PARTIES: tuple[tuple[str, str, str], ...] = (
    ("卖方", "Seller", "{{ sender.name }}"),
    ("统一社会信用代码", "Registration no.", "{{ sender.uscc }}"),
    ("地址", "Address", "{{ sender.address }}"),
    ("电子邮箱", "E-mail", "{{ sender.email }}"),
    ("买方", "Buyer", "{{ buyer.name }}"),
    ("统一社会信用代码/注册号", "Registration no.", "{{ buyer.uscc }}"),
    ("地址", "Address", "{{ buyer.address }}"),
    ("电子邮箱", "E-mail", "{{ buyer.email }}"),
    ("法定代表人", "Legal representative", "{{ buyer.legal_rep }}"),
)


def _heading(clause: Clause, lang: str) -> str:
    if lang == "zh":
        return f"{{{{ no.{clause.key}.zh }}}}　{clause.zh}"
    return f"{{{{ no.{clause.key}.en }}}}. {clause.en}"


def _signatures(b: Builder, bilingual: bool) -> None:
    table = b._table(3, 2, None)
    rows = table.rows
    heads = (
        ("卖方（盖章）", "Seller (seal)"),
        ("买方（盖章）", "Buyer (seal)"),
    )
    for cell, (zh, en) in zip(rows[0].cells, heads, strict=True):
        _shade(cell, HEADER_FILL)
        cell.paragraphs[0].add_run(f"{zh} {en}" if bilingual else b.L(zh, en)).bold = True
    rows[1].cells[0].paragraphs[0].add_run(
        "{{ sender.name }} ({{ sender.seal_text }})"
        if bilingual or b.lang == "en"
        else "{{ sender.name }}（{{ sender.seal_text }}）"
    )
    rows[1].cells[1].paragraphs[0].add_run("{{ buyer.name }}")
    for cell in rows[2].cells:
        label = (
            "授权代表 Authorised signatory：\n日期 Date："
            if bilingual
            else b.L("授权代表：\n日期：", "Authorised signatory:\nDate:")
        )
        cell.paragraphs[0].add_run(label)


def contract(lang: str) -> Builder:
    """The draft in one language (``zh`` or ``en``)."""
    b = Builder(lang, audience="customer")
    L = b.L  # noqa: N806
    b.title(L("{{ doc_title_zh }}", "{{ doc_title_en }}"))
    b.subtitle(
        L(
            "合同编号：{{ contract_no }}　　日期：{{ date_zh }}",
            "Contract no. {{ contract_no }}    Date: {{ date_en }}",
        )
    )
    b.kv_table([(L(zh, en), value) for zh, en, value in PARTIES], columns=1)
    for clause in CLAUSES:
        if clause.when:
            b.tag(f"{{%p if {clause.when} %}}")
        b.h1(_heading(clause, lang))
        for para in clause.body:
            text = para.zh if lang == "zh" else para.en
            if para.tag:
                b.tag(text)
            else:
                b.p(text, indent=True)
        if clause.when:
            b.tag("{%p endif %}")
    _signatures(b, bilingual=False)
    b.p(
        L(
            "本合同一式两份，双方各执一份，自双方签字盖章之日起生效。",
            "This contract is made in two copies, one for each party, and takes effect when "
            "both parties have signed and sealed it.",
        ),
        colour=GREY,
        size=9,
    )
    return b


def contract_bilingual(lang: str) -> Builder:
    """The draft with the Chinese and English texts side by side, clause by clause."""
    b = Builder("zh", audience="customer")
    b.title("{{ doc_title_zh }}")
    b.subtitle("{{ doc_title_en }}")
    b.subtitle(
        "合同编号 Contract no.：{{ contract_no }}　　日期 Date：{{ date_zh }} / {{ date_en }}"
    )
    b.kv_table([(f"{zh} {en}", value) for zh, en, value in PARTIES], columns=1)
    half = b.text_width_mm / 2
    table = b._table(len(CLAUSES) + 2 * sum(1 for c in CLAUSES if c.when), 2, [half, half])
    rows = iter(table.rows)
    for clause in CLAUSES:
        if clause.when:
            row = next(rows)
            row.cells[0].paragraphs[0].add_run(f"{{%tr if {clause.when} %}}")
        row = next(rows)
        for cell, lang_of in zip(row.cells, ("zh", "en"), strict=True):
            add_cell_paragraph(cell, _heading(clause, lang_of), first=True, bold=True)
            for para in clause.body:
                text = para.zh if lang_of == "zh" else para.en
                if para.tag:
                    cell.add_paragraph(text).style = TABLE_TEXT
                else:
                    add_cell_paragraph(cell, text)
            _shade(cell, "FFFFFF")
        if clause.when:
            row = next(rows)
            row.cells[0].paragraphs[0].add_run("{%tr endif %}")
    _signatures(b, bilingual=True)
    b.p(
        "本合同一式两份，双方各执一份，自双方签字盖章之日起生效。This contract is made in two "
        "copies, one for each party, and takes effect when both parties have signed and sealed it.",
        colour=GREY,
        size=9,
    )
    return b
