"""The hand-over pack for counsel (移交律师): what a lawyer needs to sue on a customer's debt.

Once a customer is at collections step 4 or 5, or already in litigation (status 诉讼), no more
letters go out (policy §5); the file goes to counsel instead. The cover memo states the parties,
the contracts, the claim per invoice with the interest run to date and the day its limitation
period expires, the demands made and whether (and when) each reached the debtor, the debtor's
acknowledgements (promises, signed statements, part payments), the disputed invoices and the
security held. The letters already sent go with it, and an index lists every file.

Decisions: a letter already sent is an Activities row of type 催收 whose summary carries one of
our letter numbers (``CS-…``); the pack takes its file from the documents folder and, when the
file is gone, a copy rebuilt from the register as it stood on the letter's date, marked as such
(counsel files the signed original). Demands are the 催收 and 法律 rows; only a recorded
delivery date makes one evidence that restarts limitation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from credit_register.core.schema import ACTIVITY_TYPE, CUSTOMER_STATUS, Language
from credit_register.core.text import pick
from credit_register.documents.amounts import format_amount, format_day, format_pct
from credit_register.documents.claims import basis_text, invoice_claims, totals_by_currency
from credit_register.documents.context import (
    Context,
    as_day,
    as_number,
    as_text,
    code_label,
    company,
    customer_rows,
    is_missing,
    row_of,
    sender,
)
from credit_register.documents.letters import DEMAND_TYPES, LETTER_NUMBER, letter_step
from credit_register.engines.results import Results
from credit_register.policy.model import SECURITY

#: the collections step from which a customer's file goes to counsel
HANDOVER_STEP = 4
#: Activities types that are the debtor's acknowledgement of the debt
ACKNOWLEDGEMENT_TYPES = ("promise", "reconciliation")
_SEPARATORS = re.compile(r"[;；,，、\s]+")


@dataclass(frozen=True)
class SentLetter:
    """A letter of ours that Activities logs as sent to the customer."""

    number: str
    day: dt.date
    step: int
    invoices: tuple[str, ...]
    delivered_on: dt.date | None
    reference: str


@dataclass(frozen=True)
class Enclosure:
    """A file of the pack, as the index lists it."""

    name: str
    what_zh: str
    what_en: str
    note_zh: str = ""
    note_en: str = ""


def named_invoices(text: object) -> tuple[str, ...]:
    """The invoice numbers an Activities row names (``;``-separated; blank: none named).

    >>> named_invoices("FP1; FP2；FP3"), named_invoices(None)
    (('FP1', 'FP2', 'FP3'), ())
    """
    if is_missing(text):
        return ()
    return tuple(part for part in _SEPARATORS.split(str(text)) if part)


def handover_due(results: Results, customer_id: str) -> bool:
    """Whether the customer's file is for counsel: in litigation, or an undisputed invoice at
    step 4 or beyond."""
    customer = row_of(customer_rows(results), customer_id)
    if customer.get("status") == "legal":
        return True
    claims = invoice_claims(results.items, [customer_id])
    step = letter_step(claims) if not claims.empty else None
    return step is not None and step >= HANDOVER_STEP


def _activities(results: Results, customer_id: str) -> pd.DataFrame:
    activities = results.register.frame("activities")
    mine = activities.loc[activities["customer_id"] == customer_id]
    return mine.sort_values("date", kind="stable")


def sent_letters(results: Results, customer_id: str) -> list[SentLetter]:
    """Our letters to the customer that Activities logs, oldest first."""
    found: list[SentLetter] = []
    mine = _activities(results, customer_id)
    for row in mine.loc[mine["type"] == "collection"].to_dict("records"):
        match = LETTER_NUMBER.search(as_text(row.get("summary")))
        if match is None or match["customer"] != customer_id:
            continue
        found.append(
            SentLetter(
                number=match.group(0),
                day=dt.datetime.strptime(match["day"], "%Y%m%d").date(),
                step=int(match["step"]),
                invoices=named_invoices(row.get("invoices")),
                delivered_on=as_day(row.get("delivered_on")),
                reference=as_text(row.get("reference")),
            )
        )
    return found


def _claim_rows(
    claims: pd.DataFrame, results: Results, lang: Language, in_suit: bool = False
) -> list[Context]:
    # while the suit is pending the period does not run (the engine leaves the expiry blank)
    pending = pick(lang, "诉讼中", "in suit") if in_suit else "—"
    return [
        {
            "invoice_no": as_text(r["invoice_no"]),
            "contract_no": as_text(r["contract_no"]) or "—",
            "invoice_date": format_day(as_day(r["invoice_date"]), lang, short=True),
            "due_date": format_day(as_day(r["due_date"]), lang, short=True),
            "currency": as_text(r["currency"]),
            "amount": format_amount(as_number(r["amount"]), lang),
            "paid": format_amount(as_number(r["paid"]), lang),
            "outstanding": format_amount(as_number(r["outstanding"]), lang),
            "days_overdue": int(max(as_number(r["days_overdue"]), 0)),
            "basis": basis_text(str(r["interest_basis"]), results.policy, lang),
            "rate": format_pct(as_number(r["interest_rate"]), lang, 2),
            "interest": format_amount(as_number(r["late_interest"]), lang),
            "limitation": format_day(as_day(r["limitation_expires"]), lang, short=True)
            if as_day(r["limitation_expires"]) is not None
            else pending,
            "disputed": bool(r["disputed"]),
        }
        for r in claims.to_dict("records")
    ]


def _activity_rows(rows: pd.DataFrame, lang: Language) -> list[Context]:
    yes, no = pick(lang, "已送达", "delivered"), pick(lang, "无送达记录", "no proof of delivery")
    return [
        {
            "date": format_day(as_day(r.get("date")), lang, short=True),
            "type": code_label(ACTIVITY_TYPE, r.get("type"), lang),
            "summary": as_text(r.get("summary")),
            "invoices": "、".join(named_invoices(r.get("invoices")))
            or pick(lang, "（未列明：当日全部欠款）", "(none named: all owed then)"),
            "delivered_on": format_day(as_day(r.get("delivered_on")), lang, short=True),
            "reference": as_text(r.get("reference")) or "—",
            "evidence": yes if as_day(r.get("delivered_on")) is not None else no,
            "promise_date": format_day(as_day(r.get("promise_date")), lang, short=True),
            "promise_amount": format_amount(as_number(r.get("promise_amount")), lang),
        }
        for r in rows.to_dict("records")
    ]


def _part_payments(results: Results, claims: pd.DataFrame, lang: Language) -> list[Context]:
    """Payments on the claimed invoices made after their due date (each acknowledges the debt)."""
    payments = results.register.frame("payments")
    due = dict(zip(claims["invoice_no"].astype(str), claims["due_date"], strict=True))
    mine = payments.loc[payments["invoice_no"].astype(str).isin(due)]
    late = mine.loc[
        pd.to_datetime(mine["payment_date"])
        > pd.to_datetime(mine["invoice_no"].astype(str).map(due))
    ]
    late = late.loc[pd.to_datetime(late["payment_date"]) <= pd.Timestamp(results.as_of)]
    return [
        {
            "date": format_day(as_day(r["payment_date"]), lang, short=True),
            "invoice_no": as_text(r["invoice_no"]),
            "amount": format_amount(as_number(r["amount"]), lang),
        }
        for r in late.sort_values("payment_date").to_dict("records")
    ]


def memo_context(
    results: Results, customer_id: str, enclosures: Sequence[Enclosure], prepared_by: str = ""
) -> Context:
    """The cover memo for counsel (internal; the workbook's language)."""
    lang = results.register.lang
    policy = results.policy
    customer = row_of(customer_rows(results), customer_id)
    rating = row_of(results.ratings, customer_id)
    claims = invoice_claims(results.items, [customer_id])
    undisputed = claims.loc[~claims["disputed"].astype(bool)]
    activities = _activities(results, customer_id)
    demands = activities.loc[activities["type"].isin(DEMAND_TYPES)]
    acknowledgements = activities.loc[activities["type"].isin(ACKNOWLEDGEMENT_TYPES)]
    by_contract = (
        undisputed.assign(contract=undisputed["contract_no"].fillna("—").astype(str))
        .groupby(["contract", "currency"], sort=True)["outstanding"]
        .agg(["count", "sum"])
        .reset_index()
    )
    in_suit = customer.get("status") == "legal"
    expiries = undisputed.dropna(subset=["limitation_expires"]).sort_values("limitation_expires")
    earliest = expiries.iloc[0] if len(expiries) else None
    insured = as_number(customer.get("insured_limit"))
    cover = as_number(customer.get("insurance_cover_pct"))
    status = code_label(CUSTOMER_STATUS, customer.get("status"), lang)
    step = letter_step(claims) if not claims.empty else None
    delivered = demands["delivered_on"].notna() if len(demands) else pd.Series(dtype=bool)
    return {
        "doc_title": pick(
            lang, "移交律师：案件备忘录（内部）", "Hand-over to counsel: cover memo (internal)"
        ),
        "date": format_day(results.as_of, lang),
        "prepared_by": prepared_by or "—",
        "creditor": sender(policy, lang),
        "debtor": {
            **company(customer, customer_id),
            "country": as_text(customer.get("country")) or "CN",
            "status": status,
            "account_manager": as_text(customer.get("account_manager")) or "—",
            "terms_days": as_text(customer.get("payment_terms_days")) or "—",
        },
        "stage": pick(
            lang,
            f"状态：{status}；催收级别：{'—' if step is None else step}",
            f"status: {status}; collections step: {'—' if step is None else step}",
        ),
        "contracts": [
            {
                "contract_no": str(r["contract"]),
                "currency": str(r["currency"]),
                "invoices": int(r["count"]),
                "outstanding": format_amount(float(r["sum"]), lang),
            }
            for r in by_contract.to_dict("records")
        ],
        "claims": _claim_rows(undisputed, results, lang, in_suit),
        "totals": [t.context(lang, policy.base_currency) for t in totals_by_currency(undisputed)],
        "interest_to": format_day(results.as_of, lang),
        "day_count": policy.interest.day_count,
        "earliest_expiry": format_day(as_day(earliest["limitation_expires"]), lang)
        if earliest is not None
        else pick(lang, "诉讼中，时效不计", "none running: in suit")
        if in_suit
        else "—",
        "earliest_invoice": as_text(earliest["invoice_no"]) if earliest is not None else "—",
        "demands": _activity_rows(demands, lang),
        "has_demands": bool(len(demands)),
        "delivered_count": int(delivered.sum()) if len(delivered) else 0,
        "acknowledgements": _activity_rows(acknowledgements, lang),
        "has_acknowledgements": bool(len(acknowledgements)),
        "part_payments": _part_payments(results, undisputed, lang),
        "disputed": _claim_rows(claims.loc[claims["disputed"].astype(bool)], results, lang),
        "has_disputed": bool(claims["disputed"].astype(bool).any()) if len(claims) else False,
        "security": {
            "insurer": as_text(customer.get("insurer")) or "—",
            "insured_limit": format_amount(insured, lang) if insured == insured else "—",
            "cover": format_pct(cover / 100, lang, 0) if cover == cover else "—",
            "required": code_label(SECURITY, _security_key(results, rating), lang),
        },
        "enclosures": [_enclosure_context(e, lang) for e in enclosures],
    }


def _security_key(results: Results, rating: dict[str, Any]) -> str:
    grade = as_text(rating.get("grade")) or "C"
    return results.policy.terms.get(grade, results.policy.terms["C"]).security


def _enclosure_context(enclosure: Enclosure, lang: Language) -> Context:
    return {
        "name": enclosure.name,
        "what": pick(lang, enclosure.what_zh, enclosure.what_en),
        "note": pick(lang, enclosure.note_zh, enclosure.note_en),
    }


def index_context(results: Results, customer_id: str, enclosures: Sequence[Enclosure]) -> Context:
    """The pack's index: every file, what it is, and whether it is an original."""
    lang = results.register.lang
    customer = row_of(customer_rows(results), customer_id)
    return {
        "doc_title": pick(
            lang, "移交律师材料目录（内部）", "Hand-over to counsel: index (internal)"
        ),
        "date": format_day(results.as_of, lang),
        "debtor": company(customer, customer_id),
        "entries": [
            {"n": n, **_enclosure_context(e, lang)} for n, e in enumerate(enclosures, start=1)
        ],
    }
