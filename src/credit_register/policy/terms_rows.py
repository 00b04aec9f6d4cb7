"""The rows that run an account (policy §2–7): limits, terms and security by grade, ageing and
staleness, early-warning thresholds and event severities, credit insurance, the collections
ladder, late interest, reviews — with their defaults.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from credit_register.core.schema import GRADES, SEVERITY
from credit_register.policy.model import Comparison, SeverityKey
from credit_register.policy.param import Kind, Path, _Param

_PCT_TNW = (20, 15, 12, 10, 7, 5, 0)
_PCT_WC = (20, 15, 12, 10, 7, 5, 0)
_PCT_REV = (10, 8, 6, 5, 3, 2, 0)
_OWN_APPETITE = (500_000, 300_000, 200_000, 100_000, 50_000, 0, 0)
_TERMS_DAYS = (90, 60, 45, 30, 30, 15, 0)
_PREPAYMENT = (0, 0, 0, 0, 0, 30, 100)
_SECURITY = (
    "none",
    "none",
    "none",
    "none",
    "guarantee_or_deposit",
    "guarantee_and_title",
    "cash_in_advance",
)
_REVIEW_MONTHS = (12, 12, 12, 6, 6, 3, 3)


@dataclass(frozen=True)
class _IndicatorDef:
    key: str
    zh: str
    en: str
    kind: Kind
    levels: tuple[tuple[SeverityKey, Comparison, float], ...]


_INDICATORS: tuple[_IndicatorDef, ...] = (
    _IndicatorDef(
        "utilization",
        "额度使用率（敞口/核定额度）",
        "utilization (exposure / approved limit)",
        "pct",
        (("warning", ">=", 90), ("block", ">", 100)),
    ),
    _IndicatorDef(
        "max_days_overdue",
        "最长逾期天数",
        "max days overdue",
        "days",
        (("warning", ">", 30), ("block", ">", 90)),
    ),
    _IndicatorDef(
        "overdue_amount",
        "逾期金额（本位币）",
        "overdue amount (base currency)",
        "amount",
        (("warning", ">", 500_000),),
    ),
    _IndicatorDef(
        "overdue_share", "逾期金额占比", "overdue share of balance", "pct", (("warning", ">", 20),)
    ),
    _IndicatorDef(
        "grade_down", "信用等级下调级数", "grade down (notches)", "notches", (("warning", ">=", 2),)
    ),
    _IndicatorDef(
        "bureau_score_drop",
        "征信评分较上次下降幅度",
        "bureau score drop since last report",
        "pct",
        (("warning", ">=", 15),),
    ),
    _IndicatorDef(
        "insurance_deadline",
        "距信用保险通知/索赔截止日天数",
        "days left to the insurance notification or claim deadline",
        "days",
        (("warning", "<=", 15),),
    ),
)
_EVENTS: tuple[tuple[str, str, str, SeverityKey], ...] = (
    ("enforcement", "新增失信被执行人", "new enforcement (失信被执行人)", "block"),
    ("lawsuit", "新增涉诉案件", "new lawsuit", "warning"),
    ("abnormal_operation", "新增经营异常", "new abnormal operation (经营异常)", "warning"),
    (
        "stale_statement",
        "财务报表过期（见 stale.statement_months）",
        "financial statement older than stale.statement_months",
        "warning",
    ),
    (
        "stale_bureau",
        "征信报告过期（见 stale.bureau_months）",
        "bureau report older than stale.bureau_months",
        "warning",
    ),
    ("limit_expired", "额度已过有效期", "limit expired", "warning"),
    ("review_overdue", "已过评审日期", "review date passed", "warning"),
    (
        "site_visit_missing",
        "重点客户未按期实地考察",
        "key account without a recent site visit",
        "warning",
    ),
    ("broken_promise", "未兑现付款承诺", "broken promise to pay", "warning"),
    ("no_limit", "有敞口但未核定额度", "exposure without an approved limit", "block"),
    (
        "terms_above_grade",
        "客户账期超过信用等级允许的最长账期",
        "customer terms longer than the grade's maximum",
        "warning",
    ),
    (
        "insurer_terms",
        "客户账期超过保险公司最长信用期",
        "customer terms longer than the insurer's maximum credit period",
        "warning",
    ),
    (
        "insurance_missed",
        "信用保险逾期通知截止日已过（可能丧失保障）",
        "insurer notification deadline missed (cover may be lost)",
        "block",
    ),
    (
        "limitation_expiring",
        "发票诉讼时效将届满（见 limitation.notice_days）",
        "an invoice's limitation expires within limitation.notice_days",
        "warning",
    ),
    (
        "thin_file",
        "无有效期内财务报表（薄档案，等级受限）",
        "thin file: no statement within the staleness limit (grade capped)",
        "warning",
    ),
)
_LADDER: tuple[tuple[int, str, str], ...] = (
    (-7, "到期提醒", "reminder before due"),
    (7, "逾期提醒函", "first overdue notice"),
    (30, "催款函（列明逾期利息）并暂停赊销", "demand letter with late interest, credit hold"),
    (60, "最后通知/律师函，停止供货", "final demand / lawyer's letter, stop supply"),
    (90, "移交催收，通知保险公司", "hand to collection, notify the insurer"),
    (120, "诉讼或仲裁", "litigation or arbitration"),
)
_AGEING_EDGES = (30, 60, 90, 180, 365)


def _grade_rows(
    prefix: str,
    path: Path,
    kind: Kind,
    values: Iterable[object],
    zh: str,
    en: str,
    grades: tuple[str, ...] = GRADES,
    **kw: Any,
) -> list[_Param]:
    return [
        _Param(f"{prefix}.{g}", (*path, g), kind, v, f"{zh}：{g}级", f"{en}: grade {g}", **kw)
        for g, v in zip(grades, values, strict=True)
    ]


def _terms_params() -> list[_Param]:
    """The rows from limits to reviews, in reading order."""
    rows: list[_Param] = _grade_rows(
        "limit.pct_tnw",
        ("limits", "pct_tnw"),
        "pct",
        _PCT_TNW,
        "额度上限占有形净资产（所有者权益-无形资产）比例",
        "limit cap as share of tangible net worth (equity - intangibles)",
        maximum=100,
    )
    rows += _grade_rows(
        "limit.pct_wc",
        ("limits", "pct_wc"),
        "pct",
        _PCT_WC,
        "额度上限占营运资金比例",
        "limit cap as share of working capital",
        maximum=100,
    )
    rows += _grade_rows(
        "limit.pct_rev",
        ("limits", "pct_rev"),
        "pct",
        _PCT_REV,
        "额度上限占年营业收入比例",
        "limit cap as share of annual revenue",
        maximum=100,
    )
    rows += _grade_rows(
        "limit.own_appetite",
        ("limits", "own_appetite"),
        "amount",
        _OWN_APPETITE,
        "投保客户可在保险限额之上自担的金额（本位币）",
        "own risk above the insured limit for an insured customer (base currency)",
    )
    rows += [
        _Param(
            "limit.step",
            ("limits", "step"),
            "amount",
            10_000,
            "建议额度向下取整的步长",
            "proposed limits are rounded down to this step",
            minimum=0.01,
        ),
        _Param(
            "limit.grace_days",
            ("limits", "grace_days"),
            "days",
            15,
            "需求额度=月销售额×(账期+宽限天数)/30 中的宽限天数",
            "grace days in need = monthly sales × (terms + grace) / 30",
            integer=True,
        ),
        _Param(
            "limit.max_step_up",
            ("limits", "max_step_up"),
            "pct",
            50,
            "每次评审建议额度最多比核定额度提高的比例",
            "most a proposal may exceed the approved limit per review",
        ),
        _Param(
            "rating.thin_file_max_grade",
            ("thin_file_max_grade",),
            "grade",
            "BBB",
            "无有效期内财务报表（薄档案）的客户最高评级，并预警索取报表",
            "a thin file (no statement within the staleness limit) rates no better than this",
        ),
        _Param(
            "limit.bureau_cap",
            ("limits", "bureau_cap"),
            "bool",
            "yes",
            "征信机构建议额度作为额外上限",
            "a bureau's recommended limit is a further cap",
        ),
    ]
    rows += [
        _Param(
            f"terms.days.{g}",
            ("terms", g, "days"),
            "days",
            v,
            f"建议账期（天）：{g}级（C级为0，款到发货）",
            f"recommended terms (days): grade {g} (C is 0, cash in advance)",
            integer=True,
        )
        for g, v in zip(GRADES, _TERMS_DAYS, strict=True)
    ]
    rows += [
        _Param(
            f"terms.prepayment.{g}",
            ("terms", g, "prepayment"),
            "pct",
            v,
            f"预付款比例：{g}级（余款按账期）",
            f"prepayment share: grade {g} (balance on terms)",
            maximum=100,
        )
        for g, v in zip(GRADES, _PREPAYMENT, strict=True)
    ]
    rows += [
        _Param(
            f"terms.security.{g}",
            ("terms", g, "security"),
            "security",
            v,
            f"担保要求：{g}级",
            f"security required: grade {g}",
        )
        for g, v in zip(GRADES, _SECURITY, strict=True)
    ]
    rows += [
        _Param(
            f"ageing.edge.{n}",
            ("ageing", "edges", n - 1),
            "days",
            v,
            f"账龄分段：逾期第{n}段上限天数（须递增）",
            f"ageing: upper days past due of overdue bucket {n} (increasing)",
            minimum=1,
            integer=True,
            group="ageing",
        )
        for n, v in enumerate(_AGEING_EDGES, start=1)
    ]
    rows += [
        _Param(
            "dso.window_days",
            ("ageing", "dso_window_days"),
            "days",
            90,
            "DSO=应收余额/近N天收入×N 中的N",
            "DSO = receivables / revenue of the last N days × N",
            minimum=1,
            integer=True,
        ),
        _Param(
            "stale.statement_months",
            ("staleness", "statement_months"),
            "months",
            18,
            "最新财务报表超过此月数视为过期（警告并预警）",
            "latest statement older than this is stale (warning and alert)",
            integer=True,
        ),
        _Param(
            "stale.bureau_months",
            ("staleness", "bureau_months"),
            "months",
            12,
            "最新征信报告超过此月数视为过期",
            "latest bureau report older than this is stale",
            integer=True,
        ),
    ]
    for ind in _INDICATORS:
        for level, op, value in ind.levels:
            label = next(c for c in SEVERITY if c.key == level)
            rows.append(
                _Param(
                    f"warn.{ind.key}.{level}",
                    ("indicators", ind.key, "levels", level, "value"),
                    ind.kind,
                    value,
                    f"预警指标“{ind.zh}”{op}此值时级别为{label.zh}",
                    f"indicator {ind.en}: {label.en} when {op} this value",
                    None if ind.key == "insurance_deadline" else 0,
                    integer=ind.kind == "days",
                    group=f"indicator:{ind.key}",
                )
            )
    rows += [
        _Param(
            f"warn.{key}.severity",
            ("event_severity", key),
            "severity",
            sev,
            f"预警事件“{zh}”的级别（提示/预警/禁止）",
            f"severity of the event: {en} (info/warning/block)",
        )
        for key, zh, en, sev in _EVENTS
    ]
    rows += [
        _Param(
            "insurance.notify_days",
            ("insurance", "notify_days"),
            "days",
            60,
            "信用保险：逾期通知截止（到期后天数，以保单为准）",
            "credit insurance: notify overdue by this many days past due (check the policy)",
            integer=True,
        ),
        _Param(
            "insurance.claim_days",
            ("insurance", "claim_days"),
            "days",
            180,
            "信用保险：索赔截止（到期后天数，以保单为准）",
            "credit insurance: claim by this many days past due (check the policy)",
            integer=True,
        ),
    ]
    rows += [
        _Param(
            f"ladder.step.{n}.days",
            ("ladder_days", n),
            "days",
            days,
            f"催收第{n}步：到期后第几天（负数为到期前）—{zh}",
            f"collections step {n}: days after due (negative = before) - {en}",
            None,
            integer=True,
            group="ladder",
        )
        for n, (days, zh, en) in enumerate(_LADDER)
    ]
    rows += [
        _Param(
            "contract.penalty_excess_max",
            ("penalty_excess_max",),
            "pct",
            30,
            "约定违约金超过预估损失此比例时在合同草稿中提示（民法典第585条）",
            "warn in a contract draft when the penalty exceeds the estimated loss by more "
            "than this (Civil Code art. 585)",
        ),
        _Param(
            "bill.default_maturity_days",
            ("bill_default_maturity_days",),
            "days",
            180,
            "承兑汇票未填到期日时按收票日加此天数计入敞口",
            "a bill without a maturity counts as exposure this many days after receipt",
            minimum=1,
            integer=True,
        ),
    ]
    rows += _grade_rows(
        "review.months",
        ("reviews", "months"),
        "months",
        _REVIEW_MONTHS,
        "评审周期（月；否决项或下调两级以上时立即评审）",
        "review every N months (at once after a knock-out or two-notch downgrade)",
        minimum=1,
        integer=True,
    )
    rows += [
        _Param(
            "review.site_visit_months",
            ("reviews", "site_visit_months"),
            "months",
            12,
            "重点客户实地考察周期（月）",
            "key accounts need a site visit every N months",
            minimum=1,
            integer=True,
        ),
        _Param(
            "review.distribution",
            ("reviews", "distribution"),
            "emails",
            "none",
            "月度评审包收件人邮箱，多个用分号分隔；无收件人填“无”",
            "monthly review pack recipients, separated by ';'; 'none' for nobody",
        ),
    ]
    return rows
