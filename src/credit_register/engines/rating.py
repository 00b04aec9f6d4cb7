"""Rating the whole register: the Ratings sheet, its History rows, and approving a limit.

This is where the credit engine's parts meet: ratios and Z″ from the latest statements, payment
behaviour from the receivables engine's per-invoice frame, the latest bureau report, the
qualitative facts, the scorecard, and the limit, terms and review rules. Everything is computed
for all customers at once (merges and groupbys, no loop over customers or invoices), so a
register of 10,000 customers and 500,000 invoices rates in about a second.

``rate`` proposes; people decide. The approved limit is written by ``approve`` only, with a reason
and a History row, and ``rating_history`` logs every grade and proposed-limit change so that
rating twice without a change in the data logs nothing.

Decisions (the spec is silent on them):

- Statements and bureau reports dated after the as-of date are ignored (a back-dated run sees
  what was known then). Statements are in their row's currency (else the customer's).
- Qualitative factors: years as customer from ``since``; ownership; key account; site visit =
  a ``site_visit`` activity within ``review.site_visit_months`` ("yes"), none for a key account
  ("no"), otherwise unknown (a visit is not expected of other customers, so its absence is not
  held against them).
- A customer's limits are in the customer's currency, like every amount on its row; the engine
  converts them with the FX sheet, so the Ratings sheet's limits, exposure and utilization
  (exposure / approved limit) are all in the base currency.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd

from credit_register.core.cells import CENT
from credit_register.core.issues import Issue
from credit_register.core.port import CellValue
from credit_register.core.register import Register
from credit_register.core.schema import CUSTOMERS, RATINGS, Language
from credit_register.core.text import pick
from credit_register.engines import (
    behaviour,
    expected_loss,
    exposure_history,
    limits,
    ratios,
    receivables,
    scorecard,
    thin_file,
)
from credit_register.policy.model import PillarKey, Policy

ZONE_LABELS: dict[str, tuple[str, str]] = {
    "safe": ("安全区", "safe"),
    "grey": ("灰色区", "grey"),
    "distress": ("困境区", "distress"),
}
ACTIONS: dict[str, tuple[str, str]] = {
    "rate": ("评级", "rating"),
    "approve": ("核定额度", "limit approved"),
}
#: the Ratings fields whose changes are logged on the History sheet
LOGGED_FIELDS = ("grade", "proposed_limit")


def _label(pair: tuple[str, str], lang: Language) -> str:
    return pick(lang, *pair)


def _frame(register: Register, key: str) -> pd.DataFrame:
    return register.frame(key)


def _latest(frame: pd.DataFrame, date: str, as_of: pd.Timestamp) -> pd.DataFrame:
    """Each customer's latest row by ``date`` up to the as-of date, indexed by customer id."""
    known = frame.loc[frame[date].notna() & (frame[date] <= as_of)]
    order = [date, "_row"] if "_row" in known else [date]
    return (
        known.sort_values(order, kind="stable")
        .groupby("customer_id")
        .tail(1)
        .set_index("customer_id")
    )


