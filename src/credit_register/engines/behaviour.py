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
- ``max_days_overdue`` and ``overdue_share`` (``receivables.overdue_share``: overdue ÷ what is
  owed; 0 when nothing is) look at every open invoice, however old: they describe the balance
  *now*.
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
import numpy.typing as npt
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.register import Register
from credit_register.engines import receivables

#: days after a promise date within which a payment still keeps the promise
PROMISE_GRACE_DAYS = 3
DAY = np.timedelta64(1, "D")
WINDOW_MONTHS = 12
RECENT_MONTHS = 3

METRICS: tuple[str, ...] = (
    "avg_days_late",
    "on_time_share",
    "max_days_overdue",
    "overdue_share",
    "trend",
    "broken_promises",
)


def _customer_codes(customer_ids: pd.Series) -> tuple[pd.CategoricalIndex, pd.Index]:
    """Each row's customer as a groupby key on integer codes, and the customers found (in the
    order they first appear; a row without a customer has no group).

    Hashing half a million text ids is the costly part of a groupby: done once here, and pandas
    groups a categorical by its codes directly, so every per-customer sum reuses them.
    """
    codes, customers = pd.factorize(customer_ids)
    key = pd.CategoricalIndex(
        pd.Categorical.from_codes(codes, categories=pd.RangeIndex(len(customers)))
    )
    return key, pd.Index(customers, name="customer_id")


def _weighted(total: pd.DataFrame, value: str, weight: str) -> np.ndarray:
    """Σ weight·value / Σ weight per customer from the summed columns (unknown without weight)."""
    weights = total[weight].to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(weights > 0, total[value].to_numpy() / weights, np.nan)


def _only(values: np.ndarray, where: np.ndarray) -> np.ndarray:
    """``values`` on the rows ``where`` holds, blank elsewhere: a sum skips blanks exactly as if
    the rows had been filtered out (and gives the very same figure)."""
    return np.where(where, values, np.nan)


