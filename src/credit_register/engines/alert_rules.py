"""What an alert says: the indicators, the recommended actions and the shape of one finding.

Every family of indicators (``exposure_alerts``, ``customer_alerts``) and the credit hold's own
alert (``engines.credit_hold``) write their findings through the builders here, so each finding
has the same columns (``FINDING_COLUMNS``, with ``FIGURE_COLUMNS`` for a measured one), its
threshold worded by the Policy's comparison, its value formatted by ``FIGURE_FORMATS`` and its
recommended action from one table (``_ACTIONS_FOR``, or the collections ladder's
``LADDER_ACTIONS``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core.register import Register
from credit_register.core.schema import SEVERITY, Code, Language
from credit_register.core.text import pick
from credit_register.policy.model import Policy, SeverityKey

ACTIONS: dict[str, Code] = {
    c.key: c
    for c in (
        Code("remind", "发送提醒函", "send a reminder"),
        Code("call", "电话催收", "call the customer"),
        Code("credit_hold", "暂停发货（信用冻结）", "stop shipments (credit hold)"),
        Code("demand", "发送催款函（列明逾期利息）", "send the demand letter with late interest"),
        Code("stop_supply", "发送最后通知（律师函）", "send the final demand (lawyer's letter)"),
        Code("cut_limit", "下调额度", "cut the limit"),
        Code("security", "要求提供担保", "ask for security"),
        Code("notify_insurer", "通知保险公司", "notify the insurer"),
        Code("claim", "向保险公司索赔", "file the insurance claim"),
        Code("collection", "移交催收", "hand to collection"),
        Code("legal", "启动法律程序", "start legal action"),
        Code("review", "复核信用与额度", "review the customer's credit and limit"),
        Code("renew_limit", "重新核定额度", "renew the limit"),
        Code("approve_limit", "核定额度", "approve a limit"),
        Code("shorten_terms", "缩短账期", "shorten the terms"),
        Code("request_statements", "索取最新财务报表", "ask for the latest financial statements"),
        Code("bureau_report", "更新征信报告", "order a new bureau report"),
        Code("site_visit", "安排实地考察", "arrange a site visit"),
        Code(
            "demand_delivered",
            "寄送催款函并留存送达回执，或取得对账确认",
            "send a demand and keep proof of delivery, or get a signed reconciliation",
        ),
    )
}

INDICATORS: dict[str, Code] = {
    c.key: c
    for c in (
        Code("utilization", "额度使用率", "utilization"),
        Code("max_days_overdue", "最长逾期天数", "max days overdue"),
        Code("overdue_amount", "逾期金额", "overdue amount"),
        Code("overdue_share", "逾期占比", "overdue share"),
        Code("grade_down", "信用等级下调", "grade down"),
        Code("bureau_score_drop", "征信评分下降", "bureau score drop"),
        Code("enforcement", "失信被执行人", "enforcement (失信被执行人)"),
        Code("lawsuit", "新增涉诉", "new lawsuit"),
        Code("abnormal_operation", "经营异常", "abnormal operation (经营异常)"),
        Code("stale_statement", "财务报表过期", "stale financial statement"),
        Code("stale_bureau", "征信报告过期", "stale bureau report"),
        Code("limit_expired", "额度已过期", "limit expired"),
        Code("review_overdue", "已过评审日", "review overdue"),
        Code("site_visit_missing", "未按期实地考察", "site visit missing"),
        Code("broken_promise", "未兑现付款承诺", "broken promise to pay"),
        Code("insurance_deadline", "信用保险截止日", "insurance deadline"),
        Code("no_limit", "无核定额度的敞口", "exposure without an approved limit"),
        Code("terms_above_grade", "账期超过等级上限", "terms longer than the grade allows"),
        Code("insurer_terms", "账期超过保险最长账期", "terms longer than the insurer allows"),
        Code("group_limit", "集团额度使用率", "group limit used"),
        Code("limitation_expiring", "诉讼时效将届满", "limitation expiring"),
        Code("thin_file", "薄档案（无有效报表）", "thin file (no recent statement)"),
        Code("credit_hold", "信用冻结", "credit hold"),
    )
}

#: what to do, per indicator and severity (``*`` = any severity). Stopping shipments is not
#: among them: it is the credit hold's own alert (``engines.credit_hold``), raised for exactly
#: the customers an order check holds, so no alert can say "stop" while an order is released.
_ACTIONS_FOR: dict[tuple[str, str], tuple[str, ...]] = {
    ("utilization", "warning"): ("review", "security"),
    ("utilization", "block"): ("security", "cut_limit"),
    ("overdue_amount", "*"): ("call",),
    ("overdue_share", "*"): ("call",),
    ("grade_down", "*"): ("cut_limit", "security"),
    ("bureau_score_drop", "*"): ("review", "security"),
    ("enforcement", "*"): ("legal", "review"),
    ("lawsuit", "*"): ("review", "security"),
    ("abnormal_operation", "*"): ("review",),
    ("stale_statement", "*"): ("request_statements",),
    ("stale_bureau", "*"): ("bureau_report",),
    ("limit_expired", "*"): ("renew_limit",),
    ("review_overdue", "*"): ("review",),
    ("site_visit_missing", "*"): ("site_visit",),
    ("broken_promise", "*"): ("call",),
    ("no_limit", "*"): ("approve_limit",),
    ("terms_above_grade", "*"): ("shorten_terms", "security"),
    ("insurer_terms", "*"): ("shorten_terms", "notify_insurer"),
    ("group_limit", "warning"): ("review",),
    ("group_limit", "block"): ("cut_limit", "security"),
    ("limitation_expiring", "*"): ("demand_delivered",),
    ("thin_file", "*"): ("request_statements",),
    ("credit_hold", "*"): ("credit_hold",),
}

#: overdue alerts follow the collections ladder (§5): the customer's highest step → actions
#: (the insurer is notified only for an insured customer)
LADDER_ACTIONS: tuple[tuple[str, ...], ...] = (
    ("remind",),
    ("remind", "call"),
    ("demand", "call"),
    ("stop_supply",),
    ("collection", "notify_insurer"),
    ("legal",),
)
SEVERITY_RANK = {c.key: n for n, c in enumerate(SEVERITY)}
_OPS = {">": ">", ">=": "≥", "<=": "≤"}
_SEVERITY_KEYS = pd.Index(list(SEVERITY_RANK))


def severity_rank(severity: pd.Series) -> npt.NDArray[np.float64]:
    """Each severity key's rank (``SEVERITY_RANK``), NaN for a blank or unknown one."""
    found = _SEVERITY_KEYS.get_indexer(pd.Index(severity.to_numpy(dtype=object)))
    return np.where(found >= 0, found, np.nan)


