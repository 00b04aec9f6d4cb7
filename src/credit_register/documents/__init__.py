"""The documents' contents: contract drafts, credit reports, collection letters, the review pack.

A document must show the same figures as the sheets, so every context here is built from one
``Results`` (the run the sheets were written from) and nothing is recomputed differently. Contexts
are plain dictionaries of text, numbers and lists, already formatted in the document's language
(the templates are Word files a user restyles, so they should hold wording and layout, not
arithmetic); charts are PNG bytes wrapped in ``Chart``. Building a context is pure; only
``render`` touches files: it fills a docxtpl template with Jinja autoescaping on, so a customer
named ``A&B <Trading>`` prints as typed instead of breaking the document's XML.

Decisions (the spec leaves them open):

- The document's language is the workbook's (``register.lang``); figures are base currency
  except an invoice's own amounts in a letter, which are in the invoice's currency.
- Contract: the grade's terms from the Policy (§3): credit terms, prepayment + balance (B), or
  cash in advance / letter of credit (C). The credit limit is the approved limit, else the
  proposal. The late-payment penalty (违约金) is agreed per day; the loss it is measured against
  is the policy's default late interest (1-year LPR + markup, §5), and the draft warns when the
  penalty exceeds that loss by more than ``contract.penalty_excess_max`` (民法典 第五百八十五条).
  Without an agreed penalty the draft uses the loss rate itself (no warning).
- Letters: one per customer at the highest collections step (0–3) its open invoices reached; it
  lists every open invoice at step 0 or above. Steps 4–5 (collection agency, litigation) are
  hand-overs, not letters. A letter is due unless a ``collection`` activity for the customer
  already names that letter, dated on or after the day its oldest invoice reached the step.
- Review pack: the migration matrix reads last month's grade from History (the last grade change
  logged before the month began); customers without one are "new". Limits expiring are those
  whose validity ends before the end of the following month (time to renew), expired included.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import os
from collections.abc import Iterable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from credit_register.core.schema import (
    ACTIVITIES,
    ALERTS,
    CUSTOMER_STATUS,
    FINANCIALS,
    GRADES,
    HISTORY,
    OWNERSHIP,
    RATINGS,
    SEVERITY,
    Language,
    normalise_label,
)
from credit_register.documents import charts
from credit_register.documents.amounts import (
    chinese_upper,
    format_amount,
    format_day,
    format_number,
    format_pct,
)
from credit_register.engines import ratios, receivables, scorecard
from credit_register.engines.results import Results
from credit_register.policy.model import SECURITY, PillarKey

Context = dict[str, Any]

#: where the Word templates live: ``CREDIT_REGISTER_TEMPLATES`` or the repository's templates/
TEMPLATES_DIR = Path(
    os.environ.get("CREDIT_REGISTER_TEMPLATES", Path(__file__).resolve().parents[3] / "templates")
)
#: the ladder steps that are letters (0 reminder … 3 final demand); 4 and 5 are hand-overs
LETTER_STEPS: tuple[int, ...] = (0, 1, 2, 3)
LETTER_TITLES: dict[int, tuple[str, str]] = {
    0: ("到期付款提醒函", "Payment reminder"),
    1: ("逾期付款通知函", "Overdue notice"),
    2: ("催款函", "Demand for payment"),
    3: ("最后催告函", "Final demand"),
}
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
_INACTIVE_ALERTS = ("closed", "resolved")


@dataclass(frozen=True)
class Chart:
    """A PNG for a template's image placeholder, printed ``width_mm`` wide."""

    png: bytes
    width_mm: float = 160.0


# --------------------------------------------------------------------------- small helpers


def _t(lang: Language, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


def _missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    return isinstance(value, float) and math.isnan(value)


def _num(value: object) -> float:
    if _missing(value):
        return math.nan
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return math.nan


def _text(value: object) -> str:
    return "" if _missing(value) else str(value)


def _day(value: object) -> dt.date | None:
    if _missing(value):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, dt.datetime):
        return value.date()
    return value if isinstance(value, dt.date) else None


