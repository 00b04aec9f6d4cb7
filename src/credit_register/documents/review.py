"""The monthly credit review pack: the portfolio, the grade migration, the largest exposures, the
overdue list, alerts, reviews due and limits expiring.

Decisions (the spec leaves them open): the migration matrix reads last month's grade from History
(the last grade change logged before the month began); customers without one are "new". Limits
expiring are those whose validity ends before the end of the following month (time to renew),
expired included.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.schema import (
    ACTIVITIES,
    ALERTS,
    GRADES,
    HISTORY,
    RATINGS,
    SEVERITY,
    Language,
    normalise_label,
)
from credit_register.core.text import pick
from credit_register.documents import charts
from credit_register.documents.amounts import format_amount, format_day, format_number, format_pct
from credit_register.documents.context import (
    INACTIVE_ALERTS,
    Chart,
    Context,
    as_day,
    as_number,
    as_text,
    code_label,
    customer_rows,
    money_in,
)
from credit_register.engines import expected_loss, provisions, receivables
from credit_register.engines.results import Results
from credit_register.policy.loss_rows import PROVISION_BUCKETS


def month_bounds(month: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``YYYY-MM``.

    >>> month_bounds("2026-02")
    (datetime.date(2026, 2, 1), datetime.date(2026, 2, 28))
    """
    period = pd.Period(month, freq="M")
    return period.start_time.date(), period.end_time.date()


def grades_last_month(history: pd.DataFrame, first_day: dt.date) -> pd.Series:
    """Each customer's grade as History left it before ``first_day`` (last grade change)."""
    if history.empty:
        return pd.Series(dtype="str")
    fields = {normalise_label(RATINGS.column("grade").header(lang)) for lang in ("zh", "en")}
    wanted = history["field"].fillna("").astype(str).map(normalise_label).isin(fields)
    before = pd.to_datetime(history["timestamp"]) < pd.Timestamp(first_day)
    rows = history.loc[wanted & before].sort_values("timestamp", kind="stable")
    grades = rows.groupby("customer_id")["new"].last()
    return grades.astype("str")


def migration_matrix(previous: pd.Series, current: pd.Series, lang: Language) -> Context:
    """Counts of customers by last month's grade (rows, ``new`` for none) and this month's."""
    before = previous.reindex(current.index).where(lambda s: s.isin(GRADES), "new")
    table = pd.crosstab(before, current).reindex(
        index=[*GRADES, "new"], columns=list(GRADES), fill_value=0
    )
    new_label = pick(lang, "新增", "new")
    rows = [
        {
            "grade": new_label if g == "new" else g,
            "cells": [int(v) if v else "" for v in table.loc[g]],
            "total": int(table.loc[g].sum()),
        }
        for g in table.index
        if table.loc[g].sum() > 0 or g != "new"
    ]
    counts = table.to_numpy(dtype="int64")[: len(GRADES)]
    moved = int(counts.sum() - np.trace(counts))
    return {
        "grades": list(GRADES),
        "rows": rows,
        "moved": moved,
        "has_previous": bool(previous.isin(GRADES).any()),
    }


_SOURCES = {"history": ("本账簿回款历史", "register history"), "policy": ("政策默认", "Policy")}
_DIMENSIONS = {
    "group": ("集团", "group"),
    "industry": ("行业", "industry"),
    "country": ("国家", "country"),
}


