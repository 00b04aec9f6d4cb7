"""One credit-hold decision (policy §4), one customer per reason, every figure worked by hand
(the story: ``support.hold_story``). The register is read by the real reader; its receivables,
alerts and decision are the engines' own."""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from credit_register.app.pipeline import load_register
from credit_register.engines import alerts, credit_hold, receivables
from credit_register.engines.credit_hold import CreditHold
from support.hold_story import AS_OF, POLICY, TABLES, D, decided, invoice, ratings_for
from support.memory import MemoryWorkbook


@pytest.fixture(scope="module")
def hold() -> CreditHold:
    return decided()[1]


def test_each_customer_is_held_for_its_own_reason_and_only_that(hold: CreditHold) -> None:
    keys = {cid: hold.keys_of(cid) for cid in hold.customers.index}
    assert keys == {
        "K01": [],
        "K02": ["over_limit"],  # its utilization 禁止 alert is not listed twice
        "K03": ["no_limit"],
        "K04": ["status"],
        "K05": ["collections"],
        "K06": [],
        "K07": ["broken_promise"],
        "K08": [],
        "K09": ["limit_expired"],
        "K10": ["group_over"],
        "K11": ["group_over"],
        "K12": ["insurance_missed"],
        "K13": ["grade_c"],
        "K14": ["grade_c", "knock_out"],
        "K15": ["proposed_zero"],
        "K16": ["review_passed"],
        "K17": [],
    }
    assert hold.customers["credit_hold"].sum() == 13


def test_the_reasons_carry_their_figures(hold: CreditHold) -> None:
    assert hold.reasons_of("K02") == [
        "exposure 12,000.00 is above the approved limit 10,000.00 (by 2,000.00 CNY)"
    ]
    assert hold.reasons_of("K03") == ["no approved limit (no credit granted)"]
    assert hold.reasons_of("K05") == [
        "invoice I05 is 32 days overdue, at collections step 2 (undisputed)"
    ]
    assert hold.reasons_of("K07") == [
        "the promise to pay 6,000.00 by 2028-03-10 was broken and not made good"
    ]
    assert hold.reasons_of("K10") == [
        "group 'G1' exposure 40,000.00 is above the group limit 30,000.00 (by 10,000.00 CNY)"
    ]
    # due 2028-01-15 + 60 days = 2028-03-15, 16 days before the as-of date
    assert hold.reasons_of("K12") == [
        "the insurer's notification deadline for invoice I12 has passed (notify by 2028-03-15)"
    ]
    assert hold.reasons_of("K14")[1] == "knock-out: enforcement (失信被执行人)"
    assert hold.reasons_of("K15") == ["the proposed limit is 0 (no basis)"]
    assert hold.reasons_of("K16") == ["the review date 2028-03-01 has passed"]
    assert hold.customers.loc["K16", "hold_reasons"] == "the review date 2028-03-01 has passed"


def test_an_open_block_alert_holds_and_a_closed_one_does_not() -> None:
    # K01 gets a lawsuit 禁止 alert from a Policy that makes new lawsuits a block
    policy = POLICY.model_copy(
        update={"event_severity": {**POLICY.event_severity, "lawsuit": "block"}}
    )
    bureau = [
        {"customer_id": "K01", "report_date": D(2027, 12, 1), "lawsuits": 0},
        {"customer_id": "K01", "report_date": D(2028, 3, 1), "lawsuits": 2},
    ]
    loaded = load_register(
        MemoryWorkbook.of({**TABLES, "bureau": bureau}).read(), "x", today=AS_OF, as_of=AS_OF
    )
    register = loaded.register
    items = receivables.open_items(register, policy, AS_OF)
    exposure = receivables.exposure_by_customer(register, policy, AS_OF, items)
    ratings = ratings_for(exposure.index)
    found = alerts.findings(register, policy, AS_OF, items, exposure, ratings)

    def reasons(previous: pd.DataFrame | None) -> list[str]:
        standing = alerts.standing(found, previous)
        decision = credit_hold.decide(register, policy, AS_OF, items, exposure, ratings, standing)
        return decision.reasons_of("K01")

    assert reasons(None) == ["open block alert: new lawsuit 2 (> previous 0)"]
    closed = pd.DataFrame([{"alert_id": "K01-lawsuit", "status": "closed", "severity": "block"}])
    assert reasons(closed) == []  # the manager dealt with it


def test_the_ratings_row_and_the_hold_alert_say_the_same(hold: CreditHold) -> None:
    ratings = credit_hold.on_ratings(ratings_for(hold.customers.index), hold)
    row = ratings.set_index("customer_id").loc["K05"]
    assert bool(row["credit_hold"]) is True
    assert row["hold_reasons"] == hold.customers.loc["K05", "hold_reasons"]
    assert not ratings.set_index("customer_id").loc["K01", "credit_hold"]
    found = credit_hold.alert_findings(hold, POLICY)
    assert sorted(found["customer_id"]) == sorted(
        hold.customers.index[hold.customers["credit_hold"]]
    )
    k14 = found.set_index("customer_id").loc["K14"]
    assert (k14["severity"], k14["threshold"]) == ("block", "2 reasons")
    assert k14["recommended_action"] == "stop shipments (credit hold)"
    assert k14["alert_id"] == "K14-credit_hold"


def test_a_promise_in_the_customers_currency_is_kept_by_a_payment_in_another() -> None:
    """K08 (a CNY customer) promised 3,000 and paid USD 500 on a USD invoice: 3,500 CNY at 7.0,
    so the promise was made good. Counted as 500 it would hold deliveries: two currencies in one
    sum."""
    tables = copy.deepcopy(TABLES)
    tables["invoices"].append(invoice("I08U", "K08", D(2028, 3, 1), 500, currency="USD"))
    tables["payments"] = [
        {
            "payment_id": "P08",
            "customer_id": "K08",
            "invoice_no": "I08U",
            "payment_date": D(2028, 3, 20),
            "amount": 500,
            "method": "transfer",
        }
    ]
    _, hold = decided(tables)
    assert hold.keys_of("K08") == []
    assert hold.keys_of("K07") == ["broken_promise"]  # the promise nothing was paid against
