"""Read → compute: a register read through the port, typed and validated, then every engine run
over its valid rows.

Every action starts here, so the Excel button, the command line and the add-in read the same
rows and compute the same figures; what to write back is ``writeback``'s.
"""

from __future__ import annotations

import datetime as dt
import getpass
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from credit_register.core.issues import Issue
from credit_register.core.port import RawSheet, SheetStream
from credit_register.core.reader import load
from credit_register.core.register import Register
from credit_register.core.schema import ALERTS, RATINGS, Language, Sheet
from credit_register.engines import credit_hold, rating, receivables
from credit_register.engines.open_items import open_items_sheet
from credit_register.engines.results import Results
from credit_register.policy import Policy, policy_from_table
from credit_register.validation import validate


@dataclass
class Loaded:
    """A register read through a port, with its policy and every issue found."""

    register: Register
    policy: Policy
    issues: list[Issue]

    @property
    def lang(self) -> Language:
        return self.register.lang


def current_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (a service account, a container)
        return "unknown"


def load_register(
    raw: Mapping[str, RawSheet] | SheetStream,
    label: str,
    *,
    today: dt.date,
    as_of: dt.date | None = None,
) -> Loaded:
    """Read, type and validate a register (its sheets as read, or streamed by the door:
    ``core.port.read_stream``); every problem found is in ``issues``."""
    register = load(raw, label, today=today)
    if as_of is not None:
        register.as_of = as_of
    policy, policy_issues = policy_from_table(register.tables.get("policy"), label)
    register.base_currency = policy.base_currency
    rule_issues = validate(
        register,
        base_currency=policy.base_currency,
        today=today,
        stale_months=policy.staleness.statement_months,
        limits=policy.data,
    )
    return Loaded(register, policy, [*register.issues, *policy_issues, *rule_issues])


def compute(loaded: Loaded, now: dt.datetime | None = None) -> Results:
    """Every engine over the valid rows: receivables, rating, alerts and the credit hold (in that
    order, since rating uses exposure, the alerts use the grades and the hold uses both)."""
    register, policy = loaded.register, loaded.policy
    as_of = register.as_of
    items = receivables.open_items(register, policy, as_of)
    exposure = receivables.exposure_by_customer(register, policy, as_of, items)
    aged = receivables.ageing(register, policy, as_of, items)
    previous_ratings = previous_frame(register, RATINGS)
    ratings = rating.rate(
        register,
        policy,
        as_of=as_of,
        items=items,
        exposure=exposure["exposure_base"],
        previous=previous_ratings,
        exposure_frame=exposure,
    )
    alerts, alert_history, hold = credit_hold.run_alerts(
        register,
        policy,
        as_of,
        items,
        exposure,
        ratings,
        previous_frame(register, ALERTS),
        aged=aged,
        when=now,
    )
    ratings = credit_hold.on_ratings(ratings, hold)
    when = now or dt.datetime.now()
    history = rating.rating_history(
        previous_ratings, ratings, when=when, user=current_user(), lang=register.lang
    )
    return Results(
        register=register,
        policy=policy,
        as_of=as_of,
        issues=loaded.issues,
        items=items,
        exposure=exposure,
        ageing=aged,
        open_items=open_items_sheet(items),
        ratings=ratings,
        alerts=alerts,
        rating_history=history,
        alert_history=alert_history,
        hold=hold,
    )


def previous_frame(register: Register, sheet: Sheet) -> pd.DataFrame | None:
    """An output sheet as the last run left it (the grades and alerts to compare with)."""
    table = register.tables.get(sheet.key)
    return None if table is None or table.frame.empty else table.frame
