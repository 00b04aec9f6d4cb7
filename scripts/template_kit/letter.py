# ruff: noqa: E501 - the templates' wording is long Chinese prose (CJK counts double)
"""The collection letter's template (steps 0–3 of policy §5), filled by
``credit_register.documents.letters``.

The letter is customer-facing: the sender's letterhead and footer, never "internal". Every
sentence that asserts a fact is conditioned on the context's flag for it (earlier demands
logged, insured, on hold, disputed invoices, acceleration), so a letter says nothing the register
does not show.
"""

from __future__ import annotations

from template_kit.builder import GREY, Builder


def _letterhead(b: Builder) -> None:
    L = b.L  # noqa: N806
    b.p("{{ sender.name }}", bold=True, align="center", size=12)
    b.p(
        L(
            "地址：{{ sender.address }}　电话：{{ sender.phone }}　邮箱：{{ sender.email }}",
            "{{ sender.address }}    Tel. {{ sender.phone }}    {{ sender.email }}",
        ),
        align="center",
        size=8.5,
        colour=GREY,
    )


def _overdue_table(b: Builder) -> None:
    L = b.L  # noqa: N806
    b.tag("{%p if claims_interest %}")
    b.loop_table(
        [
            L("发票号", "Invoice"),
            L("到期日", "Due date"),
            L("逾期天数", "Days late"),
            L("币种", "Cur."),
            L("未付金额", "Outstanding"),
            L("计息依据", "Interest basis"),
            L("年利率", "Rate p.a."),
            L("逾期利息（计至{{ interest_to }}）", "Interest to {{ interest_to }}"),
        ],
        [
            "{{ r.invoice_no }}",
            "{{ r.due_date }}",
            "{{ r.days_overdue }}",
            "{{ r.currency }}",
            "{{ r.outstanding }}",
            "{{ r.basis }}",
            "{{ r.rate }}",
            "{{ r.interest }}",
        ],
        "overdue",
        widths=[24, 21, 13, 11, 24, 24, 14, 24],
        right=(2, 4, 6, 7),
    )
    b.tag("{%p else %}")
    b.loop_table(
        [
            L("发票号", "Invoice"),
            L("开票日期", "Invoice date"),
            L("到期日", "Due date"),
            L("逾期天数", "Days late"),
            L("币种", "Cur."),
            L("发票金额", "Amount"),
            L("未付金额", "Outstanding"),
        ],
        [
            "{{ r.invoice_no }}",
            "{{ r.invoice_date }}",
            "{{ r.due_date }}",
            "{{ r.days_overdue }}",
            "{{ r.currency }}",
            "{{ r.amount }}",
            "{{ r.outstanding }}",
        ],
        "overdue",
        widths=[26, 22, 22, 14, 12, 30, 30],
        right=(3, 5, 6),
    )
    b.tag("{%p endif %}")


