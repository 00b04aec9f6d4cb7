# ruff: noqa: E501 - the templates' wording is long Chinese prose (CJK counts double)
"""The internal reports' templates: the customer credit report and the monthly review pack."""

from __future__ import annotations

from credit_register.core.schema import GRADES
from template_kit.builder import GREY, RED, Builder

# =========================================================================== credit report


def credit_report(lang: str) -> Builder:
    b = Builder(lang)
    L = b.L  # noqa: N806
    b.title("{{ doc_title }}")
    b.subtitle(
        L(
            "{{ customer.name }}（{{ customer.customer_id }}）　评估日：{{ as_of }}　金额单位："
            "{{ currency }}{{ statement_currency_note }}",
            "{{ customer.name }} ({{ customer.customer_id }})    As of {{ as_of }}    "
            "Amounts in {{ currency }}{{ statement_currency_note }}",
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

    b.h1(
        L(
            "二、近三年财务报表（{{ statement_currency }}）",
            "2. Financial statements, last three years ({{ statement_currency }})",
        )
    )
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