def promise_outcomes(
    activities: pd.DataFrame,
    payments: pd.DataFrame,
    as_of: dt.date,
    *,
    numbers: tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]] | None = None,
    amounts: npt.NDArray[np.float64] | None = None,
) -> pd.DataFrame:
    """Every promise to pay of the last 12 months whose date (plus the grace days) has passed:
    ``customer_id``, ``date``, ``promise_date``, ``promise_amount``, ``received`` (the customer's
    payments from the promise's date to the promise date + grace), ``broken`` and ``made_good``
    (a broken promise whose amount came in later, by the as-of date: it no longer holds deliveries).

    One definition for the scorecard's payment factor and the early warning. Money is fungible:
    what the customer paid in the window counts, whichever invoice it went to; a promise without
    an amount is broken when nothing came in. ``numbers``: the customers' numbers on the
    activities and payments rows when the caller has them (``Register.numbers``); without them the
    customer IDs are matched as text. A promise is made in the customer's currency: ``amounts``
    are the payments in their customers' currencies (``receivables.payments_in_customer_currency``)
    — without them, the amounts as typed, which is the same for a customer paying in one currency.

    Each promise's window is summed from one running total of the promising customers' payments
    sorted by (customer, day), two binary searches per promise: no promise × payment pairs.
    """
    end = pd.Timestamp(as_of)
    start = end - pd.DateOffset(months=WINDOW_MONTHS)
    grace = pd.Timedelta(days=PROMISE_GRACE_DAYS)
    chosen = (
        (activities["type"] == "promise")
        & activities["promise_date"].notna()
        & (activities["promise_date"] > start)
        & (activities["promise_date"] + grace <= end)
    ).to_numpy(dtype=bool)
    promises = activities.loc[chosen, ["customer_id", "date", "promise_date", "promise_amount"]]
    promises = promises.reset_index(drop=True)
    if promises.empty:
        return promises.assign(
            received=pd.Series(dtype="float64"),
            broken=pd.Series(dtype="bool"),
            made_good=pd.Series(dtype="bool"),
        )
    opened = promises["date"].to_numpy(dtype="datetime64[D]")
    closes = (promises["promise_date"] + grace).to_numpy(dtype="datetime64[D]")
    # up to the as-of date: a broken promise is made good by what came in since
    last = np.datetime64(end.date(), "D")
    first = min(opened.min(), last)
    # only payments inside some promise's window can count: a cheap date cut first
    paid_on = payments["payment_date"].to_numpy(dtype="datetime64[D]")
    window = np.flatnonzero((paid_on >= first) & (paid_on <= last))
    if numbers is None:
        joined = np.concatenate(
            [
                promises["customer_id"].to_numpy(dtype=object),
                payments["customer_id"].to_numpy(dtype=object)[window],
            ]
        )
        codes = pd.factorize(joined)[0]
        promised_by, paid_by = codes[: len(promises)], codes[len(promises) :]
    else:
        promised_by, paid_by = numbers[0][chosen], numbers[1][window]
    # ... and of a customer who promised
    promising = np.zeros(
        max(int(promised_by.max(initial=-1)), int(paid_by.max(initial=-1))) + 2, dtype=bool
    )
    promising[promised_by[promised_by >= 0]] = True
    mine = (paid_by >= 0) & promising[paid_by]
    paid_by, window = paid_by[mine], window[mine]
    span = int((last - first) / DAY) + 2
    key = paid_by * span + ((paid_on[window] - first) / DAY).astype(np.int64)
    order = np.argsort(key, kind="stable")
    if amounts is None:
        amounts = payments["amount"].to_numpy(dtype="float64", na_value=np.nan)
    amounts = np.nan_to_num(amounts)
    running = np.concatenate([[0.0], np.cumsum(amounts[window][order])])
    key = key[order]
    dated = ~np.isnat(opened) & (promised_by >= 0)
    base = np.where(dated, promised_by, 0) * span
    low = np.searchsorted(
        key, base + ((np.where(dated, opened, first) - first) / DAY).astype(np.int64), side="left"
    )
    high = np.searchsorted(key, base + ((closes - first) / DAY).astype(np.int64), side="right")
    now = np.searchsorted(key, base + int((last - first) / DAY), side="right")
    got = np.where(dated & (high > low), np.round(running[high] - running[low], 2), 0.0)
    since = np.where(dated & (now > low), np.round(running[now] - running[low], 2), 0.0)
    wanted = promises["promise_amount"].astype("float64").to_numpy()
    broken = np.where(np.isnan(wanted), got <= 0, got < wanted - CENT)
    kept_later = np.where(np.isnan(wanted), since > 0, since >= wanted - CENT)
    return promises.assign(received=got, broken=broken, made_good=broken & kept_later)


def promises_still_broken(register: Register, items: pd.DataFrame, as_of: dt.date) -> pd.DataFrame:
    """The promises to pay broken and not made good since (``promise_outcomes``' rows): one
    definition for the credit hold and the early warning, the payments measured in their
    customers' currencies."""
    outcomes = promise_outcomes(
        register.frame("activities"),
        register.frame("payments"),
        as_of,
        numbers=(
            register.numbers("customer_id", "activities"),
            register.numbers("customer_id", "payments"),
        ),
        amounts=receivables.payments_in_customer_currency(register, items),
    )
    return outcomes.loc[outcomes["broken"].astype(bool) & ~outcomes["made_good"].astype(bool)]


def broken_promises(
    activities: pd.DataFrame,
    payments: pd.DataFrame,
    as_of: dt.date,
    amounts: npt.NDArray[np.float64] | None = None,
) -> pd.Series:
    """Broken promises to pay in the last 12 months per customer id (customers without a promise
    are absent); ``amounts`` as in ``promise_outcomes``."""
    outcomes = promise_outcomes(activities, payments, as_of, amounts=amounts)
    if outcomes.empty:
        return pd.Series(dtype="float64", name="broken_promises")
    return (
        outcomes["broken"]
        .groupby(outcomes["customer_id"])
        .sum()
        .astype("float64")
        .rename("broken_promises")
    )


