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

Where each part lives: the indicators, actions and the shape of a finding in ``alert_rules``;
the findings per family in ``exposure_alerts`` (receivables, limits, groups, insurance) and
``customer_alerts`` (rating, bureau, the customer's file, promises, claims); the statuses'
bookkeeping and History rows in ``alert_status``. This module gathers the findings and applies
the status rules above.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from credit_register.core.port import CellValue
from credit_register.core.register import Register
from credit_register.core.schema import ALERTS
from credit_register.engines.alert_rules import (
    ACTIONS,
    FIGURE_COLUMNS,
    FIGURE_FORMATS,
    FINDING_COLUMNS,
    INDICATORS,
    event_findings,
    insured_customers,
    severity_rank,
)
from credit_register.engines.alert_status import (
    ENGINE_USER,
    previous_alerts,
    standing,
    status_history,
)
from credit_register.engines.customer_alerts import (
    broken_promises,
    bureau_findings,
    claims_findings,
    customer_findings,
    rating_findings,
)
from credit_register.engines.exposure_alerts import insurance_findings, receivables_findings
from credit_register.engines.receivables import customer_limits
from credit_register.policy.model import Policy

__all__ = [
    "ACTIONS",
    "ENGINE_USER",
    "FIGURE_COLUMNS",
    "FIGURE_FORMATS",
    "FINDING_COLUMNS",
    "INDICATORS",
    "claims_findings",
    "event_findings",
    "findings",
    "insured_customers",
    "raise_alerts",
    "standing",
]

_ACTIVE = ("open", "in_progress")


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
        *receivables_findings(register, policy, as_of, items, exposure, limits, aged),
        *rating_findings(register, policy, as_of, ratings, active, register.lang),
        *bureau_findings(register, policy, as_of, active),
        *customer_findings(register, policy, as_of, active),
        broken_promises(register, policy, as_of, items),
        *insurance_findings(register, policy, as_of, items),
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
    prev = previous_alerts(previous)
    merged = now.merge(prev, on="alert_id", how="outer", suffixes=("", "_prev"), indicator=True)
    here, was = merged["_merge"] != "right_only", merged["_merge"] != "left_only"
    before = merged["status_prev"].where(was, "")
    rank_now, rank_before = (
        severity_rank(merged["severity"]),
        severity_rank(merged["severity_prev"]),
    )

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
            -np.nan_to_num(severity_rank(out["severity"])),
            state,
        )
    )
    out = out.iloc[order]

    history = status_history(
        out,
        merged["status_prev"][out.index],
        new[out.index],
        reopened[out.index],
        resolved[out.index],
        lang,
        when,
    )
    return out.reset_index(drop=True), history
