"""The customer credit report: profile, statements, ratios and Z″, scorecard and drivers, payment
and ageing charts, bureau, limit recommendation, open alerts.

Reports are made by the thousand (a month's reviews), so what they read from a ``Results`` is
regrouped by customer once (``ReportData``) and each report then reads its customer's rows.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable
from typing import Any

import pandas as pd

from credit_register.core.schema import CUSTOMER_STATUS, FINANCIALS, OWNERSHIP, SEVERITY, Language
from credit_register.core.text import pick
from credit_register.documents import charts
from credit_register.documents.amounts import (
    chinese_upper,
    format_amount,
    format_day,
    format_number,
    format_pct,
)
from credit_register.documents.context import (
    INACTIVE_ALERTS,
    Chart,
    Context,
    as_day,
    as_number,
    as_text,
    code_label,
    company,
    currency_of,
    customer_rows,
    is_missing,
    money,
    quoted_limit,
)
from credit_register.engines import ratios, receivables, scorecard
from credit_register.engines.results import Results
from credit_register.policy.model import PillarKey

_STATEMENT_LINES = (
    "revenue",
    "net_profit",
    "total_assets",
    "total_liabilities",
    "equity",
    "current_assets",
    "current_liabilities",
    "operating_cash_flow",
)
_PILLARS: tuple[tuple[PillarKey, str, str], ...] = (
    ("financial", "财务", "Financial"),
    ("payment", "付款行为", "Payment behaviour"),
    ("bureau", "外部征信", "Bureau"),
    ("qualitative", "定性", "Qualitative"),
)


class ReportData:
    """What credit reports read from a ``Results``, regrouped by customer once and cut down to
    the customers asked for: a thousand reports then neither scan every table each nor carry
    the whole register (a process pool receives this, a few megabytes, instead of the run's
    hundreds). Pure data: build it where the ``Results`` is, render anywhere."""

    def __init__(self, results: Results, customer_ids: Iterable[str] | None = None) -> None:
        reg = results.register
        self.lang: Language = reg.lang
        self.as_of = results.as_of
        self.policy = results.policy
        self.rates = receivables.rate_table(reg)
        wanted = None if customer_ids is None else pd.Index(list(customer_ids), dtype=object)

        def mine(frame: pd.DataFrame) -> pd.DataFrame:
            if wanted is None or frame.empty or "customer_id" not in frame:
                return frame
            return frame.loc[frame["customer_id"].isin(wanted)]

        # one row per customer as a plain dict: a report reads a few dozen fields of each
        self.customers = _by_customer(mine(customer_rows(results)))
        self.ratings = _by_customer(mine(results.ratings))
        # the Ratings sheet as the workbook holds it (the last run's), for the previous grade
        sheet = reg.tables.get("ratings")
        self.sheet_ratings = (
            _by_customer(mine(sheet.frame)) if sheet is not None and not sheet.frame.empty else {}
        )
        self.ageing = _by_customer(mine(results.ageing))
        exposure = results.exposure
        if not exposure.empty and wanted is not None:
            exposure = exposure.loc[exposure.index.isin(wanted)]
        self.exposure = exposure
        fin = mine(reg.frame("financials"))
        fin = fin.loc[fin["period_end"] <= pd.Timestamp(results.as_of)]
        fin = fin.sort_values(["customer_id", "period_end"], kind="stable")
        fin = fin.groupby("customer_id", sort=False).tail(3)
        self.statements = pd.concat([ratios.completed(fin), ratios.statement_ratios(fin)], axis=1)
        self.statement_rows = self.statements.groupby("customer_id", sort=False).indices
        bureau = mine(reg.frame("bureau"))
        bureau = bureau.loc[bureau["report_date"] <= pd.Timestamp(results.as_of)]
        self.bureau = _by_customer(bureau.sort_values("report_date", kind="stable"))
        self.payments = charts.PaymentHistory(mine(results.items), results.as_of)
        alerts = mine(results.alerts)
        if not alerts.empty:
            alerts = alerts.loc[~alerts["status"].isin(INACTIVE_ALERTS)]
        self.alerts: dict[str, list[dict[str, Any]]] = {}
        for alert in alerts.to_dict("records"):
            self.alerts.setdefault(str(alert["customer_id"]), []).append(
                {str(k): v for k, v in alert.items()}
            )

    def statement_currency(self, customer_id: str, default: str) -> str:
        """The currency the customer's latest statement is in (its own column, else
        ``default``: the customer's currency)."""
        at = self.statement_rows.get(customer_id)
        if at is None or "currency" not in self.statements:
            return default
        typed = self.statements["currency"].iloc[at].dropna()
        return str(typed.iloc[-1]) if len(typed) else default

    def exposure_of(self, customer_id: str) -> float:
        """The customer's exposure (base currency), as the Ratings sheet shows it."""
        if self.exposure.empty or customer_id not in self.exposure.index:
            return as_number(self.ratings.get(customer_id, {}).get("exposure"))
        return as_number(self.exposure.at[customer_id, "exposure_base"])