def payment_behaviour(
    items: pd.DataFrame,
    activities: pd.DataFrame,
    payments: pd.DataFrame,
    *,
    as_of: dt.date,
    payment_amounts: npt.NDArray[np.float64] | None = None,
) -> pd.DataFrame:
    """The payment metrics (``METRICS``) per customer id, for customers with a payment record.

    ``items`` is the receivables engine's per-invoice frame; ``activities`` and ``payments`` the
    register's valid rows; ``payment_amounts`` the payments in their customers' currencies (for
    the promises to pay).
    """
    end = pd.Timestamp(as_of)
    start = end - pd.DateOffset(months=WINDOW_MONTHS)
    recent = end - pd.DateOffset(months=RECENT_MONTHS)
    # invoices only, no credit note or disputed invoice; masked rather than filtered out, since
    # copying half a million rows costs more than the sums that follow
    counted = ((items["amount"] > 0) & ~items["disputed"].fillna(False).astype(bool)).to_numpy(
        dtype=bool
    )
    due = items["due_date"]
    settled_on = items["settled_on"]
    settled = settled_on.notna().to_numpy(dtype=bool)
    days_overdue = items["days_overdue"].to_numpy(dtype="float64", na_value=np.nan)
    outstanding = items["outstanding"].to_numpy(dtype="float64", na_value=np.nan)
    overdue_now = (days_overdue > 0) & (outstanding > 0)
    late = np.where(
        settled,
        (settled_on - due).dt.days.clip(lower=0).to_numpy(dtype="float64", na_value=np.nan),
        days_overdue,
    )
    on_time = (settled & (settled_on <= due).to_numpy(dtype=bool)).astype("float64")
    weight = items["amount_base"].to_numpy(dtype="float64", na_value=np.nan)
    in_window = ((due > start) & (due <= end)).to_numpy(dtype=bool)
    outcome = counted & (settled | overdue_now) & in_window
    last_3 = outcome & (due > recent).to_numpy(dtype=bool)
    nine_before = outcome & ~last_3
    open_base = items["outstanding_base"].clip(lower=0).to_numpy(dtype="float64", na_value=np.nan)
    # every per-customer sum in one grouped pass; a weighted average is Σ weight·value / Σ weight
    sums = pd.DataFrame(
        {
            "late": _only(late * weight, outcome),
            "on_time": _only(on_time * weight, outcome),
            "weight": _only(weight, outcome),
            "late_3": _only(late * weight, last_3),
            "weight_3": _only(weight, last_3),
            "late_9": _only(late * weight, nine_before),
            "weight_9": _only(weight, nine_before),
            "open_base": _only(open_base, counted),
            "overdue_base": _only(np.where(overdue_now, open_base, 0.0), counted),
            "days_overdue": _only(np.where(overdue_now, days_overdue, 0.0), counted),
        }
    )
    key, customers = _customer_codes(items["customer_id"])
    grouped = sums.groupby(key, observed=False)
    total = grouped.sum(numeric_only=True)
    worst = grouped["days_overdue"].max().to_numpy(dtype="float64")

    # the customers with an outcome in the window, in the order their invoices come
    codes = key.codes
    recorded = pd.unique(codes[outcome & (codes >= 0)])
    has_record = customers.take(recorded)
    balance = total["open_base"].to_numpy()
    # the Ageing sheet's definition; a customer who owes nothing has nothing overdue
    overdue_share = np.nan_to_num(
        receivables.overdue_share(total["overdue_base"].to_numpy(dtype=float), balance), nan=0.0
    )
    found = pd.DataFrame(
        {
            "avg_days_late": _weighted(total, "late", "weight"),
            "on_time_share": _weighted(total, "on_time", "weight"),
            "max_days_overdue": worst,
            "overdue_share": overdue_share,
            "trend": _weighted(total, "late_3", "weight_3")
            - _weighted(total, "late_9", "weight_9"),
        }
    ).take(recorded)
    out = found.set_axis(has_record)
    broken = broken_promises(activities, payments, as_of, payment_amounts)
    out["broken_promises"] = broken.reindex(has_record).fillna(0.0)
    return out[list(METRICS)]


def worst_days_overdue(items: pd.DataFrame) -> pd.Series:
    """Days overdue of each customer's oldest unpaid (undisputed) invoice, for the knock-out,
    whatever its due date."""
    mine = items.loc[(items["outstanding"] > 0) & ~items["disputed"].fillna(False).astype(bool)]
    return mine.groupby("customer_id")["days_overdue"].max().astype("float64")
