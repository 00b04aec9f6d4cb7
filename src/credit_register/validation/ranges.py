"""Single cells against fixed expectations: numbers within their range (``RANGES``), past events
not dated after today (``PAST_DATES``), and a defaulted customer's default date.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pandas as pd

from credit_register.core import schema
from credit_register.core.schema import Sheet
from credit_register.validation.context import Context, Finding, _en, _flag, _found, _shown, _zh


@dataclass(frozen=True)
class Bounds:
    """A number column's allowed range; ``above`` means strictly greater than ``low``."""

    sheet: Sheet
    column: str
    low: float | None = None
    high: float | None = None
    above: bool = False


#: the range rules of spec/register.md, plus the few a credit manager would take for granted
#: (a statement covers 1–12 months; a bureau score, its scale and suggested limit are not negative)
RANGES = (
    Bounds(schema.CUSTOMERS, "payment_terms_days", 0, 365),
    Bounds(schema.CUSTOMERS, "expected_monthly_sales", 0),
    Bounds(schema.CUSTOMERS, "approved_limit", 0),
    Bounds(schema.CUSTOMERS, "insured_limit", 0),
    Bounds(schema.CUSTOMERS, "insurance_cover_pct", 0, 100),
    Bounds(schema.CUSTOMERS, "insurer_max_terms_days", 0, 365),
    Bounds(schema.FINANCIALS, "period_months", 1, 12),
    Bounds(schema.BUREAU, "score", 0),
    Bounds(schema.BUREAU, "score_max", 0, above=True),
    Bounds(schema.BUREAU, "overdue_records", 0),
    Bounds(schema.BUREAU, "lawsuits", 0),
    Bounds(schema.BUREAU, "recommended_limit", 0),
    Bounds(schema.PAYMENTS, "amount", 0, above=True),
    Bounds(schema.ORDERS, "amount", 0, above=True),
    Bounds(schema.FX, "rate_to_base", 0, above=True),
)


def ranges(ctx: Context) -> Iterator[Finding]:
    """Numbers outside their allowed range (``RANGES``)."""
    for bounds in RANGES:
        sheet, key = bounds.sheet, bounds.column
        frame = ctx.frame(sheet, key)
        if frame is None:
            continue
        values = frame[key]
        outside = pd.Series(False, index=frame.index)
        if bounds.low is not None:
            outside |= _flag(values <= bounds.low if bounds.above else values < bounds.low)
        if bounds.high is not None:
            outside |= _flag(values > bounds.high)
        bad = frame.loc[outside]
        low, high = _shown(bounds.low), _shown(bounds.high)
        if bounds.high is not None:
            zh, en = f" 应在 {low} 到 {high} 之间", f" must be between {low} and {high}"
        elif bounds.above:
            zh, en = f" 应大于 {low}", f" must be above {low}"
        else:
            zh, en = f" 不能小于 {low}", f" must not be below {low}"
        yield from _found(
            sheet,
            key,
            "error",
            bad,
            [f"{_zh(sheet, key)} ", bad[key], zh],
            [f"{_en(sheet, key)} ", bad[key], en],
        )


#: dates that record something that has happened; promise, due, limit-expiry and bill-maturity
#: dates lie ahead by nature and are not listed
PAST_DATES = (
    (schema.CUSTOMERS, "since"),
    (schema.CUSTOMERS, "default_date"),
    (schema.FINANCIALS, "period_end"),
    (schema.FINANCIALS, "received_on"),
    (schema.BUREAU, "report_date"),
    (schema.INVOICES, "invoice_date"),
    (schema.PAYMENTS, "payment_date"),
    (schema.ORDERS, "order_date"),
    (schema.ACTIVITIES, "date"),
    (schema.FX, "as_of"),
)


def future_dates(ctx: Context) -> Iterator[Finding]:
    """Past events dated after today: almost always a typo (2062 for 2026)."""
    today = _shown(ctx.today)
    for sheet, key in PAST_DATES:
        frame = ctx.frame(sheet, key)
        if frame is None:
            continue
        bad = frame.loc[_flag(frame[key] > ctx.today)]
        yield from _found(
            sheet,
            key,
            "error",
            bad,
            [f"{_zh(sheet, key)} ", bad[key], f" 晚于今天 {today}"],
            [f"{_en(sheet, key)} ", bad[key], f" is after today {today}"],
        )


def customer_defaults(ctx: Context) -> Iterator[Finding]:
    """A customer marked as defaulted needs the date it defaulted (calibration counts from it)."""
    sheet = schema.CUSTOMERS
    frame = ctx.frame(sheet, "defaulted", "default_date")
    if frame is None or not ctx.typed(sheet, "default_date"):
        return
    bad = frame.loc[_flag(frame["defaulted"]) & frame["default_date"].isna()]
    yield from _found(
        sheet,
        "default_date",
        "error",
        bad,
        [f"已违约客户必须填写{_zh(sheet, 'default_date')}"],
        [f"{_en(sheet, 'default_date')} is required for a defaulted customer"],
    )
