"""The contract draft: the payment clauses of a sales contract for a customer's grade and limit.

Decisions (the spec leaves them open): the grade's terms from the Policy (§3): credit terms,
prepayment + balance (B), or cash in advance / letter of credit (C). The credit limit is the
approved limit, else the proposal. The late-payment penalty (违约金) is agreed per day; the loss it
is measured against is the policy's default late interest (1-year LPR + markup, §5), and the draft
warns when the penalty exceeds that loss by more than ``contract.penalty_excess_max`` (民法典
第五百八十五条). Without an agreed penalty the draft uses the loss rate itself (no warning).
"""

from __future__ import annotations

import math

from credit_register.core.text import pick
from credit_register.documents.amounts import (
    format_amount,
    format_day,
    format_number,
    format_pct,
    upper_in,
)
from credit_register.documents.context import (
    Context,
    as_day,
    as_number,
    as_text,
    code_label,
    company,
    currency_of,
    customer_rows,
    quoted_limit,
    row_of,
)
from credit_register.engines import receivables
from credit_register.engines.results import Results
from credit_register.policy.model import SECURITY


def contract_context(
    results: Results,
    customer_id: str,
    *,
    amount: float | None = None,
    penalty_daily: float | None = None,
) -> Context:
    """The payment clauses of a sales contract for the customer's grade and limit (§3, §5).

    ``amount``: the contract value in the customer's currency, the contract's (blank lines in
    the draft when ``None``);
    ``penalty_daily``: the agreed late-payment penalty as a fraction per day (0.0005 = 0.05 %).
    """
    lang = results.register.lang
    policy = results.policy
    base = policy.base_currency
    customers = customer_rows(results)
    customer = row_of(customers, customer_id)
    rating = row_of(results.ratings, customer_id)
    grade = as_text(rating.get("grade")) or "C"
    terms = policy.terms.get(grade, policy.terms["C"])
    variant = (
        "advance" if terms.prepayment >= 1 else "prepayment" if terms.prepayment > 0 else "credit"
    )
    # the contract is in the customer's currency: its limit too (C00015's JPY 80,000,000 is not
    # CNY 80,000,000), with the base-currency equivalent for the internal note
    currency, rate = currency_of(customer, receivables.rate_table(results.register), base)
    limit, limit_source = quoted_limit(rating, customer, rate)
    if variant == "advance":
        limit = 0.0
    insured = as_number(customer.get("insured_limit"))
    uninsured = max(limit - (0.0 if math.isnan(insured) else insured), 0.0)
    if math.isnan(uninsured):
        uninsured = 0.0

    loss_annual = policy.interest.lpr_annual_rate
    bound_annual = loss_annual * (1 + policy.penalty_excess_max)
    agreed = penalty_daily is not None
    daily = penalty_daily if penalty_daily is not None else loss_annual / policy.interest.day_count
    annual = daily * policy.interest.day_count
    contract_amount = as_number(amount) if amount is not None else math.nan
    has_amount = not math.isnan(contract_amount)
    prepayment = contract_amount * terms.prepayment if has_amount else math.nan

    def upper(value: float) -> str:
        if math.isnan(value):
            return "—"
        return upper_in(value, currency, base)

    return {
        "doc_title": pick(
            lang, "销售合同付款条款（草稿）", "Sales contract: payment clauses (draft)"
        ),
        "contract_no": f"HT-{customer_id}-{results.as_of:%Y%m%d}",
        "date": format_day(results.as_of, lang),
        "buyer": company(customer, customer_id),
        "currency": currency,
        "credit_limit_base": f"{base} {format_amount(limit * rate, lang)}",
        "grade": grade,
        "score": format_number(as_number(rating.get("total_score")), 1),
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
        "limit_valid_until": format_day(as_day(customer.get("limit_valid_until")), lang),
        "security_key": terms.security,
        "security": code_label(SECURITY, terms.security, lang),
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
