"""Limitation (诉讼时效) per invoice: until when a court will still hear our claim (policy §5).

An invoice's claim runs out three years after it fell due (民法典 第一百八十八条), four for an
international sale of goods (第五百九十四条: here, a customer whose country is not CN). The
period is interrupted and restarts (第一百九十五条) only on evidence a court accepts:

- a **demand that reached the debtor**: an Activities row of type 催收 collection or 法律 legal
  with a ``delivered_on`` date (the registered-mail receipt, the e-mail read receipt): it counts
  from that date — a letter generated and never proven delivered counts for nothing;
- an **acknowledgement** by the debtor: a promise to pay (承诺付款), a signed reconciliation
  statement (对账确认), from the activity's date, or a part payment of the invoice, from the
  payment date;
- a **suit**: while the customer's status is 诉讼 legal the proceedings are pending and the
  period does not run (the expiry is blank); when they end, log a 法律 row with the date the
  judgment took effect as ``delivered_on`` and the period restarts from it.

Each demand or acknowledgement restarts only the invoices it names (the Activities column
``invoices``, numbers separated by ``;``); a blank list names every invoice the customer owed
that day. A restart counts only while the period is still running: a demand sent after the claim
expired does not revive it. The expiry is tracked per invoice and shown on the Open items sheet.

Everything is whole-array work on the owed invoices (a few percent of a register) and the
activities; the chain of restarts is one sort and one grouped cumulative sum.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import numpy.typing as npt
import pandas as pd

from credit_register.core.register import Register
from credit_register.engines.joins import customer_rows, dates, day
from credit_register.policy import Policy

#: Activities types whose delivered row is a demand
DEMAND_TYPES: tuple[str, ...] = ("collection", "legal")
#: Activities types that are the debtor's acknowledgement, from their date
ACKNOWLEDGEMENT_TYPES: tuple[str, ...] = ("promise", "reconciliation")
_SEPARATORS = re.compile(r"[;；,，、\s]+")
NAT = np.datetime64("NaT", "D")

DateArray = npt.NDArray[np.datetime64]
IntArray = npt.NDArray[np.int64]


def plus_years(days: DateArray, years: IntArray) -> DateArray:
    """``days`` + ``years`` calendar years; a 29 February lands on the 28th (民法典 第二百零二条:
    a period ends on the corresponding day, else the last day of that month)."""
    days = days.astype("datetime64[D]")
    month = days.astype("datetime64[M]")
    into = (days - month.astype("datetime64[D]")).astype(np.int64)
    target = month + (12 * np.asarray(years, dtype=np.int64)).astype("timedelta64[M]")
    length = ((target + 1).astype("datetime64[D]") - target.astype("datetime64[D]")).astype(
        np.int64
    )
    out = target.astype("datetime64[D]") + np.minimum(into, length - 1).astype("timedelta64[D]")
    return np.where(np.isnat(days), NAT, out)


def _named(activities: pd.DataFrame, owed_numbers: pd.Series) -> pd.DataFrame:
    """(activity position, owed item's slot) for every owed invoice an activity names. Only
    owed invoices can restart (a few percent of a register), so only their numbers are looked
    up, never the half million of the Invoices sheet."""
    text = activities["invoices"].astype("string").fillna("").str.strip()
    named = text[text != ""]
    if named.empty or owed_numbers.empty:
        return pd.DataFrame({"activity": [], "item": []}, dtype=np.int64)
    parts = named.str.split(_SEPARATORS).explode()
    parts = parts[parts.notna() & (parts != "")]
    numbers = owed_numbers.astype("string").str.strip().reset_index(drop=True)
    first = ~numbers.duplicated().to_numpy()  # a repeated number is the validator's to report
    positions = np.flatnonzero(first)
    at = pd.Index(numbers[first]).get_indexer(pd.Index(parts.astype("string")))
    at = np.where(at >= 0, np.append(positions, -1)[at], -1)
    found = at >= 0
    return pd.DataFrame(
        {
            "activity": np.asarray(parts.index.to_numpy()[found], dtype=np.int64),
            "item": np.asarray(at[found], dtype=np.int64),
        }
    )


def limitation(
    register: Register,
    policy: Policy,
    as_of: dt.date,
    *,
    owed: npt.NDArray[np.bool_],
    due: DateArray,
    invoice_date: DateArray,
    at_customer: IntArray,
    payments: tuple[IntArray, DateArray],
) -> tuple[DateArray, DateArray, DateArray]:
    """Per invoice (the rows of ``register.frame("invoices")``): the limitation expiry, the last
    demand delivered and the last acknowledgement (NaT for items not ``owed``).

    ``at_customer``: each invoice's customer row; ``payments``: the counted payments' invoice
    rows and dates (part payments acknowledge the debt)."""
    today = day(as_of)
    n = len(due)
    customers = register.frame("customers")
    country = customers["country"].astype("string").fillna("CN").str.strip().str.upper()
    abroad = (country != "CN") & (country != "")
    years_of_customer = np.where(
        abroad.to_numpy(dtype=bool),
        policy.limitation_international_years,
        policy.limitation_years,
    )
    years = np.append(years_of_customer, policy.limitation_years)[at_customer]
    in_suit = np.append((customers["status"] == "legal").to_numpy(dtype=bool), False)[at_customer]

    items = np.flatnonzero(owed)
    slot = np.full(n, -1, dtype=np.int64)
    slot[items] = np.arange(len(items))

    # the evidence: (owed item, date, is a demand)
    events_item: list[IntArray] = []
    events_day: list[DateArray] = []
    events_demand: list[npt.NDArray[np.bool_]] = []

    paid_item, paid_day = payments
    part = (slot[paid_item] >= 0) & (paid_day <= today)
    events_item.append(slot[paid_item[part]])
    events_day.append(paid_day[part].astype("datetime64[D]"))
    events_demand.append(np.zeros(int(part.sum()), dtype=bool))

    activities = register.frame("activities").reset_index(drop=True)
    kind = activities["type"].to_numpy(dtype=object)
    delivered = dates(activities["delivered_on"])
    logged = dates(activities["date"])
    demand = np.isin(kind, DEMAND_TYPES) & ~np.isnat(delivered)
    acknowledged = np.isin(kind, ACKNOWLEDGEMENT_TYPES)
    when = np.where(demand, delivered, logged)
    counts = (demand | acknowledged) & ~np.isnat(when) & (when <= today)
    act_customer = customer_rows(register, "activities")
    counts &= act_customer >= 0
    blank = activities["invoices"].astype("string").fillna("").str.strip().eq("").to_numpy()

    owed_numbers = register.frame("invoices")["invoice_no"].iloc[items]
    named = _named(activities.loc[counts & ~blank], owed_numbers)
    act, item = named["activity"].to_numpy(), named["item"].to_numpy()
    mine = at_customer[items[item]] == act_customer[act]
    events_item.append(item[mine])
    events_day.append(when[act[mine]])
    events_demand.append(demand[act[mine]])

    # a blank list: every invoice of the customer owed that day (invoiced by then)
    general = np.flatnonzero(counts & blank)
    if len(general) and len(items):
        owed_of = pd.DataFrame({"item": np.arange(len(items)), "customer": at_customer[items]})
        acts = pd.DataFrame({"activity": general, "customer": act_customer[general]})
        pairs = acts.merge(owed_of, on="customer")
        act, item = pairs["activity"].to_numpy(), pairs["item"].to_numpy()
        then = invoice_date[items[item]] <= when[act]
        events_item.append(item[then])
        events_day.append(when[act[then]])
        events_demand.append(demand[act[then]])

    event_item = np.concatenate(events_item).astype(np.int64)
    event_day = np.concatenate(events_day).astype("datetime64[D]")
    is_demand = np.concatenate(events_demand)
    last_demand = _latest(event_item[is_demand], event_day[is_demand], len(items))
    last_ack = _latest(event_item[~is_demand], event_day[~is_demand], len(items))

    # the chain of restarts: each event after the due date restarts the period if it came
    # before the period (as restarted so far) ran out
    due_owed = due[items].astype("datetime64[D]")
    after_due = event_day > due_owed[event_item]
    chain_item = np.concatenate([np.arange(len(items)), event_item[after_due]])
    chain_day = np.concatenate([due_owed, event_day[after_due]])
    order = np.lexsort((chain_day, chain_item))
    chain_item, chain_day = chain_item[order], chain_day[order]
    ends = plus_years(chain_day, years[items][chain_item])
    first = np.r_[True, chain_item[1:] != chain_item[:-1]]
    previous_end = np.r_[ends[:1], ends[:-1]]
    broken = ~first & (chain_day > previous_end)
    broken_so_far = pd.Series(broken).groupby(chain_item).cumsum().to_numpy() > 0
    kept = ~broken_so_far
    expires_owed = np.full(len(items), NAT)
    # the last kept event of each item: the chain is sorted by day within each item
    np.maximum.at(expires_owed.view("int64"), chain_item[kept], ends[kept].view("int64"))
    expires_owed = np.where(in_suit[items], NAT, expires_owed)

    def spread(values: DateArray) -> DateArray:
        out = np.full(n, NAT)
        out[items] = values
        return out

    return spread(expires_owed), spread(last_demand), spread(last_ack)


def _latest(item: IntArray, when: DateArray, count: int) -> DateArray:
    """The latest date per item (NaT where none)."""
    latest = np.full(count, NAT)
    if len(item):
        # NaT is the smallest int64, so the maximum of NaT and a date is the date
        np.maximum.at(latest.view("int64"), item, when.astype("datetime64[D]").view("int64"))
    return latest
