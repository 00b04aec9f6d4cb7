"""The alerts about the customer's file: its rating, bureau reports, housekeeping and claims.

Grade down, review date passed and agreed terms above the grade's maximum (from the Ratings
rows); bureau score drop, enforcement, new lawsuits, abnormal operation and a stale report (the
latest two reports up to the as-of date); a stale statement, an expired limit, a key account
without a site visit and terms above the insurer's maximum (the Customers sheet); a broken
promise to pay not made good; limitation about to run out and a thin file. A closed customer
raises none of the housekeeping ones (``active`` is the customers not closed).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.register import Register
from credit_register.core.schema import Language
from credit_register.core.text import pick as _text
from credit_register.engines.alert_rules import (
    FIGURE_COLUMNS,
    FINDING_COLUMNS,
    date_text,
    event_findings,
    measured_findings,
)
from credit_register.engines.behaviour import promises_still_broken
from credit_register.engines.limits import notches_down
from credit_register.policy.model import Policy


def rating_findings(
    register: Register,
    policy: Policy,
    as_of: dt.date,
    ratings: pd.DataFrame | None,
    active: pd.Index,
    lang: Language,
) -> list[pd.DataFrame]:
    if ratings is None or ratings.empty:
        return []
    if "customer_id" not in ratings:
        ratings = ratings.reset_index(names="customer_id")
    ratings = ratings.dropna(subset=["customer_id"]).drop_duplicates("customer_id")
    found = []
    if {"grade", "previous_grade"} <= set(ratings.columns):
        down = notches_down(ratings["grade"], ratings["previous_grade"])
        hit = measured_findings(policy, "grade_down", ratings["customer_id"], down, lang)
        if len(hit):
            moved = ratings["previous_grade"].astype("str") + "→" + ratings["grade"].astype("str")
            hit["value"] = moved[hit.index].astype("str")
            hit[FIGURE_COLUMNS[0]] = np.nan  # the move (BB→B) is the value, not a number
        found.append(hit)
    if "next_review" in ratings:
        review = pd.to_datetime(ratings["next_review"], errors="coerce")
        due = ratings.loc[(review < pd.Timestamp(as_of)) & ratings["customer_id"].isin(active)]
        found.append(
            event_findings(
                policy,
                "review_overdue",
                due["customer_id"],
                date_text(review[due.index]),
                "",
                lang,
            )
        )
    if "grade" in ratings:
        found.append(_terms_above_grade(register, policy, ratings, active, lang))
    return found


def _terms_above_grade(
    register: Register, policy: Policy, ratings: pd.DataFrame, active: pd.Index, lang: Language
) -> pd.DataFrame:
    """Agreed terms longer than the grade's maximum (§3: the table gives each grade's maximum;
    cash in advance allows none)."""
    longest = {g: 0 if t.prepayment >= 1 else t.days for g, t in policy.terms.items()}
    customers = register.frame("customers").drop_duplicates("customer_id")
    terms = customers.set_index("customer_id")["payment_terms_days"].astype("float64")
    rated = ratings.loc[ratings["customer_id"].isin(active)]
    agreed = terms.reindex(rated["customer_id"]).to_numpy()
    allowed = rated["grade"].map(longest).astype("float64").to_numpy()
    over = agreed > allowed  # NaN (no terms, no grade) compares False
    hit = rated.loc[over]
    days = _text(lang, "天", " days")
    return event_findings(
        policy,
        "terms_above_grade",
        hit["customer_id"],
        pd.Series(agreed[over], index=hit.index).astype(int).astype("str") + days,
        hit["grade"].astype("str")
        + _text(lang, "级上限 ", " maximum ")
        + pd.Series(allowed[over], index=hit.index).astype(int).astype("str")
        + days,
        lang,
    )


def _latest_two(frame: pd.DataFrame, date: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each customer's latest row and the one before it (by ``date``)."""
    ordered = frame.dropna(subset=[date]).sort_values(["customer_id", date], kind="stable")
    latest = ordered.groupby("customer_id", sort=False).tail(1).set_index("customer_id")
    rest = ordered.drop(ordered.groupby("customer_id", sort=False).tail(1).index)
    before = rest.groupby("customer_id", sort=False).tail(1).set_index("customer_id")
    return latest, before