def _label(codes: Iterable[Any], key: object, lang: Language) -> str:
    for code in codes:
        if code.key == key:
            return str(code.label(lang))
    return _text(key)


def _money(value: object, lang: Language) -> str:
    return format_amount(_num(value), lang)


def _row_of(frame: pd.DataFrame, customer_id: str) -> dict[str, Any]:
    """The customer's row of a customer-keyed frame as a dict; empty when it has none."""
    if frame.empty or "customer_id" not in frame:
        return {}
    found = frame.loc[frame["customer_id"] == customer_id]
    return {} if found.empty else {str(k): v for k, v in found.iloc[-1].items()}


def _customers(results: Results) -> pd.DataFrame:
    return results.register.frame("customers").drop_duplicates("customer_id", keep="first")


def _limit_of(rating: Mapping[str, Any], customer: Mapping[str, Any]) -> tuple[float, str]:
    """The credit limit a document quotes: approved (Customers, else Ratings), else proposed."""
    for value, source in (
        (customer.get("approved_limit"), "approved"),
        (rating.get("approved_limit"), "approved"),
        (rating.get("proposed_limit"), "proposed"),
    ):
        if not _missing(value):
            return float(value), source  # type: ignore[arg-type]
    return math.nan, "none"


def _company(customer: Mapping[str, Any], customer_id: str) -> Context:
    return {
        "customer_id": customer_id,
        "name": _text(customer.get("name")) or customer_id,
        "uscc": _text(customer.get("uscc")),
        "address": _text(customer.get("registered_address")),
        "legal_rep": _text(customer.get("legal_rep")),
        "phone": _text(customer.get("phone")),
        "email": _text(customer.get("email")),
    }


# --------------------------------------------------------------------------- contract


def contract_context(
    results: Results,
    customer_id: str,
    *,
    amount: float | None = None,
    penalty_daily: float | None = None,
) -> Context:
    """The payment clauses of a sales contract for the customer's grade and limit (§3, §5).

    ``amount``: the contract value (base currency; blank lines in the draft when ``None``);
    ``penalty_daily``: the agreed late-payment penalty as a fraction per day (0.0005 = 0.05 %).
    """
    lang = results.register.lang
    policy = results.policy
    customers = _customers(results)
    customer = _row_of(customers, customer_id)
    rating = _row_of(results.ratings, customer_id)
    grade = _text(rating.get("grade")) or "C"
    terms = policy.terms.get(grade, policy.terms["C"])
    variant = (
        "advance" if terms.prepayment >= 1 else "prepayment" if terms.prepayment > 0 else "credit"
    )
    limit, limit_source = _limit_of(rating, customer)
    if variant == "advance":
        limit = 0.0
    insured = _num(customer.get("insured_limit"))
    uninsured = max(limit - (0.0 if math.isnan(insured) else insured), 0.0)
    if math.isnan(uninsured):
        uninsured = 0.0

    loss_annual = policy.interest.lpr_annual_rate
    bound_annual = loss_annual * (1 + policy.penalty_excess_max)
    agreed = penalty_daily is not None
    daily = penalty_daily if penalty_daily is not None else loss_annual / policy.interest.day_count
    annual = daily * policy.interest.day_count
    contract_amount = _num(amount) if amount is not None else math.nan
    has_amount = not math.isnan(contract_amount)
    prepayment = contract_amount * terms.prepayment if has_amount else math.nan

    def upper(value: float) -> str:
        return chinese_upper(value) if not math.isnan(value) else "—"

    return {
        "doc_title": _t(
            lang, "销售合同付款条款（草稿）", "Sales contract: payment clauses (draft)"
        ),
        "contract_no": f"HT-{customer_id}-{results.as_of:%Y%m%d}",
        "date": format_day(results.as_of, lang),
        "buyer": _company(customer, customer_id),
        "currency": policy.base_currency,
        "grade": grade,
        "score": format_number(_num(rating.get("total_score")), 1),
        "has_amount": has_amount,
        "amount": format_amount(contract_amount, lang) if has_amount else "________",
        "amount_upper": upper(contract_amount) if has_amount else "________",
        "variant": variant,
        "terms_days": terms.days,
        "prepayment_pct": format_pct(terms.prepayment, lang, 0),
        "balance_pct": format_pct(1 - terms.prepayment, lang, 0),
        "prepayment_amount": format_amount(prepayment, lang) if has_amount else "________",
        "prepayment_upper": upper(prepayment) if has_amount else "________",
        "has_limit": variant != "advance" and limit > 0,
        "credit_limit": format_amount(limit, lang),
        "credit_limit_upper": upper(limit),
        "limit_is_proposal": limit_source == "proposed",
        "limit_valid_until": format_day(_day(customer.get("limit_valid_until")), lang),
        "security_key": terms.security,
        "security": _label(SECURITY, terms.security, lang),
        "needs_deposit": terms.security == "guarantee_or_deposit" and uninsured > 0,
        "needs_guarantee": terms.security in ("guarantee_or_deposit", "guarantee_and_title"),
        "deposit_amount": format_amount(uninsured, lang),
        "deposit_upper": upper(uninsured),
        "insured_limit": format_amount(insured, lang),
        "title_retained_strict": terms.security == "guarantee_and_title",
        "penalty_agreed": agreed,
        "penalty_daily": format_pct(daily, lang, 3),
        "penalty_annual": format_pct(annual, lang, 2),
        "loss_annual": format_pct(loss_annual, lang, 2),
        "bound_annual": format_pct(bound_annual, lang, 2),
        "excess_max": format_pct(policy.penalty_excess_max, lang, 0),
        "penalty_too_high": annual > bound_annual + 1e-12,
        "lpr": format_pct(policy.interest.lpr_1y, lang, 2),
        "lpr_as_of": format_day(policy.interest.lpr_as_of, lang),
        "lpr_markup": format_pct(policy.interest.markup, lang, 0),
        "limitation_years": policy.limitation_years,
    }


