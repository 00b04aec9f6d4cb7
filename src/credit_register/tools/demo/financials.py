"""Financial statements and credit bureau reports, drawn from each customer's strength.

A strong customer has a sound balance sheet and a good bureau score; the defaulter's last
statements show losses and its bureau reports the enforcement; thin files have fewer years.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from credit_register.core import schema
from credit_register.tools.demo.arrays import (
    Array,
    as_day,
    concat,
    days_of,
    round_money,
    schema_table,
    weekday_before,
)
from credit_register.tools.demo.cast import AVERAGE, DEFAULTED, GOOD, SLOW
from credit_register.tools.demo.customers import Book
from credit_register.tools.demo.names import AGENCIES, AGENCY_GRADES
from credit_register.tools.demo.size import DemoSize


def _statement_counts(rng: np.random.Generator, book: Book, target: int | None) -> Array:
    """Years of statements per customer; with a target, drawn customers gain an older year or
    lose their oldest until the total matches."""
    years = book.statement_years.copy()
    if target is None:
        return years
    drawn = np.flatnonzero(~book.cast)
    diff = target - int(years.sum())
    if diff > 0:
        more = rng.choice(drawn, size=min(diff, len(drawn)), replace=False)
        years[more] += 1
    elif diff < 0:
        with_years = drawn[years[drawn] > 0]
        fewer = rng.choice(with_years, size=min(-diff, len(with_years)), replace=False)
        years[fewer] -= 1
    return years


def financials_table(
    rng: np.random.Generator,
    book: Book,
    monthly_sales_local: Array,
    size: DemoSize,
    as_of: dt.date,
) -> pd.DataFrame:
    """The Financials table: a year-end statement per customer and year on file."""
    n = len(book.ids)
    years = _statement_counts(rng, book, size.statements)
    latest_year = as_of.year - 1 if as_of.month >= 6 else as_of.year - 2
    cust = np.repeat(np.arange(n), years)
    back = np.arange(len(cust)) - np.repeat(np.cumsum(years) - years, years)  # 0 = latest
    m = len(cust)
    # 31 December of each year: the day before 1 January of the next
    period_end = (np.datetime64(str(latest_year + 1), "Y") - back).astype("datetime64[D]") - 1

    behaviour = book.behaviour
    # customer-level shape: our sales are a slice of what the customer buys
    share = rng.uniform(0.04, 0.25, n)
    revenue_latest = monthly_sales_local * 12 / (0.75 * share)
    growth = np.select(
        [behaviour == GOOD, behaviour == AVERAGE, behaviour == SLOW],
        [rng.normal(0.06, 0.05, n), rng.normal(0.03, 0.06, n), rng.normal(-0.02, 0.06, n)],
        rng.normal(-0.15, 0.05, n),
    )
    drift = np.select(
        [behaviour == DEFAULTED, behaviour == SLOW],
        [np.full(n, 0.12), np.full(n, 0.03)],
        rng.normal(0, 0.03, n),
    )
    turnover = rng.uniform(0.7, 1.6, n)
    current_share = rng.uniform(0.45, 0.75, n)
    paid_in_share = rng.uniform(0.05, 0.15, n)

    s = np.clip(book.strength[cust] + drift[cust] * back, 0, 1)
    d = book.decimals[cust]
    revenue = revenue_latest[cust] * (1 + growth[cust]) ** (-back) * rng.lognormal(0, 0.03, m)
    gross_margin = np.clip(0.10 + 0.22 * s + rng.normal(0, 0.02, m), 0.02, 0.5)
    ebit_margin = np.clip(-0.10 + 0.22 * s + rng.normal(0, 0.015, m), -0.3, 0.25)
    total_assets = revenue / turnover[cust]
    leverage = np.clip(0.92 - 0.55 * s + rng.normal(0, 0.03, m), 0.15, 1.15)

    def money(values: Array) -> Array:
        return round_money(values, d)

    revenue = money(revenue)
    cost_of_sales = money(revenue * (1 - gross_margin))
    ebit = money(revenue * ebit_margin)
    ta = money(total_assets)
    tl = money(ta * leverage)
    interest = money(tl * rng.uniform(0.3, 0.6, m) * rng.uniform(0.035, 0.065, m))
    pbt = money(ebit - interest)
    net_profit = money(np.where(pbt > 0, pbt * 0.75, pbt))
    current_assets = money(ta * current_share[cust])
    cash = money(current_assets * rng.uniform(0.05, 0.20, m) * (0.5 + 0.5 * s))
    receivables = money(current_assets * rng.uniform(0.25, 0.40, m))
    inventory = money(current_assets * rng.uniform(0.15, 0.30, m))
    intangible = money(ta * rng.uniform(0.0, 0.06, m))
    current_liabilities = money(tl * rng.uniform(0.55, 0.9, m))
    # equity to the cent, so that assets = liabilities + equity holds exactly
    scale = np.power(10.0, d)
    equity = (np.round(ta * scale) - np.round(tl * scale)) / scale
    paid_in = money(ta * paid_in_share[cust])
    retained = money(equity - paid_in)
    ocf = money(net_profit + 0.03 * ta + rng.normal(0, 0.03, m) * revenue)
    ebit_out = np.where(rng.random(m) < 0.2, np.nan, ebit)  # blank: the spec derives it
    audited = np.isin(book.ownership[cust], ["listed", "soe"]) | (rng.random(m) < 0.6)
    received = np.minimum(
        weekday_before(period_end + days_of(rng.integers(95, 150, m))), as_day(as_of)
    )
    frame = schema_table(
        schema.FINANCIALS,
        {
            "customer_id": book.ids[cust],
            "period_end": period_end,
            "period_months": np.full(m, 12),
            "audited": audited,
            "currency": book.currency[cust],
            "revenue": revenue,
            "cost_of_sales": cost_of_sales,
            "profit_before_tax": pbt,
            "interest_expense": interest,
            "ebit": ebit_out,
            "net_profit": net_profit,
            "cash": cash,
            "receivables": receivables,
            "inventory": inventory,
            "current_assets": current_assets,
            "intangible_assets": intangible,
            "total_assets": ta,
            "current_liabilities": current_liabilities,
            "total_liabilities": tl,
            "equity": equity,
            "retained_earnings": retained,
            "operating_cash_flow": ocf,
            "received_on": received,
        },
    )
    return frame


def bureau_table(
    rng: np.random.Generator,
    book: Book,
    monthly_sales_local: Array,
    size: DemoSize,
    as_of: np.datetime64,
) -> pd.DataFrame:
    """The Bureau table: one or two reports per customer, or ``size.bureau_reports`` in all."""
    n = len(book.ids)
    if size.bureau_reports is None:
        counts = 1 + (rng.random(n) < 0.5)
    else:
        counts = np.full(n, size.bureau_reports // n)
        extra = rng.choice(n, size=size.bureau_reports % n, replace=False)
        counts[extra] += 1
    counts[book.behaviour == DEFAULTED] = np.maximum(counts[book.behaviour == DEFAULTED], 1)
    cust = np.repeat(np.arange(n), counts)
    back = np.arange(len(cust)) - np.repeat(np.cumsum(counts) - counts, counts)  # 0 = latest
    m = len(cust)
    defaulted = book.behaviour[cust] == DEFAULTED
    latest_days = np.where(defaulted, rng.integers(5, 60, m), rng.integers(5, 120, m))
    days = latest_days + back * rng.integers(150, 240, m)
    report_date = weekday_before(as_of - days_of(days))
    agency_ix = np.where(
        book.foreign[cust], len(AGENCIES) - 1, rng.integers(0, len(AGENCIES) - 1, m)
    )
    agency = np.array([a[0] for a in AGENCIES], dtype=object)[agency_ix]
    score_max = np.array([a[1] for a in AGENCIES])[agency_ix]
    s = np.clip(book.strength[cust] + rng.normal(0, 0.05, m), 0, 1)
    normalised = np.clip(0.35 + 0.6 * s + rng.normal(0, 0.03, m), 0.05, 0.99)
    score = np.round(normalised * score_max)
    grade_ix = np.clip(((normalised - 0.3) / 0.1).astype(np.int64), 0, len(AGENCY_GRADES) - 1)
    grade = np.array(AGENCY_GRADES, dtype=object)[grade_ix]
    risk_indicator = concat("Risk ", (4 - np.clip((s * 4).astype(np.int64), 0, 3)).astype(str))
    grade = np.where(book.foreign[cust], risk_indicator, grade)
    overdue_records = rng.poisson(4 * (1 - s) ** 2) + np.where(defaulted, 3, 0)
    lawsuits = rng.poisson(2 * (1 - s) ** 3) + np.where(defaulted, 2, 0)
    enforcement = defaulted & (report_date >= book.default_date[cust])
    abnormal = (defaulted & (back == 0)) | (
        ~book.cast[cust] & (book.behaviour[cust] == SLOW) & (rng.random(m) < 0.05)
    )
    step = np.where(book.currency[cust] == "JPY", 1_000_000.0, 10_000.0)
    recommended = np.floor(monthly_sales_local[cust] * (1 + 2 * s) / step) * step
    recommended = np.where(defaulted, 0.0, recommended)
    recommended = np.where((rng.random(m) < 0.2) & ~defaulted, np.nan, recommended)
    return schema_table(
        schema.BUREAU,
        {
            "customer_id": book.ids[cust],
            "agency": agency,
            "report_date": report_date,
            "score": score,
            "score_max": score_max,
            "agency_grade": grade,
            "overdue_records": overdue_records,
            "lawsuits": lawsuits,
            "enforcement": enforcement,
            "abnormal_operation": abnormal,
            "recommended_limit": recommended,
        },
        order=np.lexsort((report_date.astype(np.int64), cust)),
    )