#: a measured finding's value and threshold as numbers (beside the text columns; events have none)
FIGURE_COLUMNS = ("value_number", "threshold_number")

FINDING_COLUMNS = (
    "customer_id",
    "indicator",
    "subject",
    "severity",
    "value",
    "threshold",
    "recommended_action",
)


def actions_text(keys: Sequence[str], lang: Language) -> str:
    return pick(lang, "；", "; ").join(ACTIONS[k].label(lang) for k in keys)


def action_for(indicator: str, severity: str, lang: Language) -> str:
    keys = _ACTIONS_FOR.get((indicator, severity)) or _ACTIONS_FOR.get((indicator, "*"), ())
    return actions_text(keys, lang)


# --------------------------------------------------------------------------- formatting


def days_text(values: pd.Series) -> pd.Series:
    return values.round().astype("Int64").astype("str")


def pct_text(values: pd.Series) -> pd.Series:
    # thousands of utilization values: a bound format, no per-value lambda
    shown = (values * 100).map("{:.1f}%".format)
    return shown.mask(np.isinf(values.to_numpy(dtype=float)), "∞").astype("str")


def amount_text(values: pd.Series) -> pd.Series:
    return values.map("{:,.2f}".format).astype("str")


def date_text(values: pd.Series) -> pd.Series:
    shown: pd.Series = pd.to_datetime(values).dt.strftime("%Y-%m-%d").fillna("—").astype("str")
    return shown


