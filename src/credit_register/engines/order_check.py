"""The order credit check: may this new order ship on credit? (policy §4, "Order credit check")

Sales asks before an order ships; the answer must be immediate, explainable and the same whether
it comes from the Dashboard button, the add-in or ``credit-register check-order``. It reads the
one credit-hold decision (``engines.credit_hold``) computed at the check's date — today's, unless
another is asked for — and adds the order to the two tests that depend on it: the customer's
exposure + the order against its approved limit, and the group's exposure + the order against the
group limit. An order is RELEASED only when no reason holds it; otherwise it is HELD with every
reason, not just the first, so the credit manager sees at once what would have to change.

An order paid in advance (``prepaid``) or under a confirmed letter of credit (``lc``) carries no
credit risk: it is released whatever the hold reasons, which the answer still lists. A proposed
limit below the approved one (a cut not yet approved) is shown as a warning beside the answer: the
check enforces the approved limit, a person decides the cut.

A held order may be released by a person with a reason: :func:`override_history` gives the
History row that records who, when, why, and the reasons it overrode.

Decisions: the approved limit is the Customers sheet's (a human decision), in the customer's
currency, compared in the base currency; the order's currency defaults to the customer's; an order
the check cannot read (unknown customer, no FX rate, an amount that is not above zero) is held
with the reason, whatever the payment, never an exception.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict

from credit_register.core.cells import CENT
from credit_register.core.port import CellValue
from credit_register.core.register import Register
from credit_register.core.schema import Language
from credit_register.core.text import glossed, pick
from credit_register.engines.credit_hold import REASON_ORDER, CreditHold, limit_text
from credit_register.engines.receivables import fx_rates

Payment = Literal["credit", "prepaid", "lc"]
PAYMENTS: dict[str, tuple[str, str]] = {
    "credit": ("赊销", "on credit"),
    "prepaid": ("款到发货", "paid in advance"),
    "lc": ("信用证", "letter of credit"),
}
_PAYMENT_WORDS = {
    "prepaid": "prepaid",
    "prepayment": "prepaid",
    "advance": "prepaid",
    "款到发货": "prepaid",
    "预付": "prepaid",
    "预付款": "prepaid",
    "lc": "lc",
    "l/c": "lc",
    "letter of credit": "lc",
    "信用证": "lc",
}


def payment_for(typed: object) -> Payment:
    """The payment a Dashboard cell names (either language); blank or anything else: credit."""
    word = str(typed).strip().casefold() if typed is not None else ""
    found = _PAYMENT_WORDS.get(word)
    return "prepaid" if found == "prepaid" else "lc" if found == "lc" else "credit"


#: the reasons that depend on the order's amount: recomputed with it
_WITH_THE_ORDER = ("over_limit", "group_over")


class OrderDecision(BaseModel):
    """The answer to one order: release or hold, why, and the figures behind it (base currency).

    ``reasons`` and ``warnings`` are in the workbook's language (Chinese with an English gloss,
    or English)."""

    model_config = ConfigDict(frozen=True)

    customer_id: str
    name: str | None = None
    as_of: dt.date
    amount: float
    currency: str
    amount_base: float | None = None
    payment: Payment = "credit"
    release: bool
    reasons: list[str]
    #: the keys of ``credit_hold.REASONS`` behind ``reasons`` (``input`` for an unreadable order)
    reason_keys: list[str] = []
    #: shown beside the answer, never a reason to hold (a proposed cut not yet approved)
    warnings: list[str] = []
    #: approved limit − exposure − the order; negative when the order would go over the limit
    headroom: float | None = None
    #: exposure before the order
    exposure: float | None = None
    approved_limit: float | None = None
    proposed_limit: float | None = None
    group: str | None = None
    group_exposure: float | None = None
    group_limit: float | None = None
    lang: Language = "zh"

    @property
    def verdict(self) -> str:
        return "RELEASE" if self.release else "HOLD"

    def text(self) -> str:
        """What the command line and the Dashboard show: the verdict, the figures, the reasons."""
        zh = self.lang == "zh"

        def money(value: float | None) -> str:
            return "—" if value is None else f"{value:,.2f}"

        paid = PAYMENTS[self.payment][0 if zh else 1]
        lines = [
            f"{self.verdict} {'放行' if self.release else '暂缓'}" if zh else self.verdict,
            (
                f"客户 {self.customer_id} {self.name or ''}  订单 {money(self.amount)} "
                f"{self.currency}（{paid}）  检查日 {self.as_of.isoformat()}"
                if zh
                else f"customer {self.customer_id} {self.name or ''}  order {money(self.amount)} "
                f"{self.currency} ({paid})  checked at {self.as_of.isoformat()}"
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
        if self.group is not None and self.group_limit is not None:
            lines.append(
                f"集团 {self.group}  集团敞口 {money(self.group_exposure)}  "
                f"集团额度 {money(self.group_limit)}"
                if zh
                else f"group {self.group}  group exposure {money(self.group_exposure)}  "
                f"group limit {money(self.group_limit)}"
            )
        if self.release and self.reasons:
            lines.append(
                f"{paid}订单无信用风险，以下冻结原因不影响放行："
                if zh
                else f"an order {paid} carries no credit risk: released despite these reasons:"
            )
        lines += [f"- {reason}" for reason in self.reasons]
        lines += [("! 提示：" if zh else "! warning: ") + warning for warning in self.warnings]
        return "\n".join(lines)


def _money(value: float) -> str:
    return f"{value:,.2f}"


def _text(value: object) -> str | None:
    """A text of the decision's row: ``None`` when blank."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return None
    shown = str(value).strip()
    return shown or None


