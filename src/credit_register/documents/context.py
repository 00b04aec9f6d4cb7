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
from credit_register.documents.amounts import format_amount
from credit_register.engines.results import Results

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


def quoted_limit(rating: Mapping[str, Any], customer: Mapping[str, Any]) -> tuple[float, str]:
    """The credit limit a document quotes: approved (Customers, else Ratings), else proposed."""
    for value, source in (
        (customer.get("approved_limit"), "approved"),
        (rating.get("approved_limit"), "approved"),
        (rating.get("proposed_limit"), "proposed"),
    ):
        if not is_missing(value):
            return float(value), source  # type: ignore[arg-type]
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