def bureau_findings(
    register: Register, policy: Policy, as_of: dt.date, active: pd.Index
) -> list[pd.DataFrame]:
    lang = register.lang
    bureau = register.frame("bureau")
    # a report dated after the as-of date was not known then (as for the rating)
    bureau = bureau.loc[bureau["report_date"] <= pd.Timestamp(as_of)]
    if bureau.empty:
        return []
    bureau = bureau.assign(normalised=bureau["score"] / bureau["score_max"].fillna(100.0))
    latest, before = _latest_two(bureau, "report_date")
    ids = pd.Series(latest.index.to_numpy(), index=latest.index)
    report = date_text(latest["report_date"])
    previous = before.reindex(latest.index)
    drop = (previous["normalised"] - latest["normalised"]) / previous["normalised"]
    found = [
        measured_findings(
            policy, "bureau_score_drop", ids, drop.where(previous["normalised"] > 0), lang
        )
    ]
    yes = _text(lang, "是", "yes")
    enforced = latest["enforcement"].fillna(False).astype(bool)
    found.append(event_findings(policy, "enforcement", ids[enforced], report[enforced], yes, lang))
    abnormal = latest["abnormal_operation"].fillna(False).astype(bool)
    found.append(
        event_findings(policy, "abnormal_operation", ids[abnormal], report[abnormal], yes, lang)
    )
    lawsuits = latest["lawsuits"].astype(float).fillna(0)
    earlier = previous["lawsuits"].astype(float).fillna(0)
    more = lawsuits > earlier
    found.append(
        event_findings(
            policy,
            "lawsuit",
            ids[more],
            lawsuits[more].astype(int).astype("str"),
            f"> {_text(lang, '上次', 'previous')} " + earlier[more].astype(int).astype("str"),
            lang,
        )
    )
    months = policy.staleness.bureau_months
    stale = (latest["report_date"] < pd.Timestamp(as_of) - pd.DateOffset(months=months)) & (
        latest.index.isin(active)
    )
    found.append(
        event_findings(
            policy,
            "stale_bureau",
            ids[stale],
            report[stale],
            _text(lang, f"{months}个月", f"{months} months"),
            lang,
        )
    )
    return found


def customer_findings(
    register: Register, policy: Policy, as_of: dt.date, active: pd.Index
) -> list[pd.DataFrame]:
    lang = register.lang
    day = pd.Timestamp(as_of)
    customers = register.frame("customers").drop_duplicates("customer_id")
    customers = customers.loc[customers["customer_id"].isin(active)]
    found = []

    statements = register.frame("financials")
    latest = statements.groupby("customer_id")["period_end"].max()
    months = policy.staleness.statement_months
    stale = latest[latest < day - pd.DateOffset(months=months)]
    stale = stale[stale.index.isin(active)]
    found.append(
        event_findings(
            policy,
            "stale_statement",
            pd.Series(stale.index, index=stale.index),
            date_text(stale),
            _text(lang, f"{months}个月", f"{months} months"),
            lang,
        )
    )

    expired = customers.loc[customers["limit_valid_until"] < day]
    found.append(
        event_findings(
            policy,
            "limit_expired",
            expired["customer_id"],
            date_text(expired["limit_valid_until"]),
            _text(lang, "评估日", "as-of date"),
            lang,
        )
    )

    activities = register.frame("activities")
    visits = activities.loc[(activities["type"] == "site_visit") & (activities["date"] <= day)]
    last_visit = visits.groupby("customer_id")["date"].max()
    key = customers.loc[customers["key_account"].fillna(False).astype(bool)]
    visited = last_visit.reindex(key["customer_id"]).to_numpy()
    months = policy.reviews.site_visit_months
    missing = pd.isna(visited) | (visited < day - pd.DateOffset(months=months))
    key = key.loc[missing]
    found.append(
        event_findings(
            policy,
            "site_visit_missing",
            key["customer_id"],
            date_text(pd.Series(visited[missing], index=key.index)),
            _text(lang, f"{months}个月", f"{months} months"),
            lang,
        )
    )

    # §7: the insurer's maximum credit period
    agreed = customers["payment_terms_days"].astype("float64")
    allowed = customers["insurer_max_terms_days"].astype("float64")
    longer = customers.loc[(agreed > allowed).to_numpy()]
    days = _text(lang, "天", " days")
    found.append(
        event_findings(
            policy,
            "insurer_terms",
            longer["customer_id"],
            agreed[longer.index].astype(int).astype("str") + days,
            _text(lang, "保险最长账期 ", "insurer's maximum ")
            + allowed[longer.index].astype(int).astype("str")
            + days,
            lang,
        )
    )
    return found


