"""How each customer pays us: the payment-behaviour pillar's measurements.

A customer's own record of paying us is the best predictor a credit manager has, and the one the
customer cannot dress up. These metrics are measured on the receivables engine's per-invoice
frame (``receivables.open_items``: paid amounts, settled dates, days overdue at the as-of date)
and on the Activities log (promises to pay), for all customers at once (groupby, no loop).

Definitions (decided here, the spec names the metrics only):

- The 12-month window takes invoices whose **due date** lies in the 12 months up to the as-of
  date; credit notes and disputed invoices are left out of every metric (a quality claim is not
  a payment habit). An invoice has an *outcome* when it is settled (``settled_on``) or overdue
  now; an open invoice not yet due says nothing yet.
- days late of an invoice: settled → ``settled_on − due_date`` (0 when early); overdue →
  ``days_overdue`` at the as-of date. ``avg_days_late`` weighs them by the base-currency amount.
- ``on_time_share``: share of the amount with an outcome that was settled by its due date.
- ``max_days_overdue`` and ``overdue_share`` (overdue outstanding / all outstanding) look at
  every open invoice, however old: they describe the balance *now*.
- ``trend``: average days late of invoices due in the last 3 months minus that of the 9 months
  before (positive = paying later); unknown when either part has no outcome.
- a **broken promise**: a ``promise`` activity whose promise date is in the window and at least
  ``PROMISE_GRACE_DAYS`` behind the as-of date, where the customer's payments dated from the
  activity's date to the promise date + the grace add up to less than the promised amount (to
  nothing at all when no amount was promised). The grace allows for bank transfer days.
- A customer without any invoice with an outcome in the window has no payment record: every
  metric is unknown and the scorecard treats the pillar as a data gap.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

#: days after a promise date within which a payment still keeps the promise
PROMISE_GRACE_DAYS = 3
WINDOW_MONTHS = 12
RECENT_MONTHS = 3

METRICS: tuple[str, ...] = (
    "avg_days_late", "on_time_share", "max_days_overdue", "overdue_share", "trend",
    "broken_promises",
)


def _weighted(frame: pd.DataFrame, value: str, weight: str, where: pd.Series) -> pd.Series:
    """Σ weight·value / Σ weight per customer over the rows ``where`` holds."""
    part = frame.loc[where, ["customer_id", value, weight]]
    sums = (part[value] * part[weight]).groupby(part["customer_id"]).sum()
    weights = part[weight].groupby(part["customer_id"]).sum()
    return sums / weights.where(weights > 0)


def promise_outcomes(activities: pd.DataFrame, payments: pd.DataFrame,
                     as_of: dt.date) -> pd.DataFrame:
    """Every promise to pay of the last 12 months whose date (plus the grace days) has passed:
    ``customer_id``, ``date``, ``promise_date``, ``promise_amount``, ``received`` (the customer's
    payments from the promise's date to the promise date + grace) and ``broken``.

    One definition for the scorecard's payment factor and the early warning. Money is fungible:
    what the customer paid in the window counts, whichever invoice it went to; a promise without
    an amount is broken when nothing came in.
    """
    end = pd.Timestamp(as_of)
    start = end - pd.DateOffset(months=WINDOW_MONTHS)
    grace = pd.Timedelta(days=PROMISE_GRACE_DAYS)
    promises = activities.loc[
        (activities["type"] == "promise") & activities["promise_date"].notna()
        & (activities["promise_date"] > start) & (activities["promise_date"] + grace <= end),
        ["customer_id", "date", "promise_date", "promise_amount"],
    ].reset_index(drop=True)
    if promises.empty:
        return promises.assign(received=pd.Series(dtype="float64"),
                               broken=pd.Series(dtype="bool"))
    promises["promise"] = np.arange(len(promises))
    paid = payments.loc[payments["customer_id"].isin(promises["customer_id"]),
                        ["customer_id", "payment_date", "amount"]]
    matched = promises.merge(paid, on="customer_id", how="inner")
    in_time = (matched["payment_date"] >= matched["date"]) & (
        matched["payment_date"] <= matched["promise_date"] + grace)
    received = matched.loc[in_time].groupby("promise")["amount"].sum()
    got = received.reindex(promises["promise"]).fillna(0.0).to_numpy()
    wanted = promises["promise_amount"].astype("float64").to_numpy()
    return promises.drop(columns="promise").assign(
        received=got, broken=np.where(np.isnan(wanted), got <= 0, got < wanted - 0.005))


def broken_promises(activities: pd.DataFrame, payments: pd.DataFrame,
                    as_of: dt.date) -> pd.Series:
    """Broken promises to pay in the last 12 months per customer id (customers without a promise
    are absent)."""
    outcomes = promise_outcomes(activities, payments, as_of)
    if outcomes.empty:
        return pd.Series(dtype="float64", name="broken_promises")
    return outcomes["broken"].groupby(outcomes["customer_id"]).sum().astype("float64").rename(
        "broken_promises")


def payment_behaviour(items: pd.DataFrame, activities: pd.DataFrame, payments: pd.DataFrame,
                      *, as_of: dt.date) -> pd.DataFrame:
    """The payment metrics (``METRICS``) per customer id, for customers with a payment record.

    ``items`` is the receivables engine's per-invoice frame; ``activities`` and ``payments`` the
    register's valid rows.
    """
    end = pd.Timestamp(as_of)
    start = end - pd.DateOffset(months=WINDOW_MONTHS)
    recent = end - pd.DateOffset(months=RECENT_MONTHS)
    mine = items.loc[(items["amount"] > 0) & ~items["disputed"].fillna(False).astype(bool)]
    due = mine["due_date"]
    settled = mine["settled_on"].notna()
    overdue_now = (mine["days_overdue"] > 0) & (mine["outstanding"] > 0)
    late_days = np.where(settled, ((mine["settled_on"] - due).dt.days.clip(lower=0)),
                         mine["days_overdue"].astype("float64"))
    frame = pd.DataFrame({
        "customer_id": mine["customer_id"],
        "late": late_days.astype("float64"),
        "on_time": (settled & (mine["settled_on"] <= due)).astype("float64"),
        "weight": mine["amount_base"].astype("float64"),
        "open_base": mine["outstanding_base"].clip(lower=0).astype("float64"),
        "overdue_base": mine["outstanding_base"].clip(lower=0).where(overdue_now, 0.0),
        "days_overdue": mine["days_overdue"].where(overdue_now, 0).astype("float64"),
    }, index=mine.index)
    outcome = (settled | overdue_now) & (due > start) & (due <= end)
    has_record = pd.Index(frame.loc[outcome, "customer_id"].unique(), name="customer_id")

    out = pd.DataFrame(index=has_record)
    out["avg_days_late"] = _weighted(frame, "late", "weight", outcome)
    out["on_time_share"] = _weighted(frame, "on_time", "weight", outcome)
    by_customer = frame.groupby("customer_id")
    out["max_days_overdue"] = by_customer["days_overdue"].max()
    balance = by_customer["open_base"].sum().reindex(has_record)
    overdue = by_customer["overdue_base"].sum().reindex(has_record)
    out["overdue_share"] = (overdue / balance.where(balance > 0)).fillna(0.0)
    last_3 = _weighted(frame, "late", "weight", outcome & (due > recent))
    nine_before = _weighted(frame, "late", "weight", outcome & (due <= recent))
    out["trend"] = last_3 - nine_before
    broken = broken_promises(activities, payments, as_of)
    out["broken_promises"] = broken.reindex(has_record).fillna(0.0)
    return out[list(METRICS)]


def worst_days_overdue(items: pd.DataFrame) -> pd.Series:
    """Days overdue of each customer's oldest unpaid (undisputed) invoice, for the knock-out,
    whatever its due date."""
    mine = items.loc[(items["outstanding"] > 0) & ~items["disputed"].fillna(False).astype(bool)]
    return mine.groupby("customer_id")["days_overdue"].max().astype("float64")
