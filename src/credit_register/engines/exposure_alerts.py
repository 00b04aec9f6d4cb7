"""The alerts about what a customer owes (policy §4) and its credit insurance (§7).

Overdue days (the collections ladder's action; "notify the insurer" only for an insured
customer), overdue amount and share, utilization of the approved limit, exposure without an
approved limit (禁止), the group's use of its group limit (on each member), and the insurer's
notification and claim deadlines per owed invoice (a missed notification is 禁止: the cover may
be lost). Each family's findings are computed for all customers at once.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.register import Register
from credit_register.core.schema import Language
from credit_register.core.text import pick as _text
from credit_register.engines.alert_rules import (
    FIGURE_COLUMNS,
    LADDER_ACTIONS,
    SEVERITY_RANK,
    action_for,
    actions_text,
    amount_text,
    date_text,
    event_findings,
    insured_customers,
    measured_findings,
)
from credit_register.engines.groups import group_exposure
from credit_register.engines.receivables import ageing
from credit_register.policy.model import Policy


def receivables_findings(
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
    ladder_action = np.array([actions_text(keys, lang) for keys in LADDER_ACTIONS], dtype=object)
    uninsured_action = np.array(
        [actions_text([k for k in keys if k != "notify_insurer"], lang) for keys in LADDER_ACTIONS],
        dtype=object,
    )
    level = aged["dunning_level"].fillna(0).clip(0, len(LADDER_ACTIONS) - 1).astype(int)
    insured = aged["customer_id"].isin(insured_customers(register)).to_numpy()
    action = np.where(insured, ladder_action[level.to_numpy()], uninsured_action[level.to_numpy()])
    found = [
        measured_findings(
            policy,
            "max_days_overdue",
            aged["customer_id"],
            aged["max_days_overdue"].astype(float),
            lang,
            pd.Series(action, index=aged.index),
        ),
        measured_findings(policy, "overdue_amount", aged["customer_id"], aged["overdue"], lang),
        measured_findings(policy, "overdue_share", aged["customer_id"], aged["overdue_pct"], lang),
    ]
    limit = limits.reindex(exposure.index)
    used = exposure["exposure_base"]
    with np.errstate(divide="ignore", invalid="ignore"):
        utilization = pd.Series(
            np.where(limit > 0, used / limit, np.where(used > 0, np.inf, 0.0)), index=exposure.index
        )
    utilization = utilization.where(limit.notna())
    ids = pd.Series(exposure.index.to_numpy(), index=exposure.index)
    found.append(measured_findings(policy, "utilization", ids, utilization, lang))
    unlimited = limit.isna() & (used > CENT)
    found.append(
        event_findings(
            policy,
            "no_limit",
            ids[unlimited],
            amount_text(used[unlimited]),
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
    hit = measured_findings(policy, "utilization", ids, groups["group_utilization"], lang)
    if hit.empty:
        return hit
    at = hit.index
    hit["indicator"] = "group_limit"
    hit["subject"] = groups.loc[at, "group"].astype("str")
    hit["value"] = (
        hit["subject"]
        + " "
        + amount_text(groups.loc[at, "group_exposure"])
        + " / "
        + amount_text(groups.loc[at, "group_limit"])
        + " ("
        + hit["value"]
        + ")"
    )
    hit["recommended_action"] = hit["severity"].map(
        {s: action_for("group_limit", s, lang) for s in SEVERITY_RANK}
    )
    # the group's exposure and limit are the value a user needs, not the bare share
    hit[list(FIGURE_COLUMNS)] = np.nan
    return hit


def insurance_findings(
    register: Register, policy: Policy, as_of: dt.date, items: pd.DataFrame
) -> list[pd.DataFrame]:
    lang = register.lang
    insured = insured_customers(register)
    # the owed invoices are a few of the register's: pick them before matching customers
    owed = items.loc[items["outstanding"] > CENT, ["customer_id", "invoice_no", "due_date"]]
    owed = owed.loc[owed["customer_id"].isin(insured)]
    found = []
    day = np.datetime64(as_of, "D").astype("int64")
    for kind, days, action in (
        ("notify", policy.insurance.notify_days, "notify_insurer"),
        ("claim", policy.insurance.claim_days, "claim"),
    ):
        deadline = owed["due_date"].to_numpy(dtype="datetime64[D]") + np.timedelta64(days, "D")
        left = pd.Series((deadline.astype("int64") - day).astype(float), index=owed.index)
        hit = measured_findings(
            policy,
            "insurance_deadline",
            owed["customer_id"],
            left,
            lang,
            pd.Series(actions_text((action,), lang), index=owed.index),
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
        hit["threshold"] = (label + date_text(when) + " (" + hit["threshold"] + ")").mask(
            hit["severity"] == "block", label + date_text(when)
        )
        hit[FIGURE_COLUMNS[1]] = np.nan  # the deadline's date is the threshold a user needs
        found.append(hit)
    return found