def _indexed(frame: pd.DataFrame) -> pd.DataFrame:
    if frame.empty or "customer_id" not in frame:
        return pd.DataFrame()
    return frame.drop_duplicates("customer_id", keep="last").set_index("customer_id", drop=False)


def _by_customer(frame: pd.DataFrame) -> dict[str, dict[str, Any]]:
    """Each customer's row (the last one when repeated) as a dict, by customer id."""
    rows = _indexed(frame)
    return {
        str(cid): {str(k): v for k, v in row.items()} for cid, row in rows.to_dict("index").items()
    }


def _statement_table(data: ReportData, customer_id: str, lang: Language) -> Context:
    at = data.statement_rows.get(customer_id)
    rows = data.statements.iloc[at] if at is not None else data.statements.iloc[:0]
    periods = [format_day(as_day(d), lang, short=True) for d in rows["period_end"]]
    pad = 3 - len(periods)
    periods = ["—"] * pad + periods
    lines = []
    for key in _STATEMENT_LINES:
        values = ["—"] * pad + [money(v, lang) for v in rows[key]]
        lines.append({"label": FINANCIALS.column(key).header(lang), "v": values})
    ratio_lines = []
    for key in ratios.RATIO_KEYS:
        shown = ["—"] * pad + [
            "—" if is_missing(v) else scorecard.format_value("financial", key, float(v), lang)
            for v in rows[key]
        ]
        ratio_lines.append({"label": scorecard.factor_label("financial", key, lang), "v": shown})
    ratio_lines.append(
        {
            "label": "Altman Z″",
            "v": ["—"] * pad + [format_number(as_number(v)) for v in rows["zscore"]],
        }
    )
    return {
        "periods": periods,
        "statement_lines": lines,
        "ratio_lines": ratio_lines,
        "has_statements": len(rows) > 0,
    }


def last_runs_previous_grade(
    rating: dict[str, Any], on_sheet: dict[str, Any], as_of: dt.date
) -> str:
    """The grade the last run replaced. A report made after the monthly run, for its as-of date,
    recomputes the grades with that run's own on the Ratings sheet: the grade before is then the
    sheet's 上次等级, not the sheet's grade (the run's own). For another date, the sheet's grade
    is the last run's, which the engine's ``previous_grade`` already is."""
    if on_sheet and as_day(on_sheet.get("as_of")) == as_of:
        return as_text(on_sheet.get("previous_grade"))
    return as_text(rating.get("previous_grade"))


def _drivers(text: str) -> list[str]:
    parts = [p.strip() for p in text.replace(";", "；").split("；")]
    return [p for p in parts if p]


