"""The order credit check on the credit-hold story of ``support.hold_story`` (as of
2028-03-31): sales asks whether an order may ship; the answer is RELEASE or HOLD with every
reason, the headroom, and a warning when a cut is proposed but not yet approved."""

from __future__ import annotations

import datetime as dt

import pytest

from credit_register.app.pipeline import Loaded
from credit_register.core.schema import Language
from credit_register.engines.credit_hold import CreditHold
from credit_register.engines.order_check import (
    OrderDecision,
    Payment,
    check_order,
    override_history,
    payment_for,
)
from support.hold_story import AS_OF, POLICY, decided


def check(
    customer_id: str,
    amount: float,
    currency: str | None = None,
    payment: Payment = "credit",
    found: tuple[Loaded, CreditHold] | None = None,
) -> OrderDecision:
    loaded, hold = found or STORY
    return check_order(
        loaded.register,
        hold,
        AS_OF,
        customer_id,
        amount,
        currency,
        payment,
    )


STORY = decided()


def test_a_small_order_within_the_limit_is_released() -> None:
    decision = check("K01", 1_000)
    assert decision.release and decision.verdict == "RELEASE"
    assert decision.reasons == [] and decision.warnings == []
    assert decision.exposure == 20_000
    assert decision.headroom == 79_000  # 100,000 − 20,000 − 1,000


def test_an_order_over_the_limit_is_held_with_the_excess() -> None:
    decision = check("K01", 90_000)
    assert not decision.release
    assert decision.headroom == -10_000
    assert decision.reasons == [
        "exposure 20,000.00 + order 90,000.00 is above the approved limit 100,000.00 "
        "(by 10,000.00 CNY)"
    ]


def test_an_order_in_another_currency_is_converted() -> None:
    decision = check("K01", 1_000, "usd")
    assert (decision.currency, decision.amount_base) == ("USD", 7_000)
    assert decision.headroom == 73_000
    # a USD customer's order is in USD unless said otherwise: limit 20,000 USD = 140,000
    decision = check("K17", 1_000)
    assert (decision.currency, decision.approved_limit, decision.headroom) == (
        "USD",
        140_000,
        140_000 - 7_000 - 7_000,
    )


def test_an_order_that_takes_the_group_over_its_limit_is_held() -> None:
    roomy = decided(policy=POLICY.model_copy(update={"group_limits": {"G1": 50_000.0}}))
    assert check("K10", 10_000, found=roomy).release  # 40,000 + 10,000 = the limit
    decision = check("K10", 15_000, found=roomy)
    assert decision.reasons == [
        "group 'G1' exposure 40,000.00 + order 15,000.00 is above the group limit 50,000.00 "
        "(by 5,000.00 CNY)"
    ]
    assert (decision.group, decision.group_exposure, decision.group_limit) == (
        "G1",
        40_000,
        50_000,
    )


def test_every_reason_is_listed_in_the_policys_order() -> None:
    decision = check("K14", 150_000)
    assert decision.reason_keys == ["over_limit", "grade_c", "knock_out"]
    assert decision.reasons[0] == (
        "exposure 0.00 + order 150,000.00 is above the approved limit 100,000.00 (by 50,000.00 CNY)"
    )


@pytest.mark.parametrize(("customer_id", "payment"), [("K13", "prepaid"), ("K14", "lc")])
def test_prepaid_and_letter_of_credit_orders_are_released_with_the_reasons_listed(
    customer_id: str, payment: Payment
) -> None:
    on_credit = check(customer_id, 10_000)
    paid = check(customer_id, 10_000, payment=payment)
    assert not on_credit.release and paid.release
    assert paid.reasons == on_credit.reasons != []
    assert "carries no credit risk: released despite these reasons:" in paid.text()


def test_payment_in_advance_does_not_release_an_order_that_cannot_be_read() -> None:
    assert not check("K13", 0, payment="prepaid").release
    assert not check("K99", 10, payment="lc").release


def test_the_dashboards_payment_cell_in_either_language() -> None:
    assert [payment_for(v) for v in ("款到发货", " LC ", "信用证", "Prepaid", None, "")] == [
        "prepaid",
        "lc",
        "lc",
        "prepaid",
        "credit",
        "credit",
    ]


def test_a_proposed_cut_not_yet_approved_is_a_warning_beside_the_answer() -> None:
    cut = decided(K01={"proposed_limit": 60_000.0})
    decision = check("K01", 1_000, found=cut)
    assert decision.release  # the approved limit is enforced, the cut is a person's decision
    assert decision.warnings == [
        "the proposed limit 60,000.00 is below the approved limit 100,000.00: "
        "a cut not yet approved"
    ]
    assert decision.text().endswith(
        "! warning: the proposed limit 60,000.00 is below the approved limit 100,000.00: "
        "a cut not yet approved"
    )


def test_unknown_customer_and_bad_amount_are_held_not_raised() -> None:
    assert check("C999", 10).reasons == [
        "customer C999 is not on the Customers sheet (or has data errors)"
    ]
    assert check("K01", 100, "EUR").reasons == ["no FX rate for EUR: the order cannot be converted"]
    assert check("K01", 0).reasons == ["order amount 0 must be above 0"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_reasons_in_the_workbook_language(lang: Language) -> None:
    decision = check("K04", 1_000, found=decided(lang=lang))
    if lang == "zh":
        assert decision.reasons == ["客户状态为“冻结” (the customer's status is 'hold')"]
        assert decision.text().startswith("HOLD 暂缓")
    else:
        assert decision.reasons == ["the customer's status is 'hold'"]
        assert decision.text().startswith("HOLD")


def test_override_is_logged_with_who_when_and_why_and_the_reasons_it_overrode() -> None:
    decision = check("K05", 5_000)
    when = dt.datetime(2028, 3, 31, 9, 15, 42, 123)
    row = override_history(decision, "CFO approved, paid on delivery", "alice", when)
    assert row[:7] == [
        dt.datetime(2028, 3, 31, 9, 15, 42),
        "alice",
        "order released by override",
        "K05",
        "order",
        "HOLD",
        "RELEASE",
    ]
    assert row[7] == (
        "CFO approved, paid on delivery (order 5,000.00 CNY; held because: invoice I05 is 32 "
        "days overdue, at collections step 2 (undisputed))"
    )
    with pytest.raises(ValueError):
        override_history(decision, "  ", "alice", when)
