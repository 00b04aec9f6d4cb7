"""Thin files: a customer with no financial statement recent enough cannot rate above a cap.

The scorecard re-weights the pillars it has, so a customer who never sent a balance sheet can
still rate A on payments and a bureau score alone — a grade that promises more than anyone knows.
Policy §2 caps such a *thin file* at a Policy grade (default BBB) until statements within the
staleness limit arrive; the Ratings row says why in ``data_gaps``, and the Alerts sheet asks for
the statements (``customer_alerts.claims_findings``).

Decision: "recent enough" is the staleness limit the stale-statement alert already uses
(``staleness.statement_months`` after the statement's period end, default 18 months), so one
statement is fresh or stale in the same way everywhere.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from credit_register.core.schema import GRADES, Language
from credit_register.core.text import pick
from credit_register.policy.model import Policy

_NOTCH = {g: i for i, g in enumerate(GRADES)}


def thin(period_end: pd.Series, as_of: dt.date, policy: Policy) -> pd.Series:
    """Per customer: ``True`` when its latest statement (``period_end``, NaT for none) is older
    than the staleness limit, or missing."""
    oldest = pd.Timestamp(as_of) - pd.DateOffset(months=policy.staleness.statement_months)
    ended = pd.to_datetime(period_end)
    return (ended.isna() | (ended < oldest)).astype(bool)


def cap_grades(
    card: pd.DataFrame, is_thin: pd.Series, policy: Policy, lang: Language
) -> pd.DataFrame:
    """``card`` (``scorecard.score``'s frame) with each thin file's grade lowered to the cap and
    its ``data_gaps`` saying so; a grade already at or below the cap is left alone."""
    cap = policy.thin_file_max_grade
    notch = card["grade"].map(_NOTCH).astype("float64").to_numpy()
    above = is_thin.reindex(card.index).fillna(False).to_numpy(dtype=bool) & (notch < _NOTCH[cap])
    if not above.any():
        return card
    months = policy.staleness.statement_months
    note = (
        f"无{months}个月内财务报表：等级上限{cap}"
        if lang == "zh"
        else f"no statement within {months} months: grade capped at {cap}"
    )
    sep = pick(lang, "；", "; ")
    out = card.copy()
    out.loc[above, "grade"] = cap
    gaps = out["data_gaps"].fillna("").astype(str)
    out["data_gaps"] = np.where(
        above, np.where(gaps == "", note, gaps + sep + note), out["data_gaps"]
    )
    return out