def letter(lang: str) -> Builder:
    b = Builder(lang, audience="customer")
    L = b.L  # noqa: N806
    _letterhead(b)
    b.title("{{ doc_title }}")
    b.p(L("编号：{{ letter_no }}", "Ref. {{ letter_no }}"), align="right", size=9)
    b.p(L("致：{{ customer.name }}", "To: {{ customer.name }}"), bold=True)
    b.p(L("地址：{{ customer.address }}", "Address: {{ customer.address }}"), size=9)

    # ---- the opening: what is owed, under which contract, what was asked before
    b.tag("{%p if has_contracts %}")
    b.p(
        L(
            "依据贵我双方签订的编号为{{ contracts }}的合同，我司已按约履行交货义务并开具发票。",
            "Under the contract(s) no. {{ contracts }} between us, we delivered the goods and "
            "invoiced them as agreed.",
        ),
        indent=True,
    )
    b.tag("{%p endif %}")
    b.tag("{%p if step == 0 %}")
    b.tag("{%p if has_falling_due %}")
    b.p(
        L(
            "贵司下列款项即将到期（见表二），烦请安排于到期日前付款。如已安排付款，请忽略本函。感谢贵司一贯的支持与合作。",
            "The invoices in table 2 fall due shortly; please arrange payment by their due dates. "
            "If payment is already on its way, please disregard this letter. Thank you for your "
            "continued business.",
        ),
        indent=True,
    )
    b.tag("{%p endif %}")
    b.tag("{%p if has_overdue %}")
    b.p(
        L(
            "另，表一所列款项已过到期日，我司尚未收到，烦请一并安排支付。",
            "The invoices in table 1 are past their due dates and we have not yet received "
            "payment; please include them.",
        ),
        indent=True,
    )
    b.tag("{%p endif %}")
    b.tag("{%p elif step == 1 %}")
    b.p(
        L(
            "经核对，贵司表一所列款项已超过约定付款期限{% if has_earlier_demands %}，我司已于{{ earlier_demands }}与贵司联系催收{% endif %}。烦请于{{ pay_by }}前付清。如已付款，请将付款信息告知我司，以便核对。",
            "Our records show the invoices in table 1 are past due{% if has_earlier_demands %}; "
            "we contacted you about them on {{ earlier_demands }}{% endif %}. Please pay them by "
            "{{ pay_by }}. If you have already paid, please send us the payment details so that "
            "we can match them.",
        ),
        indent=True,
    )
    b.tag("{%p elif step == 2 %}")
    b.p(
        L(
            "贵司表一所列{{ overdue|length }}笔款项已逾期（最长逾期{{ max_days_overdue }}日）{% if repeated_demands %}，经我司多次催告（{{ earlier_demands }}）{% elif has_earlier_demands %}，我司已于{{ earlier_demands }}催告{% endif %}，至今仍未支付。现正式要求贵司于{{ pay_by }}前付清表一所列欠款及逾期利息{% if accelerated %}，以及依合同加速到期条款一并到期的表二所列款项{% endif %}。",
            "The {{ overdue|length }} invoices in table 1 are overdue (the oldest by "
            "{{ max_days_overdue }} days){% if repeated_demands %} and remain unpaid despite our "
            "repeated demands ({{ earlier_demands }}){% elif has_earlier_demands %} and remain "
            "unpaid since our demand of {{ earlier_demands }}{% endif %}. We formally demand "
            "payment of the invoices in table 1 with late interest by {{ pay_by }}"
            "{% if accelerated %}, and of the invoices in table 2, which the contract's "
            "acceleration clause has made due{% endif %}.",
        ),
        indent=True,
    )
    b.tag("{%p else %}")
    b.p(
        L(
            "最后催告：贵司表一所列款项已严重逾期（最长逾期{{ max_days_overdue }}日）{% if repeated_demands %}，经我司多次催告（{{ earlier_demands }}）{% elif has_earlier_demands %}，我司已于{{ earlier_demands }}催告{% endif %}，至今仍未支付。请贵司务必于{{ pay_by }}前付清全部欠款及逾期利息{% if accelerated %}（含依合同加速到期条款一并到期的表二所列款项）{% endif %}。逾期仍未付清的，我司将不再另行通知，依法通过诉讼或仲裁追讨欠款及逾期利息，并保留要求贵司承担律师费等实现债权费用的权利{% if insured %}；我司亦将依保险合同向{{ insurer }}报告本笔欠款{% endif %}。",
            "Final demand: the invoices in table 1 are seriously overdue (the oldest by "
            "{{ max_days_overdue }} days){% if repeated_demands %} and remain unpaid despite our "
            "repeated demands ({{ earlier_demands }}){% elif has_earlier_demands %} and remain "
            "unpaid since our demand of {{ earlier_demands }}{% endif %}. Pay the full balance "
            "with late interest by {{ pay_by }}{% if accelerated %} (the invoices in table 2 "
            "included, which the contract's acceleration clause has made due){% endif %}. "
            "Failing payment we will, without further notice, recover the debt and late interest "
            "through the courts or arbitration, and reserve the right to claim our costs, legal "
            "fees included{% if insured %}; we will also report the debt to our credit insurer, "
            "{{ insurer }}{% endif %}.",
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

    # ---- table 1: overdue, claimed
    b.tag("{%p if has_overdue %}")
    b.p(L("表一　已逾期款项", "Table 1. Overdue invoices"), bold=True, size=9.5)
    _overdue_table(b)
    b.tag("{%p if claims_interest %}")
    b.p(
        L(
            "逾期利息按各发票所列计息依据与年利率（LPR指逾期时的一年期贷款市场报价利率），以未付金额×年利率÷{{ day_count }}×逾期天数计算，计至{{ interest_to }}；此后按同一年利率继续计算至贵司实际付清之日。",
            "Late interest is reckoned per invoice at the basis and annual rate shown (LPR: the "
            "1-year loan prime rate when payment fell overdue): outstanding × annual rate ÷ "
            "{{ day_count }} × days late, computed to {{ interest_to }}; it continues to run at "
            "the same rate until the day you pay.",
        ),
        size=9.5,
    )
    b.tag("{%p endif %}")
    b.tag("{%p endif %}")

    # ---- table 2: falling due (a reminder, or claimed under the acceleration clause)
    b.tag("{%p if has_falling_due %}")
    b.tag("{%p if accelerated %}")
    b.p(
        L(
            "表二　依合同加速到期条款一并到期的款项",
            "Table 2. Invoices made due by the contract's acceleration clause",
        ),
        bold=True,
        size=9.5,
    )
    b.tag("{%p else %}")
    b.p(
        L(
            "表二　即将到期款项（仅作提醒，不属本函主张的逾期款项）",
            "Table 2. Invoices falling due (a reminder only; not claimed as overdue)",
        ),
        bold=True,
        size=9.5,
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
        ],
        [
            "{{ r.invoice_no }}",
            "{{ r.invoice_date }}",
            "{{ r.due_date }}",
            "{{ r.currency }}",
            "{{ r.amount }}",
            "{{ r.outstanding }}",
        ],
        "falling_due",
        widths=[28, 24, 24, 14, 38, 38],
        right=(4, 5),
    )
    b.tag("{%p for t in reminder_totals %}")
    b.p(
        L(
            "{{ t.currency }}：即将到期金额合计 {{ t.outstanding }}",
            "{{ t.currency }}: total falling due {{ t.outstanding }}",
        ),
        size=9.5,
    )
    b.tag("{%p endfor %}")
    b.tag("{%p endif %}")

    # ---- what the letter claims, per currency (never two currencies added)
    b.tag("{%p if has_overdue or accelerated %}")
    b.p(
        L(
            "{% if claims_interest %}本函主张金额{% else %}逾期未付金额{% endif %}（按币种）：",
            "{% if claims_interest %}Claimed by this letter{% else %}Overdue and unpaid"
            "{% endif %}, per currency:",
        ),
        bold=True,
        size=9.5,
    )
    b.tag("{%p endif %}")
    b.tag("{%p for t in totals %}")
    b.tag("{%p if claims_interest %}")
    b.p(
        L(
            "{{ t.currency }}：未付金额 {{ t.outstanding }}，逾期利息 {{ t.interest }}，合计 {{ t.claimed }}{% if t.upper %}（大写：{{ t.upper }}）{% endif %}",
            "{{ t.currency }}: outstanding {{ t.outstanding }}, late interest {{ t.interest }}, "
            "total {{ t.claimed }}",
        ),
        bold=True,
    )
    b.tag("{%p else %}")
    b.p(
        L(
            "{{ t.currency }}：未付金额合计 {{ t.outstanding }}{% if t.outstanding_upper %}（大写：{{ t.outstanding_upper }}）{% endif %}",
            "{{ t.currency }}: total outstanding {{ t.outstanding }}",
        ),
        bold=True,
    )
    b.tag("{%p endif %}")
    b.tag("{%p endfor %}")
    b.tag("{%p if has_disputed %}")
    b.p(
        L(
            "贵司对发票{{ disputed }}提出的异议，我司正在核实；该等发票不在本函主张之列，核实结果另行通知。",
            "You have disputed invoice(s) {{ disputed }}; we are looking into it. They are not "
            "claimed in this letter, and we will write to you about them separately.",
        ),
        indent=True,
    )
    b.tag("{%p endif %}")
    b.tag("{%p if step >= 1 %}")
    b.p(
        L(
            "本函系我司对上述债权的正式主张；依据《民法典》第一百九十五条，诉讼时效自本函送达贵司之日起中断并重新计算。",
            "This letter is our formal demand for the debt above; under PRC Civil Code art. 195 "
            "it interrupts the limitation period, which runs again from the day it reaches you.",
        ),
        colour=GREY,
        size=9,
    )
    b.tag("{%p endif %}")
    b.p(
        L(
            "请将款项汇至：户名 {{ sender.name }}　开户行 {{ sender.bank }}　账号 {{ sender.account }}",
            "Please pay to: account name {{ sender.name }}, bank {{ sender.bank }}, account no. "
            "{{ sender.account }}",
        )
    )
    b.p(
        L(
            "如对上述款项有异议，请于收到本函之日起5日内书面告知。联系人：{{ contact.name }}{% if contact.phone %}，电话：{{ contact.phone }}{% endif %}{% if contact.email %}，邮箱：{{ contact.email }}{% endif %}",
            "Please tell us in writing within 5 days of receipt if you dispute any item. "
            "Contact: {{ contact.name }}{% if contact.phone %}, tel. {{ contact.phone }}"
            "{% endif %}{% if contact.email %}, {{ contact.email }}{% endif %}",
        )
    )
    b.p(
        L(
            "{{ sender.name }}（{{ sender.seal_text }}）",
            "{{ sender.name }} ({{ sender.seal_text }})",
        ),
        align="right",
    )
    b.p("{{ date }}", align="right")
    return b
