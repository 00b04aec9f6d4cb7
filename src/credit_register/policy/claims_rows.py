"""The rows that say what we can claim from a late payer (policy §5): late interest — the LPR
table by date, the court's markup, the SME payment rule — and the limitation period.

Each default follows a rule a court applies; the note of each row names it, and counsel must
confirm the current text before a contract or a letter relies on it (the README lists them).
"""

from __future__ import annotations

from collections.abc import Iterable

from credit_register.policy.param import _Param

#: the 1-year loan prime rate (%) by the date it took effect, as published by the National
#: Interbank Funding Center since the LPR reform of 2019-08-20; the first row is the PBOC's
#: 1-year benchmark lending rate (4.35 % since 2015-10-24), which the Supreme People's Court's
#: sales-contract interpretation (art. 18) uses for breaches before 2019-08-20
LPR_1Y: tuple[tuple[str, float], ...] = (
    ("2015-10-24", 4.35),
    ("2019-08-20", 4.25),
    ("2019-09-20", 4.20),
    ("2019-11-20", 4.15),
    ("2020-02-20", 4.05),
    ("2020-04-20", 3.85),
    ("2021-12-20", 3.80),
    ("2022-01-20", 3.70),
    ("2022-08-22", 3.65),
    ("2023-06-20", 3.55),
    ("2023-08-21", 3.45),
    ("2024-07-22", 3.35),
    ("2024-10-21", 3.10),
    ("2025-05-20", 3.00),
)


def lpr_param(day: str, default: float | None = None) -> _Param:
    """The row ``interest.lpr.<date>``: the 1-year LPR in force from that date."""
    benchmark = day < "2019-08-20"
    return _Param(
        f"interest.lpr.{day}",
        ("interest", "lpr", day),
        "pct",
        default,
        f"{day}起一年期贷款基准利率（2019-08-20前违约适用）"
        if benchmark
        else f"{day}起一年期贷款市场报价利率LPR（每月20日公布，新报价请加一行）",
        f"1-year benchmark lending rate from {day} (breaches before 2019-08-20)"
        if benchmark
        else f"1-year loan prime rate from {day} (published on the 20th: add a row per change)",
    )


def _claims_params(lpr_dates: Iterable[str] | None = None) -> list[_Param]:
    """Late-interest and limitation rows; ``lpr_dates``: the LPR table's dates (the default
    table when ``None``)."""
    defaults = dict(LPR_1Y)
    days = sorted(defaults) if lpr_dates is None else sorted(lpr_dates)
    rows = [lpr_param(day, defaults.get(day)) for day in days]
    rows += [
        _Param(
            "interest.lpr_markup",
            ("interest", "markup"),
            "pct",
            50,
            "未约定违约金时按违约时一年期LPR上浮此比例计逾期利息（法院区间30%–50%；"
            "最高法买卖合同司法解释第十八条，2020年修正）",
            "no agreed rate: late interest at the 1-year LPR at the time of breach plus this "
            "(the court's range is 30-50 %; SPC sales-contract interpretation art. 18, 2020)",
            maximum=50,
        ),
        _Param(
            "company.sme",
            ("interest", "company_sme"),
            "bool",
            "no",
            "本公司是否为中小企业（是：对大型企业、机关事业单位客户按日利率计逾期利息；"
            "签约时须已告知买方）",
            "is our company an SME (yes: a large-enterprise or public-body buyer pays the "
            "SME daily rate; the buyer must have been told at signing)",
        ),
        _Param(
            "interest.sme_daily",
            ("interest", "sme_daily"),
            "pct",
            0.05,
            "大型企业、机关事业单位拖欠中小企业款项的日利率（《保障中小企业款项支付条例》"
            "2025年修订，请核对现行文本）",
            "daily rate when a large enterprise or public body owes an SME (SME payment "
            "regulation, revised 2025; check the current text)",
        ),
        _Param(
            "interest.default_basis",
            ("interest", "default_basis"),
            "basis",
            "lpr_markup",
            "合同未约定利率时采用的计息依据（选“不计逾期利息”则不计；中小企业规则按客户规模自动适用）",
            "late-interest basis when the contract agrees none ('none' claims nothing; the "
            "SME rule applies by customer size)",
        ),
        _Param(
            "interest.day_count",
            ("interest", "day_count"),
            "days",
            365,
            "逾期利息=欠款×年利率/计息天数×逾期天数",
            "interest = outstanding × annual rate / this × days overdue",
            minimum=1,
            integer=True,
        ),
        _Param(
            "limitation.years",
            ("limitation_years",),
            "years",
            3,
            "诉讼时效年数（民法典第一百八十八条）；送达的催告、对账确认、部分付款、承诺或起诉"
            "使涉及发票的时效重新计算（第一百九十五条）",
            "limitation period (Civil Code art. 188); a delivered demand, a signed "
            "reconciliation, a part payment, a promise or a suit restarts it for the invoices "
            "it names (art. 195)",
            minimum=1,
            integer=True,
        ),
        _Param(
            "limitation.international_years",
            ("limitation_international_years",),
            "years",
            4,
            "国际货物买卖合同的诉讼时效年数（民法典第五百九十四条：客户国家/地区非CN；"
            "港澳台客户请律师确认）",
            "limitation for international sale-of-goods contracts (Civil Code art. 594: "
            "customer country not CN; Hong Kong, Macao, Taiwan for counsel to confirm)",
            minimum=1,
            integer=True,
        ),
        _Param(
            "limitation.notice_days",
            ("limitation_notice_days",),
            "days",
            180,
            "发票诉讼时效届满前此天数内预警",
            "warn this many days before an invoice's limitation period expires",
            integer=True,
        ),
    ]
    return rows