def _number(value: object) -> float | None:
    """A figure of the decision's row: ``None`` when blank."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def check_order(
    register: Register,
    hold: CreditHold,
    as_of: dt.date,
    customer_id: str,
    amount: float,
    currency: str | None,
    payment: Payment = "credit",
) -> OrderDecision:
    """Release or hold an order of ``amount`` (in ``currency``; blank = the customer's) for
    ``customer_id``, paid ``payment``, given the credit hold of every customer at ``as_of``."""
    lang = register.lang
    base = register.base_currency
    customer_id = str(customer_id).strip()
    if customer_id not in hold.customers.index:
        return OrderDecision(
            customer_id=customer_id,
            as_of=as_of,
            amount=amount,
            currency=currency or base,
            payment=payment,
            release=False,
            lang=lang,
            reasons=[
                glossed(
                    lang,
                    f"客户编号 {customer_id} 不在客户表中（或其数据有误）",
                    f"customer {customer_id} is not on the Customers sheet (or has data errors)",
                )
            ],
            reason_keys=["input"],
        )
    row = hold.customers.loc[customer_id]
    name = _text(row["name"])
    currency = (currency or _text(row["currency"]) or base).strip().upper()
    unreadable: list[str] = []

    rate = float(fx_rates(register, pd.Series([currency], dtype="str"))[0])
    amount_base = None if math.isnan(rate) else round(amount * rate, 2)
    if amount_base is None:
        unreadable.append(
            glossed(
                lang,
                f"汇率表中没有 {currency} 的汇率，无法折算订单金额",
                f"no FX rate for {currency}: the order cannot be converted",
            )
        )
    if not amount > 0:
        unreadable.append(
            glossed(lang, f"订单金额 {amount} 应大于0", f"order amount {amount} must be above 0")
        )

    used = _number(row["exposure"]) or 0.0
    limit = _number(row["approved_limit"])
    order = amount_base or 0.0
    found = [(k, t) for k, t in hold.reasons_with_keys(customer_id) if k not in _WITH_THE_ORDER]
    headroom = None
    if limit is not None and limit > 0:
        headroom = round(limit - used - order, 2)
        if headroom < -CENT:
            found.append(("over_limit", limit_text(lang, base, used, order, limit)))
    group = _text(row["group"])
    group_limit = _number(row["group_limit"])
    group_used = _number(row["group_exposure"]) or 0.0
    if group is not None and group_limit is not None and group_used + order > group_limit + CENT:
        found.append(("group_over", limit_text(lang, base, group_used, order, group_limit, group)))
    found.sort(key=lambda pair: REASON_ORDER[pair[0]])  # a customer's few reasons
    reasons = [*unreadable, *(text for _, text in found)]
    keys = ["input"] * len(unreadable) + [key for key, _ in found]

    warnings = []
    proposed = _number(row["proposed_limit"])
    if proposed is not None and limit is not None and proposed < limit - CENT:
        warnings.append(
            glossed(
                lang,
                f"建议额度 {_money(proposed)} 低于核定额度 {_money(limit)}，下调尚未核定",
                f"the proposed limit {_money(proposed)} is below the approved limit "
                f"{_money(limit)}: a cut not yet approved",
            )
        )
    no_risk = payment in ("prepaid", "lc")
    return OrderDecision(
        customer_id=customer_id,
        name=name,
        as_of=as_of,
        amount=amount,
        currency=currency,
        amount_base=amount_base,
        payment=payment,
        release=not unreadable and (no_risk or not reasons),
        reasons=reasons,
        reason_keys=keys,
        warnings=warnings,
        headroom=headroom,
        exposure=round(used, 2),
        approved_limit=limit,
        proposed_limit=proposed,
        group=group,
        group_exposure=group_used if group is not None else None,
        group_limit=group_limit,
        lang=lang,
    )


def override_history(
    decision: OrderDecision, reason: str, user: str, when: dt.datetime
) -> list[CellValue]:
    """The History row (``schema.HISTORY`` order) recording that a person released a held order.

    An override needs a reason: a blank one is a programming error of the caller (the command
    line and the Dashboard ask for it before calling)."""
    if not reason or not reason.strip():
        raise ValueError("an override needs a reason")
    lang = decision.lang
    action = pick(lang, "订单放行（例外）", "order released by override")
    field = pick(lang, "订单", "order")
    order = f"{decision.amount:,.2f} {decision.currency}"
    if decision.payment != "credit":
        order += f" {PAYMENTS[decision.payment][0 if lang == 'zh' else 1]}"
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