#: how a measured indicator's figures read: a share (``pct``) or money (``amount``); the rest
#: count days. The text here and the Alerts sheet's number formats both follow it.
FIGURE_FORMATS: dict[str, str] = {
    "utilization": "pct",
    "overdue_share": "pct",
    "bureau_score_drop": "pct",
    "overdue_amount": "amount",
}
_FORMATS: dict[str, Callable[[pd.Series], pd.Series]] = {
    key: pct_text if kind == "pct" else amount_text for key, kind in FIGURE_FORMATS.items()
}


def finding_rows(
    customer_id: pd.Series,
    indicator: str,
    severity: pd.Series | str,
    value: pd.Series,
    threshold: pd.Series | str,
    action: pd.Series | str,
    subject: pd.Series | str = "",
) -> pd.DataFrame:
    """Rows of findings (one per breach) in the common shape."""
    index = customer_id.index
    frame = pd.DataFrame(
        {
            "customer_id": customer_id.astype("str"),
            "indicator": indicator,
            "subject": subject
            if isinstance(subject, pd.Series)
            else pd.Series(subject, index=index),
            "severity": severity,
            "value": value.astype("str"),
            "threshold": threshold,
            "recommended_action": action,
        },
        index=index,
    )
    return frame.astype("str")


def measured_findings(
    policy: Policy,
    key: str,
    customer_id: pd.Series,
    values: pd.Series,
    lang: Language,
    action: pd.Series | None = None,
) -> pd.DataFrame:
    """Findings of a measured indicator: every value breaching one of its thresholds."""
    indicator = policy.indicators[key]
    severity = indicator.severity(values)
    hit = severity.notna().to_numpy()
    if not hit.any():
        return pd.DataFrame(columns=list(FINDING_COLUMNS))
    values, severity, customer_id = values[hit], severity[hit], customer_id[hit]
    show = _FORMATS.get(key, days_text)
    shown = {
        level: f"{_OPS[t.op]} {show(pd.Series([t.value])).iloc[0]}"
        for level, t in indicator.levels.items()
    }
    threshold = severity.map(shown)
    if action is None:
        action = severity.map({s: action_for(key, s, lang) for s in SEVERITY_RANK})
    else:
        action = action[hit]
    found = finding_rows(customer_id, key, severity, show(values), threshold, action)
    # the same figures as numbers, for the Alerts sheet (a number a user can sort and filter;
    # the text above is for documents and History)
    limits = {level: float(t.value) for level, t in indicator.levels.items()}
    found[FIGURE_COLUMNS[0]] = values.to_numpy(dtype=float)
    found[FIGURE_COLUMNS[1]] = severity.map(limits).to_numpy(dtype=float)
    return found


def event_findings(
    policy: Policy,
    key: str,
    customer_id: pd.Series,
    value: pd.Series,
    threshold: pd.Series | str,
    lang: Language,
    subject: pd.Series | str = "",
    severity: SeverityKey | None = None,
) -> pd.DataFrame:
    """Rows of an event indicator's findings, at the Policy's severity for it unless given."""
    severity = policy.event_severity[key] if severity is None else severity
    return finding_rows(
        customer_id, key, severity, value, threshold, action_for(key, severity, lang), subject
    )


def insured_customers(register: Register) -> pd.Series:
    """The customers with credit insurance (an insured limit or an insurer named)."""
    customers = register.frame("customers").drop_duplicates("customer_id")
    insured = (customers["insured_limit"].fillna(0) > 0) | customers["insurer"].notna()
    return customers.loc[insured, "customer_id"]
