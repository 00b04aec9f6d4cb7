"""What a customer normally owes: its daily exposure replayed over the last year, and its recent
invoicing — the history behind the need term of a credit limit (policy §2).

A limit sized on one month of typed sales blocks a customer whose normal peak is twice that. The
need is therefore read from the register itself: every invoice raises the customer's balance on
its invoice date, every payment lowers it on its payment date, and a bill of exchange lowers it
only when it matures (until then it is still our money at risk). Replaying those events day by
day gives each customer's exposure on each of the last 365 days; its 90th percentile is the
customer's *normal peak*, high enough to carry the usual month-end and seasonal peaks, not so high
that one exceptional day sets the limit.

Everything is one ``bincount`` into a customers × days matrix and one cumulative sum along it: no
loop over invoices, payments or customers (10,000 customers × 365 days is 29 MB of floats).

Decisions (the spec is silent on them; documented in the README too):

- The replay counts open invoices (credit notes lower the balance) and unmatured bills, as the
  policy says; open orders are added by the limit rule from today's Orders sheet (no history of
  orders is kept). Unapplied cash lowers the balance from the day it came in, as it does today's
  exposure.
- Amounts are converted at today's FX rate (the FX sheet keeps one rate per currency), so the
  replay measures volume, not exchange-rate moves.
- An invoice whose paid amount comes from the Invoices sheet's ``paid_amount`` column (no
  payment rows: a migrated register) is taken as paid on its due date; the date is unknown.
- Average monthly invoicing: the invoices (less credit notes) dated in the three calendar months
  ending at the last month end on or before the as-of date (the as-of month counts when the
  as-of date is its last day), divided by three.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core.register import Register
from credit_register.engines.joins import DAY
from credit_register.engines.receivables import (
    customer_limits,
    has_payment_rows,
    limit_rows,
    payment_rates,
)
from credit_register.policy.model import Policy

#: the replay's window: the last 365 days up to and including the as-of date
WINDOW_DAYS = 365
#: the percentile of daily exposure taken as the customer's normal peak
PEAK_PERCENTILE = 90.0

FloatArray = npt.NDArray[np.float64]


def _floats(series: pd.Series) -> FloatArray:
    return np.asarray(
        pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan), dtype=float
    )


def daily_exposure(
    register: Register, policy: Policy, as_of: dt.date, items: pd.DataFrame
) -> pd.DataFrame:
    """Each customer's open invoices + unmatured bills (base currency) at the end of each of the
    last ``WINDOW_DAYS`` days, one row per customer of ``customer_limits`` (same index), one
    column per day (oldest first)."""
    ids = customer_limits(register).index
    k, n_days = len(ids), WINDOW_DAYS
    day = np.datetime64(as_of, "D")
    start = day - (n_days - 1) * DAY
    row_of = limit_rows(register)

    # invoices (and credit notes) raise the balance on their date
    at = [row_of[items["_customer"].to_numpy(dtype=np.int64)]]
    when = [items["invoice_date"].to_numpy(dtype="datetime64[D]")]
    delta = [np.nan_to_num(items["amount_base"].to_numpy(dtype=float))]

    # an invoice paid through the paid_amount column: paid on its due date
    has_rows = has_payment_rows(register)
    from_column = ~has_rows & (items["paid"].to_numpy(dtype=float) != 0)
    rate = items["rate_to_base"].to_numpy(dtype=float)
    at.append(at[0][from_column])
    when.append(items["due_date"].to_numpy(dtype="datetime64[D]")[from_column])
    delta.append(
        -np.nan_to_num(items["paid"].to_numpy(dtype=float)[from_column] * rate[from_column])
    )

    # payments lower it when received; a bill only when it matures
    payments = register.frame("payments")
    amount = _floats(payments["amount"])
    paid_on = payments["payment_date"].to_numpy(dtype="datetime64[D]")
    bill = payments["method"].to_numpy(dtype=object) == "bill"
    maturity = payments["bill_maturity"].to_numpy(dtype="datetime64[D]")
    maturity = np.where(
        np.isnat(maturity), paid_on + policy.bill_default_maturity_days * DAY, maturity
    )
    pay_rate = payment_rates(register, items)
    at.append(row_of[register.numbers("customer_id", "payments")])
    when.append(np.where(bill, maturity, paid_on))
    delta.append(-np.nan_to_num(amount * pay_rate))

    rows = np.concatenate(at)
    dates = np.concatenate(when)
    values = np.concatenate(delta)
    use = (rows >= 0) & ~np.isnat(dates) & (dates <= day) & (values != 0)
    offset = np.clip(((dates[use] - start) / DAY).astype(np.int64), 0, n_days - 1)
    flat = rows[use] * n_days + offset
    daily = np.bincount(flat, weights=values[use], minlength=k * n_days).reshape(k, n_days)
    balance = np.round(np.cumsum(daily, axis=1), 2)
    columns = pd.date_range(pd.Timestamp(start), periods=n_days, freq="D")
    return pd.DataFrame(balance, index=ids, columns=columns)


def peak_exposure(daily: pd.DataFrame, percentile: float = PEAK_PERCENTILE) -> pd.Series:
    """The ``percentile`` of each customer's daily exposure (its normal peak), base currency."""
    if daily.empty:
        return pd.Series(np.nan, index=daily.index, dtype="float64")
    peak = np.percentile(daily.to_numpy(dtype=float), percentile, axis=1)
    return pd.Series(np.round(peak, 2), index=daily.index, dtype="float64")