def _loss_tables(
    book: expected_loss.Portfolio, matrix: provisions.ProvisionMatrix, lang: Language
) -> Context:
    """The review pack's expected-loss section: EL by grade, the provision matrix and the
    concentration of the book (the five largest of each dimension)."""
    by_grade = [
        {
            "grade": str(grade),
            "customers": int(r["customers"]),
            "exposure": format_amount(r["exposure"], lang),
            "el": format_amount(r["expected_loss"], lang),
            "rate": format_pct(as_number(r["el_rate"]), lang, 2),
        }
        for grade, r in book.by_grade.iterrows()
        if r["customers"] > 0
    ]
    labels = {key: pick(lang, zh, en) for key, zh, en in PROVISION_BUCKETS}
    rows = [
        {
            "bucket": labels.get(str(bucket), str(bucket)),
            "roll": format_pct(as_number(r["roll_rate"]), lang),
            "rate": format_pct(as_number(r["loss_rate"]), lang, 2),
            "source": pick(lang, *_SOURCES[str(r["source"])]),
            "balance": format_amount(r["balance"], lang),
            "provision": format_amount(r["provision"], lang),
        }
        for bucket, r in matrix.table.iterrows()
    ]
    concentration = [
        {
            "dimension": pick(lang, *_DIMENSIONS[dimension]),
            "name": str(name),
            "exposure": format_amount(r["exposure"], lang),
            "share": format_pct(as_number(r["share"]), lang),
            "el": format_amount(r["expected_loss"], lang),
        }
        for dimension, table in book.by.items()
        for name, r in table.head(5).iterrows()
    ]
    first, last = matrix.month_ends[0], matrix.month_ends[-1]
    return {
        "el_by_grade": by_grade,
        "provision_matrix": rows,
        "provision_period": f"{first:%Y-%m}–{last:%Y-%m}",
        "concentration": concentration,
    }


