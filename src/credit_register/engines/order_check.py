"""The order credit check: may this new order ship on credit? (policy §4, "Order credit check")

Sales asks before an order ships; the answer must be immediate, explainable and the same whether
it comes from the Dashboard button, the add-in or ``credit-register check-order``. An order is
RELEASED when the customer's exposure plus the order stays within its approved limit, the customer
is not on hold (nor in litigation or closed), has no invoice overdue beyond the block threshold
of ``warn.max_days_overdue``, its limit has not expired and its review date has not passed
(the Ratings sheet's ``next_review``, when rating has run). Otherwise it is HELD, with every
reason, not just the first, so the credit manager sees at once what would have to change.

A held order may be released by a person with a reason: :func:`override_history` gives the
History row that records who, when and why.

Decisions: the approved limit is the Customers sheet's (a human decision), in the customer's
currency, compared in the base currency; a customer without an approved limit is held (no
credit has been granted); the order's currency defaults to the customer's; an order the check
cannot price (unknown customer, no FX rate, an amount that is not above zero) is held with the
reason, never an exception.
"""

from __future__ import annotations

import datetime as dt
import math

import pandas as pd
from pydantic import BaseModel, ConfigDict

from credit_register.core.port import CellValue
from credit_register.core.register import Register
from credit_register.core.schema import CUSTOMER_STATUS, Language
from credit_register.core.text import glossed as _say
from credit_register.engines.receivables import customer_limits, fx_rates
from credit_register.policy import Policy


class OrderDecision(BaseModel):
    """The answer to one order: release or hold, why, and the figures behind it (base currency).

    ``reasons`` are in the workbook's language (Chinese with an English gloss, or English)."""

    model_config = ConfigDict(frozen=True)

    customer_id: str
    name: str | None = None
    as_of: dt.date
    amount: float
    currency: str
    amount_base: float | None = None
    release: bool
    reasons: list[str]
    #: approved limit − exposure − the order; negative when the order would go over the limit
    headroom: float | None = None
    #: exposure before the order
    exposure: float | None = None
    approved_limit: float | None = None
    max_days_overdue: int = 0
    lang: Language = "zh"

    @property
    def verdict(self) -> str:
        return "RELEASE" if self.release else "HOLD"

    def text(self) -> str:
        """What the command line and the Dashboard show: the verdict, the figures, the reasons."""
        zh = self.lang == "zh"

        def money(value: float | None) -> str:
            return "—" if value is None else f"{value:,.2f}"

        lines = [
            f"{self.verdict} {'放行' if self.release else '暂缓'}" if zh else self.verdict,
            (
                f"客户 {self.customer_id} {self.name or ''}  订单 {money(self.amount)} "
                f"{self.currency}"
                if zh
                else f"customer {self.customer_id} {self.name or ''}  order {money(self.amount)} "
                f"{self.currency}"
            ),
            (
                f"敞口 {money(self.exposure)}  核定额度 {money(self.approved_limit)}  "
                f"剩余额度 {money(self.headroom)}"
                if zh
                else f"exposure {money(self.exposure)}  "
                f"approved limit {money(self.approved_limit)}  "
                f"headroom {money(self.headroom)}"
            ),
        ]
        lines += [f"- {reason}" for reason in self.reasons]
        return "\n".join(lines)


def _money(value: float) -> str:
    return f"{value:,.2f}"


