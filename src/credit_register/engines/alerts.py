"""Early warnings: every signal of policy §4 and the insurance deadlines of §7, as Alerts rows.

A credit manager works the Alerts sheet like a to-do list: each row is one finding about one
customer (or one invoice), with its severity (提示/预警/禁止), the threshold it broke and what to do
about it. The user's status, owner and comment are the manager's own notes and must survive every
run, so an alert keeps the same ``alert_id`` from run to run — ``customer-indicator[-subject]``,
e.g. ``C00004-max_days_overdue`` or ``C00015-insurance_deadline-FP2605001-notify`` — and every
status change the engine makes goes to History.

Status rules (decided here; the spec asks for them to be documented):

- A new finding is raised ``open`` (待处理) on the as-of date, with a History row.
- ``open`` and ``in_progress`` alerts keep the user's status while the finding lasts; when it is
  gone they become ``resolved`` (已解除) — kept on the sheet, never deleted — with a History row.
- A ``closed`` (已关闭) alert stays closed, whatever its value does, unless its **severity rises**
  above the highest severity it had while closed (预警 → 禁止): then it reopens (``open``) with a
  History row. Values that merely grow (days overdue rise every day) do not reopen it, otherwise a
  closed overdue alert would come back on every run. A closed alert whose finding is gone stays
  closed (the manager dealt with it).
- A ``resolved`` alert whose finding comes back reopens, raised again on the as-of date.
- A blank or unreadable status on the sheet counts as ``open``.

Indicators (thresholds and severities from the Policy sheet; see ``policy.indicators`` and
``policy.event_severity``): utilization (exposure / approved limit; the Customers sheet's limit,
else the Ratings sheet's; a zero limit with exposure is infinite use), max days overdue, overdue
amount, overdue share, grade down (Ratings: previous grade → grade), bureau score drop (latest two
reports of the customer, score / score max), enforcement, new lawsuits (more than the report
before), abnormal operation (all three from the latest bureau report), stale statement, stale
bureau report, expired limit, review date passed (Ratings' ``next_review``), key account without a
site visit, broken promise to pay (a promise in the last 12 months whose date has passed and whose
amount was not paid between the promise and its date — any payment counts when no amount was
promised — and that has not been made good since), exposure without an approved limit (禁止),
agreed terms longer than the grade's maximum (§3) or the insurer's maximum credit period (§7),
the group's use of its group limit (on each member; the utilization thresholds), and the
insurance notification and claim deadlines per owed invoice of an insured customer (insured limit
or insurer set); a missed notification deadline is 禁止 (the cover may be lost) and stays on the
sheet with a negative count of days. "Notify the insurer" is recommended to insured customers
only. Customers whose status is 关闭 closed raise only the receivables alerts (they still owe
money), not the housekeeping ones (stale files, reviews). Bureau reports dated after the as-of
date are not read (as for the rating).

No indicator here recommends stopping shipments: that is the credit hold's own alert
(``engines.credit_hold``), one per held customer with every reason, so the Alerts never say
"stop" for a customer whose order the order check would release.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.port import CellValue
from credit_register.core.register import Register
from credit_register.core.schema import ALERT_STATUS, ALERTS, GRADES, SEVERITY, Code, Language
from credit_register.core.text import pick as _text
from credit_register.engines.behaviour import promise_outcomes
from credit_register.engines.groups import group_exposure
from credit_register.engines.receivables import ageing, customer_limits
from credit_register.policy.model import Policy, SeverityKey

#: who the History rows name for changes the engine made itself
ENGINE_USER = "credit-register"
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
_LADDER_ACTIONS: tuple[tuple[str, ...], ...] = (
    ("remind",),
    ("remind", "call"),
    ("demand", "call"),
    ("stop_supply",),
    ("collection", "notify_insurer"),
    ("legal",),
)
_RANK = {c.key: n for n, c in enumerate(SEVERITY)}
_OPS = {">": ">", ">=": "≥", "<=": "≤"}
_ACTIVE = ("open", "in_progress")
_SEVERITY_KEYS = pd.Index(list(_RANK))


def _rank(severity: pd.Series) -> npt.NDArray[np.float64]:
    """Each severity key's rank (``_RANK``), NaN for a blank or unknown one."""
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


