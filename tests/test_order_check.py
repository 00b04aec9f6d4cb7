"""The order credit check on the receivables story (``tests/support/receivables_story.py``): sales
asks whether an order may ship; the answer is RELEASE or HOLD with every reason and the headroom."""

from __future__ import annotations

import datetime as dt

import pytest

from credit_register.core.register import Register
from credit_register.core.schema import Language
from credit_register.engines.order_check import OrderDecision, check_order, override_history
from credit_register.engines.receivables import exposure_by_customer, open_items
from credit_register.policy import DEFAULT_POLICY
from support.receivables_story import AS_OF, make_register


def check(
    register: Register, customer_id: str, amount: float, currency: str | None = None
) -> OrderDecision:
    items = open_items(register, DEFAULT_POLICY, AS_OF)
    exposure = exposure_by_customer(register, DEFAULT_POLICY, AS_OF, items)
    return check_order(
        register, DEFAULT_POLICY, AS_OF, items, exposure, customer_id, amount, currency
    )


@pytest.fixture(scope="module")
def register() -> Register:
    return make_register()


def test_a_small_order_within_the_limit_is_released(register: Register) -> None:
    decision = check(register, "C001", 1_000)
    assert decision.release and decision.verdict == "RELEASE"
    assert decision.reasons == []
    assert decision.exposure == 20_500
    assert decision.headroom == 78_500  # 100,000 − 20,500 − 1,000
    assert decision.max_days_overdue == 31  # overdue, but not beyond the block threshold


def test_an_order_over_the_limit_is_held_with_the_excess(register: Register) -> None:
    decision = check(register, "C001", 90_000)
    assert not decision.release
    assert decision.headroom == -10_500
    assert decision.reasons == [
        "exposure 20,500.00 + order 90,000.00 is above the approved limit 100,000.00 "
        "(by 10,500.00 CNY)"
    ]


def test_an_order_in_another_currency_is_converted(register: Register) -> None:
    decision = check(register, "C001", 1_000, "usd")
    assert (decision.currency, decision.amount_base) == ("USD", 7_000)
    assert decision.headroom == 72_500


def test_an_invoice_beyond_the_block_threshold_holds_any_order(register: Register) -> None:
    decision = check(register, "C002", 10)  # I7: 122 days overdue (disputed, still overdue)
    assert not decision.release
    assert decision.reasons == [
        "invoice I7 is 122 days overdue, beyond the block threshold of 90 days"
    ]
    assert decision.headroom == pytest.approx(140_000 - 23_100 - 70)  # limit 20,000 USD


def test_every_reason_is_listed(register: Register) -> None:
    decision = check(register, "C003", 60_000)
    assert not decision.release
    assert decision.reasons == [
        "exposure 0.00 + order 60,000.00 is above the approved limit 50,000.00 (by 10,000.00 CNY)",
        "the customer's status is 'hold'",
        "the limit expired on 2028-01-31",
    ]


def test_a_passed_review_date_holds_the_order() -> None:
    # the Ratings sheet as the last rating run wrote it
    register = make_register(
        ratings=[{"customer_id": "C001", "grade": "A", "next_review": dt.date(2028, 3, 1)}]
    )
    decision = check(register, "C001", 1_000)
    assert decision.reasons == ["the review date 2028-03-01 has passed"]


def test_unknown_customer_and_bad_amount_are_held_not_raised(register: Register) -> None:
    assert check(register, "C999", 10).reasons == ["customer C999 is not on the Customers sheet"]
    decision = check(register, "C001", 100, "EUR")
    assert decision.reasons == ["no FX rate for EUR: the order cannot be converted"]
    assert check(register, "C001", 0).reasons == ["order amount 0 must be above 0"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reasons_in_the_workbook_language(lang: Language) -> None:
    decision = check(make_register(lang), "C003", 1_000)
    if lang == "zh":
        assert decision.reasons[0] == "客户状态为“冻结” (the customer's status is 'hold')"
        assert decision.text().startswith("HOLD 暂缓")
    else:
        assert decision.reasons[0] == "the customer's status is 'hold'"
        assert decision.text().startswith("HOLD")


def test_override_is_logged_with_who_when_and_why(register: Register) -> None:
    decision = check(register, "C001", 90_000)
    when = dt.datetime(2028, 3, 31, 9, 15, 42, 123)
    row = override_history(decision, "CFO approved, prepaying 20 %", "alice", when)
    assert row[:7] == [
        dt.datetime(2028, 3, 31, 9, 15, 42),
        "alice",
        "order released by override",
        "C001",
        "order",
        "HOLD",
        "RELEASE",
    ]
    reason = row[7]
    assert isinstance(reason, str)
    assert reason.startswith("CFO approved, prepaying 20 % (order 90,000.00 CNY; held because:")
    with pytest.raises(ValueError):
        override_history(decision, "  ", "alice", when)
