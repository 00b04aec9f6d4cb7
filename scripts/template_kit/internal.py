# ruff: noqa: E501 - the templates' wording is long Chinese prose (CJK counts double)
"""The internal notes' templates: the contract draft's review note and the hand-over pack for
counsel (cover memo and index), filled by ``credit_register.documents.contract_note`` and
``credit_register.documents.handover``. Internal: their footer says so.
"""

from __future__ import annotations

from template_kit.builder import GREY, RED, Builder


def contract_note(lang: str) -> Builder:
    b = Builder(lang)
    L = b.L  # noqa: N806
    b.title("{{ doc_title }}")
    b.subtitle(
        L(
            "合同编号：{{ contract_no }}　日期：{{ date }}　仅供内部审核，不得随合同发给买方",
            "Contract no. {{ contract_no }}    {{ date }}    For internal review only: never "
            "send this note to the buyer",
        )
    )
    b.kv_table(
        [
            (L("买方", "Buyer"), "{{ customer.name }}"),
            (L("客户编号", "Customer ID"), "{{ customer.customer_id }}"),
            (L("信用等级", "Grade"), "{{ grade }}"),
            (L("总分", "Score"), "{{ score }}"),
            (L("否决项", "Knock-out"), "{{ knock_out }}"),
            (L("合同币种", "Currency"), "{{ currency }}"),
        ]
    )
    b.h1(L("一、需处理事项", "1. To resolve before sending"))
    b.tag("{%p if warnings %}")
    b.tag("{%p for w in warnings %}")
    b.p("• {{ w }}", colour=RED)
    b.tag("{%p endfor %}")
    b.tag("{%p else %}")
    b.p(L("无。", "None."), colour=GREY)
    b.tag("{%p endif %}")

    b.h1(L("二、付款条款的依据", "2. Why these payment terms"))
    b.kv_table(
        [
            (L("客户约定账期(天)", "Agreed terms (days)"), "{{ terms.agreed }}"),
            (L("等级最长账期(天)", "Grade maximum (days)"), "{{ terms.grade_max }}"),
            (L("草稿采用(天)", "In the draft (days)"), "{{ terms.drafted }}"),
            (L("理由", "Reason"), "{{ terms.why }}"),
            (L("信用额度", "Credit limit"), "{{ currency }} {{ limit }}{{ limit_base }}"),
            (L("额度来源", "Limit source"), "{{ limit_source }}"),
            (L("担保要求", "Security"), "{{ security }}"),
        ],
        columns=1,
    )
    b.h1(L("三、违约金与预估损失", "3. Penalty against the estimated loss"))
    b.kv_table(
        [
            (
                L("约定违约金", "Penalty"),
                L(
                    "每日{{ penalty.daily }}（年化{{ penalty.annual }}）；{{ penalty.agreed }}",
                    "{{ penalty.daily }} a day ({{ penalty.annual }} a year); {{ penalty.agreed }}",
                ),
            ),
            (
                L("预估损失", "Estimated loss"),
                L(
                    "年化{{ penalty.loss }}（一年期LPR {{ penalty.lpr }}，{{ penalty.lpr_as_of }}，上浮{{ penalty.markup }}）",
                    "{{ penalty.loss }} a year (1-year LPR {{ penalty.lpr }} of {{ penalty.lpr_as_of }} plus {{ penalty.markup }})",
                ),
            ),
            (
                L("合理上限", "Bound"),
                L(
                    "年化{{ penalty.bound }}（损失之上{{ penalty.excess_max }}）",
                    "{{ penalty.bound }} a year ({{ penalty.excess_max }} above the loss)",
                ),
            ),
        ],
        columns=1,
    )
    b.tag("{%p if penalty_too_high %}")
    b.warning(
        L(
            "警告：约定违约金超过预估损失的{{ penalty.excess_max }}以上，买方可依《民法典》第五百八十五条请求减少。",
            "WARNING: the penalty exceeds the estimated loss by more than {{ penalty.excess_max }}; "
            "the buyer may have it reduced (Civil Code art. 585).",
        )
    )
    b.tag("{%p endif %}")
    b.h1(L("四、语言、适用法律与争议解决", "4. Language, law and forum"))
    b.loop_table(
        [L("事项", "Setting"), L("草稿采用", "In the draft"), L("来源", "From")],
        ["{{ r.what }}", "{{ r.value }}", "{{ r.source }}"],
        "choices",
        widths=[40, 80, 46],
    )
    b.h1(L("五、各条款所依规则", "5. The rule each clause follows"))
    b.loop_table(
        [L("条款", "Clause"), L("依据", "Rule")],
        ["{{ r.clause }}", "{{ r.rule }}"],
        "rules",
        widths=[42, 124],
    )
    b.p(
        L(
            "所引法律条文与司法解释请律师按现行官方文本核对后方可使用草稿。",
            "Counsel must check every cited statute and interpretation against the current "
            "official text before the draft is used.",
        ),
        colour=GREY,
        size=8.5,
    )
    return b


