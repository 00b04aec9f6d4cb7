"""What every document's context is made of: the ``Context`` and ``Chart`` types and the small
readers and formatters the contract, the report, the letters and the review pack share.

A context is a plain dictionary of text, numbers and lists, already formatted in the document's
language (the templates are Word files a user restyles, so they hold wording and layout, not
arithmetic); a chart is PNG bytes wrapped in ``Chart``. The helpers here read one value of an
engine frame as the documents show it (a missing value is ``—`` or blank, never ``nan``), so
every document reads the same fact the same way.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd

from credit_register.core.schema import Language
from credit_register.core.text import pick
from credit_register.documents.amounts import format_amount
from credit_register.engines.results import Results
from credit_register.policy import Policy

Context = dict[str, Any]

#: alert statuses that are no longer open: documents list only the others
INACTIVE_ALERTS = ("closed", "resolved")


@dataclass(frozen=True)
class Chart:
    """A PNG for a template's image placeholder, printed ``width_mm`` wide."""

    png: bytes
    width_mm: float = 160.0


def is_missing(value: object) -> bool:
    """True for a blank engine value: ``None``, ``NA``, ``NaT`` or ``NaN``."""
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def as_number(value: object) -> float:
    """A figure as a float, ``NaN`` when missing or not a number."""
    if is_missing(value):
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def as_text(value: object) -> str:
    """A value as text, ``""`` when missing."""
    return "" if is_missing(value) else str(value)


def as_day(value: object) -> dt.date | None:
    """A date or timestamp as a calendar day, ``None`` when missing."""
    if is_missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def code_label(codes: Iterable[Any], key: object, lang: Language) -> str:
    """A code's label in ``lang`` (``active`` → 正常); an unknown key as it is."""
    for code in codes:
        if code.key == key:
            return str(code.label(lang))
    return as_text(key)


def money(value: object, lang: Language) -> str:
    """An amount formatted for ``lang``."""
    return format_amount(as_number(value), lang)


def row_of(frame: pd.DataFrame, customer_id: str) -> dict[str, Any]:
    """The customer's row of a customer-keyed frame as a dict; empty when it has none."""
    if frame.empty or "customer_id" not in frame:
        return {}
    found = frame.loc[frame["customer_id"] == customer_id]
    return {} if found.empty else {str(k): v for k, v in found.iloc[-1].items()}


def customer_rows(results: Results) -> pd.DataFrame:
    """The Customers sheet, one row per customer (the first when an id repeats)."""
    return results.register.frame("customers").drop_duplicates("customer_id", keep="first")


def currency_of(
    customer: Mapping[str, Any], rates: Mapping[str, float], base: str
) -> tuple[str, float]:
    """The customer's currency (its row's, else the base) and its rate to the base currency
    (the FX sheet's; NaN when the sheet lacks it)."""
    code = as_text(customer.get("currency")).strip().upper() or base.upper()
    return code, 1.0 if code == base.upper() else rates.get(code, math.nan)


def money_in(value: object, currency: str, base: str, lang: Language) -> str:
    """An amount with its currency named when it is not the base currency (``USD 640,000.00``);
    every figure a person reads says its currency, and a document's base-currency columns
    say theirs in the heading."""
    shown = money(value, lang)
    return shown if currency.upper() == base.upper() or shown == "—" else f"{currency} {shown}"


def quoted_limit(
    rating: Mapping[str, Any], customer: Mapping[str, Any], rate: float
) -> tuple[float, str]:
    """The credit limit a document quotes, in the **customer's currency** (its contract's):
    approved (the Customers sheet's, typed in that currency; else the Ratings copy, in base),
    else proposed (base). Base figures are converted once, at ``rate``."""
    own = customer.get("approved_limit")
    if not is_missing(own):
        return float(own), "approved"  # type: ignore[arg-type]
    for value, source in (
        (rating.get("approved_limit"), "approved"),
        (rating.get("proposed_limit"), "proposed"),
    ):
        if not is_missing(value):
            return round(float(value) / rate, 2), source  # type: ignore[arg-type]
    return math.nan, "none"


def company(customer: Mapping[str, Any], customer_id: str) -> Context:
    """The customer as a party to a document: name, USCC, address, legal representative."""
    return {
        "customer_id": customer_id,
        "name": as_text(customer.get("name")) or customer_id,
        "uscc": as_text(customer.get("uscc")),
        "address": as_text(customer.get("registered_address")),
        "legal_rep": as_text(customer.get("legal_rep")),
        "phone": as_text(customer.get("phone")),
        "email": as_text(customer.get("email")),
    }


#: what a document prints where one of our company's Policy rows is blank: a line to fill in
BLANK_LINE = "____________"


def sender(policy: Policy, lang: Language) -> Context:
    """Our company as the sender of a letter or the seller in a contract (Policy ``company.*``
    rows); a blank row prints as a line to fill in, except in the footer (``footer``: the name,
    address and telephone that are set)."""
    own = policy.company
    fields = ("name", "uscc", "address", "legal_rep", "bank", "account", "contact", "phone")
    shown: Context = {key: getattr(own, key) or BLANK_LINE for key in fields}
    shown["email"] = own.email or BLANK_LINE
    shown["seal_text"] = own.seal_text or pick(lang, "盖章", "seal")
    shown["is_set"] = bool(own.name)
    shown["footer"] = "　".join(part for part in (own.name, own.address, own.phone) if part)
    return shown
