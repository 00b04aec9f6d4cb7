"""Collection letters (催收函): which are due, and what each may truthfully say (policy §5).

A letter is evidence: a court reads it, and the debtor recomputes it. So it claims only what is
overdue, states each invoice's interest basis and annual rate and the day interest is computed
to (and that it runs on until paid), names the contract, the sender, its bank account and a
person to call, and says only what the register shows: that earlier demands were made when
Activities logs them, that the credit insurer will hear of the debt when the customer is insured,
that deliveries on credit are suspended exactly when the one credit-hold decision
(``engines.credit_hold``) holds the customer, from step 1 (a reminder stays a reminder).
Disputed invoices are named apart and not dunned; totals are per currency, never added across
currencies.

Decisions (the spec leaves them open):

- One letter per customer at the highest collections step (0–3) its undisputed owed invoices
  reached. None at step 4 or 5 (hand-over to collection or counsel: ``handover``), none to a
  customer in litigation (status 诉讼), none for disputed invoices alone.
- Invoices falling due (not yet overdue, within the step-0 window) are listed apart as a
  reminder. A demand (step 2) or a final demand (step 3) claims every invoice not yet due as
  well when the contract has an acceleration clause (Policy ``contract.acceleration``); a
  reminder or a first notice never accelerates.
- Interest is claimed from step 2, per invoice, at the invoice's basis and rate, to the letter's
  date. Steps 0–1 state no interest.
- A letter is due unless a ``collection`` activity for the customer already names that letter,
  dated on or after the day its oldest claimed invoice reached the step.
- The letter's Activities row names the invoices it claims (``invoices``); its delivery
  (``delivered_on``, ``reference``) is left for the user: generating a letter is not delivering it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from credit_register.core.register import Register
from credit_register.core.schema import Language
from credit_register.core.text import pick
from credit_register.documents.amounts import format_amount, format_day, format_pct
from credit_register.documents.claims import basis_text, invoice_claims, totals_by_currency
from credit_register.documents.context import (
    Context,
    as_day,
    as_number,
    as_text,
    company,
    customer_rows,
    sender,
)
from credit_register.engines.alerts import insured_customers
from credit_register.engines.results import Results
from credit_register.policy import Policy

#: the ladder steps that are letters (0 reminder … 3 final demand); 4 and 5 are hand-overs
LETTER_STEPS: tuple[int, ...] = (0, 1, 2, 3)
LETTER_TITLES: dict[int, tuple[str, str]] = {
    0: ("到期付款提醒函", "Payment reminder"),
    1: ("逾期付款通知函", "Overdue notice"),
    2: ("催款函", "Demand for payment"),
    3: ("最后催告函", "Final demand"),
}
#: the first step whose letter claims late interest and may accelerate
DEMAND_STEP = 2
#: customer statuses that get no letter (the claim is before a court)
NO_LETTER_STATUS = ("legal",)
#: Activities types that are a demand already made (a call logged as 催收 counts)
DEMAND_TYPES = ("collection", "legal")
#: a letter's number as this module writes it (the hand-over pack finds letters by it)
LETTER_NUMBER = re.compile(r"CS-(?P<customer>[^\s：:]+)-(?P<day>\d{8})-(?P<step>\d)")


@dataclass(frozen=True)
class Letter:
    customer_id: str
    step: int
    number: str
    context: Context
    #: the Activities summary that logs the letter
    summary: str
    #: the invoices the letter claims (the Activities row's ``invoices``)
    invoices: tuple[str, ...]
    #: the letter's language (the customer's, see ``letter_language``)
    lang: Language = "zh"
    #: the letter says deliveries on credit are suspended (the customer is on credit hold)
    suspends_deliveries: bool = False


@dataclass(frozen=True)
class LetterSource:
    """What a letter reads: the register, the policy, the run's items at the letter's date and,
    when known, the one credit-hold decision (``engines.credit_hold``)."""

    register: Register
    policy: Policy
    items: pd.DataFrame
    #: the customers on credit hold (the run's decision); ``None``: unknown (a letter rebuilt for
    #: an earlier date), when a demand (step 2) implies the hold, as policy §5 has it
    held: frozenset[str] | None = None

    @classmethod
    def of(cls, results: Results) -> LetterSource:
        held = None
        if results.hold is not None:
            decided = results.hold.customers["credit_hold"].astype(bool)
            held = frozenset(str(c) for c in decided.index[decided.to_numpy()])
        return cls(results.register, results.policy, results.items, held)


def letter_number(customer_id: str, when: dt.date, step: int) -> str:
    """``CS-C00005-20261031-2``: the customer, the letter's date and its step.

    >>> letter_number("C00005", dt.date(2026, 10, 31), 2)
    'CS-C00005-20261031-2'
    """
    return f"CS-{customer_id}-{when:%Y%m%d}-{step}"


def letter_title(step: int, lang: Language) -> str:
    zh, en = LETTER_TITLES[step]
    return pick(lang, zh, en)


def _day_list(days: list[dt.date], lang: Language) -> str:
    return ("、" if lang == "zh" else ", ").join(format_day(d, lang) for d in days)


def _rows(claims: pd.DataFrame, policy: Policy, lang: Language) -> list[Context]:
    return [
        {
            "invoice_no": as_text(r["invoice_no"]),
            "invoice_date": format_day(as_day(r["invoice_date"]), lang, short=True),
            "due_date": format_day(as_day(r["due_date"]), lang, short=True),
            "currency": as_text(r["currency"]),
            "amount": format_amount(as_number(r["amount"]), lang),
            "outstanding": format_amount(as_number(r["outstanding"]), lang),
            "days_overdue": int(max(as_number(r["days_overdue"]), 0)),
            "basis": basis_text(str(r["interest_basis"]), policy, lang),
            "rate": format_pct(as_number(r["interest_rate"]), lang, 2),
            "interest": format_amount(as_number(r["late_interest"]), lang),
        }
        for r in claims.to_dict("records")
    ]


def _earlier_demands(
    register: Register, customer_id: str, since: dt.date | None, when: dt.date
) -> list[dt.date]:
    """The days demands to the customer were logged since its oldest claimed invoice fell due."""
    if since is None:
        return []
    activities = register.frame("activities")
    mine = activities.loc[
        (activities["customer_id"] == customer_id)
        & activities["type"].isin(DEMAND_TYPES)
        & (activities["date"] >= pd.Timestamp(since))
        & (activities["date"] < pd.Timestamp(when))
    ]
    return sorted({d.date() for d in pd.to_datetime(mine["date"]).dropna()})


def _contact(policy: Policy, customer: dict[str, Any]) -> Context:
    own = policy.company
    return {
        "name": own.contact or as_text(customer.get("account_manager")) or "—",
        "phone": own.phone,
        "email": own.email or as_text(customer.get("manager_email")),
    }


def _letter(
    source: LetterSource,
    customer: dict[str, Any],
    step: int,
    when: dt.date,
    claims: pd.DataFrame,
) -> Letter:
    """The letter at ``step`` to one customer from its owed invoices' ``claims``, in the
    customer's language (``letter_language``); its Activities summary in the workbook's."""
    policy = source.policy
    log_lang = source.register.lang
    lang = letter_language(customer, policy, log_lang)
    cid = str(customer["customer_id"])
    disputed = claims["disputed"].astype(bool)
    overdue_mask = ~disputed & (claims["days_overdue"] > 0)
    not_due = ~disputed & (claims["days_overdue"] <= 0)
    accelerate = step >= DEMAND_STEP and policy.contract.acceleration
    window = not_due & (claims["dunning_level"].fillna(-1).astype(int) >= 0)
    falling_due = claims.loc[not_due if accelerate else window]
    overdue = claims.loc[overdue_mask]
    claimed = pd.concat([overdue, falling_due]) if accelerate else overdue
    with_interest = step >= DEMAND_STEP
    totals = totals_by_currency(claimed, with_interest=with_interest)
    reminders = [] if accelerate else totals_by_currency(falling_due, with_interest=False)
    oldest_due = as_day(overdue["due_date"].min()) if len(overdue) else None
    earlier = _earlier_demands(source.register, cid, oldest_due, when)
    contracts = sorted({str(c) for c in claimed["contract_no"].dropna() if str(c).strip()})
    insured = cid in set(insured_customers(source.register))
    on_hold = (cid in source.held if source.held is not None else step >= DEMAND_STEP) and step >= 1
    number = letter_number(cid, when, step)
    title = letter_title(step, log_lang)
    named = claimed if len(claimed) else falling_due
    listed = [str(n) for n in named["invoice_no"]]
    separator = "、" if lang == "zh" else ", "
    disputed_rows = claims.loc[disputed]
    context: Context = {
        "doc_title": letter_title(step, lang),
        "letter_no": number,
        "date": format_day(when, lang),
        "step": step,
        "sender": sender(policy, lang),
        "customer": company(customer, cid),
        "contracts": separator.join(contracts),
        "has_contracts": bool(contracts),
        "overdue": _rows(overdue, policy, lang),
        "has_overdue": bool(len(overdue)),
        "max_days_overdue": int(overdue["days_overdue"].max()) if len(overdue) else 0,
        "falling_due": _rows(falling_due, policy, lang),
        "has_falling_due": bool(len(falling_due)),
        "accelerated": accelerate and bool(len(falling_due)),
        "claims_interest": with_interest,
        "interest_to": format_day(when, lang),
        "day_count": policy.interest.day_count,
        "totals": [t.context(lang, policy.base_currency) for t in totals],
        "reminder_totals": [t.context(lang, policy.base_currency) for t in reminders],
        "disputed": separator.join(
            pick(lang, f"{r['invoice_no']}（{amount}）", f"{r['invoice_no']} ({amount})")
            for r in disputed_rows.to_dict("records")
            for amount in (f"{r['currency']} {format_amount(as_number(r['outstanding']), lang)}",)
        ),
        "has_disputed": bool(len(disputed_rows)),
        "earlier_demands": _day_list(earlier, lang),
        "has_earlier_demands": bool(earlier),
        "repeated_demands": len(earlier) >= 2,
        "credit_hold": on_hold,
        "insured": insured,
        "insurer": as_text(customer.get("insurer")),
        "pay_by": format_day(when + dt.timedelta(days=10 if step < 3 else 7), lang),
        "contact": _contact(policy, customer),
    }
    summary_totals = "；".join(f"{t.currency} {format_amount(t.claimed, lang)}" for t in totals)
    summary = (
        f"{title} {number}：{len(listed)}张发票，{summary_totals or '提醒'}"
        if log_lang == "zh"
        else f"{title} {number}: {len(listed)} invoices, {summary_totals or 'reminder'}"
    )
    return Letter(cid, step, number, context, summary, tuple(listed), lang, on_hold)


def letter_language(customer: dict[str, Any], policy: Policy, workbook: Language) -> Language:
    """A letter's language: the workbook's for a customer in China; for a foreign one, Chinese
    only when its contract is Chinese (its ``contract_language``, else the Policy's
    ``contract.foreign_language``), else English."""
    country = (as_text(customer.get("country")) or "CN").upper()
    if country == "CN":
        return workbook
    chosen = as_text(customer.get("contract_language")) or policy.contract.foreign_language
    return "zh" if chosen == "zh" else "en"


def letter_step(claims: pd.DataFrame) -> int | None:
    """The step of a customer's letter from its owed invoices' claims: the highest step its
    undisputed invoices reached; ``None`` when none reached step 0."""
    undisputed = claims.loc[~claims["disputed"].astype(bool)]
    levels = undisputed["dunning_level"].dropna()
    return int(levels.max()) if len(levels) else None


def letters_due(results: Results, when: dt.date) -> list[Letter]:
    """The collection letters due at ``when`` (see the module docstring)."""
    source = LetterSource.of(results)
    claims = invoice_claims(source.items)
    if claims.empty:
        return []
    policy = source.policy
    lang = source.register.lang
    customers = customer_rows(results).set_index("customer_id", drop=False)
    activities = source.register.frame("activities")
    logged = activities.loc[activities["type"] == "collection", ["customer_id", "date", "summary"]]
    offsets = np.asarray(policy.ladder_days, dtype="int64")
    letters: list[Letter] = []
    for cid, mine in claims.groupby("customer_id", sort=True):  # one letter per customer
        customer = (
            {str(k): v for k, v in customers.loc[cid].items()} if cid in customers.index else {}
        )
        if not customer or customer.get("status") in NO_LETTER_STATUS:
            continue
        step = letter_step(mine)
        if step is None or step not in LETTER_STEPS:
            continue
        # the day the customer's oldest invoice reached this step
        at_step = mine.loc[
            ~mine["disputed"].astype(bool) & (mine["dunning_level"].fillna(-1).astype(int) == step)
        ]
        since = (pd.to_datetime(at_step["due_date"]) + pd.Timedelta(days=int(offsets[step]))).min()
        title = letter_title(step, lang)
        already = logged.loc[
            (logged["customer_id"] == cid)
            & (logged["date"] >= since)
            & logged["summary"].fillna("").str.contains(title, regex=False)
        ]
        if not already.empty:
            continue
        letters.append(_letter(source, customer, step, when, mine))
    return letters


def letter_as_sent(
    register: Register,
    policy: Policy,
    items_then: pd.DataFrame,
    customer_id: str,
    number: str,
    invoices: tuple[str, ...] | None,
) -> Letter | None:
    """The letter ``number`` (``CS-<customer>-<yyyymmdd>-<step>``) as this module wrote it that
    day, from the register's figures then (``items_then``: the items at the letter's date) and
    the invoices its Activities row names: a copy for counsel when the file itself is gone.
    ``None`` when the number is not one of this module's."""
    match = LETTER_NUMBER.fullmatch(number)
    if match is None or match["customer"] != customer_id:
        return None
    when = dt.datetime.strptime(match["day"], "%Y%m%d").date()
    step = int(match["step"])
    if step not in LETTER_STEPS:
        return None
    claims = invoice_claims(items_then, [customer_id])
    if invoices:
        claims = claims.loc[claims["invoice_no"].astype(str).isin(invoices)]
    customers = register.frame("customers")
    row = customers.loc[customers["customer_id"] == customer_id]
    if row.empty or claims.empty:
        return None
    customer = {str(k): v for k, v in row.iloc[0].items()}
    return _letter(LetterSource(register, policy, items_then), customer, step, when, claims)