def rate(
    register: Register,
    policy: Policy,
    *,
    as_of: dt.date,
    items: pd.DataFrame | None = None,
    exposure: pd.Series | None = None,
    previous: pd.DataFrame | None = None,
    exposure_frame: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The Ratings sheet's rows (schema keys of ``RATINGS``), one per valid customer.

    ``items``: the receivables engine's per-invoice frame (computed here when ``None`` and that
    engine is available); ``exposure``: base-currency exposure by customer id; ``previous``: the
    Ratings sheet as read before this run (for ``previous_grade`` and the review schedule);
    ``exposure_frame``: ``receivables.exposure_by_customer`` for ``items`` — with it the limit's
    need reads the customer's history (its normal peak, recent invoicing, open orders), without
    it only the typed expected sales; its exposure after insurance (§7) is the row's
    ``net_exposure`` and the base of its expected loss. ``credit_hold`` and ``hold_reasons`` are
    left blank: the hold needs this run's alerts, and ``engines.credit_hold.on_ratings`` fills
    them.
    """
    lang = register.lang
    today = pd.Timestamp(as_of)
    customers = (
        _frame(register, "customers").drop_duplicates("customer_id").set_index("customer_id")
    )
    ids = customers.index
    rates = receivables.rate_table(register)
    currency = customers["currency"].fillna(policy.base_currency).astype(str).str.upper()
    fx_rate = currency.map(rates).astype("float64")

    # financial pillar: the latest statement up to the as-of date
    statements = _frame(register, "financials")
    statements = statements.loc[statements["period_end"] <= today]
    latest = ratios.latest_statements(statements).reindex(ids)
    stmt_currency = latest["currency"].fillna(currency).astype(str).str.upper()
    to_base = stmt_currency.map(rates).astype("float64")

    # payment pillar
    if items is None:
        items = receivables.open_items(register, policy, as_of)
    activities = _frame(register, "activities")
    if items is not None and not items.empty:
        paying = behaviour.payment_behaviour(
            items,
            activities,
            _frame(register, "payments"),
            as_of=as_of,
            payment_amounts=receivables.payments_in_customer_currency(register, items),
        ).reindex(ids)
        worst = behaviour.worst_days_overdue(items).reindex(ids)
    else:
        paying = pd.DataFrame(np.nan, index=ids, columns=list(behaviour.METRICS))
        worst = pd.Series(np.nan, index=ids)

    # bureau pillar: the latest report
    bureau = _latest(_frame(register, "bureau"), "report_date", today).reindex(ids)
    score_max = bureau["score_max"].astype("float64").fillna(100.0)
    bureau_values = pd.DataFrame(
        {
            "score": bureau["score"].astype("float64") / score_max.where(score_max > 0),
            "overdue_records": bureau["overdue_records"].astype("float64"),
            "lawsuits": bureau["lawsuits"].astype("float64"),
        },
        index=ids,
    )

    # qualitative pillar
    visit_from = today - pd.DateOffset(months=policy.reviews.site_visit_months)
    visits = activities.loc[
        (activities["type"] == "site_visit")
        & (activities["date"] > visit_from)
        & (activities["date"] <= today),
        "customer_id",
    ]
    visited = ids.isin(visits)
    key_account = customers["key_account"].fillna(False).astype(bool)
    site_visit = pd.Series(None, index=ids, dtype=object)
    site_visit[key_account.to_numpy()] = "no"
    site_visit[visited] = "yes"
    qualitative = pd.DataFrame(
        {
            "years": (today - customers["since"]).dt.days / 365.25,
            "ownership": customers["ownership"].astype(object),
            "key_account": customers["key_account"],
            "site_visit": site_visit,
        },
        index=ids,
    )

    values: dict[PillarKey, pd.DataFrame] = {
        "financial": latest[list(ratios.RATIO_KEYS)],
        "payment": paying,
        "bureau": bureau_values,
        "qualitative": qualitative,
    }
    hit = scorecard.knock_outs(
        pd.DataFrame(
            {
                "enforcement": bureau["enforcement"],
                "abnormal_operation": bureau["abnormal_operation"],
                "status": customers["status"],
                "worst_days_overdue": worst,
            },
            index=ids,
        ),
        policy,
    )
    card = scorecard.score(values, hit, policy, lang)
    knocked = hit.any(axis=1)
    card = thin_file.cap_grades(
        card, thin_file.thin(latest["period_end"], as_of, policy), policy, lang
    )

    # previous rating
    if previous is not None and not previous.empty and "customer_id" in previous:
        before = (
            previous.dropna(subset=["customer_id"])
            .drop_duplicates("customer_id", keep="last")
            .set_index("customer_id")
            .reindex(ids)
        )
        previous_grade = before["grade"].astype(object).where(before["grade"].notna())
        scheduled = pd.to_datetime(before["next_review"], errors="coerce")
        scheduled_on = pd.to_datetime(before["as_of"], errors="coerce")
        was_knocked = before["knock_out"].fillna("").astype(str).str.strip() != ""
    else:
        previous_grade = pd.Series(None, index=ids, dtype=object)
        scheduled = pd.Series(pd.NaT, index=ids, dtype="datetime64[us]")
        scheduled_on = scheduled
        was_knocked = pd.Series(False, index=ids)

    exposure_base = (
        exposure.reindex(ids).astype("float64")
        if exposure is not None
        else pd.Series(np.nan, index=ids)
    )
    net_exposure = _net_exposure(exposure_frame, ids)
    history = exposure_history.limit_history(register, policy, as_of, items, exposure_frame, ids)
    bureau_limit = bureau["recommended_limit"].astype("float64")
    limit_inputs = pd.DataFrame(
        {
            "grade": card["grade"],
            "knocked": knocked,
            **history,
            "exposure": exposure_base,
            "expected_monthly_sales": customers["expected_monthly_sales"] * fx_rate,
            "payment_terms_days": customers["payment_terms_days"].astype("float64"),
            # a customer's limits are in the customer's currency, like every amount on its row
            "approved_limit": customers["approved_limit"] * fx_rate,
            "insured_limit": customers["insured_limit"] * fx_rate,
            "tangible_net_worth": latest["tangible_net_worth"] * to_base,
            "working_capital": latest["working_capital"] * to_base,
            "revenue": latest["revenue"] * to_base,
            # the bureau reports in the customer's currency, like every amount on its row
            "bureau_limit": bureau_limit * fx_rate,
            "group": customers["group"],
        },
        index=ids,
    )
    proposal = limits.propose_limits(limit_inputs, policy)
    binding = limits.explain(
        proposal, policy, lang, limits.converted(bureau_limit, currency, fx_rate, policy)
    )
    terms = limits.terms_and_security(card["grade"], policy, lang)
    approved_base = (customers["approved_limit"] * fx_rate).astype("float64").round(2)
    zone = ratios.zscore_zone(latest["zscore"], policy.zscore)
    zone_labels = {k: _label(v, lang) for k, v in ZONE_LABELS.items()}

    out = pd.DataFrame(
        {
            "customer_id": ids.to_numpy(),
            "name": customers["name"].to_numpy(),
            "as_of": today,
            **{
                scorecard.score_column(p): card[scorecard.score_column(p)].round(1).to_numpy()
                for p in scorecard.PILLARS
            },
            "total_score": card["total_score"].round(1).to_numpy(),
            "grade": card["grade"].to_numpy(),
            "previous_grade": previous_grade.to_numpy(),
            "zscore": latest["zscore"].round(2).to_numpy(),
            "zscore_zone": zone.map(zone_labels).to_numpy(),
            "knock_out": card["knock_out"].to_numpy(),
            "proposed_limit": proposal["proposed_limit"].to_numpy(),
            "binding_rule": binding.to_numpy(),
            "excess_over_limit": proposal["excess_over_limit"].to_numpy(),
            "approved_limit": approved_base.to_numpy(),
            "exposure": exposure_base.to_numpy(),
            "net_exposure": net_exposure.to_numpy(),
            "expected_loss": expected_loss.expected_loss(
                card["grade"], net_exposure.fillna(exposure_base), policy
            ).to_numpy(),
            "utilization": (exposure_base / approved_base.where(approved_base > 0)).to_numpy(),
            "recommended_terms_days": terms["recommended_terms_days"].to_numpy(),
            "security": terms["security"].to_numpy(),
            "next_review": limits.next_review(
                card["grade"],
                previous_grade,
                knocked,
                scheduled,
                as_of,
                policy,
                last_review=last_review(register, today).reindex(ids),
                scheduled_on=scheduled_on,
                was_knocked=was_knocked,
            ).to_numpy(),
            "drivers": card["drivers"].to_numpy(),
            "data_gaps": card["data_gaps"].to_numpy(),
        }
    )
    out["as_of"] = out["as_of"].astype("datetime64[us]")
    # the columns filled after rating (the credit hold) are blank here
    return out.reindex(columns=[c.key for c in RATINGS.columns])


def last_review(register: Register, today: pd.Timestamp) -> pd.Series:
    """Each customer's latest review up to ``today``: a limit approval (History) or a recorded
    review (an Activities row of type 评审), whichever is later (§6)."""
    history = _frame(register, "history")
    approved = history["action"].isin(ACTIONS["approve"])  # in either language
    approvals = pd.DataFrame(
        {
            "customer_id": history.loc[approved, "customer_id"],
            "date": pd.to_datetime(history.loc[approved, "timestamp"]).dt.normalize(),
        }
    )
    activities = _frame(register, "activities")
    reviews = activities.loc[activities["type"] == "review", ["customer_id", "date"]]
    both = pd.concat([approvals, reviews], ignore_index=True)
    both = both.loc[both["date"].notna() & (both["date"] <= today)]
    return both.groupby("customer_id")["date"].max().astype("datetime64[us]")


def _net_exposure(frame: pd.DataFrame | None, ids: pd.Index) -> pd.Series:
    """Exposure after insurance cover (policy §7) by customer id; blank when not known."""
    if frame is None or "net_exposure_base" not in frame:
        return pd.Series(np.nan, index=ids, dtype="float64")
    return frame["net_exposure_base"].reindex(ids).astype("float64")


def _cell(value: object) -> CellValue:
    """A frame value as a History cell: blanks as ``None``, numbers as plain floats."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    if isinstance(value, np.generic):
        return value.item()  # type: ignore[no-any-return]
    return value  # type: ignore[return-value]