# --------------------------------------------------------------------------- credit report


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
        wanted = None if customer_ids is None else pd.Index(list(customer_ids), dtype=object)

        def mine(frame: pd.DataFrame) -> pd.DataFrame:
            if wanted is None or frame.empty or "customer_id" not in frame:
                return frame
            return frame.loc[frame["customer_id"].isin(wanted)]

        # one row per customer as a plain dict: a report reads a few dozen fields of each
        self.customers = _by_customer(mine(_customers(results)))
        self.ratings = _by_customer(mine(results.ratings))
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
            alerts = alerts.loc[~alerts["status"].isin(_INACTIVE_ALERTS)]
        self.alerts: dict[str, list[dict[str, Any]]] = {}
        for alert in alerts.to_dict("records"):
            self.alerts.setdefault(str(alert["customer_id"]), []).append(
                {str(k): v for k, v in alert.items()}
            )

    def exposure_of(self, customer_id: str) -> float:
        """The customer's exposure (base currency), as the Ratings sheet shows it."""
        if self.exposure.empty or customer_id not in self.exposure.index:
            return _num(self.ratings.get(customer_id, {}).get("exposure"))
        return _num(self.exposure.at[customer_id, "exposure_base"])


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


def _record(frame: pd.DataFrame, customer_id: str) -> dict[str, Any]:
    if frame.empty or customer_id not in frame.index:
        return {}
    return {str(k): v for k, v in frame.loc[customer_id].items()}