def review_context(results: Results, month: str) -> Context:
    """The monthly credit review pack for ``month`` (``YYYY-MM``)."""
    lang = results.register.lang
    first_day, last_day = month_bounds(month)
    reg = results.register
    customers = customer_rows(results).set_index("customer_id", drop=False)
    ratings = results.ratings.drop_duplicates("customer_id").set_index("customer_id", drop=False)
    if not results.exposure.empty:
        exposure = results.exposure["exposure_base"].astype(float)
    else:
        exposure = pd.to_numeric(ratings["exposure"], errors="coerce").fillna(0.0)
    ratings = ratings.assign(exposure=exposure.reindex(ratings.index).fillna(0.0))
    # limits in the base currency, as exposure is: the Ratings copy (converted once by the rating
    # engine), else the Customers figure converted at the customer's rate
    rates = receivables.customer_limits(reg)
    own = rates["approved_limit_base"].reindex(ratings.index)
    approved = pd.to_numeric(ratings["approved_limit"], errors="coerce").fillna(own)
    whole = receivables.portfolio(results.items, results.policy, results.as_of)
    ageing = results.ageing

    alerts = results.alerts
    active = alerts.loc[~alerts["status"].isin(INACTIVE_ALERTS)] if len(alerts) else alerts
    by_severity = [
        {
            "severity": c.label(lang),
            "count": int((active["severity"] == c.key).sum()) if len(active) else 0,
        }
        for c in reversed(SEVERITY)
    ]
    rank = {c.key: n for n, c in enumerate(reversed(SEVERITY))}
    shown_alerts = (
        active.loc[active["severity"].isin(("block", "warning"))] if len(active) else active
    )
    if len(shown_alerts):
        shown_alerts = shown_alerts.assign(_rank=shown_alerts["severity"].map(rank)).sort_values(
            ["_rank", "customer_id"], kind="stable"
        )
    alert_rows = [
        {
            "severity": code_label(SEVERITY, a["severity"], lang),
            "customer": as_text(a["name"]) or as_text(a["customer_id"]),
            "indicator": as_text(a["indicator"]),
            "value": as_text(a["value"]),
            "action": as_text(a["recommended_action"]),
        }
        for a in shown_alerts.to_dict("records")
    ]

    def name(cid: str) -> str:
        return as_text(customers.at[cid, "name"]) if cid in customers.index else cid

    top = ratings.sort_values("exposure", ascending=False, kind="stable").head(10)
    top_rows = [
        {
            "rank": n,
            "customer_id": cid,
            "name": name(cid),
            "grade": as_text(r["grade"]),
            "exposure": format_amount(r["exposure"], lang),
            "limit": format_amount(as_number(approved.get(cid)), lang),
            # one definition: the Ratings row's utilization (C00032: 104.8 %, not 747.2 %)
            "utilization": format_pct(
                as_number(r.get("utilization"))
                if not math.isnan(as_number(r.get("utilization")))
                else r["exposure"] / as_number(approved.get(cid))
                if as_number(approved.get(cid)) > 0
                else math.nan,
                lang,
            ),
        }
        for n, (cid, r) in enumerate(
            zip(top.index.astype(str), top.to_dict("records"), strict=True), start=1
        )
    ]

    overdue_rows = []
    if len(ageing):
        worst = ageing.loc[ageing["overdue"] > CENT].sort_values("overdue", ascending=False)
        overdue_rows = [
            {
                "customer_id": as_text(a["customer_id"]),
                "name": as_text(a["name"]),
                "overdue": format_amount(a["overdue"], lang),
                "overdue_pct": format_pct(as_number(a["overdue_pct"]), lang),
                "max_days": int(as_number(a["max_days_overdue"]) or 0),
                "step": as_text(a["dunning_level"]) or "—",
            }
            for a in worst.head(20).to_dict("records")
        ]

    next_review = pd.to_datetime(ratings["next_review"])
    due = ratings.loc[next_review <= pd.Timestamp(last_day)].sort_values("next_review")
    review_rows = [
        {
            "customer_id": cid,
            "name": name(cid),
            "grade": as_text(r["grade"]),
            "next_review": format_day(as_day(r["next_review"]), lang, short=True),
        }
        for cid, r in zip(due.index.astype(str), due.to_dict("records"), strict=True)
    ]

    horizon = (pd.Period(month, freq="M") + 1).end_time.normalize()
    valid = pd.to_datetime(customers["limit_valid_until"])
    base = results.policy.base_currency
    expiring = customers.loc[valid.notna() & (valid <= horizon)].assign(
        _until=valid,
        _currency=customers["currency"].astype("string").fillna(base).str.upper(),
    )
    expiring = expiring.sort_values("_until", kind="stable")
    expiring_rows = [
        {
            "customer_id": cid,
            "name": as_text(c["name"]),
            "limit": money_in(c["approved_limit"], str(c["_currency"]), base, lang),
            "valid_until": format_day(as_day(c["limit_valid_until"]), lang, short=True),
            "expired": pick(lang, "已过期", "expired")
            if c["_until"] < pd.Timestamp(results.as_of)
            else "",
        }
        for cid, c in zip(expiring.index.astype(str), expiring.to_dict("records"), strict=True)
    ]

    book = expected_loss.portfolio(results.ratings, customers.reset_index(drop=True))
    matrix = provisions.provision_matrix(
        reg, results.policy, results.as_of, results.items, results.ageing
    )
    previous = grades_last_month(reg.frame(HISTORY.key), first_day)
    current = ratings["grade"].dropna().astype("str")
    total_exposure = float(ratings["exposure"].sum())
    return {
        "doc_title": pick(lang, "月度信用评审报告", "Monthly credit review"),
        "month": month,
        "as_of": format_day(results.as_of, lang),
        "currency": results.policy.base_currency,
        "portfolio": {
            "customers": len(ratings),
            "exposure": format_amount(total_exposure, lang),
            "open_receivables": format_amount(whole.owed, lang),
            "overdue": format_amount(whole.overdue, lang),
            "overdue_pct": format_pct(whole.overdue_share, lang),
            "dso": format_number(whole.dso, 0),
            "active_alerts": len(active),
            "expected_loss": format_amount(book.total_el, lang),
            "provision": format_amount(matrix.provision, lang),
            "top10_share": format_pct(book.top10_share, lang),
            "hhi": format_number(book.hhi, 3),
        },
        **_loss_tables(book, matrix, lang),
        "grade_chart": Chart(charts.grade_distribution_chart(ratings, lang)),
        "migration": migration_matrix(previous, current, lang),
        "top_exposures": top_rows,
        "overdue_list": overdue_rows,
        "alerts_by_severity": by_severity,
        "alerts": alert_rows,
        "due_for_review": review_rows,
        "limits_expiring": expiring_rows,
        "alert_sheet": ALERTS.name(lang),
        "activities_sheet": ACTIVITIES.name(lang),
    }