def monthly_invoicing(register: Register, as_of: dt.date, items: pd.DataFrame) -> pd.Series:
    """Each customer's average monthly invoicing (base currency, credit notes netted) over the
    three full calendar months ending at the last month end on or before ``as_of``."""
    ids = customer_limits(register).index
    today = pd.Timestamp(as_of)
    end = today if today.is_month_end else today - pd.offsets.MonthEnd(1)
    first = (end - pd.offsets.MonthBegin(1) - pd.DateOffset(months=2)).normalize()
    dated = items["invoice_date"].to_numpy(dtype="datetime64[D]")
    inside = (dated >= np.datetime64(first.date(), "D")) & (dated <= np.datetime64(end.date(), "D"))
    rows = limit_rows(register)[items["_customer"].to_numpy(dtype=np.int64)]
    use = inside & (rows >= 0)
    total = np.bincount(
        rows[use],
        weights=np.nan_to_num(items["amount_base"].to_numpy(dtype=float)[use]),
        minlength=len(ids),
    )[: len(ids)]
    return pd.Series(np.round(total / 3.0, 2), index=ids, dtype="float64")


def open_orders(exposure: pd.DataFrame) -> pd.Series:
    """Today's open orders and shipped-not-invoiced goods, base currency (``exposure_by_customer``
    columns)."""
    return (exposure["orders_base"] + exposure["shipped_base"]).astype("float64")


def limit_history(
    register: Register,
    policy: Policy,
    as_of: dt.date,
    items: pd.DataFrame | None,
    exposure: pd.DataFrame | None,
    ids: pd.Index,
) -> dict[str, pd.Series]:
    """The history terms of the need (``limits.propose_limits`` inputs) for the customers
    ``ids``: ``monthly_invoicing``, ``peak_exposure`` (the P90 of daily exposure, or today's
    exposure within terms when higher), ``open_orders`` and ``overdue``, base currency. Unknown
    (NaN) without this run's exposure frame; the recent invoicing and the peak are unknown for a
    customer that was never invoiced (a new customer's need is its typed sales)."""
    if items is None or exposure is None or "_customer" not in items:
        unknown = pd.Series(np.nan, index=ids, dtype="float64")
        return {
            k: unknown for k in ("monthly_invoicing", "peak_exposure", "open_orders", "overdue")
        }
    invoiced = np.zeros(len(exposure), dtype=bool)
    rows = limit_rows(register)[items["_customer"].to_numpy(dtype=np.int64)]
    invoiced[rows[rows >= 0]] = True
    seen = pd.Series(invoiced, index=exposure.index)
    # today's exposure within terms counts when above the percentile: a good customer's usual
    # business today is never "more than it needs"; what is overdue is not a need
    within_terms = (
        exposure["open_invoices_base"]
        - exposure["overdue_base"]
        + exposure["bills_base"]
        - exposure["unapplied_base"]
    )
    peak = peak_exposure(daily_exposure(register, policy, as_of, items))
    peak = pd.Series(np.fmax(peak, within_terms), index=peak.index).where(seen)
    monthly = monthly_invoicing(register, as_of, items).where(seen)
    return {
        "monthly_invoicing": monthly.reindex(ids),
        "peak_exposure": peak.reindex(ids),
        "open_orders": open_orders(exposure).reindex(ids),
        "overdue": exposure["overdue_base"].reindex(ids),
    }
