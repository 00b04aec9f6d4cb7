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
- Pace: a proposal may rise at most ``limit.max_step_up`` above the approved limit per review
  and, symmetrically, fall at most that share (so a cut is spread over reviews) — except that
  the cut is proposed at once after a knock-out, at grade C, or on a downgrade to
  ``limit.cut_grade`` or worse (or a first rating there). The hard caps (insurance, bureau,
  group) always hold, pace or not. Grade C gets no credit (0, ``grade_c``), whatever the
  formula says: its terms are cash in advance.
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

from credit_register.core.schema import GRADES, Language
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
    labels = {k: (zh if lang == "zh" else en) for k, (zh, en) in BINDING_RULES.items()}
    return keys.map(labels)


def notches_down(grade: pd.Series, previous: pd.Series) -> pd.Series:
    """How many grades lower than before (negative = upgrade; NaN without a previous grade)."""
    return grade.map(_NOTCH).astype("float64") - previous.map(_NOTCH).astype("float64")


def _lower(
    value: np.ndarray, binding: np.ndarray, cap: np.ndarray, rule: str
) -> tuple[np.ndarray, np.ndarray]:
    lowered = ~np.isnan(cap) & (cap < value)
    return np.where(lowered, cap, value), np.where(lowered, rule, binding)


def propose_limits(inputs: pd.DataFrame, policy: Policy) -> pd.DataFrame:
    """``proposed_limit`` and ``binding_rule`` (a key of ``BINDING_RULES``) per customer.

    ``inputs`` columns: ``grade``, ``previous_grade``, ``knocked`` (bool),
    ``expected_monthly_sales``, ``payment_terms_days``, ``approved_limit``, ``insured_limit``,
    ``tangible_net_worth``, ``working_capital``, ``revenue`` (annual), ``bureau_limit`` and
    ``group``; every amount in base currency.
    """
    rules = policy.limits
    grade = inputs["grade"]

    def per_grade(table: dict[str, float]) -> np.ndarray:
        return grade.map(table).astype("float64").fillna(0.0).to_numpy(copy=True)

    def amount(key: str) -> np.ndarray:
        return inputs[key].astype("float64").to_numpy()

    grade_days = grade.map({g: t.days for g, t in policy.terms.items()}).astype("float64")
    terms = inputs["payment_terms_days"].astype("float64").fillna(grade_days).to_numpy()
    formula = np.column_stack(
        [
            amount("expected_monthly_sales") * (terms + rules.grace_days) / 30.0,
            per_grade(rules.pct_tnw) * np.clip(amount("tangible_net_worth"), 0, None),
            per_grade(rules.pct_wc) * np.clip(amount("working_capital"), 0, None),
            per_grade(rules.pct_rev) * np.clip(amount("revenue"), 0, None),
        ]
    )
    known = ~np.isnan(formula)
    none_known = ~known.any(axis=1)
    lowest = np.where(known, formula, np.inf).argmin(axis=1)
    value = np.where(none_known, 0.0, np.where(known, formula, np.inf).min(axis=1))
    binding = np.where(none_known, "no_basis", np.asarray(_FORMULA, dtype=object)[lowest])

    # pace against the approved limit
    approved = amount("approved_limit")
    has_limit = ~np.isnan(approved) & (approved > 0)
    down = notches_down(grade, inputs["previous_grade"]).to_numpy()
    at_or_below_cut = grade.map(_NOTCH).astype("float64").to_numpy() >= _NOTCH[rules.cut_grade]
    cut_now = (
        inputs["knocked"].to_numpy(dtype=bool)
        | (grade == "C").to_numpy()
        # a first rating has no previous grade, so no downgrade: rating twice must
        # propose the same limit (NaN > 0 is False)
        | (at_or_below_cut & (down > 0))
    )
    ceiling = approved * (1 + rules.max_step_up)
    floor = approved * max(0.0, 1 - rules.max_step_up)
    capped = has_limit & (value > ceiling)
    value, binding = np.where(capped, ceiling, value), np.where(capped, "step_cap", binding)
    raised = has_limit & ~cut_now & (value < floor)
    value, binding = np.where(raised, floor, value), np.where(raised, "step_cap", binding)

    # hard caps: insurance plus own appetite, the bureau's advice
    insured = amount("insured_limit")
    appetite = per_grade(rules.own_appetite)
    appetite[grade.isin(["B", "C"]).to_numpy()] = 0.0  # never above the insured limit for B, C
    insured_cap = np.where(insured > 0, insured + appetite, np.nan)
    value, binding = _lower(value, binding, insured_cap, "insured")
    if rules.bureau_cap:
        value, binding = _lower(value, binding, amount("bureau_limit"), "bureau_cap")

    # group pooling
    group_limit = inputs["group"].map(policy.group_limits).astype("float64").to_numpy()
    proposals = pd.Series(value, index=inputs.index)
    pooled = proposals.groupby(inputs["group"]).transform("sum").to_numpy()
    over = ~np.isnan(group_limit) & (pooled > group_limit)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = np.where(over, value * group_limit / pooled, value)
    value, binding = _lower(value, binding, np.where(over, share, np.nan), "group")

    value = np.floor(value / rules.step + 1e-9) * rules.step
    grade_c = (grade == "C").to_numpy()
    value = np.where(grade_c, 0.0, value)
    binding = np.where(grade_c, "grade_c", binding)
    knocked = inputs["knocked"].to_numpy(dtype=bool)
    value = np.where(knocked, 0.0, value)
    binding = np.where(knocked, "knock_out", binding)
    return pd.DataFrame({"proposed_limit": value, "binding_rule": binding}, index=inputs.index)


def terms_and_security(grade: pd.Series, policy: Policy, lang: Language) -> pd.DataFrame:
    """``recommended_terms_days`` (days, or the prepayment arrangement as text) and
    ``security`` per customer, from the grade (§3)."""
    security_labels = {c.key: c.label(lang) for c in SECURITY}
    shown: dict[str, object] = {}
    for g, t in policy.terms.items():
        if t.prepayment >= 1:
            shown[g] = "款到发货" if lang == "zh" else "cash in advance"
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