def _statement_table(data: ReportData, customer_id: str, lang: Language) -> Context:
    at = data.statement_rows.get(customer_id)
    rows = data.statements.iloc[at] if at is not None else data.statements.iloc[:0]
    periods = [format_day(_day(d), lang, short=True) for d in rows["period_end"]]
    pad = 3 - len(periods)
    periods = ["—"] * pad + periods
    lines = []
    for key in _STATEMENT_LINES:
        values = ["—"] * pad + [_money(v, lang) for v in rows[key]]
        lines.append({"label": FINANCIALS.column(key).header(lang), "v": values})
    ratio_lines = []
    for key in ratios.RATIO_KEYS:
        shown = ["—"] * pad + [
            "—" if _missing(v) else scorecard.format_value("financial", key, float(v), lang)
            for v in rows[key]
        ]
        ratio_lines.append({"label": scorecard.factor_label("financial", key, lang), "v": shown})
    ratio_lines.append(
        {"label": "Altman Z″", "v": ["—"] * pad + [format_number(_num(v)) for v in rows["zscore"]]}
    )
    return {
        "periods": periods,
        "statement_lines": lines,
        "ratio_lines": ratio_lines,
        "has_statements": len(rows) > 0,
    }


def _drivers(text: str) -> list[str]:
    parts = [p.strip() for p in text.replace(";", "；").split("；")]
    return [p for p in parts if p]


