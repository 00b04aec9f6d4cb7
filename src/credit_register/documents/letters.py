"""Collection letters (催收函): which are due, and what each says.

Decisions (the spec leaves them open): one letter per customer at the highest collections step
(0–3) its open invoices reached; it lists every open invoice at step 0 or above. Steps 4–5
(collection agency, litigation) are hand-overs, not letters. A letter is due unless a
``collection`` activity for the customer already names that letter, dated on or after the day its
oldest invoice reached the step. An invoice's own amounts are in the invoice's currency; the totals
are in the customer's one currency, or in the base currency (each invoice converted once) when
its invoices are in several: two currencies are never added.

A letter says deliveries on credit are suspended exactly when the one credit-hold decision
(``engines.credit_hold``) holds the customer, at step 1 or above (a reminder before the due date
stays a reminder); it names the credit insurer only to an insured customer.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.schema import INTEREST_BASIS_CODES, Language
from credit_register.core.text import pick
from credit_register.documents.amounts import format_amount, format_day, format_pct, upper_in
from credit_register.documents.context import (
    Context,
    as_day,
    as_number,
    as_text,
    code_label,
    company,
    customer_rows,
    money,
)
from credit_register.engines.alerts import insured_customers
from credit_register.engines.results import Results

#: the ladder steps that are letters (0 reminder … 3 final demand); 4 and 5 are hand-overs
LETTER_STEPS: tuple[int, ...] = (0, 1, 2, 3)
LETTER_TITLES: dict[int, tuple[str, str]] = {
    0: ("到期付款提醒函", "Payment reminder"),
    1: ("逾期付款通知函", "Overdue notice"),
    2: ("催款函", "Demand for payment"),
    3: ("最后催告函", "Final demand"),
}


@dataclass(frozen=True)
class Letter:
    customer_id: str
    step: int
    context: Context
    #: the Activities summary that logs the letter (and later tells it was sent)
    summary: str
    #: the letter says deliveries on credit are suspended (the customer is on credit hold)
    suspends_deliveries: bool = False


def _record(frame: pd.DataFrame, customer_id: str) -> dict[str, Any]:
    if frame.empty or customer_id not in frame.index:
        return {}
    return {str(k): v for k, v in frame.loc[customer_id].items()}


def _letter_marker(step: int, lang: Language) -> str:
    zh, en = LETTER_TITLES[step]
    return pick(lang, zh, en)


def letters_due(results: Results, when: dt.date) -> list[Letter]:
    """The collection letters due: one per customer at its highest letter step (0–3), unless a
    ``collection`` activity already names that letter since its oldest invoice reached the step.
    """
    lang = results.register.lang
    policy = results.policy
    items = results.items
    if items.empty:
        return []
    open_items = items.loc[(items["outstanding"] > CENT) & items["dunning_level"].notna()]
    open_items = open_items.loc[open_items["dunning_level"].astype("int64") >= 0]
    if open_items.empty:
        return []
    level = open_items["dunning_level"].astype("int64").clip(upper=max(LETTER_STEPS))
    step = level.groupby(open_items["customer_id"]).max()
    # the day the customer's oldest invoice reached its letter step
    offsets = np.asarray(policy.ladder_days, dtype="int64")
    reached = pd.to_datetime(open_items["due_date"]) + pd.to_timedelta(
        offsets[level.to_numpy()], unit="D"
    )
    at_step = level == open_items["customer_id"].map(step)
    since = reached.where(at_step).groupby(open_items["customer_id"]).min()

    activities = results.register.frame("activities")
    logged = activities.loc[activities["type"] == "collection", ["customer_id", "date", "summary"]]
    customers = customer_rows(results).set_index("customer_id", drop=False)
    insured = set(insured_customers(results.register))
    held = (
        set(results.hold.customers.index[results.hold.customers["credit_hold"]])
        if results.hold is not None
        else set()
    )
    interest = policy.interest
    letters: list[Letter] = []
    for customer_id, letter_step in step.items():  # one letter per customer, not per invoice
        cid = str(customer_id)
        title = _letter_marker(int(letter_step), lang)
        mine = logged.loc[
            (logged["customer_id"] == cid)
            & (logged["date"] >= since[cid])
            & logged["summary"].fillna("").str.contains(title, regex=False)
        ]
        if not mine.empty:
            continue
        rows = open_items.loc[open_items["customer_id"] == cid].sort_values("due_date")
        invoice_rows = [
            {
                "invoice_no": as_text(r["invoice_no"]),
                "invoice_date": format_day(as_day(r["invoice_date"]), lang, short=True),
                "due_date": format_day(as_day(r["due_date"]), lang, short=True),
                "currency": as_text(r["currency"]),
                "amount": money(r["amount"], lang),
                "outstanding": money(r["outstanding"], lang),
                "days_overdue": int(max(r["days_overdue"], 0)),
                "late_interest": money(r["late_interest"], lang),
                "interest_basis": code_label(INTEREST_BASIS_CODES, r.get("interest_basis"), lang),
                "interest_rate": format_pct(as_number(r.get("interest_rate")), lang, 2),
            }
            for r in rows.to_dict("records")
        ]
        # never add two currencies: a customer billed in one currency (the usual case) is claimed
        # in it; invoices in several are totalled in the base currency, each converted once
        currencies = rows["currency"].astype("str").unique()
        if len(currencies) == 1:
            currency = str(currencies[0])
            total = float(rows["outstanding"].sum())
            late = float(rows["late_interest"].fillna(0.0).sum())
        else:
            currency = policy.base_currency
            total = float(rows["outstanding_base"].sum())
            late = float((rows["late_interest"].fillna(0.0) * rows["rate_to_base"]).sum())
        total, late = round(total, 2), round(late, 2)
        customer = _record(customers, cid)
        number = f"CS-{cid}-{when:%Y%m%d}-{int(letter_step)}"
        context: Context = {
            "doc_title": title,
            "letter_no": number,
            "date": format_day(when, lang),
            "step": int(letter_step),
            "customer": company(customer, cid),
            "account_manager": as_text(customer.get("account_manager")),
            "invoices": invoice_rows,
            "currency": currency,
            "total_outstanding": format_amount(total, lang),
            "total_outstanding_upper": upper_in(total, currency, policy.base_currency),
            "total_interest": format_amount(late, lang),
            "total_claimed": format_amount(total + late, lang),
            "total_claimed_upper": upper_in(total + late, currency, policy.base_currency),
            "pay_by": format_day(when + dt.timedelta(days=10 if letter_step < 3 else 7), lang),
            "interest_rate": format_pct(interest.lpr_annual_rate, lang, 2),
            "lpr_markup": format_pct(interest.markup, lang, 0),
            "lpr": format_pct(interest.lpr_1y, lang, 2),
            "lpr_as_of": format_day(interest.lpr_as_of, lang),
            "limitation_years": policy.limitation_years,
            "credit_hold": cid in held,
            "insured": cid in insured,
        }
        numbers = [str(r["invoice_no"]) for r in invoice_rows]
        invoices = "、".join(numbers) if lang == "zh" else ", ".join(numbers)
        summary = (
            f"{title} {number}：{invoices}，欠款{currency} {format_amount(total, lang)}"
            if lang == "zh"
            else f"{title} {number}: {invoices}; outstanding {currency} "
            f"{format_amount(total, lang)}"
        )
        suspends = cid in held and letter_step >= 1
        letters.append(Letter(cid, int(letter_step), context, summary, suspends))
    return letters
