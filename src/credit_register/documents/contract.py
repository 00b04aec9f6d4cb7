"""The contract draft: the payment, credit and dispute clauses of a sales contract for a buyer.

The draft is the text the buyer signs, so it holds nothing of ours that a buyer or a court
should not read: no grade, no score, no policy cap on penalties (a buyer told our own "reasonable
bound" invites a court to cut the penalty to it). What the credit department needs to judge the
draft — grade, score, which terms the policy allowed, the penalty against the court's measure of
loss, the rule each clause follows — is in the internal review note (``contract_note``).

Decisions (policy §3, §5; the README lists what counsel must confirm):

- **Terms**: the shorter of the customer's agreed terms (Customers ``payment_terms_days``) and
  the grade's maximum; a draft never lengthens the terms a customer already has.
- **Currency**: the customer's. The contract amount is given in it; the limit is the approved
  limit (Customers, in the customer's currency), else the run's proposal converted from base.
- **Penalty** (违约金): the agreed daily rate, else the Policy's ``contract.penalty_daily``;
  the daily rate is rounded to 0.001 % first and the yearly figure is that rate × the day count,
  so the two figures printed agree (0.016 % a day = 5.84 % a year).
- **Law, forum, language**: a buyer in China gets a Chinese (or, from an English workbook, an
  English) contract under PRC law before the court at our domicile; a foreign buyer gets the
  Policy's ``contract.foreign_*`` choices unless its Customers row says otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from credit_register.core.schema import CONTRACT_LANGUAGE, FORUM, GOVERNING_LAW, Code
from credit_register.documents.amounts import format_amount, format_day, format_pct, upper_in
from credit_register.documents.context import (
    Context,
    as_day,
    as_number,
    as_text,
    company,
    customer_rows,
    is_missing,
    row_of,
    sender,
)
from credit_register.engines import receivables
from credit_register.engines.results import Results

#: a buyer outside this country is foreign (its contract: Policy ``contract.foreign_*``)
HOME_COUNTRY = "CN"
#: the seat and the rules of each arbitral forum, as the clause names them
ARBITRATION: dict[str, tuple[str, str, str, str]] = {
    "cietac": ("北京", "Beijing", "该会现行有效的仲裁规则", "its arbitration rules in force"),
    "shiac": ("上海", "Shanghai", "该中心现行有效的仲裁规则", "its arbitration rules in force"),
    "siac": ("新加坡", "Singapore", "该中心现行有效的仲裁规则", "the SIAC Rules in force"),
    "hkiac": (
        "香港",
        "Hong Kong",
        "《香港国际仲裁中心机构仲裁规则》",
        "the HKIAC Administered Arbitration Rules",
    ),
}
_ZH_NUMBERS = "零一二三四五六七八九十"


def zh_ordinal(n: int) -> str:
    """``第五条`` for 5, ``第十二条`` for 12 (a contract's clause numbers).

    >>> zh_ordinal(5), zh_ordinal(10), zh_ordinal(12), zh_ordinal(21)
    ('第五条', '第十条', '第十二条', '第二十一条')
    """
    tens, ones = divmod(n, 10)
    text = (
        ("" if tens <= 1 else _ZH_NUMBERS[tens])
        + ("十" if tens else "")
        + (_ZH_NUMBERS[ones] if ones else "")
    )
    return f"第{text}条"


def _label(codes: tuple[Code, ...], key: str) -> Code:
    return next(c for c in codes if c.key == key)


@dataclass(frozen=True)
class Choice:
    """A contract setting and where it came from: the customer's row or the Policy."""

    value: Any
    from_customer: bool


@dataclass(frozen=True)
class ContractDraft:
    """Every decision a draft takes for one buyer, shared by the draft and the review note."""

    customer_id: str
    customer: dict[str, Any]
    grade: str
    score: float
    knock_out: str
    variant: str  # credit | prepayment | advance
    security: str
    prepayment: float
    grade_max_days: int
    agreed_days: int | None
    terms_days: int
    currency: str
    amount: float
    limit: float
    limit_source: str  # approved | proposed | none
    limit_valid_until: Any
    insured_limit: float
    uninsured: float
    penalty_daily: float
    penalty_agreed: bool
    loss_annual: float
    bound_annual: float
    foreign: bool
    language: Choice
    law: Choice
    forum: Choice
    cisg_excluded: Choice
    acceleration: bool
    acceleration_days: int
    day_count: int = 365
    #: the customer's currency's rate to the base currency (the FX sheet's)
    rate_to_base: float = 1.0

    @property
    def penalty_annual(self) -> float:
        return self.penalty_daily * self.day_count

    @property
    def penalty_too_high(self) -> bool:
        return self.penalty_annual > self.bound_annual + 1e-12

    @property
    def terms_shortened(self) -> bool:
        return self.agreed_days is not None and self.terms_days < self.agreed_days


def _choice(customer: dict[str, Any], column: str, default: Any) -> Choice:
    value = customer.get(column)
    if is_missing(value) or value == "":
        return Choice(default, False)
    return Choice(value, True)


def _cisg(customer: dict[str, Any], excluded_by_default: bool) -> Choice:
    chosen = _choice(customer, "cisg", None)
    if chosen.value is None:
        return Choice(excluded_by_default, False)
    return Choice(chosen.value == "excluded", True)


def draft_terms(
    results: Results,
    customer_id: str,
    *,
    amount: float | None = None,
    penalty_daily: float | None = None,
) -> ContractDraft:
    """The decisions of a draft for ``customer_id`` (``amount`` in the customer's currency)."""
    policy = results.policy
    customer = row_of(customer_rows(results), customer_id)
    rating = row_of(results.ratings, customer_id)
    grade = as_text(rating.get("grade")) or "C"
    terms = policy.terms.get(grade, policy.terms["C"])
    variant = (
        "advance" if terms.prepayment >= 1 else "prepayment" if terms.prepayment > 0 else "credit"
    )
    agreed = as_number(customer.get("payment_terms_days"))
    agreed_days = None if math.isnan(agreed) else int(agreed)
    terms_days = terms.days if agreed_days is None else min(agreed_days, terms.days)

    currency = as_text(customer.get("currency")) or policy.base_currency
    rate = receivables.rate_table(results.register).get(currency.upper(), math.nan)
    limit, source = as_number(customer.get("approved_limit")), "approved"
    if math.isnan(limit):
        limit, source = as_number(rating.get("proposed_limit")) / rate, "proposed"
    if math.isnan(limit):
        limit, source = 0.0, "none"
    if variant == "advance":
        limit = 0.0
    insured = as_number(customer.get("insured_limit"))
    uninsured = max(limit - (0.0 if math.isnan(insured) else insured), 0.0)

    interest = policy.interest
    loss_annual = interest.lpr_annual_rate
    daily = penalty_daily if penalty_daily is not None else policy.contract.penalty_daily
    daily = round(daily * 100, 3) / 100  # the rate as printed is the rate agreed
    country = (as_text(customer.get("country")) or HOME_COUNTRY).upper()
    foreign = country != HOME_COUNTRY
    home = results.register.lang
    defaults = policy.contract
    return ContractDraft(
        customer_id=customer_id,
        customer=customer,
        grade=grade,
        score=as_number(rating.get("total_score")),
        knock_out=as_text(rating.get("knock_out")),
        variant=variant,
        security=terms.security,
        prepayment=terms.prepayment,
        grade_max_days=terms.days,
        agreed_days=agreed_days,
        terms_days=terms_days,
        currency=currency,
        amount=math.nan if amount is None else float(amount),
        limit=limit,
        limit_source=source,
        limit_valid_until=customer.get("limit_valid_until"),
        insured_limit=insured,
        uninsured=uninsured,
        penalty_daily=daily,
        penalty_agreed=penalty_daily is not None,
        loss_annual=loss_annual,
        bound_annual=loss_annual * (1 + policy.penalty_excess_max),
        foreign=foreign,
        language=_choice(customer, "contract_language", defaults.foreign_language)
        if foreign
        else _choice(customer, "contract_language", home),
        law=_choice(customer, "governing_law", defaults.foreign_law if foreign else "cn"),
        forum=_choice(customer, "forum", defaults.foreign_forum if foreign else "court"),
        cisg_excluded=_cisg(customer, defaults.cisg_excluded),
        acceleration=defaults.acceleration,
        acceleration_days=int(policy.ladder_days[2]),
        day_count=interest.day_count,
        rate_to_base=1.0 if currency.upper() == policy.base_currency.upper() else rate,
    )


def _both(codes: tuple[Code, ...], key: str, name: str) -> Context:
    code = _label(codes, key)
    return {f"{name}_zh": code.zh, f"{name}_en": code.en}


def contract_template_language(draft: ContractDraft) -> str:
    """``zh``, ``en`` or ``bilingual``: the template the draft is written in."""
    return str(draft.language.value)


def contract_context(
    results: Results,
    customer_id: str,
    *,
    amount: float | None = None,
    penalty_daily: float | None = None,
) -> Context:
    """The buyer-facing draft's context: figures once, and every language-dependent text in
    both languages (``*_zh``, ``*_en``), so one context fills the Chinese, the English and the
    bilingual template alike."""
    draft = draft_terms(results, customer_id, amount=amount, penalty_daily=penalty_daily)
    return draft_context(results, draft)


def draft_context(results: Results, draft: ContractDraft) -> Context:
    """``contract_context`` from decisions already taken."""
    policy = results.policy
    as_of = results.as_of
    has_amount = not math.isnan(draft.amount)
    prepayment = draft.amount * draft.prepayment if has_amount else math.nan
    blank = "________"

    def figure(value: float) -> str:
        return format_amount(value, "zh") if not math.isnan(value) else blank

    def upper(value: float) -> str:
        return "" if math.isnan(value) else upper_in(value, draft.currency, policy.base_currency)

    forum = str(draft.forum.value)
    seat_zh, seat_en, rules_zh, rules_en = ARBITRATION.get(forum, ("", "", "", ""))
    clauses = [
        "amount",
        "payment",
        "limit",
        "security",
        "penalty",
        "default",
        "title",
        "costs",
        "reconciliation",
        "service",
        "disputes",
    ]
    language = contract_template_language(draft)
    if draft.foreign and language != "zh":
        clauses.append("language")
    numbers = {key: {"zh": zh_ordinal(n), "en": str(n)} for n, key in enumerate(clauses, start=1)}
    valid_until = as_day(draft.limit_valid_until)
    return {
        "doc_title_zh": "销售合同付款与信用条款（草稿）",
        "doc_title_en": "Sales contract: payment, credit and dispute clauses (draft)",
        "contract_no": f"HT-{draft.customer_id}-{as_of:%Y%m%d}",
        "date_zh": format_day(as_of, "zh"),
        "date_en": format_day(as_of, "en"),
        "no": numbers,
        "sender": sender(policy, "en" if language == "en" else "zh"),
        "buyer": company(draft.customer, draft.customer_id),
        "currency": draft.currency,
        "has_amount": has_amount,
        "amount": figure(draft.amount),
        "amount_upper": upper(draft.amount),
        "variant": draft.variant,
        "terms_days": draft.terms_days,
        "prepayment_pct": format_pct(draft.prepayment, "zh", 0),
        "balance_pct": format_pct(1 - draft.prepayment, "zh", 0),
        "prepayment_amount": figure(prepayment),
        "prepayment_upper": upper(prepayment),
        "has_limit": draft.variant != "advance" and draft.limit > 0,
        "credit_limit": format_amount(draft.limit, "zh"),
        "credit_limit_upper": upper(draft.limit),
        "has_limit_validity": valid_until is not None,
        "limit_valid_until_zh": format_day(valid_until, "zh"),
        "limit_valid_until_en": format_day(valid_until, "en"),
        "security_key": draft.security,
        "needs_deposit": draft.security == "guarantee_or_deposit" and draft.uninsured > 0,
        "deposit_amount": format_amount(draft.uninsured, "zh"),
        "deposit_upper": upper(draft.uninsured),
        "insured_limit": format_amount(draft.insured_limit, "zh"),
        "title_registered": draft.security == "guarantee_and_title",
        "penalty_daily": format_pct(draft.penalty_daily, "zh", 3),
        "penalty_annual": format_pct(draft.penalty_annual, "zh", 2),
        "acceleration": draft.acceleration,
        "acceleration_days": draft.acceleration_days,
        "limitation_years": policy.limitation_years,
        "foreign": draft.foreign,
        "law": str(draft.law.value),
        **_both(GOVERNING_LAW, str(draft.law.value), "law"),
        "forum": forum,
        **_both(FORUM, forum, "forum"),
        "arbitration": forum != "court",
        "seat_zh": seat_zh,
        "seat_en": seat_en,
        "rules_zh": rules_zh,
        "rules_en": rules_en,
        "cisg_excluded": bool(draft.cisg_excluded.value),
        "language": language,
        **_both(CONTRACT_LANGUAGE, str(policy.contract.prevailing), "prevailing"),
    }
