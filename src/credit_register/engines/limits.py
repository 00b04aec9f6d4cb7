"""Credit limits, terms, security and review dates from the grade (policy §2, §3, §6).

A proposed limit is the lowest of what the customer needs and what it can carry, then held within
the insurance, the bureau's advice and the group's limit, and moved at a measured pace from the
limit a person approved. ``binding_rule`` names the term that set the figure, so a credit manager
can tell a sales director *why* the limit is what it is. The engine only proposes: the approved
limit is written by ``rating.approve`` alone.

Decisions (the policy is silent on them; documented here and in the README):

- Limits (approved, insured, proposed) are base-currency figures, as the receivables engine's
  exposure is, so utilization compares like with like; expected monthly sales (the customer's
  currency) and statements (their row's currency) are converted at the FX sheet's rate.
- A customer's terms are its own ``payment_terms_days`` when set, else the grade's terms.
- Negative tangible net worth or working capital gives a capacity of 0; an unknown one leaves its
  term out. With neither need nor capacity known the proposal is 0 (``no_basis``).
- Need (policy §2): the larger of the formula — on the larger of the typed expected sales and
  the average monthly invoicing of the last three full months, with the customer's agreed terms
  — and the customer's normal peak (the P90 of its daily exposure over the last year, or today's
  exposure within terms when higher: ``exposure_history``) plus today's open orders. Unknown
  for a customer with neither typed sales nor invoices; then capacity alone sets the figure.
- Caps: the insured limit plus own appetite, and the bureau's recommended limit converted from
  the customer's currency (the bureau reports in it). A bureau limit of 0 is a warning shown on
  the row (``bureau_zero``), never a cap applied silently.
- Pace: a proposal may rise at most ``limit.max_step_up`` above the approved limit per review
  (no cap while no limit has been approved). A cut is never floored: a downgrade, a knock-out or
  a capacity that fell proposes the cut at once, and ``excess_over_limit`` shows what exposure
  exceeds the proposal. Grade C gets no credit (0, ``grade_c``), whatever the formula says: its
  terms are cash in advance.
- The row (``explain``) shows the binding term with its figure, then every term with its
  figure and currency; a good customer (AAA–BBB, nothing overdue) proposed below its exposure
  says what binds and by how much.
- Group pooling: when a group has a ``group_limit.<group>`` row, its members' proposals (in base
  currency) are scaled down pro rata to fit it.
- Next review (§6): the last approval (History) or review (Activities 评审) plus
  ``review.months`` by grade; a run never moves it forward (see :func:`next_review`); at once
  (the as-of date) when a knock-out appears or the grade falls two notches or more.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.schema import GRADES, Language
from credit_register.core.text import pick
from credit_register.policy.model import SECURITY, Policy

BINDING_RULES: dict[str, tuple[str, str]] = {
    "need": ("经营需求", "need"),
    "capacity_tnw": ("有形净资产", "tangible net worth"),
    "capacity_wc": ("营运资金", "working capital"),
    "capacity_revenue": ("营业收入", "revenue"),
    "insured": ("保险限额", "insured limit"),
    "bureau_cap": ("征信建议额度", "bureau recommended limit"),
    "step_cap": ("单次调整幅度", "step cap"),
    "group": ("集团额度", "group limit"),
    "knock_out": ("否决项", "knock-out"),
    "grade_c": ("C级不授信", "grade C: no credit"),
    "no_basis": ("无测算依据", "no basis"),
}
_FORMULA = ("need", "capacity_tnw", "capacity_wc", "capacity_revenue")
_NOTCH = {g: i for i, g in enumerate(GRADES)}


def binding_label(keys: pd.Series, lang: Language) -> pd.Series:
    labels = {k: pick(lang, zh, en) for k, (zh, en) in BINDING_RULES.items()}
    return keys.map(labels)


def binding_head(binding_rule: pd.Series, lang: Language) -> pd.Series:
    """The binding term and its figure (``有形净资产能力 CNY 0``, ``C级不授信``): ``binding_rule``
    as ``explain`` writes it, without the list of every term that follows."""
    terms = pick(lang, *_TEXT["terms"])
    return binding_rule.fillna("").astype("str").str.split(terms, n=1, regex=False).str[0]


def binding_head_in_english(head: pd.Series) -> pd.Series:
    """``binding_head`` of a Chinese register read in English (the figure is the same in both):
    the English half of a bilingual reason.

    >>> heads = pd.Series(["营运资金 CNY 0", "C级不授信", "working capital CNY 0"])
    >>> binding_head_in_english(heads).tolist()
    ['working capital CNY 0', 'grade C: no credit', 'working capital CNY 0']
    """
    out = head.fillna("").astype("str")
    # the longest label first: one label may begin another
    for zh, en in sorted(BINDING_RULES.values(), key=lambda pair: -len(pair[0])):
        starts = out.str.startswith(zh)
        out = out.where(~starts, en + out.str.slice(len(zh)))
    return out


def notches_down(grade: pd.Series, previous: pd.Series) -> pd.Series:
    """How many grades lower than before (negative = upgrade; NaN without a previous grade)."""
    return grade.map(_NOTCH).astype("float64") - previous.map(_NOTCH).astype("float64")


def _lower(
    value: np.ndarray, binding: np.ndarray, cap: np.ndarray, rule: str
) -> tuple[np.ndarray, np.ndarray]:
    lowered = ~np.isnan(cap) & (cap < value)
    return np.where(lowered, cap, value), np.where(lowered, rule, binding)


#: the columns of :func:`propose_limits`' answer, beside ``proposed_limit`` and ``binding_rule``
TERM_COLUMNS: tuple[str, ...] = (
    "need",
    "need_formula",
    "need_history",
    "capacity_tnw",
    "capacity_wc",
    "capacity_revenue",
    "insured_cap",
    "bureau_cap",
    "pace_cap",
    "group_cap",
    "excess_over_limit",
    "bureau_zero",
    "good_below_exposure",
)
#: grades whose customers are "good" (policy §2: a proposal below their exposure is explained)
GOOD_GRADES: tuple[str, ...] = ("AAA", "AA", "A", "BBB")


def propose_limits(inputs: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """``proposed_limit``, ``binding_rule`` (a key of ``BINDING_RULES``) and every term of the
    limit (``TERM_COLUMNS``) per customer, policy §2.

    ``inputs`` columns: ``grade``, ``knocked`` (bool), ``expected_monthly_sales``,
    ``payment_terms_days``, ``approved_limit``, ``insured_limit``, ``tangible_net_worth``,
    ``working_capital``, ``revenue`` (annual), ``bureau_limit`` and ``group``; optionally
    ``monthly_invoicing`` (average of the last three full months), ``peak_exposure`` (P90 of
    daily exposure over the last year), ``open_orders``, ``exposure`` and ``overdue`` (today's).
    Every amount in base currency; a missing optional column counts as unknown.
    """
    rules = policy.limits
    grade = inputs["grade"]
    n = len(inputs)

    def per_grade(table: dict[str, float]) -> np.ndarray:
        return grade.map(table).astype("float64").fillna(0.0).to_numpy(copy=True)

    def amount(key: str) -> np.ndarray:
        if key not in inputs:
            return np.full(n, np.nan)
        return np.asarray(inputs[key].astype("float64").to_numpy(), dtype=float)

    # need: the larger of the formula on actual invoicing and the normal peak (policy §2)
    grade_days = grade.map({g: t.days for g, t in policy.terms.items()}).astype("float64")
    terms = inputs["payment_terms_days"].astype("float64").fillna(grade_days).to_numpy()
    monthly = np.fmax(amount("expected_monthly_sales"), amount("monthly_invoicing"))
    need_formula = monthly * (terms + rules.grace_days) / 30.0
    need_history = amount("peak_exposure") + np.nan_to_num(amount("open_orders"))
    need = np.fmax(need_formula, need_history)
    capacities = np.column_stack(
        [
            per_grade(rules.pct_tnw) * np.clip(amount("tangible_net_worth"), 0, None),
            per_grade(rules.pct_wc) * np.clip(amount("working_capital"), 0, None),
            per_grade(rules.pct_rev) * np.clip(amount("revenue"), 0, None),
        ]
    )
    formula = np.column_stack([need, capacities])
    known = ~np.isnan(formula)
    none_known = ~known.any(axis=1)
    lowest = np.where(known, formula, np.inf).argmin(axis=1)
    value = np.where(none_known, 0.0, np.where(known, formula, np.inf).min(axis=1))
    binding = np.where(none_known, "no_basis", np.asarray(_FORMULA, dtype=object)[lowest])

    # hard caps: insurance plus own appetite, the bureau's advice (0 is a warning, not a cap)
    insured = amount("insured_limit")
    appetite = per_grade(rules.own_appetite)
    appetite[grade.isin(["B", "C"]).to_numpy()] = 0.0  # never above the insured limit for B, C
    insured_cap = np.where(insured > 0, insured + appetite, np.nan)
    value, binding = _lower(value, binding, insured_cap, "insured")
    bureau = amount("bureau_limit")
    bureau_zero = ~np.isnan(bureau) & (bureau <= 0)
    bureau_cap = np.where(bureau > 0, bureau, np.nan) if rules.bureau_cap else np.full(n, np.nan)
    value, binding = _lower(value, binding, bureau_cap, "bureau_cap")

    # pace: a rise is capped against the approved limit; a cut is never floored
    approved = amount("approved_limit")
    pace_cap = np.where(approved > 0, approved * (1 + rules.max_step_up), np.nan)
    value, binding = _lower(value, binding, pace_cap, "step_cap")

    # group pooling
    group_limit = inputs["group"].map(policy.group_limits).astype("float64").to_numpy()
    proposals = pd.Series(value, index=inputs.index)
    pooled = proposals.groupby(inputs["group"]).transform("sum").to_numpy()
    over = ~np.isnan(group_limit) & (pooled > group_limit)
    with np.errstate(invalid="ignore", divide="ignore"):
        group_cap = np.where(over, value * group_limit / pooled, np.nan)
    value, binding = _lower(value, binding, group_cap, "group")

    value = np.floor(value / rules.step + 1e-9) * rules.step
    grade_c = (grade == "C").to_numpy()
    value = np.where(grade_c, 0.0, value)
    binding = np.where(grade_c, "grade_c", binding)
    knocked = inputs["knocked"].to_numpy(dtype=bool)
    value = np.where(knocked, 0.0, value)
    binding = np.where(knocked, "knock_out", binding)

    exposure = amount("exposure")
    excess = np.where(exposure - value > CENT, np.round(exposure - value, 2), np.nan)
    nothing_overdue = ~(amount("overdue") > CENT)
    good = grade.isin(GOOD_GRADES).to_numpy() & nothing_overdue & ~knocked
    return pd.DataFrame(
        {
            "proposed_limit": value,
            "binding_rule": binding,
            "need": np.round(need, 2),
            "need_formula": np.round(need_formula, 2),
            "need_history": np.round(need_history, 2),
            "capacity_tnw": np.round(capacities[:, 0], 2),
            "capacity_wc": np.round(capacities[:, 1], 2),
            "capacity_revenue": np.round(capacities[:, 2], 2),
            "insured_cap": insured_cap,
            "bureau_cap": bureau_cap,
            "pace_cap": pace_cap,
            "group_cap": np.round(group_cap, 2),
            "excess_over_limit": excess,
            "bureau_zero": bureau_zero,
            "good_below_exposure": good & ~np.isnan(excess),
        },
        index=inputs.index,
    )


def _money(values: pd.Series | np.ndarray, currency: str) -> list[str]:
    """``CNY 1,234,567`` per value (whole units: limits are rounded to a step), ``—`` when
    unknown."""
    prefix = f"{currency} "
    return [
        "—" if v != v else prefix + f"{v:,.0f}"  # v != v: NaN
        for v in np.asarray(values, dtype=float).tolist()
    ]


#: the term whose figure a binding rule shows
_FIGURE_OF: dict[str, str] = {
    "need": "need",
    "capacity_tnw": "capacity_tnw",
    "capacity_wc": "capacity_wc",
    "capacity_revenue": "capacity_revenue",
    "insured": "insured_cap",
    "bureau_cap": "bureau_cap",
    "step_cap": "pace_cap",
    "group": "group_cap",
}
_TEXT: dict[str, tuple[str, str]] = {
    "terms": ("｜", " | "),
    "sep": ("；", "; "),
    "need": (
        "需求 {}（按销售 {}；常态敞口峰值+在途订单 {}）",
        "need {} (sales formula {}; normal peak exposure + orders {})",
    ),
    "capacity_tnw": ("有形净资产能力 {}", "TNW capacity {}"),
    "capacity_wc": ("营运资金能力 {}", "working-capital capacity {}"),
    "capacity_revenue": ("营业收入能力 {}", "revenue capacity {}"),
    "insured_cap": ("保险上限 {}", "insured cap {}"),
    "bureau_cap": ("征信上限 {}", "bureau cap {}"),
    "pace_cap": ("调整上限 {}（核定额度+{}）", "pace cap {} (approved + {})"),
    "pace_none": ("调整上限 —（尚无核定额度）", "pace cap — (no approved limit yet)"),
    "bureau_zero": (
        "征信建议额度为0：警示信号，未作上限",
        "bureau recommends 0: a warning sign, not applied as a cap",
    ),
    "below": (
        "低于当前敞口 {}，超额 {}：受{}约束",
        "below today's exposure {}, excess {}: bound by {}",
    ),
}


def converted(amount: pd.Series, currency: pd.Series, rate: pd.Series, policy: Policy) -> pd.Series:
    """An amount typed in another currency as converted once, with the rate named
    (``EUR 230,000 × 8.2150 = CNY 1,889,450``); ``None`` where it is blank or already in the base
    currency."""
    base = policy.base_currency
    foreign = amount.notna() & currency.ne(base) & rate.notna()
    shown = pd.Series(None, index=amount.index, dtype=object)
    if foreign.any():
        a, c, r = amount[foreign], currency[foreign], rate[foreign]
        shown[foreign] = [
            f"{code} {value:,.0f} × {fx:.4f} = {base} {value * fx:,.0f}"
            for value, code, fx in zip(a, c, r, strict=True)
        ]
    return shown


def explain(
    proposal: pd.DataFrame,
    policy: Policy,
    lang: Language,
    bureau_shown: pd.Series | None = None,
) -> pd.Series:
    """``binding_rule`` as a reviewer reads it: the binding term and its figure, then every term
    of the limit with its figure and currency (policy §2), a bureau limit of 0 flagged, and a good
    customer proposed below its exposure explained. ``bureau_shown``: the bureau's limit as
    converted (``EUR 230,000 × 8.2150 = CNY 1,889,450``) where it is in another currency.

    Each figure is formatted once per column and each row assembled in one pass: 10,000
    customers' texts take a few hundredths of a second."""
    at = 0 if lang == "zh" else 1
    base = policy.base_currency
    text = {key: pair[at] for key, pair in _TEXT.items()}
    shown = {
        key: _money(proposal[key].to_numpy(dtype=float), base)
        for key in {*_FIGURE_OF.values(), "need_formula", "need_history", "excess_over_limit"}
    }
    # the bureau's term names its own currency and the rate; the head keeps the base figure
    bureau = shown["bureau_cap"]
    if bureau_shown is not None:
        foreign = bureau_shown.to_numpy(dtype=object)
        bureau = [
            f if b != "—" and isinstance(f, str) else b
            for b, f in zip(bureau, foreign, strict=True)
        ]
    labels = {k: pick(lang, zh, en) for k, (zh, en) in BINDING_RULES.items()}
    step_up = f"{policy.limits.max_step_up * 100:g}%"
    limit = proposal["proposed_limit"].to_numpy(dtype=float)
    exposure = _money(limit + proposal["excess_over_limit"].to_numpy(dtype=float), base)
    zero = proposal["bureau_zero"].to_numpy(dtype=bool).tolist()
    below = proposal["good_below_exposure"].to_numpy(dtype=bool).tolist()
    rows = []
    for n, key in enumerate(proposal["binding_rule"].astype("str").tolist()):
        figure = _FIGURE_OF.get(key)
        head = labels[key] + (" " + shown[figure][n] if figure else "")
        pace = shown["pace_cap"][n]
        parts = [
            text["need"].format(
                shown["need"][n], shown["need_formula"][n], shown["need_history"][n]
            ),
            text["capacity_tnw"].format(shown["capacity_tnw"][n]),
            text["capacity_wc"].format(shown["capacity_wc"][n]),
            text["capacity_revenue"].format(shown["capacity_revenue"][n]),
            text["insured_cap"].format(shown["insured_cap"][n]),
            text["bureau_cap"].format(bureau[n]),
            text["pace_none"] if pace == "—" else text["pace_cap"].format(pace, step_up),
        ]
        if zero[n]:
            parts.append(text["bureau_zero"])
        if below[n]:
            parts.append(text["below"].format(exposure[n], shown["excess_over_limit"][n], head))
        rows.append(head + text["terms"] + text["sep"].join(parts))
    return pd.Series(rows, index=proposal.index, dtype="str")


def terms_and_security(grade: pd.Series, policy: Policy, lang: Language) -> pd.DataFrame:
    """``recommended_terms_days`` (days, or the prepayment arrangement as text) and
    ``security`` per customer, from the grade (§3)."""
    security_labels = {c.key: c.label(lang) for c in SECURITY}
    shown: dict[str, object] = {}
    for g, t in policy.terms.items():
        if t.prepayment >= 1:
            shown[g] = pick(lang, "款到发货", "cash in advance")
        elif t.prepayment > 0:
            pct = f"{t.prepayment * 100:.0f}%"
            shown[g] = (
                f"预付{pct}，余款{t.days}天"
                if lang == "zh"
                else f"{pct} prepayment, balance {t.days} days"
            )
        else:
            shown[g] = t.days
    return pd.DataFrame(
        {
            "recommended_terms_days": grade.map(shown).astype(object),
            "security": grade.map(
                {g: security_labels[t.security] for g, t in policy.terms.items()}
            ),
        },
        index=grade.index,
    )


def next_review(
    grade: pd.Series,
    previous_grade: pd.Series,
    knocked: pd.Series,
    scheduled: pd.Series,
    as_of: dt.date,
    policy: Policy,
    *,
    last_review: pd.Series | None = None,
    scheduled_on: pd.Series | None = None,
    was_knocked: pd.Series | None = None,
) -> pd.Series:
    """The next review date per customer (§6): the last review or approval plus the grade's
    interval, persisting from run to run so that "review date passed" can fire.

    ``last_review``: the latest approval (History) or review (Activities 评审) up to the as-of
    date; ``scheduled``: the date the previous rating wrote, on ``scheduled_on`` (its as-of date);
    ``was_knocked``: the previous rating showed a knock-out.

    - With a review or approval on record: that date plus the grade's interval; a scheduled date
      that was already due at the last run and falls after that record stays (a knock-out or a
      missed review is not cleared by rating again, only by a review).
    - Without one: the date the previous rating scheduled (a run never moves it forward), else,
      at a first rating, the as-of date plus the interval.
    - At once (the as-of date, kept from then on) when a knock-out appears or the grade falls two
      notches or more since the previous rating.
    """
    today = pd.Timestamp(as_of)
    months = grade.map(policy.reviews.months).astype("float64").fillna(3).astype(int)

    def plus_months(start: pd.Series) -> pd.Series:
        # few distinct intervals: one DateOffset each, not one per customer
        out = pd.Series(pd.NaT, index=grade.index, dtype="datetime64[us]")
        for m in months.unique():
            at = (months == m).to_numpy()
            out[at] = (start[at] + pd.DateOffset(months=int(m))).astype("datetime64[us]")
        return out

    none = pd.Series(pd.NaT, index=grade.index, dtype="datetime64[us]")
    record = none if last_review is None else pd.to_datetime(last_review).astype("datetime64[us]")
    planned = pd.to_datetime(scheduled).astype("datetime64[us]")
    planned_on = (
        none if scheduled_on is None else pd.to_datetime(scheduled_on).astype("datetime64[us]")
    )
    from_record = plus_months(record)
    still_due = planned.notna() & (planned <= planned_on) & (planned > record)
    date = from_record.where(record.notna(), planned)
    date = date.mask(record.notna() & still_due & (planned < from_record), planned)
    first = date.isna()
    date[first] = plus_months(pd.Series(today, index=grade.index))[first]
    before = (
        pd.Series(False, index=grade.index) if was_knocked is None else was_knocked.astype(bool)
    )
    at_once = (knocked.astype(bool) & ~before) | (notches_down(grade, previous_grade) >= 2)
    date = date.mask(at_once & (date > today), today)
    return date.astype("datetime64[us]")