def _report_context(data: ReportData, customer_id: str, *, with_charts: bool) -> Context:
    lang = data.lang
    customer = data.customers.get(customer_id, {})
    rating = data.ratings.get(customer_id, {})
    ageing = data.ageing.get(customer_id, {})
    bureau = data.bureau.get(customer_id, {})
    limit, source = _limit_of(rating, customer)
    exposure = data.exposure_of(customer_id)
    approved = _num(customer.get("approved_limit"))
    if math.isnan(approved):
        approved = _num(rating.get("approved_limit"))
    utilization = exposure / approved if approved and approved > 0 else math.nan
    yes, no = _t(lang, "是", "yes"), _t(lang, "否", "no")

    def flag(value: object) -> str:
        return "—" if _missing(value) else (yes if bool(value) else no)

    alerts = data.alerts.get(customer_id, [])
    alert_rows = [
        {
            "severity": _label(SEVERITY, a["severity"], lang),
            "indicator": _text(a["indicator"]),
            "value": _text(a["value"]),
            "threshold": _text(a["threshold"]),
            "action": _text(a["recommended_action"]),
            "raised_on": format_day(_day(a["raised_on"]), lang),
        }
        for a in alerts
    ]

    score_max = _num(bureau.get("score_max"))
    context: Context = {
        "doc_title": _t(lang, "客户信用评估报告", "Customer credit report"),
        "as_of": format_day(data.as_of, lang),
        "currency": data.policy.base_currency,
        "customer": {
            **_company(customer, customer_id),
            "industry": _text(customer.get("industry")) or "—",
            "ownership": _label(OWNERSHIP, customer.get("ownership"), lang) or "—",
            "group": _text(customer.get("group")) or "—",
            "since": format_day(_day(customer.get("since")), lang),
            "account_manager": _text(customer.get("account_manager")) or "—",
            "status": _label(CUSTOMER_STATUS, customer.get("status"), lang) or "—",
            "key_account": flag(customer.get("key_account")),
            "terms_days": _text(customer.get("payment_terms_days")) or "—",
            "insurer": _text(customer.get("insurer")) or "—",
            "insured_limit": _money(customer.get("insured_limit"), lang),
        },
        **_statement_table(data, customer_id, lang),
        "zscore": format_number(_num(rating.get("zscore"))),
        "zscore_zone": _text(rating.get("zscore_zone")) or "—",
        "pillars": [
            {
                "label": _t(lang, zh, en),
                "score": format_number(_num(rating.get(f"{key}_score")), 1),
                "weight": format_pct(data.policy.pillars[key].weight, lang, 0),
            }
            for key, zh, en in _PILLARS
        ],
        "total_score": format_number(_num(rating.get("total_score")), 1),
        "grade": _text(rating.get("grade")) or "—",
        "previous_grade": _text(rating.get("previous_grade")) or "—",
        "knock_out": _text(rating.get("knock_out")),
        "drivers": _drivers(_text(rating.get("drivers"))),
        "data_gaps": _text(rating.get("data_gaps")),
        "ageing": {
            "total": _money(ageing.get("total", 0.0), lang),
            "overdue": _money(ageing.get("overdue", 0.0), lang),
            "overdue_pct": format_pct(_num(ageing.get("overdue_pct")), lang),
            "max_days_overdue": _text(ageing.get("max_days_overdue")) or "0",
            "dso": format_number(_num(ageing.get("dso")), 0),
            "late_interest": _money(ageing.get("late_interest", 0.0), lang),
        },
        "has_bureau": bool(bureau),
        "bureau": {
            "agency": _text(bureau.get("agency")) or "—",
            "report_date": format_day(_day(bureau.get("report_date")), lang),
            "score": format_number(_num(bureau.get("score")), 0)
            + " / "
            + format_number(100.0 if math.isnan(score_max) else score_max, 0),
            "agency_grade": _text(bureau.get("agency_grade")) or "—",
            "overdue_records": _text(bureau.get("overdue_records")) or "0",
            "lawsuits": _text(bureau.get("lawsuits")) or "0",
            "enforcement": flag(bureau.get("enforcement")),
            "abnormal_operation": flag(bureau.get("abnormal_operation")),
            "recommended_limit": _money(bureau.get("recommended_limit"), lang),
        },
        "limit": {
            "proposed": _money(rating.get("proposed_limit"), lang),
            "proposed_upper": chinese_upper(_num(rating.get("proposed_limit")))
            if not _missing(rating.get("proposed_limit"))
            else "—",
            "binding_rule": _text(rating.get("binding_rule")) or "—",
            "approved": format_amount(approved, lang),
            "exposure": format_amount(exposure, lang),
            "utilization": format_pct(utilization, lang),
            "terms": _text(rating.get("recommended_terms_days")) or "—",
            "security": _text(rating.get("security")) or "—",
            "next_review": format_day(_day(rating.get("next_review")), lang),
            "quoted": format_amount(limit, lang),
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


# --------------------------------------------------------------------------- letters


@dataclass(frozen=True)
class Letter:
    customer_id: str
    step: int
    context: Context
    #: the Activities summary that logs the letter (and later tells it was sent)
    summary: str


def _letter_marker(step: int, lang: Language) -> str:
    zh, en = LETTER_TITLES[step]
    return _t(lang, zh, en)


def letters_due(results: Results, when: dt.date) -> list[Letter]:
    """The collection letters due: one per customer at its highest letter step (0–3), unless a
    ``collection`` activity already names that letter since its oldest invoice reached the step.
    """
    lang = results.register.lang
    policy = results.policy
    items = results.items
    if items.empty:
        return []
    open_items = items.loc[(items["outstanding"] > 0.005) & items["dunning_level"].notna()]
    open_items = open_items.loc[open_items["dunning_level"].astype("int64") >= 0]
    if open_items.empty:
        return []
    level = open_items["dunning_level"].astype("int64").clip(upper=max(LETTER_STEPS))
    step = level.groupby(open_items["customer_id"]).max()
    # the day the customer's oldest invoice reached its letter step
    offsets = np.asarray(policy.ladder_days, dtype="int64")
    reached = pd.to_datetime(open_items["due_date"]) + pd.to_timedelta(
        offsets[level.to_numpy()], unit="D"
    )
    at_step = level == open_items["customer_id"].map(step)
    since = reached.where(at_step).groupby(open_items["customer_id"]).min()

    activities = results.register.frame("activities")
    logged = activities.loc[activities["type"] == "collection", ["customer_id", "date", "summary"]]
    customers = _customers(results).set_index("customer_id", drop=False)
    interest = policy.interest
    letters: list[Letter] = []
    for customer_id, letter_step in step.items():  # one letter per customer, not per invoice
        cid = str(customer_id)
        title = _letter_marker(int(letter_step), lang)
        mine = logged.loc[
            (logged["customer_id"] == cid)
            & (logged["date"] >= since[cid])
            & logged["summary"].fillna("").str.contains(title, regex=False)
        ]
        if not mine.empty:
            continue
        rows = open_items.loc[open_items["customer_id"] == cid].sort_values("due_date")
        invoice_rows = [
            {
                "invoice_no": _text(r["invoice_no"]),
                "invoice_date": format_day(_day(r["invoice_date"]), lang, short=True),
                "due_date": format_day(_day(r["due_date"]), lang, short=True),
                "currency": _text(r["currency"]),
                "amount": _money(r["amount"], lang),
                "outstanding": _money(r["outstanding"], lang),
                "days_overdue": int(max(r["days_overdue"], 0)),
                "late_interest": _money(r["late_interest"], lang),
            }
            for r in rows.to_dict("records")
        ]
        total = float(rows["outstanding_base"].sum())
        late = float(rows["late_interest"].fillna(0.0).sum())
        customer = _record(customers, cid)
        number = f"CS-{cid}-{when:%Y%m%d}-{int(letter_step)}"
        context: Context = {
            "doc_title": title,
            "letter_no": number,
            "date": format_day(when, lang),
            "step": int(letter_step),
            "customer": _company(customer, cid),
            "account_manager": _text(customer.get("account_manager")),
            "invoices": invoice_rows,
            "currency": policy.base_currency,
            "total_outstanding": format_amount(total, lang),
            "total_outstanding_upper": chinese_upper(total),
            "total_interest": format_amount(late, lang),
            "total_claimed": format_amount(total + late, lang),
            "total_claimed_upper": chinese_upper(total + late),
            "pay_by": format_day(when + dt.timedelta(days=10 if letter_step < 3 else 7), lang),
            "interest_rate": format_pct(interest.lpr_annual_rate, lang, 2),
            "lpr": format_pct(interest.lpr_1y, lang, 2),
            "lpr_as_of": format_day(interest.lpr_as_of, lang),
            "limitation_years": policy.limitation_years,
        }
        numbers = [str(r["invoice_no"]) for r in invoice_rows]
        invoices = "、".join(numbers) if lang == "zh" else ", ".join(numbers)
        summary = (
            f"{title} {number}：{invoices}，欠款{format_amount(total, lang)}"
            if lang == "zh"
            else f"{title} {number}: {invoices}; outstanding {format_amount(total, lang)}"
        )
        letters.append(Letter(cid, int(letter_step), context, summary))
    return letters


# --------------------------------------------------------------------------- review pack


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
    new_label = _t(lang, "新增", "new")
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


def review_context(results: Results, month: str) -> Context:
    """The monthly credit review pack for ``month`` (``YYYY-MM``)."""
    lang = results.register.lang
    first_day, last_day = month_bounds(month)
    reg = results.register
    customers = _customers(results).set_index("customer_id", drop=False)
    ratings = results.ratings.drop_duplicates("customer_id").set_index("customer_id", drop=False)
    if not results.exposure.empty:
        exposure = results.exposure["exposure_base"].astype(float)
    else:
        exposure = pd.to_numeric(ratings["exposure"], errors="coerce").fillna(0.0)
    ratings = ratings.assign(exposure=exposure.reindex(ratings.index).fillna(0.0))
    approved = pd.to_numeric(customers["approved_limit"], errors="coerce").reindex(ratings.index)
    approved = approved.fillna(pd.to_numeric(ratings["approved_limit"], errors="coerce"))
    whole = receivables.portfolio(results.items, results.policy, results.as_of)
    ageing = results.ageing

    alerts = results.alerts
    active = alerts.loc[~alerts["status"].isin(_INACTIVE_ALERTS)] if len(alerts) else alerts
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
            "severity": _label(SEVERITY, a["severity"], lang),
            "customer": _text(a["name"]) or _text(a["customer_id"]),
            "indicator": _text(a["indicator"]),
            "value": _text(a["value"]),
            "action": _text(a["recommended_action"]),
        }
        for a in shown_alerts.to_dict("records")
    ]

    def name(cid: str) -> str:
        return _text(customers.at[cid, "name"]) if cid in customers.index else cid

    top = ratings.sort_values("exposure", ascending=False, kind="stable").head(10)
    top_rows = [
        {
            "rank": n,
            "customer_id": cid,
            "name": name(cid),
            "grade": _text(r["grade"]),
            "exposure": format_amount(r["exposure"], lang),
            "limit": format_amount(_num(approved.get(cid)), lang),
            "utilization": format_pct(
                r["exposure"] / _num(approved.get(cid))
                if _num(approved.get(cid)) > 0
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
        worst = ageing.loc[ageing["overdue"] > 0.005].sort_values("overdue", ascending=False)
        overdue_rows = [
            {
                "customer_id": _text(a["customer_id"]),
                "name": _text(a["name"]),
                "overdue": format_amount(a["overdue"], lang),
                "overdue_pct": format_pct(_num(a["overdue_pct"]), lang),
                "max_days": int(_num(a["max_days_overdue"]) or 0),
                "step": _text(a["dunning_level"]) or "—",
            }
            for a in worst.head(20).to_dict("records")
        ]

    next_review = pd.to_datetime(ratings["next_review"])
    due = ratings.loc[next_review <= pd.Timestamp(last_day)].sort_values("next_review")
    review_rows = [
        {
            "customer_id": cid,
            "name": name(cid),
            "grade": _text(r["grade"]),
            "next_review": format_day(_day(r["next_review"]), lang, short=True),
        }
        for cid, r in zip(due.index.astype(str), due.to_dict("records"), strict=True)
    ]

    horizon = (pd.Period(month, freq="M") + 1).end_time.normalize()
    valid = pd.to_datetime(customers["limit_valid_until"])
    expiring = customers.loc[valid.notna() & (valid <= horizon)].assign(_until=valid)
    expiring = expiring.sort_values("_until", kind="stable")
    expiring_rows = [
        {
            "customer_id": cid,
            "name": _text(c["name"]),
            "limit": _money(c["approved_limit"], lang),
            "valid_until": format_day(_day(c["limit_valid_until"]), lang, short=True),
            "expired": _t(lang, "已过期", "expired")
            if c["_until"] < pd.Timestamp(results.as_of)
            else "",
        }
        for cid, c in zip(expiring.index.astype(str), expiring.to_dict("records"), strict=True)
    ]

    previous = grades_last_month(reg.frame(HISTORY.key), first_day)
    current = ratings["grade"].dropna().astype("str")
    total_exposure = float(ratings["exposure"].sum())
    return {
        "doc_title": _t(lang, "月度信用评审报告", "Monthly credit review"),
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
        },
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


# --------------------------------------------------------------------------- rendering


def template_path(kind: str, lang: Language, templates: Path | None = None) -> Path:
    """``contract`` → templates/contracts/contract_zh.docx; ``credit_report``, ``letter``,
    ``review_pack`` → templates/reports/<kind>_<lang>.docx."""
    folder = "contracts" if kind == "contract" else "reports"
    return (templates or TEMPLATES_DIR) / folder / f"{kind}_{lang}.docx"


def _prepared(tpl: Any, context: Mapping[str, Any]) -> Context:
    """The context with each ``Chart`` turned into the template's inline image."""
    from docx.shared import Mm
    from docxtpl import InlineImage

    out: Context = {}
    for key, value in context.items():
        if isinstance(value, Chart):
            out[key] = InlineImage(tpl, io.BytesIO(value.png), width=Mm(value.width_mm))
        else:
            out[key] = value
    return out


_ENVIRONMENT: Any = None


def _environment() -> Any:
    """A Jinja environment (autoescaping) that compiles each template part once per process:
    docxtpl compiles the document XML on every render, which is most of a report's rendering
    time when a thousand are made from one template."""
    global _ENVIRONMENT
    if _ENVIRONMENT is None:
        from jinja2 import Environment

        class _Compiled(Environment):
            cache_of_parts: dict[str, Any] = {}  # noqa: RUF012 - one per process, by design

            def from_string(
                self, source: Any, globals: Any = None, template_class: Any = None
            ) -> Any:
                key = str(source)
                found = self.cache_of_parts.get(key)
                if found is None:
                    found = super().from_string(source, globals, template_class)
                    if len(self.cache_of_parts) > 32:
                        self.cache_of_parts.clear()
                    self.cache_of_parts[key] = found
                return found

        _ENVIRONMENT = _Compiled(autoescape=True)
    return _ENVIRONMENT


#: a template's bytes by file, with the file's mtime and size: read once per process, and
#: again only when a user saves a restyled template
_TEMPLATE_BYTES: dict[Path, tuple[tuple[int, int], bytes]] = {}
#: docxtpl's clean-up of a template part's XML (merging Word's split runs around ``{{ }}``,
#: a third of a report's rendering time), by the part's XML: the same for every render
_PATCHED_XML: dict[str, str] = {}
#: the parts a render never changes (styles, numbering, fonts, theme, settings). python-docx
#: parses them on opening and serialises them again on saving; kept as the template's bytes
#: instead, a report skips 800 KB of Word's default styles twice over
_UNCHANGED_PARTS = frozenset(
    {
        "application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml",
        "application/vnd.ms-word.stylesWithEffects+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.webSettings+xml",
        "application/vnd.openxmlformats-officedocument.theme+xml",
    }
)
#: set while a template is opened for rendering: python-docx's part selector is process-wide,
#: and anyone else opening a document (a test reading a report's styles) gets parsed parts
_OPENING_TEMPLATE: ContextVar[bool] = ContextVar("opening_template", default=False)


def _template_bytes(template: Path) -> bytes:
    stat = template.stat()
    version = (stat.st_mtime_ns, stat.st_size)
    known = _TEMPLATE_BYTES.get(template)
    if known is None or known[0] != version:
        known = (version, template.read_bytes())
        _TEMPLATE_BYTES[template] = known
    return known[1]


@cache
def _template_class() -> Any:
    """docxtpl's template, opened with the unchanged parts as bytes and its XML clean-up done
    once per template part (docxtpl is imported on first use: most commands make no document)."""
    from docx.opc.part import Part, PartFactory
    from docxtpl import DocxTemplate

    python_docx_selector = PartFactory.part_class_selector

    def keep_unchanged_parts(content_type: str, reltype: str) -> Any:
        if _OPENING_TEMPLATE.get() and content_type in _UNCHANGED_PARTS:
            return Part  # the bytes as read, written back as they are
        return python_docx_selector(content_type, reltype) if python_docx_selector else None

    PartFactory.part_class_selector = keep_unchanged_parts

    class Template(DocxTemplate):  # type: ignore[misc]
        def init_docx(self, reload: bool = True) -> None:
            opening = _OPENING_TEMPLATE.set(True)
            try:
                super().init_docx(reload)
            finally:
                _OPENING_TEMPLATE.reset(opening)

        def resolve_listing(self, xml: str) -> str:
            # docxtpl turns tabs, line and page breaks typed in values into Word's; its pass
            # over every run of the document is wasted when no value holds one
            if not any(mark in xml for mark in "\t\a\n\f"):
                return xml
            return str(super().resolve_listing(xml))

        def patch_xml(self, src_xml: str) -> str:
            patched = _PATCHED_XML.get(src_xml)
            if patched is None:
                patched = str(super().patch_xml(src_xml))
                if len(_PATCHED_XML) > 32:  # a few templates × a few parts; bound it anyway
                    _PATCHED_XML.clear()
                _PATCHED_XML[src_xml] = patched
            return patched

    return Template


def render(template: Path, context: Mapping[str, Any], out: Path) -> Path:
    """Fill ``template`` with ``context`` (autoescaped) and save the document at ``out``."""
    tpl = _template_class()(io.BytesIO(_template_bytes(template)))
    tpl.render(_prepared(tpl, context), jinja_env=_environment(), autoescape=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    tpl.save(out)
    return out


def undeclared_variables(template: Path, context: Mapping[str, Any]) -> set[str]:
    """The template's variables that ``context`` does not provide (a test and a support aid)."""
    from docxtpl import DocxTemplate

    return set(DocxTemplate(template).get_undeclared_template_variables(context=dict(context)))
