"""The provision matrix (policy §6a): the lifetime loss rate of each ageing bucket, and the
provision it asks for today (IFRS 9 simplified approach / CAS 22 expected credit loss on
receivables; separately bought credit insurance does not reduce it).

The rates come from the register's own history where it has one. The ageing is replayed at each
of the last 13 month-ends from invoice and payment dates, which gives twelve monthly steps; for
each bucket the *roll rate* is the share of the bucket's balance at one month-end still unpaid at
the next (summed over the twelve steps). A balance in a bucket is lost if it stays unpaid until
it is more than 365 days past due, so a bucket's loss rate is the product of the roll rates of
the months it must still survive — one month in each of not due, 1–30, 31–60 and 61–90 days,
three in 91–180, about six in 181–365 (a bucket's width in days / 30) — times the loss rate of
the last bucket (the Policy's, 100 % by default). A bucket whose chain includes a bucket that
never held a balance in the year keeps the Policy's default rate. The Policy's forward-looking
adjustment then scales every rate (capped at 100 %).

Everything is whole-array: payments are binned into month-end slots per invoice with one
``bincount`` and cumulated along the slots; no loop over invoices or months.

Decisions (the spec is silent on them; documented in the README too):

- Only invoices (positive amounts) are replayed; credit notes and unapplied cash are left out of
  the matrix, as a provision is made on what customers owe, not net of what they hold.
- An invoice whose paid amount comes from the ``paid_amount`` column (no payment rows) is taken
  as paid on its due date, as in the exposure replay.
- Today's provision applies each bucket's rate to the Ageing sheet's positive balances in it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.register import Register
from credit_register.engines.joins import DAY, dates, floats
from credit_register.engines.receivables import has_payment_rows, payment_invoice_rows
from credit_register.policy import Policy
from credit_register.policy.loss_rows import PROVISION_BUCKETS

#: how many month-ends are replayed (twelve monthly steps)
MONTH_ENDS = 13


@dataclass(frozen=True)
class ProvisionMatrix:
    """Per ageing bucket (not due … > 365): the measured roll rate (NaN where not measured),
    the loss rate used, where it came from (``history`` or ``policy``), today's balance and the
    provision; and the totals."""

    table: pd.DataFrame
    balance: float
    provision: float
    month_ends: tuple[dt.date, ...]


def _month_ends(as_of: dt.date) -> npt.NDArray[np.datetime64]:
    today = pd.Timestamp(as_of)
    last = today if today.is_month_end else today - pd.offsets.MonthEnd(1)
    ends = pd.date_range(end=last.normalize(), periods=MONTH_ENDS, freq="ME")
    return np.asarray(ends.to_numpy(dtype="datetime64[D]"))


def _buckets(days_past_due: npt.NDArray[np.int64], edges: tuple[int, ...]) -> npt.NDArray[np.int64]:
    """0 = not due, then 1..len(edges) for the policy's buckets, len(edges)+1 beyond."""
    return np.asarray(
        np.where(
            days_past_due > 0,
            np.searchsorted(np.asarray(edges), days_past_due, side="left") + 1,
            0,
        ),
        dtype=np.int64,
    )