def check_order(
    register: Register,
    policy: Policy,
    as_of: dt.date,
    items: pd.DataFrame,
    exposure: pd.DataFrame,
    customer_id: str,
    amount: float,
    currency: str | None,
) -> OrderDecision:
    """Release or hold an order of ``amount`` (in ``currency``; blank = the customer's) for
    ``customer_id``, given the open ``items`` and ``exposure`` of this run."""
    lang = register.lang
    base = register.base_currency
    customer_id = str(customer_id).strip()
    customers = register.frame("customers").drop_duplicates("customer_id").set_index("customer_id")
    if customer_id not in customers.index:
        return OrderDecision(
            customer_id=customer_id,
            as_of=as_of,
            amount=amount,
            currency=currency or base,
            release=False,
            lang=lang,
            reasons=[
                _say(
                    lang,
                    f"客户编号 {customer_id} 不在客户表中",
                    f"customer {customer_id} is not on the Customers sheet",
                )
            ],
        )
    customer = customers.loc[customer_id]
    name: str | None = None if pd.isna(customer["name"]) else str(customer["name"])
    own_currency = customer["currency"]
    currency = currency or (None if pd.isna(own_currency) else str(own_currency)) or base
    currency = currency.strip().upper()
    reasons: list[str] = []

    rate = float(fx_rates(register, pd.Series([currency], dtype="str"))[0])
    amount_base = None if math.isnan(rate) else round(amount * rate, 2)
    if amount_base is None:
        reasons.append(
            _say(
                lang,
                f"汇率表中没有 {currency} 的汇率，无法折算订单金额",
                f"no FX rate for {currency}: the order cannot be converted",
            )
        )
    if not amount > 0:
        reasons.append(
            _say(lang, f"订单金额 {amount} 应大于0", f"order amount {amount} must be above 0")
        )

    used = float(exposure["exposure_base"].reindex([customer_id]).fillna(0.0).to_numpy()[0])
    limits = customer_limits(register).loc[[customer_id]]
    limit = float(limits["approved_limit_base"].to_numpy(dtype=float)[0])
    headroom = None
    if math.isnan(limit):
        reasons.append(_say(lang, "客户没有核定额度", "the customer has no approved limit"))
        limit_shown: float | None = None
    else:
        limit_shown = limit
        headroom = round(limit - used - (amount_base or 0.0), 2)
        if amount_base is not None and headroom < -0.005:
            reasons.append(
                _say(
                    lang,
                    f"敞口 {_money(used)} + 订单 {_money(amount_base)} 超过核定额度 {_money(limit)}"
                    f"（超出 {_money(-headroom)} {base}）",
                    f"exposure {_money(used)} + order {_money(amount_base)} is above the approved "
                    f"limit {_money(limit)} (by {_money(-headroom)} {base})",
                )
            )

    status = customer["status"]
    if isinstance(status, str) and status != "active":
        code = next((c for c in CUSTOMER_STATUS if c.key == status), None)
        shown = code.label(lang) if code else status
        reasons.append(_say(lang, f"客户状态为“{shown}”", f"the customer's status is '{status}'"))

    owed = items.loc[(items["customer_id"] == customer_id) & (items["outstanding"] > 0.005)]
    max_days = int(owed["days_overdue"].max()) if len(owed) else 0
    block = policy.indicators["max_days_overdue"].levels.get("block")
    if block is not None:
        breached = (
            policy.indicators["max_days_overdue"].severity(pd.Series([float(max_days)])).iloc[0]
            == "block"
        )
        if breached:
            worst = owed.sort_values("days_overdue", ascending=False).iloc[0]
            reasons.append(
                _say(
                    lang,
                    f"发票 {worst['invoice_no']} 逾期 {max_days} 天，"
                    f"超过禁止阈值 {block.value:g} 天",
                    f"invoice {worst['invoice_no']} is {max_days} days overdue, beyond the block "
                    f"threshold of {block.value:g} days",
                )
            )

    valid_until = pd.Timestamp(limits["limit_valid_until"].to_numpy()[0])
    if not pd.isna(valid_until) and valid_until < pd.Timestamp(as_of):
        day = valid_until.date().isoformat()
        reasons.append(_say(lang, f"额度已于 {day} 过期", f"the limit expired on {day}"))

    review = _next_review(register, customer_id)
    if review is not None and review < pd.Timestamp(as_of):
        day = review.date().isoformat()
        reasons.append(
            _say(lang, f"评审日 {day} 已过，需重新评审", f"the review date {day} has passed")
        )

    return OrderDecision(
        customer_id=customer_id,
        name=name,
        as_of=as_of,
        amount=amount,
        currency=currency,
        amount_base=amount_base,
        release=not reasons,
        reasons=reasons,
        headroom=headroom,
        exposure=round(used, 2),
        approved_limit=limit_shown,
        max_days_overdue=max_days,
        lang=lang,
    )


def _next_review(register: Register, customer_id: str) -> pd.Timestamp | None:
    """The next review date the last rating run wrote on the Ratings sheet, if any."""
    if "ratings" not in register:
        return None
    ratings = register.frame("ratings")
    dates = pd.to_datetime(
        ratings.loc[ratings["customer_id"] == customer_id, "next_review"], errors="coerce"
    ).dropna()
    return None if dates.empty else pd.Timestamp(dates.iloc[0])


def override_history(
    decision: OrderDecision, reason: str, user: str, when: dt.datetime
) -> list[CellValue]:
    """The History row (``schema.HISTORY`` order) recording that a person released a held order.

    An override needs a reason: a blank one is a programming error of the caller (the command
    line and the Dashboard ask for it before calling)."""
    if not reason or not reason.strip():
        raise ValueError("an override needs a reason")
    lang = decision.lang
    action = "订单放行（例外）" if lang == "zh" else "order released by override"
    field = "订单" if lang == "zh" else "order"
    order = f"{decision.amount:,.2f} {decision.currency}"
    held = "; ".join(decision.reasons)
    why = (
        f"{reason.strip()}（订单 {order}；原暂缓理由：{held}）"
        if lang == "zh"
        else f"{reason.strip()} (order {order}; held because: {held})"
    )
    return [
        when.replace(microsecond=0),
        user,
        action,
        decision.customer_id,
        field,
        decision.verdict,
        "RELEASE",
        why,
    ]