def _report_context(data: ReportData, customer_id: str, *, with_charts: bool) -> Context:
    lang = data.lang
    customer = data.customers.get(customer_id, {})
    rating = data.ratings.get(customer_id, {})
    ageing = data.ageing.get(customer_id, {})
    bureau = data.bureau.get(customer_id, {})
    # the report's figures are in the base currency (its heading says which); a foreign
    # customer's own-currency limits are converted once and shown beside
    base = data.policy.base_currency
    currency, rate = currency_of(customer, data.rates, base)
    limit, source = quoted_limit(rating, customer, rate)
    exposure = data.exposure_of(customer_id)
    approved = as_number(rating.get("approved_limit"))
    if math.isnan(approved):
        approved = as_number(customer.get("approved_limit")) * rate
    # one definition of utilization: the Ratings row's (exposure / approved limit, both base)
    utilization = as_number(rating.get("utilization"))
    if math.isnan(utilization) and approved > 0:
        utilization = exposure / approved

    def both(own: object) -> str:
        """A customer-currency amount in base, with the customer's figure beside."""
        value = as_number(own)
        if math.isnan(value) or currency == base:
            return money(value, lang)
        return f"{money(value * rate, lang)}（{currency} {money(value, lang)}）"

    own_currency = currency
    statement_currency = data.statement_currency(customer_id, own_currency)
    yes, no = pick(lang, "是", "yes"), pick(lang, "否", "no")

    def flag(value: object) -> str:
        return "—" if is_missing(value) else (yes if bool(value) else no)

    alerts = data.alerts.get(customer_id, [])
    alert_rows = [
        {
            "severity": code_label(SEVERITY, a["severity"], lang),
            "indicator": as_text(a["indicator"]),
            "value": as_text(a["value"]),
            "threshold": as_text(a["threshold"]),
            "action": as_text(a["recommended_action"]),
            "raised_on": format_day(as_day(a["raised_on"]), lang),
        }
        for a in alerts
    ]

    score_max = as_number(bureau.get("score_max"))
    context: Context = {
        "doc_title": pick(lang, "客户信用评估报告", "Customer credit report"),
        "as_of": format_day(data.as_of, lang),
        "currency": base,
        "statement_currency": statement_currency,
        "statement_currency_note": ""
        if statement_currency == base
        else pick(
            lang, f"（财务报表：{statement_currency}）", f" (statements in {statement_currency})"
        ),
        "customer": {
            **company(customer, customer_id),
            "industry": as_text(customer.get("industry")) or "—",
            "ownership": code_label(OWNERSHIP, customer.get("ownership"), lang) or "—",
            "group": as_text(customer.get("group")) or "—",
            "since": format_day(as_day(customer.get("since")), lang),
            "account_manager": as_text(customer.get("account_manager")) or "—",
            "status": code_label(CUSTOMER_STATUS, customer.get("status"), lang) or "—",
            "key_account": flag(customer.get("key_account")),
            "terms_days": as_text(customer.get("payment_terms_days")) or "—",
            "insurer": as_text(customer.get("insurer")) or "—",
            "insured_limit": both(customer.get("insured_limit")),
        },
        **_statement_table(data, customer_id, lang),
        "zscore": format_number(as_number(rating.get("zscore"))),
        "zscore_zone": as_text(rating.get("zscore_zone")) or "—",
        "pillars": [
            {
                "label": pick(lang, zh, en),
                "score": format_number(as_number(rating.get(f"{key}_score")), 1),
                "weight": format_pct(data.policy.pillars[key].weight, lang, 0),
            }
            for key, zh, en in _PILLARS
        ],
        "total_score": format_number(as_number(rating.get("total_score")), 1),
        "grade": as_text(rating.get("grade")) or "—",
        "previous_grade": last_runs_previous_grade(
            rating, data.sheet_ratings.get(customer_id, {}), data.as_of
        )
        or "—",
        "knock_out": as_text(rating.get("knock_out")),
        "drivers": _drivers(as_text(rating.get("drivers"))),
        "data_gaps": as_text(rating.get("data_gaps")),
        "ageing": {
            "total": money(ageing.get("total", 0.0), lang),
            "overdue": money(ageing.get("overdue", 0.0), lang),
            "overdue_pct": format_pct(as_number(ageing.get("overdue_pct")), lang),
            "max_days_overdue": as_text(ageing.get("max_days_overdue")) or "0",
            "dso": format_number(as_number(ageing.get("dso")), 0),
            "late_interest": money(ageing.get("late_interest", 0.0), lang),
        },
        "has_bureau": bool(bureau),
        "bureau": {
            "agency": as_text(bureau.get("agency")) or "—",
            "report_date": format_day(as_day(bureau.get("report_date")), lang),
            "score": format_number(as_number(bureau.get("score")), 0)
            + " / "
            + format_number(100.0 if math.isnan(score_max) else score_max, 0),
            "agency_grade": as_text(bureau.get("agency_grade")) or "—",
            "overdue_records": as_text(bureau.get("overdue_records")) or "0",
            "lawsuits": as_text(bureau.get("lawsuits")) or "0",
            "enforcement": flag(bureau.get("enforcement")),
            "abnormal_operation": flag(bureau.get("abnormal_operation")),
            "recommended_limit": both(bureau.get("recommended_limit")),
        },
        "limit": {
            "proposed": money(rating.get("proposed_limit"), lang),
            "proposed_upper": chinese_upper(as_number(rating.get("proposed_limit")))
            if not is_missing(rating.get("proposed_limit"))
            else "—",
            "binding_rule": as_text(rating.get("binding_rule")) or "—",
            "approved": both(approved / rate)
            if currency != base
            else format_amount(approved, lang),
            "exposure": format_amount(exposure, lang),
            "utilization": format_pct(utilization, lang),
            "terms": as_text(rating.get("recommended_terms_days")) or "—",
            "security": as_text(rating.get("security")) or "—",
            "next_review": format_day(as_day(rating.get("next_review")), lang),
            "quoted": both(limit),
            "quoted_is_proposal": source == "proposed",
        },
        "alerts": alert_rows,
        "has_alerts": bool(alert_rows),
    }
    if with_charts:
        context["payment_chart"] = Chart(charts.payment_chart_of(data.payments, customer_id, lang))
        context["ageing_chart"] = Chart(charts.ageing_chart(ageing, lang))
    return context


def report_contexts(
    results: Results | ReportData, customer_ids: Iterable[str], *, with_charts: bool = True
) -> Iterable[tuple[str, Context]]:
    """Credit report contexts, one per customer (lazily: charts are drawn as each is asked).
    Many reports: build the ``ReportData`` once and pass it instead of the ``Results``."""
    ids = list(customer_ids)
    data = results if isinstance(results, ReportData) else ReportData(results, ids)
    for customer_id in ids:
        yield customer_id, _report_context(data, customer_id, with_charts=with_charts)


def report_context(results: Results, customer_id: str, *, with_charts: bool = True) -> Context:
    """One customer's credit report: profile, statements, ratios and Z″, scorecard and drivers,
    payment and ageing charts, bureau, limit recommendation, open alerts, sign-off."""
    return next(iter(report_contexts(results, [customer_id], with_charts=with_charts)))[1]