def rating_history(
    previous: pd.DataFrame | None,
    current: pd.DataFrame,
    *,
    when: dt.datetime,
    user: str,
    lang: Language,
) -> list[list[CellValue]]:
    """History rows (``HISTORY`` column order) for each changed grade or proposed limit.

    A customer rated for the first time logs its grade and proposal with a blank old value;
    rating again without a change logs nothing.
    """
    now = current.set_index("customer_id")
    if previous is not None and not previous.empty and "customer_id" in previous:
        before = (
            previous.dropna(subset=["customer_id"])
            .drop_duplicates("customer_id", keep="last")
            .set_index("customer_id")
            .reindex(now.index)
        )
    else:
        before = pd.DataFrame(np.nan, index=now.index, columns=list(LOGGED_FIELDS))
    old_grade = before["grade"].astype(object).where(before["grade"].notna(), None)
    new_grade = now["grade"].astype(object).where(now["grade"].notna(), None)
    grade_changed = (old_grade.fillna("") != new_grade.fillna("")).to_numpy()
    old_limit = pd.to_numeric(before["proposed_limit"], errors="coerce").astype("float64")
    new_limit = pd.to_numeric(now["proposed_limit"], errors="coerce").astype("float64")
    both = old_limit.notna() & new_limit.notna()
    limit_changed = np.where(
        both, (old_limit - new_limit).abs() > CENT, old_limit.isna() != new_limit.isna()
    )

    action = _label(ACTIONS["rate"], lang)
    grade_field = RATINGS.column("grade").header(lang)
    limit_field = RATINGS.column("proposed_limit").header(lang)
    reason_grade = now["knock_out"].where(now["knock_out"].fillna("") != "", now["drivers"])
    binding_header = RATINGS.column("binding_rule").header(lang)
    colon = pick(lang, "：", ": ")
    reason_limit = binding_header + colon + now["binding_rule"].fillna("").astype(str)
    stamp = when.replace(microsecond=0)
    rows: list[list[CellValue]] = []
    # one row per change found: building the output rows, not computing per customer; the
    # columns as plain arrays first (a first run changes every customer: 10,000 × 6 pandas
    # lookups took a second)
    customers = now.index.astype(str).to_numpy(dtype=object)
    grades = (old_grade.to_numpy(dtype=object), new_grade.to_numpy(dtype=object))
    limits = (old_limit.to_numpy(dtype=object), new_limit.to_numpy(dtype=object))
    why_grade, why_limit = reason_grade.to_numpy(dtype=object), reason_limit.to_numpy(dtype=object)
    for at in np.flatnonzero(grade_changed | limit_changed).tolist():
        customer = customers[at]
        if grade_changed[at]:
            rows.append(
                [
                    stamp,
                    user,
                    action,
                    customer,
                    grade_field,
                    _cell(grades[0][at]),
                    _cell(grades[1][at]),
                    _cell(why_grade[at]),
                ]
            )
        if limit_changed[at]:
            rows.append(
                [
                    stamp,
                    user,
                    action,
                    customer,
                    limit_field,
                    _cell(limits[0][at]),
                    _cell(limits[1][at]),
                    _cell(why_limit[at]),
                ]
            )
    return rows


