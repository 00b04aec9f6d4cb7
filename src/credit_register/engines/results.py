"""What one run of the engines computed, handed to the writers and the documents.

The use cases build a ``Results`` once per action (validate → receivables → rating → alerts) and
everything downstream (output sheets, Dashboard figures, contracts, reports, letters, the review
pack) reads from it, so a figure in a document is the same figure as on the sheet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd

from credit_register.core.issues import Issue
from credit_register.core.port import CellValue
from credit_register.core.register import Register
from credit_register.engines.credit_hold import CreditHold
from credit_register.policy import Policy


@dataclass
class Results:
    register: Register
    policy: Policy
    as_of: dt.date
    issues: list[Issue] = field(default_factory=list)
    #: receivables.open_items: one row per valid invoice (outstanding, days_overdue, ...)
    items: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: receivables.exposure_by_customer, indexed by customer_id
    exposure: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: schema.AGEING keys, one row per customer
    ageing: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: schema.RATINGS keys, one row per valid customer
    ratings: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: schema.ALERTS keys, with the user's status/owner/comment carried over
    alerts: pd.DataFrame = field(default_factory=pd.DataFrame)
    #: History rows for changed grades and proposed limits (schema.HISTORY order)
    rating_history: list[list[CellValue]] = field(default_factory=list)
    #: History rows for the alert statuses the engine set
    alert_history: list[list[CellValue]] = field(default_factory=list)
    #: the credit-hold decision of every customer (engines.credit_hold), at ``as_of``
    hold: CreditHold | None = None
    #: schema.OPEN_ITEMS keys, one row per owed invoice (open_items.open_items_sheet)
    open_items: pd.DataFrame = field(default_factory=pd.DataFrame)