def broken_promises(
    register: Register, policy: Policy, as_of: dt.date, items: pd.DataFrame
) -> pd.DataFrame:
    """Promises to pay whose date has passed without the promised money coming in (the same
    definition the scorecard's payment factor and the credit hold use); one made good since (the
    money came in later) is no longer a warning."""
    lang = register.lang
    hit = promises_still_broken(register, items, as_of)
    if hit.empty:
        return pd.DataFrame(columns=list(FINDING_COLUMNS))
    promised = hit["promise_amount"].astype("float64")
    shortfall = promised - hit["received"]
    value = shortfall.map(lambda v: "—" if np.isnan(v) else f"{v:,.2f}").astype("str")
    threshold = _text(lang, "承诺 ", "promised ") + date_text(hit["promise_date"])
    return event_findings(
        policy,
        "broken_promise",
        hit["customer_id"],
        value,
        threshold,
        lang,
        subject=date_text(hit["promise_date"]),
    )


def claims_findings(
    register: Register, policy: Policy, as_of: dt.date, items: pd.DataFrame
) -> list[pd.DataFrame]:
    """Limitation about to expire (one alert per customer: the earliest expiry among its owed
    invoices within ``limitation.notice_days``, or already passed, and how many invoices) and
    thin files (no statement at all: the grade is capped until statements arrive)."""
    lang = register.lang
    day = pd.Timestamp(as_of)
    notice = policy.limitation_notice_days
    owed = items.loc[
        (items["outstanding"].to_numpy(dtype=float, na_value=0.0) > CENT)
        & items["limitation_expires"].notna(),
        ["customer_id", "limitation_expires"],
    ]
    soon = owed.loc[owed["limitation_expires"] <= day + pd.Timedelta(days=notice)]
    found = []
    if len(soon):
        per = soon.groupby("customer_id", sort=True)["limitation_expires"].agg(["min", "size"])
        expired = per["min"] <= day
        count = per["size"].astype(int).astype("str")
        value = (
            date_text(per["min"])
            + pd.Series(
                np.where(
                    expired,
                    _text(lang, "（已届满，", " (expired, ") + count,
                    _text(lang, "（", " (") + count,
                ),
                index=per.index,
            )
            + _text(lang, "张发票）", " invoice(s))")
        )
        ids = pd.Series(per.index.to_numpy(), index=per.index)
        threshold = _text(lang, f"{notice}天内", f"within {notice} days")
        found.append(event_findings(policy, "limitation_expiring", ids, value, threshold, lang))
    customers = register.frame("customers").drop_duplicates("customer_id")
    active = customers.loc[customers["status"] != "closed", "customer_id"]
    with_statements = register.frame("financials")["customer_id"]
    thin = active[~active.isin(with_statements)]
    if len(thin):
        found.append(
            event_findings(
                policy,
                "thin_file",
                thin,
                pd.Series(_text(lang, "无财务报表", "no statement"), index=thin.index),
                _text(
                    lang,
                    f"等级上限{policy.thin_file_max_grade}",
                    f"grade capped at {policy.thin_file_max_grade}",
                ),
                lang,
            )
        )
    return found