def approve(
    register: Register,
    ratings: pd.DataFrame | None,
    customer_id: str,
    limit: float | None,
    reason: str,
    user: str,
    when: dt.datetime,
) -> tuple[dict[str, CellValue], list[list[CellValue]], list[Issue]]:
    """Approve a customer's credit limit: the Customers cells to set, the History row, issues.

    ``limit`` ``None`` takes the proposed limit from ``ratings``. A reason is required; an
    unknown customer, a negative limit or a missing proposal is an issue and nothing is written.
    """
    lang = register.lang
    table = register.tables["customers"]

    def problem(
        zh: str, en: str, cell: str = ""
    ) -> tuple[dict[str, CellValue], list[list[CellValue]], list[Issue]]:
        return {}, [], [Issue(register.label, table.name, cell, "error", zh, en)]

    if not reason or not reason.strip():
        return problem("核定额度须填写原因", "a reason is required to approve a limit")
    found = table.frame.loc[table.frame["customer_id"] == customer_id]
    if found.empty:
        return problem(f"未找到客户“{customer_id}”", f"customer '{customer_id}' not found")
    row = int(found["_row"].iloc[0])
    if "approved_limit" not in table.positions:
        column = CUSTOMERS.column("approved_limit")
        return problem(
            f"客户表缺少“{column.zh}”列", f"the sheet has no '{column.en}' column", str(row)
        )
    if limit is None:
        proposed = None
        if ratings is not None and not ratings.empty:
            mine = ratings.loc[ratings["customer_id"] == customer_id, "proposed_limit"]
            proposed = pd.to_numeric(mine, errors="coerce").dropna()
        if proposed is None or proposed.empty:
            return problem(
                f"客户“{customer_id}”尚无建议额度，请先评级或填写额度",
                f"customer '{customer_id}' has no proposed limit: rate first or give the limit",
                table.cell("customer_id", row),
            )
        # the proposal is in the base currency; the Customers row holds the customer's own
        currency = found["currency"].iloc[0]
        rate = receivables.rate_table(register).get(
            str(currency) if isinstance(currency, str) and currency else register.base_currency,
            1.0,
        )
        limit = float(proposed.iloc[0]) / rate
        if rate != 1.0:
            limit = math.floor(limit / 1000) * 1000.0
    if not math.isfinite(limit) or limit < 0:
        return problem(
            f"核定额度不能为负数：{limit}",
            f"the limit cannot be negative: {limit}",
            table.cell("approved_limit", row),
        )
    old = _cell(found["approved_limit"].iloc[0])
    history: list[CellValue] = [
        when.replace(microsecond=0),
        user,
        _label(ACTIONS["approve"], lang),
        customer_id,
        CUSTOMERS.column("approved_limit").header(lang),
        old,
        float(limit),
        reason.strip(),
    ]
    return {table.cell("approved_limit", row): float(limit)}, [history], []