def _actions(keys: Sequence[str], lang: Language) -> str:
    return ("；" if lang == "zh" else "; ").join(ACTIONS[k].label(lang) for k in keys)


def _action_for(indicator: str, severity: str, lang: Language) -> str:
    keys = _ACTIONS_FOR.get((indicator, severity)) or _ACTIONS_FOR.get((indicator, "*"), ())
    return _actions(keys, lang)


# --------------------------------------------------------------------------- formatting


def _days_text(values: pd.Series) -> pd.Series:
    return values.round().astype("Int64").astype("str")


def _pct_text(values: pd.Series) -> pd.Series:
    # thousands of utilization values: a bound format, no per-value lambda
    shown = (values * 100).map("{:.1f}%".format)
    return shown.mask(np.isinf(values.to_numpy(dtype=float)), "∞").astype("str")


def _amount_text(values: pd.Series) -> pd.Series:
    return values.map("{:,.2f}".format).astype("str")


def _date_text(values: pd.Series) -> pd.Series:
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
    key: _pct_text if kind == "pct" else _amount_text for key, kind in FIGURE_FORMATS.items()
}


def _findings(
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


def _measured(
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
    show = _FORMATS.get(key, _days_text)
    shown = {
        level: f"{_OPS[t.op]} {show(pd.Series([t.value])).iloc[0]}"
        for level, t in indicator.levels.items()
    }
    threshold = severity.map(shown)
    if action is None:
        action = severity.map({s: _action_for(key, s, lang) for s in _RANK})
    else:
        action = action[hit]
    found = _findings(customer_id, key, severity, show(values), threshold, action)
    # the same figures as numbers, for the Alerts sheet (a number a user can sort and filter;
    # the text above is for documents and History)
    limits = {level: float(t.value) for level, t in indicator.levels.items()}
    found[FIGURE_COLUMNS[0]] = values.to_numpy(dtype=float)
    found[FIGURE_COLUMNS[1]] = severity.map(limits).to_numpy(dtype=float)
    return found


def _event(
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
    return _findings(
        customer_id, key, severity, value, threshold, _action_for(key, severity, lang), subject
    )


#: the shape of an event's findings, for the engines that raise their own (the credit hold)
event_findings = _event


def insured_customers(register: Register) -> pd.Series:
    """The customers with credit insurance (an insured limit or an insurer named)."""
    customers = register.frame("customers").drop_duplicates("customer_id")
    insured = (customers["insured_limit"].fillna(0) > 0) | customers["insurer"].notna()
    return customers.loc[insured, "customer_id"]


# --------------------------------------------------------------------------- the indicators


def _receivables_findings(
    register: Register,
    policy: Policy,
    as_of: dt.date,
    items: pd.DataFrame,
    exposure: pd.DataFrame,
    limits: pd.Series,
    aged: pd.DataFrame | None,
) -> list[pd.DataFrame]:
    lang = register.lang
    if aged is None:
        aged = ageing(register, policy, as_of, items)
    ladder_action = np.array([_actions(keys, lang) for keys in _LADDER_ACTIONS], dtype=object)
    uninsured_action = np.array(
        [_actions([k for k in keys if k != "notify_insurer"], lang) for keys in _LADDER_ACTIONS],
        dtype=object,
    )
    level = aged["dunning_level"].fillna(0).clip(0, len(_LADDER_ACTIONS) - 1).astype(int)
    insured = aged["customer_id"].isin(insured_customers(register)).to_numpy()
    action = np.where(insured, ladder_action[level.to_numpy()], uninsured_action[level.to_numpy()])
    found = [
        _measured(
            policy,
            "max_days_overdue",
            aged["customer_id"],
            aged["max_days_overdue"].astype(float),
            lang,
            pd.Series(action, index=aged.index),
        ),
        _measured(policy, "overdue_amount", aged["customer_id"], aged["overdue"], lang),
        _measured(policy, "overdue_share", aged["customer_id"], aged["overdue_pct"], lang),
    ]
    limit = limits.reindex(exposure.index)
    used = exposure["exposure_base"]
    with np.errstate(divide="ignore", invalid="ignore"):
        utilization = pd.Series(
            np.where(limit > 0, used / limit, np.where(used > 0, np.inf, 0.0)), index=exposure.index
        )
    utilization = utilization.where(limit.notna())
    ids = pd.Series(exposure.index.to_numpy(), index=exposure.index)
    found.append(_measured(policy, "utilization", ids, utilization, lang))
    unlimited = limit.isna() & (used > CENT)
    found.append(
        _event(
            policy,
            "no_limit",
            ids[unlimited],
            _amount_text(used[unlimited]),
            _text(lang, "无核定额度", "no approved limit"),
            lang,
        )
    )
    found.append(_group_findings(register, policy, exposure, lang))
    return found


def _group_findings(
    register: Register, policy: Policy, exposure: pd.DataFrame, lang: Language
) -> pd.DataFrame:
    """Each member of a group whose exposure uses 90 % or more of its group limit (the
    utilization indicator's thresholds), the group named in the subject."""
    groups = group_exposure(register, policy, exposure["exposure_base"])
    ids = pd.Series(groups.index.to_numpy(), index=groups.index)
    hit = _measured(policy, "utilization", ids, groups["group_utilization"], lang)
    if hit.empty:
        return hit
    at = hit.index
    hit["indicator"] = "group_limit"
    hit["subject"] = groups.loc[at, "group"].astype("str")
    hit["value"] = (
        hit["subject"]
        + " "
        + _amount_text(groups.loc[at, "group_exposure"])
        + " / "
        + _amount_text(groups.loc[at, "group_limit"])
        + " ("
        + hit["value"]
        + ")"
    )
    hit["recommended_action"] = hit["severity"].map(
        {s: _action_for("group_limit", s, lang) for s in _RANK}
    )
    # the group's exposure and limit are the value a user needs, not the bare share
    hit[list(FIGURE_COLUMNS)] = np.nan
    return hit


def _rating_findings(
    register: Register,
    policy: Policy,
    as_of: dt.date,
    ratings: pd.DataFrame | None,
    active: pd.Index,
    lang: Language,
) -> list[pd.DataFrame]:
    if ratings is None or ratings.empty:
        return []
    if "customer_id" not in ratings:
        ratings = ratings.reset_index(names="customer_id")
    ratings = ratings.dropna(subset=["customer_id"]).drop_duplicates("customer_id")
    found = []
    if {"grade", "previous_grade"} <= set(ratings.columns):
        notch = {g: n for n, g in enumerate(GRADES)}
        now = ratings["grade"].map(notch)
        before = ratings["previous_grade"].map(notch)
        down = (now - before).astype(float)
        hit = _measured(policy, "grade_down", ratings["customer_id"], down, lang)
        if len(hit):
            moved = ratings["previous_grade"].astype("str") + "→" + ratings["grade"].astype("str")
            hit["value"] = moved[hit.index].astype("str")
            hit[FIGURE_COLUMNS[0]] = np.nan  # the move (BB→B) is the value, not a number
        found.append(hit)
    if "next_review" in ratings:
        review = pd.to_datetime(ratings["next_review"], errors="coerce")
        due = ratings.loc[(review < pd.Timestamp(as_of)) & ratings["customer_id"].isin(active)]
        found.append(
            _event(
                policy,
                "review_overdue",
                due["customer_id"],
                _date_text(review[due.index]),
                "",
                lang,
            )
        )
    if "grade" in ratings:
        found.append(_terms_above_grade(register, policy, ratings, active, lang))
    return found


def _terms_above_grade(
    register: Register, policy: Policy, ratings: pd.DataFrame, active: pd.Index, lang: Language
) -> pd.DataFrame:
    """Agreed terms longer than the grade's maximum (§3: the table gives each grade's maximum;
    cash in advance allows none)."""
    longest = {g: 0 if t.prepayment >= 1 else t.days for g, t in policy.terms.items()}
    customers = register.frame("customers").drop_duplicates("customer_id")
    terms = customers.set_index("customer_id")["payment_terms_days"].astype("float64")
    rated = ratings.loc[ratings["customer_id"].isin(active)]
    agreed = terms.reindex(rated["customer_id"]).to_numpy()
    allowed = rated["grade"].map(longest).astype("float64").to_numpy()
    over = agreed > allowed  # NaN (no terms, no grade) compares False
    hit = rated.loc[over]
    days = _text(lang, "天", " days")
    return _event(
        policy,
        "terms_above_grade",
        hit["customer_id"],
        pd.Series(agreed[over], index=hit.index).astype(int).astype("str") + days,
        hit["grade"].astype("str")
        + _text(lang, "级上限 ", " maximum ")
        + pd.Series(allowed[over], index=hit.index).astype(int).astype("str")
        + days,
        lang,
    )


def _latest_two(frame: pd.DataFrame, date: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each customer's latest row and the one before it (by ``date``)."""
    ordered = frame.dropna(subset=[date]).sort_values(["customer_id", date], kind="stable")
    latest = ordered.groupby("customer_id", sort=False).tail(1).set_index("customer_id")
    rest = ordered.drop(ordered.groupby("customer_id", sort=False).tail(1).index)
    before = rest.groupby("customer_id", sort=False).tail(1).set_index("customer_id")
    return latest, before


def _bureau_findings(
    register: Register, policy: Policy, as_of: dt.date, active: pd.Index
) -> list[pd.DataFrame]:
    lang = register.lang
    bureau = register.frame("bureau")
    # a report dated after the as-of date was not known then (as for the rating)
    bureau = bureau.loc[bureau["report_date"] <= pd.Timestamp(as_of)]
    if bureau.empty:
        return []
    bureau = bureau.assign(normalised=bureau["score"] / bureau["score_max"].fillna(100.0))
    latest, before = _latest_two(bureau, "report_date")
    ids = pd.Series(latest.index.to_numpy(), index=latest.index)
    report = _date_text(latest["report_date"])
    previous = before.reindex(latest.index)
    drop = (previous["normalised"] - latest["normalised"]) / previous["normalised"]
    found = [
        _measured(policy, "bureau_score_drop", ids, drop.where(previous["normalised"] > 0), lang)
    ]
    yes = _text(lang, "是", "yes")
    enforced = latest["enforcement"].fillna(False).astype(bool)
    found.append(_event(policy, "enforcement", ids[enforced], report[enforced], yes, lang))
    abnormal = latest["abnormal_operation"].fillna(False).astype(bool)
    found.append(_event(policy, "abnormal_operation", ids[abnormal], report[abnormal], yes, lang))
    lawsuits = latest["lawsuits"].astype(float).fillna(0)
    earlier = previous["lawsuits"].astype(float).fillna(0)
    more = lawsuits > earlier
    found.append(
        _event(
            policy,
            "lawsuit",
            ids[more],
            lawsuits[more].astype(int).astype("str"),
            f"> {_text(lang, '上次', 'previous')} " + earlier[more].astype(int).astype("str"),
            lang,
        )
    )
    months = policy.staleness.bureau_months
    stale = (latest["report_date"] < pd.Timestamp(as_of) - pd.DateOffset(months=months)) & (
        latest.index.isin(active)
    )
    found.append(
        _event(
            policy,
            "stale_bureau",
            ids[stale],
            report[stale],
            _text(lang, f"{months}个月", f"{months} months"),
            lang,
        )
    )
    return found


def _customer_findings(
    register: Register, policy: Policy, as_of: dt.date, active: pd.Index
) -> list[pd.DataFrame]:
    lang = register.lang
    day = pd.Timestamp(as_of)
    customers = register.frame("customers").drop_duplicates("customer_id")
    customers = customers.loc[customers["customer_id"].isin(active)]
    found = []

    statements = register.frame("financials")
    latest = statements.groupby("customer_id")["period_end"].max()
    months = policy.staleness.statement_months
    stale = latest[latest < day - pd.DateOffset(months=months)]
    stale = stale[stale.index.isin(active)]
    found.append(
        _event(
            policy,
            "stale_statement",
            pd.Series(stale.index, index=stale.index),
            _date_text(stale),
            _text(lang, f"{months}个月", f"{months} months"),
            lang,
        )
    )

    expired = customers.loc[customers["limit_valid_until"] < day]
    found.append(
        _event(
            policy,
            "limit_expired",
            expired["customer_id"],
            _date_text(expired["limit_valid_until"]),
            _text(lang, "评估日", "as-of date"),
            lang,
        )
    )

    activities = register.frame("activities")
    visits = activities.loc[(activities["type"] == "site_visit") & (activities["date"] <= day)]
    last_visit = visits.groupby("customer_id")["date"].max()
    key = customers.loc[customers["key_account"].fillna(False).astype(bool)]
    visited = last_visit.reindex(key["customer_id"]).to_numpy()
    months = policy.reviews.site_visit_months
    missing = pd.isna(visited) | (visited < day - pd.DateOffset(months=months))
    key = key.loc[missing]
    found.append(
        _event(
            policy,
            "site_visit_missing",
            key["customer_id"],
            _date_text(pd.Series(visited[missing], index=key.index)),
            _text(lang, f"{months}个月", f"{months} months"),
            lang,
        )
    )

    # §7: the insurer's maximum credit period
    agreed = customers["payment_terms_days"].astype("float64")
    allowed = customers["insurer_max_terms_days"].astype("float64")
    longer = customers.loc[(agreed > allowed).to_numpy()]
    days = _text(lang, "天", " days")
    found.append(
        _event(
            policy,
            "insurer_terms",
            longer["customer_id"],
            agreed[longer.index].astype(int).astype("str") + days,
            _text(lang, "保险最长账期 ", "insurer's maximum ")
            + allowed[longer.index].astype(int).astype("str")
            + days,
            lang,
        )
    )
    return found


def _broken_promises(register: Register, policy: Policy, as_of: dt.date) -> pd.DataFrame:
    """Promises to pay whose date has passed without the promised money coming in (the same
    definition the scorecard's payment factor uses)."""
    lang = register.lang
    numbers = (
        register.numbers("customer_id", "activities"),
        register.numbers("customer_id", "payments"),
    )
    outcomes = promise_outcomes(
        register.frame("activities"), register.frame("payments"), as_of, numbers=numbers
    )
    # a broken promise made good since (the money came in later) is no longer a warning
    hit = outcomes.loc[outcomes["broken"].astype(bool) & ~outcomes["made_good"].astype(bool)]
    if hit.empty:
        return pd.DataFrame(columns=list(FINDING_COLUMNS))
    promised = hit["promise_amount"].astype("float64")
    shortfall = promised - hit["received"]
    value = shortfall.map(lambda v: "—" if np.isnan(v) else f"{v:,.2f}").astype("str")
    threshold = _text(lang, "承诺 ", "promised ") + _date_text(hit["promise_date"])
    return _event(
        policy,
        "broken_promise",
        hit["customer_id"],
        value,
        threshold,
        lang,
        subject=_date_text(hit["promise_date"]),
    )


def _insurance_findings(
    register: Register, policy: Policy, as_of: dt.date, items: pd.DataFrame
) -> list[pd.DataFrame]:
    lang = register.lang
    insured = insured_customers(register)
    # the owed invoices are a few of the register's: pick them before matching customers
    owed = items.loc[items["outstanding"] > 0.005, ["customer_id", "invoice_no", "due_date"]]
    owed = owed.loc[owed["customer_id"].isin(insured)]
    found = []
    day = np.datetime64(as_of, "D").astype("int64")
    for kind, days, action in (
        ("notify", policy.insurance.notify_days, "notify_insurer"),
        ("claim", policy.insurance.claim_days, "claim"),
    ):
        deadline = owed["due_date"].to_numpy(dtype="datetime64[D]") + np.timedelta64(days, "D")
        left = pd.Series((deadline.astype("int64") - day).astype(float), index=owed.index)
        hit = _measured(
            policy,
            "insurance_deadline",
            owed["customer_id"],
            left,
            lang,
            pd.Series(_actions((action,), lang), index=owed.index),
        )
        if hit.empty:
            continue
        if kind == "notify":
            # a missed notification may lose the cover (§7): a block, and a credit hold
            missed = (left[hit.index] < 0).to_numpy()
            hit.loc[missed, "severity"] = policy.event_severity["insurance_missed"]
        hit["subject"] = owed.loc[hit.index, "invoice_no"].astype("str") + f"-{kind}"
        label = _text(
            lang,
            "通知截止 " if kind == "notify" else "索赔截止 ",
            "notify by " if kind == "notify" else "claim by ",
        )
        when = pd.Series(deadline, index=owed.index)[hit.index]
        hit["threshold"] = (label + _date_text(when) + " (" + hit["threshold"] + ")").mask(
            hit["severity"] == "block", label + _date_text(when)
        )
        hit[FIGURE_COLUMNS[1]] = np.nan  # the deadline's date is the threshold a user needs
        found.append(hit)
    return found


def claims_findings(
    register: Register, policy: Policy, as_of: dt.date, items: pd.DataFrame
) -> list[pd.DataFrame]:
    """Limitation about to expire (one alert per customer: the earliest expiry among its owed
    invoices within ``limitation.notice_days``, or already passed, and how many invoices) and
    thin files (no statement at all: the grade is capped until statements arrive)."""
    lang = register.lang
    day = pd.Timestamp(as_of)
    notice = policy.limitation_notice_days
    owed = items.loc[
        (items["outstanding"].to_numpy(dtype=float, na_value=0.0) > 0.005)
        & items["limitation_expires"].notna(),
        ["customer_id", "limitation_expires"],
    ]
    soon = owed.loc[owed["limitation_expires"] <= day + pd.Timedelta(days=notice)]
    found = []
    if len(soon):
        per = soon.groupby("customer_id", sort=True)["limitation_expires"].agg(["min", "size"])
        expired = per["min"] <= day
        count = per["size"].astype(int).astype("str")
        value = (
            _date_text(per["min"])
            + pd.Series(
                np.where(
                    expired,
                    _text(lang, "（已届满，", " (expired, ") + count,
                    _text(lang, "（", " (") + count,
                ),
                index=per.index,
            )
            + _text(lang, "张发票）", " invoice(s))")
        )
        ids = pd.Series(per.index.to_numpy(), index=per.index)
        threshold = _text(lang, f"{notice}天内", f"within {notice} days")
        found.append(_event(policy, "limitation_expiring", ids, value, threshold, lang))
    customers = register.frame("customers").drop_duplicates("customer_id")
    active = customers.loc[customers["status"] != "closed", "customer_id"]
    with_statements = register.frame("financials")["customer_id"]
    thin = active[~active.isin(with_statements)]
    if len(thin):
        found.append(
            _event(
                policy,
                "thin_file",
                thin,
                pd.Series(_text(lang, "无财务报表", "no statement"), index=thin.index),
                _text(
                    lang,
                    f"等级上限{policy.thin_file_max_grade}",
                    f"grade capped at {policy.thin_file_max_grade}",
                ),
                lang,
            )
        )
    return found


def findings(
    register: Register,
    policy: Policy,
    as_of: dt.date,
    items: pd.DataFrame,
    exposure: pd.DataFrame,
    ratings: pd.DataFrame | None,
    aged: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every breach found at ``as_of``, one row per alert id (columns ``FINDING_COLUMNS`` and
    ``alert_id``), before the Alerts sheet's statuses are applied. ``aged``: this run's
    ``receivables.ageing`` frame, computed here when not given."""
    customers = register.frame("customers").drop_duplicates("customer_id")
    active = pd.Index(customers.loc[customers["status"] != "closed", "customer_id"])
    own = customer_limits(register)
    limits = own["approved_limit_base"]
    if ratings is not None and "approved_limit" in ratings:
        # the Ratings sheet's copy, in the customer's currency like the Customers sheet's
        rated = ratings if "customer_id" not in ratings else ratings.set_index("customer_id")
        rated_limit = rated["approved_limit"]
        rated_limit = rated_limit[~rated_limit.index.duplicated()].reindex(limits.index)
        limits = limits.fillna(rated_limit * own["rate_to_base"])
    parts = [
        *_receivables_findings(register, policy, as_of, items, exposure, limits, aged),
        *_rating_findings(register, policy, as_of, ratings, active, register.lang),
        *_bureau_findings(register, policy, as_of, active),
        *_customer_findings(register, policy, as_of, active),
        _broken_promises(register, policy, as_of),
        *_insurance_findings(register, policy, as_of, items),
        *claims_findings(register, policy, as_of, items),
    ]
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=["alert_id", *FINDING_COLUMNS], dtype="str")
    found = pd.concat(parts, ignore_index=True)
    subject = found["subject"].fillna("")
    found["alert_id"] = (
        found["customer_id"]
        + "-"
        + found["indicator"]
        + subject.where(subject == "", "-" + subject)
    )
    return found.drop_duplicates("alert_id", keep="first").reset_index(drop=True)


# --------------------------------------------------------------------------- statuses


def _status_keys(values: pd.Series) -> pd.Series:
    """The status code keys of the sheet's status column (a label in either language, or a
    key); blank or unknown → ``open``."""
    return _code_keys(values, "status", "open")


def _code_keys(values: pd.Series, column_key: str, fallback: str) -> pd.Series:
    """A code column's keys, whether the sheet held keys or labels in either language; the few
    distinct values are looked up once each."""
    column = ALERTS.column(column_key)
    keys: dict[str, str] = {}
    for typed in values.dropna().astype("str").unique():
        code = column.code_for(typed)
        keys[typed] = code.key if code is not None else fallback
    mapped: pd.Series = values.map(keys).fillna(fallback).astype("str")
    return mapped


_CARRIED = (
    "raised_on",
    "customer_id",
    "name",
    "indicator",
    "value",
    "threshold",
    "severity",
    "recommended_action",
    "status",
    "owner",
    "comment",
)


def raise_alerts(
    register: Register,
    policy: Policy,
    as_of: dt.date,
    items: pd.DataFrame,
    exposure: pd.DataFrame,
    ratings: pd.DataFrame | None,
    previous: pd.DataFrame | None,
    *,
    aged: pd.DataFrame | None = None,
    when: dt.datetime | None = None,
    found: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, list[list[CellValue]]]:
    """The Alerts sheet (``schema.ALERTS`` keys; codes as keys) and the History rows (in
    ``schema.HISTORY`` order) for every status the engine changed.

    ``previous`` is the Alerts sheet as the last run left it and the user edited it (schema keys,
    codes as keys or labels); ``None`` or empty on the first run. ``aged``: this run's Ageing
    frame when the caller has it (saves computing it again). ``when``: the run's time stamp for
    the History rows (default now), so one run's rows and its Dashboard time agree. ``found``:
    this run's :func:`findings` when the caller has them (with the credit hold's own alerts).
    """
    lang = register.lang
    day = pd.Timestamp(as_of).as_unit("us")
    if found is None:
        found = findings(register, policy, as_of, items, exposure, ratings, aged)
    names = (
        register.frame("customers").drop_duplicates("customer_id").set_index("customer_id")["name"]
    )
    labels = {k: c.label(lang) for k, c in INDICATORS.items()}
    now = found.assign(
        name=names.reindex(found["customer_id"]).to_numpy(),
        indicator_label=found["indicator"].map(labels).fillna(found["indicator"]),
    )
    prev = _previous(previous)
    merged = now.merge(prev, on="alert_id", how="outer", suffixes=("", "_prev"), indicator=True)
    here, was = merged["_merge"] != "right_only", merged["_merge"] != "left_only"
    before = merged["status_prev"].where(was, "")
    rank_now, rank_before = _rank(merged["severity"]), _rank(merged["severity_prev"])

    status = before.where(was, "open")
    reopened = (
        here & was & (((before == "closed") & (rank_now > rank_before)) | (before == "resolved"))
    )
    status = status.mask(reopened, "open")
    resolved = ~here & before.isin(_ACTIVE)
    status = status.mask(resolved, "resolved")
    new = here & ~was

    out = pd.DataFrame({"alert_id": merged["alert_id"]})
    for column in ("customer_id", "name", "value", "threshold", "recommended_action"):
        out[column] = merged[column].where(here, merged[f"{column}_prev"])
    out["indicator"] = merged["indicator_label"].where(here, merged["indicator_prev"])
    # a closed alert remembers the worst severity it had while closed
    keep_worse = here & was & (before == "closed") & ~reopened & (rank_before > rank_now)
    out["severity"] = merged["severity"].where(here & ~keep_worse, merged["severity_prev"])
    raised = merged["raised_on"].where(was & ~(before == "resolved"))
    out["raised_on"] = pd.to_datetime(raised).fillna(day).astype("datetime64[us]")
    out["status"] = status
    out["owner"] = merged["owner"]
    out["comment"] = merged["comment"]
    out = out[[c.key for c in ALERTS.columns]]
    for column in FIGURE_COLUMNS:  # after the sheet's columns: the Alerts sheet shows them
        out[column] = merged[column].where(here) if column in merged else np.nan

    # the to-do list's order: open before closed before resolved, gravest first, by customer
    state = np.array([0, 0, 1, 2])[
        pd.Index(["open", "in_progress", "closed", "resolved"]).get_indexer(pd.Index(status))
    ]
    order = np.lexsort(
        (
            out["alert_id"].to_numpy(dtype=object),
            out["customer_id"].fillna("").to_numpy(dtype=object),
            -np.nan_to_num(_rank(out["severity"])),
            state,
        )
    )
    out = out.iloc[order]

    history = _history(
        out,
        merged["status_prev"][out.index],
        new[out.index],
        reopened[out.index],
        resolved[out.index],
        lang,
        when,
    )
    return out.reset_index(drop=True), history


def standing(found: pd.DataFrame, previous: pd.DataFrame | None) -> pd.DataFrame:
    """The findings that stand open after this run (:func:`raise_alerts`' rules): all but those
    the manager closed whose severity has not risen since."""
    prev = _previous(previous)[["alert_id", "status_prev", "severity_prev"]]
    merged = found[["alert_id", "severity"]].merge(prev, on="alert_id", how="left")
    closed = (merged["status_prev"] == "closed").to_numpy() & ~(
        _rank(merged["severity"]) > _rank(merged["severity_prev"])
    )
    return found.loc[~closed]


def _previous(previous: pd.DataFrame | None) -> pd.DataFrame:
    renamed = {c: f"{c}_prev" for c in _CARRIED if c not in ("raised_on", "owner", "comment")}
    if previous is None or previous.empty or "alert_id" not in previous:
        columns = ["alert_id", *(renamed.get(c, c) for c in _CARRIED)]
        return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
    prev = previous.dropna(subset=["alert_id"]).drop_duplicates("alert_id", keep="first").copy()
    for column in _CARRIED:
        if column not in prev:
            prev[column] = None
    prev["status"] = _status_keys(prev["status"])
    prev["severity"] = _code_keys(prev["severity"], "severity", "info")
    prev["alert_id"] = prev["alert_id"].astype("str")
    return prev[["alert_id", *_CARRIED]].rename(columns=renamed)


def _history(
    out: pd.DataFrame,
    status_before: pd.Series,
    new: pd.Series,
    reopened: pd.Series,
    resolved: pd.Series,
    lang: Language,
    when: dt.datetime | None = None,
) -> list[list[CellValue]]:
    """One History row per status the engine set (alerts are few: a loop over them is fine)."""
    changed = new | reopened | resolved
    if not changed.any():
        return []
    label = {c.key: c.label(lang) for c in ALERT_STATUS}
    stamp = (when or dt.datetime.now()).replace(microsecond=0)
    action = _text(lang, "预警状态", "alert status")
    rows: list[list[CellValue]] = []
    columns = [
        out[c][changed].tolist()
        for c in ("alert_id", "customer_id", "indicator", "value", "threshold", "status")
    ]
    columns += [status_before[changed].tolist(), new[changed].tolist(), reopened[changed].tolist()]
    # the reasons' wording, chosen once: a first run raises thousands of alerts
    if lang == "zh":
        raised, worse, back, gone = (
            "新预警：{}",
            "情况恶化，重新打开：{}",
            "预警再次出现：{}",
            "预警条件已消除：{}",
        )
    else:
        raised, worse, back, gone = (
            "new alert: {}",
            "worse than when closed, reopened: {}",
            "alert is back: {}",
            "the condition has gone: {}",
        )
    for alert_id, customer, indicator, value, threshold, status, before, is_new, is_back in zip(
        *columns, strict=True
    ):
        if is_new or is_back:
            finding = f"{indicator} {value}" + (f" ({threshold})" if threshold else "")
            wording = raised if is_new else worse if before == "closed" else back
            reason = wording.format(finding)
        else:
            reason = gone.format(indicator)
        old = "" if is_new else label.get(str(before), str(before))
        rows.append(
            [stamp, ENGINE_USER, action, customer, alert_id, old, label.get(status, status), reason]
        )
    return rows