def roll_rates(
    register: Register, policy: Policy, as_of: dt.date, items: pd.DataFrame
) -> tuple[pd.DataFrame, tuple[dt.date, ...]]:
    """Per bucket: the balance at the month-ends (summed) and the part of it still unpaid a month
    later, base currency, from the replayed ageing; and the month-ends used."""
    ends = _month_ends(as_of)
    k = len(ends)
    edges = tuple(policy.ageing.edges)
    n_buckets = len(edges) + 2
    amount = items["amount_base"].to_numpy(dtype=float, na_value=np.nan)
    rate = items["rate_to_base"].to_numpy(dtype=float, na_value=np.nan)
    invoiced = dates(items["invoice_date"])
    due = dates(items["due_date"])
    settled = dates(items["settled_on"])
    # what can hold a balance at one of the month-ends: invoiced by the last, not settled
    # before the first
    candidate = np.flatnonzero(
        (amount > 0) & (invoiced <= ends[-1]) & (np.isnat(settled) | (settled > ends[0]))
    )
    m = len(candidate)
    slot_of = np.full(len(items), -1, dtype=np.int64)
    slot_of[candidate] = np.arange(m)

    # payments into month-end slots: a payment counts at the first month-end on or after it
    payments = register.frame("payments")
    paid_to = payment_invoice_rows(register)
    pay_amount = floats(payments["amount"])
    pay_day = dates(payments["payment_date"])
    use = (paid_to >= 0) & (pay_amount > 0) & ~np.isnat(pay_day)
    use &= slot_of[np.where(paid_to >= 0, paid_to, 0)] >= 0
    inv = slot_of[paid_to[use]]
    slot = np.searchsorted(ends, pay_day[use], side="left")
    base = pay_amount[use] * rate[paid_to[use]]
    # an invoice paid through the paid_amount column: paid on its due date
    from_column = ~has_payment_rows(register)[candidate]
    column_paid = items["paid"].to_numpy(dtype=float, na_value=0.0)[candidate] * rate[candidate]
    inv = np.concatenate([inv, np.flatnonzero(from_column)])
    slot = np.concatenate([slot, np.searchsorted(ends, due[candidate][from_column], side="left")])
    base = np.concatenate([base, column_paid[from_column]])
    inside = slot < k
    paid = np.bincount(
        inv[inside] * k + slot[inside], weights=np.nan_to_num(base[inside]), minlength=m * k
    ).reshape(m, k)
    balance = np.round(amount[candidate][:, None] - np.cumsum(paid, axis=1), 2)
    live = (invoiced[candidate][:, None] <= ends[None, :]) & (balance > CENT)
    balance = np.where(live, balance, 0.0)
    past_due = ((ends[None, :] - due[candidate][:, None]) / DAY).astype(np.int64)
    bucket = _buckets(past_due, edges)

    # each step: the balance in a bucket at month-end j, and what of it is unpaid at j + 1
    start, after = balance[:, :-1], balance[:, 1:]
    which = bucket[:, :-1]
    held = np.bincount(which.ravel(), weights=start.ravel(), minlength=n_buckets)
    unpaid = np.bincount(
        which.ravel(), weights=np.minimum(after, start).ravel(), minlength=n_buckets
    )
    frame = pd.DataFrame({"held": held[:n_buckets], "unpaid": unpaid[:n_buckets]})
    return frame, tuple(pd.Timestamp(d).date() for d in ends)


def provision_matrix(
    register: Register, policy: Policy, as_of: dt.date, items: pd.DataFrame, aged: pd.DataFrame
) -> ProvisionMatrix:
    """:class:`ProvisionMatrix` at ``as_of``: loss rates from the replayed roll rates where the
    year measures them, else the Policy's defaults; today's balances from the Ageing sheet."""
    rolls, ends = roll_rates(register, policy, as_of, items)
    defaults = np.asarray(policy.loss.provision_rates, dtype=float)
    n = len(defaults)
    held = rolls["held"].to_numpy()[:n]
    with np.errstate(divide="ignore", invalid="ignore"):
        roll = np.where(held > CENT, rolls["unpaid"].to_numpy()[:n] / held, np.nan)
    # the months a balance spends in each bucket before the next: one while not due, then the
    # bucket's width in days / 30 (1, 1, 1, 3, 6.2 with the default edges)
    widths = np.diff(np.asarray([0, *policy.ageing.edges], dtype=float)) / 30.0
    months = np.concatenate([[1.0], widths])
    last = n - 1  # the bucket beyond the last edge: the loss
    rates = defaults.copy()
    source = np.array(["policy"] * n, dtype=object)
    for b in range(last):  # seven buckets: the chain from each to the loss
        chain = roll[b:last]
        if np.isnan(chain).any():
            continue
        rates[b] = float(np.prod(chain ** months[b:last]) * defaults[last])
        source[b] = "history"
    rates = np.minimum(rates * (1 + policy.loss.forward_adjustment), 1.0)
    bucket_keys = [key for key, _, _ in PROVISION_BUCKETS]
    balances = (
        aged[bucket_keys].clip(lower=0.0).sum().to_numpy(dtype=float) if len(aged) else np.zeros(n)
    )
    provision = np.round(balances * rates, 2)
    table = pd.DataFrame(
        {
            "roll_rate": roll,
            "loss_rate": rates,
            "source": source,
            "balance": np.round(balances, 2),
            "provision": provision,
        },
        index=pd.Index(bucket_keys, name="bucket"),
    )
    return ProvisionMatrix(table, float(balances.sum()), float(provision.sum()), ends)
