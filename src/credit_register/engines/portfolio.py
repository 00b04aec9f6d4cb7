"""The whole portfolio's receivables, and the two ratios read everywhere: the overdue share and
DSO — one definition each for the Ageing sheet, the scorecard, the Dashboard and the review pack.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.engines.joins import DAY, dates, day
from credit_register.policy import Policy

FloatArray = npt.NDArray[np.float64]


def overdue_share(overdue: FloatArray, owed: FloatArray) -> FloatArray:
    """The overdue share: the overdue amount ÷ what the customer owes (its positive balances;
    NaN when it owes nothing).

    Credits it holds (credit notes, over-payments) do not shrink the denominator: "what part of
    what they owe us is late" stays within 0–100 %, whereas a net balance would put a customer
    holding an unapplied credit note above 100 %. One definition for the Ageing sheet, the
    scorecard's payment factor, the Dashboard and the review pack."""
    overdue, owed = np.asarray(overdue, dtype=float), np.asarray(owed, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(np.where(owed > CENT, overdue / owed, np.nan), dtype=float)


def dso(balance: FloatArray, sales: FloatArray, window_days: int) -> FloatArray:
    """Days sales outstanding: the receivables balance net of credits ÷ the sales (invoices less
    credit notes) dated in the last ``window_days`` up to the as-of date × ``window_days``; NaN
    without sales in the window."""
    balance, sales = np.asarray(balance, dtype=float), np.asarray(sales, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(
            np.where(sales > CENT, balance / sales * window_days, np.nan), dtype=float
        )


@dataclass(frozen=True)
class Portfolio:
    """The whole portfolio's receivables in the base currency, for the Dashboard and the review
    pack (the same definitions as the Ageing sheet's per customer)."""

    #: what customers owe us: the positive balances
    owed: float
    #: the balance net of credits (credit notes, over-payments)
    balance: float
    overdue: float
    #: :func:`overdue_share` (NaN when nothing is owed)
    overdue_share: float
    #: :func:`dso` (NaN without sales in the window)
    dso: float


def portfolio(items: pd.DataFrame, policy: Policy, as_of: dt.date) -> Portfolio:
    """:class:`Portfolio` from this run's open items."""
    outstanding = np.nan_to_num(items["outstanding_base"].to_numpy(dtype=float, na_value=np.nan))
    days = items["days_overdue"].to_numpy(dtype=float, na_value=0.0)
    owed = float(np.maximum(outstanding, 0.0).sum())
    overdue = float(outstanding[(days > 0) & (outstanding > 0)].sum())
    balance = float(outstanding.sum())
    window = policy.ageing.dso_window_days
    today = day(as_of)
    dated = dates(items["invoice_date"])
    recent = (dated <= today) & (dated > today - window * DAY)
    sales = float(np.nan_to_num(items["amount_base"].to_numpy(dtype=float)[recent]).sum())
    return Portfolio(
        owed,
        balance,
        overdue,
        float(overdue_share(np.array([overdue]), np.array([owed]))[0]),
        float(dso(np.array([balance]), np.array([sales]), window)[0]),
    )