def handover_memo(lang: str) -> Builder:
    b = Builder(lang, landscape=True)
    L = b.L  # noqa: N806
    b.title("{{ doc_title }}")
    b.subtitle(
        L(
            "{{ debtor.name }}（{{ debtor.customer_id }}）　日期：{{ date }}　编制：{{ prepared_by }}　{{ stage }}",
            "{{ debtor.name }} ({{ debtor.customer_id }})    {{ date }}    Prepared by "
            "{{ prepared_by }}    {{ stage }}",
        )
    )
    b.h1(L("一、当事人", "1. Parties"))
    b.kv_table(
        [
            (L("债权人", "Creditor"), "{{ creditor.name }}"),
            (L("债务人", "Debtor"), "{{ debtor.name }}"),
            (L("统一社会信用代码", "Registration no."), "{{ creditor.uscc }}"),
            (L("统一社会信用代码", "Registration no."), "{{ debtor.uscc }}"),
            (L("地址", "Address"), "{{ creditor.address }}"),
            (L("注册地址", "Registered address"), "{{ debtor.address }}"),
            (L("法定代表人", "Legal rep."), "{{ creditor.legal_rep }}"),
            (L("法定代表人", "Legal rep."), "{{ debtor.legal_rep }}"),
            (L("联系人", "Contact"), "{{ creditor.contact }} {{ creditor.phone }}"),
            (L("电话/邮箱", "Phone / e-mail"), "{{ debtor.phone }} {{ debtor.email }}"),
            (L("收款账户", "Account"), "{{ creditor.bank }} {{ creditor.account }}"),
            (
                L("国家/地区；客户经理", "Country; manager"),
                "{{ debtor.country }}；{{ debtor.account_manager }}",
            ),
        ],
        widths=[34, 96, 34, 97],
    )
    b.h1(L("二、合同", "2. Contracts"))
    b.loop_table(
        [
            L("合同编号", "Contract no."),
            L("币种", "Cur."),
            L("未清发票数", "Open invoices"),
            L("未清金额", "Outstanding"),
        ],
        ["{{ r.contract_no }}", "{{ r.currency }}", "{{ r.invoices }}", "{{ r.outstanding }}"],
        "contracts",
        widths=[80, 30, 50, 60],
        right=(2, 3),
    )
    b.p(
        L(
            "约定账期：{{ debtor.terms_days }}天（登记簿所载，请以签署的合同原件为准）。",
            "Agreed terms: {{ debtor.terms_days }} days (as the register holds them; the signed "
            "contract governs).",
        ),
        size=9,
    )
    b.h1(L("三、债权明细（逐张发票）", "3. The claim, invoice by invoice"))
    b.loop_table(
        [
            L("发票号", "Invoice"),
            L("合同编号", "Contract"),
            L("开票日期", "Invoiced"),
            L("到期日", "Due"),
            L("币种", "Cur."),
            L("发票金额", "Amount"),
            L("已收", "Paid"),
            L("未付金额", "Outstanding"),
            L("逾期天数", "Days late"),
            L("计息依据", "Basis"),
            L("年利率", "Rate"),
            L("利息（计至{{ interest_to }}）", "Interest to {{ interest_to }}"),
            L("诉讼时效届满", "Limitation expires"),
        ],
        [
            "{{ r.invoice_no }}",
            "{{ r.contract_no }}",
            "{{ r.invoice_date }}",
            "{{ r.due_date }}",
            "{{ r.currency }}",
            "{{ r.amount }}",
            "{{ r.paid }}",
            "{{ r.outstanding }}",
            "{{ r.days_overdue }}",
            "{{ r.basis }}",
            "{{ r.rate }}",
            "{{ r.interest }}",
            "{{ r.limitation }}",
        ],
        "claims",
        widths=[22, 22, 19, 19, 10, 22, 18, 22, 12, 20, 12, 22, 19],
        right=(5, 6, 7, 8, 10, 11),
    )
    b.tag("{%p for t in totals %}")
    b.p(
        L(
            "{{ t.currency }}：未付本金 {{ t.outstanding }}，逾期利息 {{ t.interest }}，合计 {{ t.claimed }}",
            "{{ t.currency }}: principal {{ t.outstanding }}, interest {{ t.interest }}, total "
            "{{ t.claimed }}",
        ),
        bold=True,
    )
    b.tag("{%p endfor %}")
    b.p(
        L(
            "利息＝未付金额×年利率÷{{ day_count }}×逾期天数，计至{{ interest_to }}，此后按同一年利率继续计算至实际付清之日。最早届满的诉讼时效：{{ earliest_expiry }}{% if earliest_invoice != '—' %}（发票{{ earliest_invoice }}）{% endif %}。",
            "Interest = outstanding × annual rate ÷ {{ day_count }} × days late, to "
            "{{ interest_to }}; it runs on at the same rate until paid. Earliest limitation "
            "expiry: {{ earliest_expiry }}{% if earliest_invoice != '—' %} (invoice "
            "{{ earliest_invoice }}){% endif %}.",
        ),
        size=9,
    )
    b.h1(L("四、催告及送达", "4. Demands and their delivery"))
    b.tag("{%p if has_demands %}")
    b.loop_table(
        [
            L("日期", "Date"),
            L("类型", "Type"),
            L("内容", "Summary"),
            L("涉及发票", "Invoices named"),
            L("送达日期", "Delivered on"),
            L("回执/单号", "Reference"),
            L("证据", "Evidence"),
        ],
        [
            "{{ r.date }}",
            "{{ r.type }}",
            "{{ r.summary }}",
            "{{ r.invoices }}",
            "{{ r.delivered_on }}",
            "{{ r.reference }}",
            "{{ r.evidence }}",
        ],
        "demands",
        widths=[20, 14, 80, 56, 20, 36, 25],
    )
    b.p(
        L(
            "已送达的催告 {{ delivered_count }} 次。仅有送达记录的催告可证明诉讼时效中断（《民法典》第一百九十五条），请附邮寄回执或电子送达记录。",
            "{{ delivered_count }} demands have a recorded delivery. Only a delivered demand "
            "proves the limitation period was interrupted (Civil Code art. 195): attach the "
            "receipts.",
        ),
        size=9,
    )
    b.tag("{%p else %}")
    b.p(L("登记簿中无催告记录。", "The register logs no demand."), colour=GREY)
    b.tag("{%p endif %}")
    b.h1(L("五、债务人的承认", "5. The debtor's acknowledgements"))
    b.tag("{%p if has_acknowledgements %}")
    b.loop_table(
        [
            L("日期", "Date"),
            L("类型", "Type"),
            L("内容", "Summary"),
            L("承诺付款日", "Promised for"),
            L("承诺金额", "Amount"),
            L("回执/单号", "Reference"),
        ],
        [
            "{{ r.date }}",
            "{{ r.type }}",
            "{{ r.summary }}",
            "{{ r.promise_date }}",
            "{{ r.promise_amount }}",
            "{{ r.reference }}",
        ],
        "acknowledgements",
        widths=[20, 18, 110, 24, 30, 49],
        right=(4,),
    )
    b.tag("{%p else %}")
    b.p(
        L("登记簿中无承诺付款或对账确认记录。", "No promise or signed statement is logged."),
        colour=GREY,
    )
    b.tag("{%p endif %}")
    b.tag("{%p if part_payments %}")
    b.p(
        L(
            "到期后的部分付款（构成对债务的承认）：",
            "Part payments after the due date (each acknowledges the debt):",
        ),
        size=9,
    )
    b.loop_table(
        [L("付款日", "Paid on"), L("发票号", "Invoice"), L("金额", "Amount")],
        ["{{ r.date }}", "{{ r.invoice_no }}", "{{ r.amount }}"],
        "part_payments",
        widths=[40, 50, 50],
        right=(2,),
    )
    b.tag("{%p endif %}")
    b.h1(L("六、争议发票", "6. Disputed invoices"))
    b.tag("{%p if has_disputed %}")
    b.loop_table(
        [
            L("发票号", "Invoice"),
            L("到期日", "Due"),
            L("币种", "Cur."),
            L("未付金额", "Outstanding"),
        ],
        ["{{ r.invoice_no }}", "{{ r.due_date }}", "{{ r.currency }}", "{{ r.outstanding }}"],
        "disputed",
        widths=[50, 40, 20, 50],
        right=(3,),
    )
    b.p(
        L(
            "争议发票未计入上述债权，亦未计息；请律师评估是否一并主张。",
            "Disputed invoices are not in the claim above and run no interest; counsel to decide whether to claim them.",
        ),
        size=9,
    )
    b.tag("{%p else %}")
    b.p(L("无。", "None."), colour=GREY)
    b.tag("{%p endif %}")
    b.h1(L("七、担保与保险", "7. Security and insurance"))
    b.kv_table(
        [
            (L("信用保险人", "Insurer"), "{{ security.insurer }}"),
            (L("保险限额", "Insured limit"), "{{ security.insured_limit }}"),
            (L("赔付比例", "Cover"), "{{ security.cover }}"),
            (L("等级要求的担保", "Security the grade requires"), "{{ security.required }}"),
        ],
        widths=[40, 90, 40, 91],
    )
    b.p(
        L(
            "登记簿不记录保证、保证金或所有权保留登记：请从合同档案中附上担保文件及登记证明。已投保的，请核对保单的报损与索赔期限。",
            "The register holds no guarantees, deposits or title registrations: attach them "
            "from the contract file. If insured, check the policy's notification and claim "
            "deadlines.",
        ),
        size=9,
    )
    b.h1(L("八、附件", "8. Enclosures"))
    b.loop_table(
        [L("文件", "File"), L("内容", "Content"), L("说明", "Note")],
        ["{{ r.name }}", "{{ r.what }}", "{{ r.note }}"],
        "enclosures",
        widths=[80, 90, 91],
    )
    b.h1(L("九、请律师确认", "9. For counsel to confirm"))
    for zh, en in (
        (
            "各发票的诉讼时效届满日（三年；国际货物买卖四年；港澳台客户适用何者）及已送达催告、承认的中断效力。",
            "Each invoice's limitation expiry (three years; four for international sales; which applies to Hong Kong, Macao and Taiwan) and the effect of the delivered demands and acknowledgements.",
        ),
        (
            "逾期利息的计算依据：合同约定利率，或违约时一年期LPR上浮30%–50%，或中小企业款项规则。",
            "The late-interest basis: the contract's rate, the LPR at breach plus 30–50 %, or the SME payment rule.",
        ),
        (
            "管辖法院或仲裁机构、适用法律，以及是否申请财产保全。",
            "The court or arbitral forum, the governing law, and whether to apply for preservation of assets.",
        ),
    ):
        b.p("• " + L(zh, en), size=9.5)
    return b


def handover_index(lang: str) -> Builder:
    b = Builder(lang)
    L = b.L  # noqa: N806
    b.title("{{ doc_title }}")
    b.subtitle(
        L(
            "{{ debtor.name }}（{{ debtor.customer_id }}）　{{ date }}",
            "{{ debtor.name }} ({{ debtor.customer_id }})    {{ date }}",
        )
    )
    b.loop_table(
        ["#", L("文件", "File"), L("内容", "Content"), L("说明", "Note")],
        ["{{ r.n }}", "{{ r.name }}", "{{ r.what }}", "{{ r.note }}"],
        "entries",
        widths=[8, 62, 50, 46],
    )
    return b
